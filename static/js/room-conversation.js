// The conversation: every message drawn once, by id, in id order (room-timeline.js); my own
// shown at once as "Sending…" and retried with the same client_id (room-outbox.js); a send the
// server refused leaves the list and goes back to the composer (the caller's `onRefused`).
import { Outbox } from "./room-outbox.js";
import { messageItem, paintReactions, setPending } from "./room-render.js";
import { Timeline } from "./room-timeline.js";

export class Conversation {
  /**
   * `ui`: {list, stream, empty}; `me`: {id, name}; `handlers`: reactions and reports;
   * `announcer.add(message)` hears others' messages; `onDelivered()` once for each of mine;
   * `onRefused(entries, error)` gets sends the server refused, together, oldest first.
   */
  constructor(socket, sessionId, { ui, me, handlers, announcer, onDelivered, onRefused }) {
    this.ui = ui;
    this.me = me;
    this.handlers = handlers;
    this.announcer = announcer;
    this.onRefused = onRefused;
    this.onDelivered = onDelivered;
    this.byId = new Map();
    this.pending = new Map();
    this.refusals = [];
    this.lastId = 0;
    this.timeline = new Timeline();
    this.outbox = new Outbox(socket, sessionId, {
      onDelivered: (clientId, message) => this.place(message),
      onWaiting: (clientId) => {
        const item = this.pending.get(clientId);
        if (item) setPending(item, "Waiting for the connection…", () => this.outbox.attempt(clientId));
      },
      onFailed: (clientId, error) => this.refused(clientId, error),
    });
  }

  nearBottom() {
    const { stream } = this.ui;
    return stream.scrollHeight - stream.scrollTop - stream.clientHeight < 80;
  }

  toBottom() {
    this.ui.stream.scrollTop = this.ui.stream.scrollHeight;
  }

  /**
   * Put a delivered message in its place, once: by id, replacing its pending copy if any.
   * `message:new` may repeat an id after a failover, and an older message may come after newer
   * ones; the timeline draws each id once, in id order, and never brings back a hidden one.
   */
  place(message, { quiet = false } = {}) {
    const mine = message.author.id === this.me.id;
    const pendingItem = mine ? this.pending.get(message.client_id) : undefined;
    if (pendingItem) {
      // Mine, arrived: by its ack or by the broadcast, whichever came first.
      this.pending.delete(message.client_id);
      this.outbox.settle(message.client_id);
      pendingItem.remove();
      this.onDelivered?.();
    }
    const next = this.timeline.place(message.id);
    if (next === false) return;
    const follow = mine || this.nearBottom();
    const item = messageItem(message, this.handlers);
    this.byId.set(message.id, item);
    this.lastId = Math.max(this.lastId, message.id);
    const after = next === null ? null : this.byId.get(next);
    const firstPending = this.ui.list.querySelector(".msg:not([data-id])");
    this.ui.list.insertBefore(item, after || firstPending || null);
    this.ui.empty.hidden = true;
    if (!quiet && !mine) this.announcer.add(message);
    if (follow) this.toBottom();
  }

  /** Show my message at once and send it. */
  send(body, contentWarning) {
    const entry = this.outbox.send(body, contentWarning);
    const item = messageItem(
      { ...entry, author: { id: this.me.id, display_name: this.me.name }, created_at: new Date().toISOString() },
      this.handlers,
      { pending: true },
    );
    this.pending.set(entry.client_id, item);
    this.ui.list.append(item);
    this.ui.empty.hidden = true;
    this.toBottom();
  }

  /** The server refused a send after all: it leaves the list; its words go back. */
  refused(clientId, error) {
    const entry = this.outbox.pending.get(clientId);
    this.outbox.settle(clientId);
    this.pending.get(clientId)?.remove();
    this.pending.delete(clientId);
    if (!entry) return;
    this.refusals.push({ entry, error });
    // Refusals that arrive together go back together, in the order they were written.
    setTimeout(() => {
      if (!this.refusals.length) return;
      const batch = this.refusals;
      this.refusals = [];
      this.onRefused(batch.map((item) => item.entry), batch[batch.length - 1].error);
      if (!this.byId.size && !this.pending.size) this.ui.empty.hidden = false;
    }, 0);
  }

  reactions(id, reactions, mine) {
    const item = this.byId.get(id);
    if (item) paintReactions(item, reactions, mine);
  }

  /** A facilitator hid this message: out, and never back. */
  hide(id) {
    this.timeline.hide(id);
    this.byId.get(id)?.remove();
    this.byId.delete(id);
  }
}
