// A breathing pacer: pure timing (phaseAt) plus a small driver that calls you back on each
// phase. No DOM here, so the live room can share it: give it the same preset and start time
// and every screen shows the same phase.

/** Parse "4-2-6" into {inhale, hold, exhale} seconds; null when it isn't a sane preset. */
export function parsePreset(text) {
  const parts = String(text || "").split("-").map((part) => Number.parseInt(part, 10));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0 || n > 30)) return null;
  const [inhale, hold, exhale] = parts;
  if (inhale < 1 || exhale < 1) return null;
  return { inhale, hold, exhale };
}

/** Seconds in one full breath. */
export function cycleSeconds(preset) {
  return preset.inhale + preset.hold + preset.exhale;
}

/**
 * Where the breath is after `elapsedMs` since it began.
 * Returns {phase: "in"|"hold"|"out", secondsLeft, phaseSeconds, round} (round counts from 1).
 */
export function phaseAt(preset, elapsedMs) {
  const cycleMs = cycleSeconds(preset) * 1000;
  const elapsed = Math.max(0, elapsedMs);
  const round = Math.floor(elapsed / cycleMs) + 1;
  let within = elapsed % cycleMs;
  const phases = [["in", preset.inhale], ["hold", preset.hold], ["out", preset.exhale]];
  for (const [phase, seconds] of phases) {
    const phaseMs = seconds * 1000;
    if (phaseMs > 0 && within < phaseMs) {
      return { phase, secondsLeft: Math.ceil((phaseMs - within) / 1000), phaseSeconds: seconds, round };
    }
    within -= phaseMs;
  }
  return { phase: "out", secondsLeft: 0, phaseSeconds: preset.exhale, round };
}

/** Words for each phase, gentle and short. */
export const PHASE_WORDS = {
  in: "Breathe in gently",
  hold: "Rest at the top",
  out: "And out, slowly, all the way",
};

/**
 * Drive a pacer: onPhase(state) when the phase changes, onTick(state) every second.
 * `now` defaults to performance.now; pass startedAtMs (same clock) to join one already running.
 */
export function createPacer({ preset, onPhase, onTick, now = () => performance.now(), startedAtMs }) {
  let timer = null;
  let start = null;
  let lastPhase = null;

  function step() {
    const state = phaseAt(preset, now() - start);
    const key = `${state.round}:${state.phase}`;
    if (key !== lastPhase) {
      lastPhase = key;
      if (onPhase) onPhase(state);
    }
    if (onTick) onTick(state);
  }

  return {
    start() {
      if (timer !== null) return;
      start = startedAtMs ?? now();
      lastPhase = null;
      step();
      timer = setInterval(step, 250);
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      lastPhase = null;
    },
    get running() {
      return timer !== null;
    },
  };
}
