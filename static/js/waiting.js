// The waiting room as a calm screen of its own: what is happening, the circle's agreements, a
// breathing pacer to settle with (this browser's own, nobody else's), and "I need support".
import { Clock, Pacer } from "./pacer.js";

const SETTLE = { inhale_s: 4, hold_s: 0, exhale_s: 6, rounds: 6 };

export class WaitingScreen {
  constructor(root) {
    const $ = (id) => document.getElementById(id);
    this.root = root;
    this.ui = { screen: $("waiting-screen"), breathe: $("waiting-breathe"), title: $("waiting-title") };
    this.pacer = new Pacer(new Clock(), { prefix: "waiting-pacer" });
    this.pacer.onEnd = () => this.paintButton(false);
    this.ui.breathe.addEventListener("click", () => this.toggle());
  }

  get shown() {
    return !this.ui.screen.hidden;
  }

  /** Show the waiting screen instead of the room. */
  show() {
    if (this.shown) return;
    this.root.classList.add("room-is-waiting");
    this.ui.screen.hidden = false;
  }

  /** Let in: back to the room. */
  hide() {
    if (!this.shown) return;
    this.pacer.stop();
    this.root.classList.remove("room-is-waiting");
    this.ui.screen.hidden = true;
  }

  setReduceMotion(value) {
    this.pacer.setReduceMotion(value);
  }

  toggle() {
    if (this.pacer.breath) {
      this.pacer.stop();
      this.paintButton(false);
      return;
    }
    this.pacer.start({ ...SETTLE, starts_at_ms: Clock.local() + 1000 });
    this.paintButton(true);
  }

  paintButton(running) {
    this.ui.breathe.setAttribute("aria-pressed", String(running));
    this.ui.breathe.textContent = running ? "Stop the breathing" : "Breathe with me";
  }
}
