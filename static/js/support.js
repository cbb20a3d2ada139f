// "I need support" and "You're not alone": help shows at once in a dialog that closes with its
// Close button or Escape (focus goes back to the message box); the facilitators are told
// quietly, and "Tell the facilitator I'd like to talk" asks for them in one press.
import { request } from "./room-outbox.js";
import { el } from "./room-render.js";

const TALK_NOTE = "I'd like to talk.";

export class Support {
  /** `returnFocus()` says where focus goes when the dialog closes. */
  constructor(socket, sessionId, { returnFocus } = {}) {
    const $ = (id) => document.getElementById(id);
    this.socket = socket;
    this.sessionId = sessionId;
    this.returnFocus = returnFocus || (() => null);
    this.ui = {
      panel: $("support-panel"), message: $("support-message"), resources: $("support-resources"),
      form: $("support-note-form"), note: $("support-note"), status: $("support-status"),
      close: $("support-close"), talk: $("support-talk"),
    };
    for (const trigger of document.querySelectorAll("[data-support-open]")) {
      trigger.addEventListener("click", () => this.ask());
    }
    this.ui.close.addEventListener("click", () => this.ui.panel.close());
    // Escape closes a modal <dialog> by itself; either way, focus goes back where it helps.
    this.ui.panel.addEventListener("close", () => this.returnFocus()?.focus());
    this.ui.talk.addEventListener("click", () => this.talk());
    this.ui.form.addEventListener("submit", (event) => this.sendNote(event));
  }

  /** Show the grounding steps and resources first, then tell the facilitators. */
  async ask() {
    this.show("The facilitators are being told quietly; nobody else in the room will know. While you wait, try this.");
    const answer = await request(this.socket, "support:request", { session_id: this.sessionId });
    this.ui.status.textContent = answer.ok
      ? "The facilitators know you'd like support. Only they can see this."
      : "We couldn't reach the facilitators just now. The people below are there any time.";
    if (answer.ok) this.fillResources(answer.resources);
  }

  /** One press: ask a facilitator to reach out. */
  async talk() {
    this.ui.talk.disabled = true;
    const answer = await request(this.socket, "support:request", { session_id: this.sessionId, note: TALK_NOTE });
    if (answer.ok) {
      this.ui.status.textContent = "The facilitator knows you'd like to talk. Only they can see this.";
      this.ui.talk.textContent = "Asked: a facilitator will reach out";
    } else {
      this.ui.talk.disabled = false;
      this.ui.status.textContent = answer.error.message || "That didn't go through. Please try again.";
    }
  }

  async sendNote(event) {
    event.preventDefault();
    const note = this.ui.note.value.trim();
    if (!note) return;
    const answer = await request(this.socket, "support:request", { session_id: this.sessionId, note });
    this.ui.status.textContent = answer.ok
      ? "Sent. Only the facilitators can read it."
      : answer.error.message || "That didn't go through. Please try again.";
    if (answer.ok) this.ui.note.value = "";
  }

  /** Risk language in my own words: the same care, and no request sent on my behalf. */
  offer(payload) {
    this.show(payload.message || "You don't have to hold this alone.");
    this.fillResources(payload.resources);
  }

  show(message) {
    this.ui.message.textContent = message;
    this.ui.status.textContent = "";
    this.ui.talk.disabled = false;
    this.ui.talk.textContent = "Tell the facilitator I'd like to talk";
    if (!this.ui.panel.open) this.ui.panel.showModal();
    this.ui.panel.focus();
  }

  fillResources(resources) {
    if (!resources || !resources.length) return;
    this.ui.resources.replaceChildren(
      ...resources.map((resource) => {
        const item = el("li", "crisis-resource");
        item.append(el("strong", "", resource.name), " ", resource.contact || "");
        if (resource.url && /^https?:\/\//.test(resource.url)) {
          const link = el("a", "", resource.url);
          link.href = resource.url;
          link.rel = "noopener noreferrer";
          item.append(" ", link);
        }
        return item;
      }),
    );
  }
}
