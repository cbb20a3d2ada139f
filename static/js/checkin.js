// Arrival and closing check-ins: offered gently in their phase, kept in the member's journal.
import { request } from "./room-outbox.js";

const TITLES = { arrival: "How are you arriving?", closing: "How are you leaving?" };

export class Checkins {
  constructor(socket, sessionId) {
    const $ = (id) => document.getElementById(id);
    this.socket = socket;
    this.sessionId = sessionId;
    this.moment = null;
    this.ui = {
      offer: $("checkin-offer"), offerTitle: $("checkin-offer-title"), open: $("checkin-open"),
      skip: $("checkin-skip"), dialog: $("checkin-dialog"), form: $("checkin-form"),
      title: $("checkin-title"), error: $("checkin-error"), cancel: $("checkin-cancel"),
      thanks: $("checkin-thanks"),
    };
    this.ui.open.addEventListener("click", () => this.openDialog());
    this.ui.skip.addEventListener("click", () => this.dismiss());
    this.ui.cancel.addEventListener("click", () => this.ui.dialog.close());
    this.ui.form.addEventListener("submit", (event) => this.submit(event));
  }

  /** A remembered "done or skipped" per session and moment, for this browser tab. */
  key(moment) {
    return `holdspace:checkin:${this.sessionId}:${moment}`;
  }

  /** Offer the check-in that belongs to this phase, unless already done or skipped. */
  offerFor(phase, state) {
    const moment = phase === "arrival" || phase === "closing" ? phase : null;
    const settled = moment && sessionStorage.getItem(this.key(moment));
    if (moment !== this.moment) this.ui.thanks.textContent = "";
    this.moment = moment;
    this.ui.offer.hidden = !moment || Boolean(settled) || state === "ended";
    if (moment) {
      this.ui.offerTitle.textContent = TITLES[moment];
      this.ui.title.textContent = TITLES[moment];
    }
  }

  openDialog() {
    this.ui.error.textContent = "";
    this.ui.form.reset();
    this.ui.dialog.showModal();
    this.ui.form.querySelector("input[name=score]").focus();
  }

  dismiss() {
    if (this.moment) sessionStorage.setItem(this.key(this.moment), "skipped");
    this.ui.offer.hidden = true;
  }

  async submit(event) {
    event.preventDefault();
    const data = new FormData(this.ui.form);
    const score = Number(data.get("score"));
    if (!score) {
      this.ui.error.textContent = "Choose a number from 1 to 5 first.";
      return;
    }
    const answer = await request(this.socket, "checkin:submit", {
      session_id: this.sessionId, moment: this.moment, score, feelings: data.getAll("feelings"),
    });
    if (!answer.ok) {
      this.ui.error.textContent = answer.error.message || "That didn't go through. Please try again.";
      return;
    }
    sessionStorage.setItem(this.key(this.moment), "done");
    this.ui.dialog.close();
    this.ui.offer.hidden = true;
    this.ui.thanks.textContent = "Thank you. Your check-in is in your journal.";
  }
}
