// The people here, marked with who holds the talking piece, raised hands and mutes. Rows are
// kept by person and updated in place, so a facilitator's open actions (and keyboard focus)
// survive the presence updates that arrive all the time.
import { el } from "./room-render.js";

const ROLE_LABELS = { facilitator: "facilitator", moderator: "moderator" };

export class PeopleList {
  /**
   * `list` is the <ul>; `options.me` my user id; `options.actions(member)` (facilitators only)
   * returns an object {node, update(member, context)} kept for that person's row. Only those
   * who keep the room (`options.keeper`) see who is muted: nobody is shown up to the others.
   */
  constructor(list, { me, actions = null, keeper = false }) {
    this.list = list;
    this.me = me;
    this.actions = actions;
    this.keeper = keeper;
    this.rows = new Map();
    this.members = [];
    this.context = { holderId: null, piece: false, now: Date.now() };
  }

  /** Draw the people present (in the order given). */
  setMembers(members) {
    this.members = members;
    this.draw();
  }

  /** The piece, and anything else about the room the marks depend on. */
  setContext(context) {
    this.context = { ...this.context, ...context };
    this.draw();
  }

  /** A mute changed for someone (from `member:muted` / `member:unmuted`). */
  setMuted(userId, until) {
    const member = this.members.find((m) => m.user_id === userId);
    if (member) member.muted_until = until;
    this.draw();
  }

  draw() {
    const present = new Set();
    const rows = this.members.map((member) => {
      present.add(member.user_id);
      return this.row(member);
    });
    for (const [id, row] of this.rows) if (!present.has(id)) this.rows.delete(id);
    // Re-order only when needed: moving a row that holds focus would drop the focus.
    const current = [...this.list.children];
    if (current.length !== rows.length || rows.some((row, i) => current[i] !== row.item)) {
      this.list.replaceChildren(...rows.map((row) => row.item));
    }
  }

  row(member) {
    let row = this.rows.get(member.user_id);
    if (!row) {
      const item = el("li", "room-member");
      item.dataset.userId = String(member.user_id);
      const line = el("p", "room-member-line");
      item.append(line);
      row = { item, line, actions: this.actions && member.user_id !== this.me ? this.actions(member) : null };
      if (row.actions) item.append(row.actions.node);
      this.rows.set(member.user_id, row);
    }
    this.paintLine(row, member);
    row.actions?.update(member, this.context);
    return row;
  }

  paintLine(row, member) {
    const { holderId, piece } = this.context;
    const parts = [el("span", "room-member-name", member.display_name)];
    if (member.user_id === this.me) parts.push(el("span", "muted", " (you)"));
    const role = ROLE_LABELS[member.role];
    if (role) parts.push(" ", el("span", "tag", role));
    const holds = piece && holderId === member.user_id;
    row.item.classList.toggle("room-member-holder", holds);
    if (holds) parts.push(" ", el("span", "tag tag-piece", "has the talking piece"));
    if (member.hand_raised) parts.push(" ", el("span", "tag", "hand raised"));
    const muted = member.muted_until && new Date(member.muted_until).getTime() > Date.now();
    if (muted && this.keeper) {
      parts.push(" ", el("span", "tag", "muted"));
    }
    row.line.replaceChildren(...parts);
  }
}
