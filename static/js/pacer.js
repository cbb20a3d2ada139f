// The shared breathing pacer. Every client animates from the server's starts_at_ms, converted
// to its own clock with an offset estimated NTP-style (several time:sync calls at join, keeping
// the sample with the shortest round trip). With reduced motion the circle stays still and the
// pacer speaks in words and a counter instead.
import { request } from "./room-outbox.js";

const SMALL = 40;
const LARGE = 88;

/** The server's clock as this browser best knows it. */
export class Clock {
  constructor() {
    this.offset = 0;
    this.roundTrip = Infinity;
  }

  /** Wall time in ms, precise between calls (performance.now never jumps). */
  static local() {
    return performance.timeOrigin + performance.now();
  }

  /** Estimate the offset from a few samples; keep the one with the shortest round trip. */
  async sync(socket, samples = 5) {
    for (let i = 0; i < samples; i += 1) {
      const sent = Clock.local();
      const answer = await request(socket, "time:sync", { client_ms: sent });
      const back = Clock.local();
      if (answer.ok && back - sent < this.roundTrip) {
        this.roundTrip = back - sent;
        this.offset = answer.server_ms - (sent + back) / 2;
      }
    }
  }

  /** The server's time now. */
  now() {
    return Clock.local() + this.offset;
  }
}

/** Where a breath is at `now`: the step, seconds left in it, the round, or before/after. */
export function breathAt(breath, now) {
  const elapsed = (now - breath.starts_at_ms) / 1000;
  if (elapsed < 0) return { step: "before", left: Math.ceil(-elapsed), progress: 0 };
  const cycle = breath.inhale_s + breath.hold_s + breath.exhale_s;
  const round = Math.floor(elapsed / cycle);
  if (round >= breath.rounds) return { step: "done", left: 0, progress: 0 };
  let t = elapsed - round * cycle;
  const steps = [
    ["in", breath.inhale_s],
    ["hold", breath.hold_s],
    ["out", breath.exhale_s],
  ];
  for (const [step, length] of steps) {
    if (t < length) {
      return { step, left: Math.ceil(length - t), progress: t / length, round: round + 1 };
    }
    t -= length;
  }
  return { step: "out", left: 0, progress: 1, round: round + 1 };
}

const CUES = {
  before: "Get comfortable… we begin together in a moment",
  in: "Breathe in…",
  hold: "Hold…",
  out: "Breathe out…",
  done: "Well done. Notice how you feel now.",
};

/** Draws the pacer in the room. */
export class Pacer {
  /** `prefix` names the elements: `pacer`, `pacer-circle`, ... (the waiting room has its own). */
  constructor(clock, { reduceMotion = false, prefix = "pacer" } = {}) {
    const $ = (id) => document.getElementById(`${prefix}${id}`);
    this.clock = clock;
    this.ui = {
      root: $(""), circle: $("-circle"), visual: $("-visual"), cue: $("-cue"),
      count: $("-count"), round: $("-round"), hide: $("-hide"),
    };
    this.media = window.matchMedia("(prefers-reduced-motion: reduce)");
    this.preferStill = reduceMotion;
    this.breath = null;
    this.frame = null;
    this.lastCue = "";
    this.ui.hide?.addEventListener("click", () => this.hide());
    this.onEnd = null;
  }

  get still() {
    return this.preferStill || this.media.matches;
  }

  setReduceMotion(value) {
    this.preferStill = Boolean(value);
  }

  /** Begin (or pick up mid-cycle) a breath from the server. */
  start(breath) {
    if (!breath) return this.stop();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frame);
    this.breath = breath;
    this.ui.root.hidden = false;
    this.ui.root.classList.toggle("pacer-still", this.still);
    this.lastCue = "";
    this.tick();
  }

  stop(message) {
    this.breath = null;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frame);
    if (message) {
      this.ui.cue.textContent = message;
      this.ui.count.textContent = "";
      this.ui.round.textContent = "";
      // Leave the closing words a moment, then step out of the way.
      this.frame = setTimeout(() => this.hide(), 8000);
    } else this.hide();
  }

  hide() {
    this.ui.root.hidden = true;
    this.onEnd?.();
  }

  tick() {
    if (!this.breath) return;
    const at = breathAt(this.breath, this.clock.now());
    this.draw(at);
    if (at.step === "done") {
      this.stop(CUES.done);
      return;
    }
    // Motion wants every frame; words and a counter only need a few updates a second.
    if (this.still) this.frame = setTimeout(() => this.tick(), 200);
    else this.frame = requestAnimationFrame(() => this.tick());
  }

  draw(at) {
    const cue = CUES[at.step];
    if (cue !== this.lastCue) {
      this.ui.cue.textContent = cue;
      this.lastCue = cue;
    }
    this.ui.count.textContent = at.step === "done" ? "" : String(at.left);
    this.ui.round.textContent = at.round ? `Breath ${at.round} of ${this.breath.rounds}` : "";
    this.ui.root.dataset.step = at.step;
    if (this.still) return;
    let size = SMALL;
    if (at.step === "in") size = SMALL + (LARGE - SMALL) * ease(at.progress);
    else if (at.step === "hold") size = LARGE;
    else if (at.step === "out") size = LARGE - (LARGE - SMALL) * ease(at.progress);
    this.ui.circle.setAttribute("r", size.toFixed(1));
  }
}

/** A gentle ease in and out. */
function ease(t) {
  return 0.5 - Math.cos(Math.PI * Math.min(Math.max(t, 0), 1)) / 2;
}
