// "I need support", "You're not alone" and the gentler "A moment for you" (seek-help signs): help
// shows at once in a dialog that closes with its Close button or Escape (focus goes back to the
// message box); the facilitators are told quietly, "Tell the facilitator I'd like to talk" asks
// for them in one press, and the lines can be switched to another country.
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
      close: $("support-close"), talk: $("support-talk"), title: $("support-title"),
      more: $("support-more"), moreLink: $("support-more-link"), country: $("support-country"),
      countrySaved: $("support-country-saved"),
    };
    for (const trigger of document.querySelectorAll("[data-support-open]")) {
      trigger.addEventListener("click", () => this.ask());
    }
    this.ui.close.addEventListener("click", () => this.ui.panel.close());
    // Escape closes a modal <dialog> by itself; either way, focus goes back where it helps.
    this.ui.panel.addEventListener("close", () => this.returnFocus()?.focus());
    this.ui.talk.addEventListener("click", () => this.talk());
    this.ui.form.addEventListener("submit", (event) => this.sendNote(event));
    this.ui.country.addEventListener("change", () => this.chooseCountry());
  }

  /** Lines for another country: shown at once, and kept as the person's choice (they are told
   *  once it is kept, or that it could not be). */
  async chooseCountry() {
    const country = this.ui.country.value;
    const saved = this.ui.countrySaved;
    saved.textContent = "";
    const keeping = request(this.socket, "preferences:set", { country }).then((answer) => {
      if (this.ui.country.value !== country) return; // a later choice speaks for itself
      saved.textContent = answer.ok ? "Kept for next time." : "We couldn't keep this choice just now.";
    });
    const url = `${this.ui.country.dataset.linesUrl}?country=${encodeURIComponent(country)}`;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) {
        const answer = await response.json();
        this.fillResources(answer.resources, answer.country);
      }
    } catch {
      this.ui.status.textContent = "We couldn't load those lines just now; the ones below still help.";
    }
    await keeping;
  }

  /** Show the grounding steps and resources first, then tell the facilitators. */
  async ask() {
    this.show("The facilitators are being told quietly; nobody else in the room will know. While you wait, try this.");
    const answer = await request(this.socket, "support:request", { session_id: this.sessionId });
    this.ui.status.textContent = answer.ok
      ? "The facilitators know you'd like support. Only they can see this."
      : "We couldn't reach the facilitators just now. The people below are there any time.";
    if (answer.ok) this.fillResources(answer.resources, answer.country);
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
    this.fillResources(payload.resources, payload.country);
  }

  /** A seek-help sign in my own words: a gentler word, grounding first, and where to go next. */
  nudge(payload) {
    this.show(payload.message, "A moment for you");
    if (payload.help_url && payload.help_url.startsWith("/")) this.ui.moreLink.href = payload.help_url;
    this.ui.more.hidden = false;
    this.fillResources(payload.resources, payload.country);
  }

  show(message, title = "You're not alone") {
    this.ui.title.textContent = title;
    this.ui.more.hidden = true;
    this.ui.message.textContent = message;
    this.ui.status.textContent = "";
    this.ui.talk.disabled = false;
    this.ui.talk.textContent = "Tell the facilitator I'd like to talk";
    if (!this.ui.panel.open) this.ui.panel.showModal();
    this.ui.panel.focus();
  }

  /** Show these lines, unless they are for a country other than the one now chosen (a slower
   *  answer must not undo the person's newer choice). */
  fillResources(resources, country = null) {
    if (!resources || !resources.length || (country || "") !== this.ui.country.value) return;
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
