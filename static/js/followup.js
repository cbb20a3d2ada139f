// Private follow-up: a facilitator checks in with one member, out of the room's hearing. The
// same thread view serves both sides: the facilitators' console lists every thread of the
// session, the member sees their own in a panel above the conversation. Lines arrive once each
// (the sender's ack and the broadcast are merged by id).
import { newClientId, request } from "./room-outbox.js";
import { el, localTime } from "./room-render.js";

/** One thread: its lines and a reply form. `nameOf(id)` names an author; `me` is my user id. */
class ThreadView {
  constructor(socket, thread, { me, nameOf, heading, replyLabel, placeholder = "", headingLevel = "h4" }) {
    this.socket = socket;
    this.thread = thread;
    this.me = me;
    this.nameOf = nameOf;
    this.seen = new Set();
    const id = thread.thread_id;
    this.node = el("section", "followup");
    this.node.dataset.thread = String(id);
    this.title = el(headingLevel, "followup-title", heading);
    this.title.id = `followup-title-${id}`;
    this.title.tabIndex = -1;
    this.node.setAttribute("aria-labelledby", this.title.id);
    this.lines = el("ol", "followup-lines");
    this.lines.setAttribute("aria-label", heading);
    this.lines.setAttribute("aria-live", "polite");
    this.empty = el("p", "muted followup-empty", "Nothing said yet.");
    const form = el("form", "followup-form");
    form.noValidate = true;
    const label = el("label", "", replyLabel);
    this.body = el("textarea");
    this.body.id = `followup-body-${id}`;
    this.body.rows = 1;
    this.body.maxLength = 2000;
    label.htmlFor = this.body.id;
    this.body.placeholder = placeholder;
    const send = el("button", "button button-small", "Send privately");
    send.type = "submit";
    this.status = el("p", "followup-status", "");
    this.status.setAttribute("role", "status");
    form.append(label, this.body, send, this.status);
    form.addEventListener("submit", (event) => this.send(event));
    this.body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) this.send(event);
    });
    this.node.append(this.title, this.lines, this.empty, form);
  }

  async load() {
    const answer = await request(this.socket, "followup:history", { thread_id: this.thread.thread_id });
    if (answer.ok) for (const line of answer.messages) this.add(line);
  }

  add(line) {
    if (this.seen.has(line.id)) return;
    this.seen.add(line.id);
    const item = el("li", "followup-line");
    if (line.author_id === this.me) item.classList.add("followup-mine");
    const who = line.author_id === this.me ? "You" : this.nameOf(line.author_id);
    item.append(el("strong", "", who), " ", el("span", "muted", localTime(line.at)), el("p", "", line.body));
    this.lines.append(item);
    this.lines.scrollTop = this.lines.scrollHeight;  // the newest line in view
    this.empty.hidden = true;
  }

  async send(event) {
    event.preventDefault();
    const body = this.body.value.trim();
    if (!body) {
      this.status.textContent = "Write something first.";
      return;
    }
    const payload = { thread_id: this.thread.thread_id, client_id: newClientId(), body };
    const answer = await request(this.socket, "followup:send", payload);
    if (answer.ok) {
      this.add(answer.message);
      this.body.value = "";
      this.status.textContent = "";
    } else {
      // The words stay in the box, so nothing is lost.
      this.status.textContent = answer.error.message || "That didn't go through. Please try again.";
    }
  }
}

/** The facilitators' side: every thread of the session in the console. */
export class KeeperFollowups {
  constructor(socket, sessionId, { me, nameOf, container, empty, status }) {
    Object.assign(this, { socket, sessionId, me, nameOf, container, empty, status });
    this.views = new Map();
    socket.on("followup:opened", ({ thread }) => {
      if (thread.session_id === sessionId) this.show(thread);
    });
    socket.on("followup:message", ({ message }) => this.views.get(message.thread_id)?.add(message));
  }

  /** Add a thread (once), with its history. */
  show(thread) {
    let view = this.views.get(thread.thread_id);
    if (!view) {
      const name = this.nameOf(thread.user_id);
      view = new ThreadView(this.socket, thread, {
        me: this.me, nameOf: this.nameOf, heading: `With ${name}`, replyLabel: `Write to ${name}`,
      });
      this.views.set(thread.thread_id, view);
      this.container.append(view.node);
      this.empty.hidden = true;
      view.load();
    }
    return view;
  }

  /** "Check in with Sky": open (or find) the thread, and put the cursor in its reply box. */
  async checkIn(userId, alertId = null) {
    const payload = { session_id: this.sessionId, user_id: userId };
    if (alertId !== null) payload.alert_id = alertId;
    const answer = await request(this.socket, "followup:open", payload);
    if (!answer.ok) {
      this.status.textContent = answer.error.message || "That didn't work. Please try again.";
      return;
    }
    const view = this.show(answer.thread);
    this.status.textContent = `A private check-in with ${this.nameOf(userId)} is open.`;
    view.body.focus();
  }
}

/** The member's side: their own thread in a panel above the conversation. */
export class MemberFollowup {
  constructor(socket, sessionId, { me, nameOf, panel, container }) {
    Object.assign(this, { socket, sessionId, me, nameOf, panel, container });
    this.view = null;
    socket.on("followup:opened", ({ thread }) => {
      if (thread.session_id === sessionId && thread.user_id === me) this.show(thread, true);
    });
    socket.on("followup:message", ({ message }) => this.view?.add(message));
  }

  /** After every (re)join: bring back a thread opened earlier in this session. */
  async joined() {
    const answer = await request(this.socket, "followup:mine", { session_id: this.sessionId });
    if (answer.ok && answer.threads.length) this.show(answer.threads[0], false);
  }

  show(thread, fresh) {
    if (!this.view || this.view.thread.thread_id !== thread.thread_id) {
      this.view = new ThreadView(this.socket, thread, {
        me: this.me, nameOf: this.nameOf, heading: "Just between you and the facilitators",
        replyLabel: "Your reply", placeholder: "Reply privately…", headingLevel: "h3",
      });
      this.container.replaceChildren(this.view.node);
      this.view.title.classList.add("visually-hidden");
      this.view.load();
    }
    this.panel.hidden = false;
    // Focus moves to it only when the person is not in the middle of writing something.
    const typing = ["TEXTAREA", "INPUT", "SELECT"].includes(document.activeElement?.tagName);
    if (fresh && !typing) this.panel.querySelector("h2").focus();
  }
}
