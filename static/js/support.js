// "I need support": help shows at once for the member; the facilitators are told quietly.
import { request } from "./room-outbox.js";
import { el } from "./room-render.js";

export class Support {
  constructor(socket, sessionId) {
    const $ = (id) => document.getElementById(id);
    this.socket = socket;
    this.sessionId = sessionId;
    this.ui = {
      button: $("support-open"), panel: $("support-panel"), message: $("support-message"),
      resources: $("support-resources"), form: $("support-note-form"), note: $("support-note"),
      status: $("support-status"), close: $("support-close"),
    };
    this.ui.button.addEventListener("click", () => this.ask());
    this.ui.close.addEventListener("click", () => {
      this.ui.panel.hidden = true;
      this.ui.button.focus();
    });
    this.ui.form.addEventListener("submit", (event) => this.sendNote(event));
  }

  /** Show the grounding steps and resources first, then tell the facilitators. */
  async ask() {
    this.show("The facilitators are being told quietly; nobody else in the room will know. While you wait, try this.");
    this.ui.form.hidden = false;
    const answer = await request(this.socket, "support:request", { session_id: this.sessionId });
    this.ui.status.textContent = answer.ok
      ? "The facilitators know you'd like support. Only they can see this."
      : "We couldn't reach the facilitators just now. The people below are there any time.";
    if (answer.ok) this.fillResources(answer.resources);
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

  /** Risk language in my own message: the same care, and no request sent on my behalf. */
  offer(payload) {
    this.show(payload.message || "You don't have to hold this alone.");
    this.ui.form.hidden = true;
    this.fillResources(payload.resources);
  }

  show(message) {
    this.ui.message.textContent = message;
    this.ui.status.textContent = "";
    this.ui.panel.hidden = false;
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
