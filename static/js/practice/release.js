// The open-ended release timer: counts up quietly and shows a soft line of words every few
// minutes. No sound, no goal, no end: the person decides when they are done.

/** m:ss (or h:mm:ss) for a number of seconds. */
export function formatElapsed(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** Which cue (index into cues) belongs to this many elapsed seconds, or -1 before the first. */
export function cueIndexAt(elapsedSeconds, cueEvery, cueCount) {
  if (cueEvery <= 0 || cueCount === 0) return -1;
  const due = Math.floor(elapsedSeconds / cueEvery);
  return due === 0 ? -1 : (due - 1) % cueCount;
}

/** A pausable count-up timer; onTick(seconds) each second and onCue(text) when a cue is due. */
export function createReleaseTimer({ cues, cueEvery, onTick, onCue, now = () => Date.now() }) {
  let timer = null;
  let startedAt = 0;
  let carried = 0;
  let lastCue = -1;

  function elapsed() {
    return carried + (timer === null ? 0 : (now() - startedAt) / 1000);
  }

  function tick() {
    const seconds = elapsed();
    if (onTick) onTick(seconds);
    const index = cueIndexAt(seconds, cueEvery, cues.length);
    const dueCount = Math.floor(seconds / cueEvery);
    if (index >= 0 && dueCount !== lastCue) {
      lastCue = dueCount;
      if (onCue) onCue(cues[index]);
    }
  }

  return {
    start() {
      if (timer !== null) return;
      startedAt = now();
      timer = setInterval(tick, 1000);
      tick();
    },
    pause() {
      if (timer === null) return;
      carried = elapsed();
      clearInterval(timer);
      timer = null;
      tick();
    },
    elapsed,
    get running() {
      return timer !== null;
    },
  };
}
