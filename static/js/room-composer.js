// The message box. It follows the room: when sending would be refused it is read-only with the
// reason beside it (still focusable, so the reason can be found), and a send the server refused
// after all comes back into the box with a short note instead of a failed message in the list.

const TYPING_MS = 4000;

export class Composer {
  /** `onSend(body, contentWarning)` sends; `onInput()` hears every keystroke (typing signal). */
  constructor({ onSend, onInput }) {
    const $ = (id) => document.getElementById(id);
    this.ui = {
      form: $("room-compose"), body: $("room-body"), cw: $("room-cw"), cwField: $("room-cw-field"),
      cwToggle: $("room-cw-toggle"), send: $("room-send"), reason: $("room-compose-reason"),
      hint: $("room-body-hint"), note: $("room-compose-note"),
    };
    this.onSend = onSend;
    this.canSend = false;
    this.lastInput = 0;
    this.ui.form.addEventListener("submit", (event) => this.submit(event));
    this.ui.body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) this.submit(event);
    });
    this.ui.body.addEventListener("input", () => {
      this.lastInput = Date.now();
      this.ui.note.textContent = "";
      onInput?.();
    });
    this.ui.cwToggle.addEventListener("click", () => this.toggleNote());
  }

  /** Is the person typing right now (focus in the box, a key pressed in the last moments)? */
  isTyping() {
    return document.activeElement === this.ui.body && Date.now() - this.lastInput < TYPING_MS;
  }

  focus() {
    this.ui.body.focus();
  }

  /** Open or close the composer, with the reason shown when it is closed. */
  setAvailability({ canSend, reason }) {
    this.canSend = canSend;
    const { body, send, cwToggle, form } = this.ui;
    body.readOnly = !canSend;
    body.setAttribute("aria-disabled", String(!canSend));
    send.disabled = !canSend;
    cwToggle.disabled = !canSend;
    form.classList.toggle("room-compose-closed", !canSend);
    this.ui.reason.textContent = canSend ? "" : reason;
    this.ui.reason.hidden = canSend;
    this.ui.hint.hidden = !canSend;
  }

  submit(event) {
    event.preventDefault();
    if (!this.canSend) return;
    const body = this.ui.body.value.trim();
    if (!body) {
      this.ui.note.textContent = "Write something first, or simply stay and listen.";
      return;
    }
    this.ui.note.textContent = "";
    this.onSend(body, this.ui.cw.value.trim());
    this.ui.body.value = "";
    this.ui.cw.value = "";
  }

  /** Put refused words back (after anything typed since) and say why they were not sent. */
  restore(entries, note) {
    const refused = entries.map((entry) => entry.body).join("\n\n");
    const typed = this.ui.body.value.trim();
    this.ui.body.value = typed ? `${refused}\n\n${typed}` : refused;
    const warning = entries.find((entry) => entry.content_warning)?.content_warning;
    if (warning && !this.ui.cw.value) {
      this.ui.cw.value = warning;
      this.showNoteField(true);
    }
    this.ui.note.textContent = `${note} Your words are still here.`;
  }

  toggleNote() {
    this.showNoteField(this.ui.cwField.hidden);
    if (!this.ui.cwField.hidden) this.ui.cw.focus();
    else this.ui.cw.value = "";
  }

  showNoteField(open) {
    this.ui.cwField.hidden = !open;
    this.ui.cwToggle.setAttribute("aria-expanded", String(open));
  }
}
