// The guided solo practice: one step at a time, a breathing pacer, a quiet release timer and
// the reflection form. Without JavaScript the page is one long form that works the same way.

import { createPacer, parsePreset, PHASE_WORDS } from "./pacer.js";
import { createReleaseTimer, formatElapsed } from "./release.js";
import { setupSteps } from "./steps.js";

/** True when the member asked for less motion, in Holdspace or in their system. */
function prefersLessMotion() {
  return document.body.classList.contains("reduce-motion") ||
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function setupPacer(root) {
  const box = root.querySelector("[data-pacer]");
  const select = root.querySelector("select[name=preset]");
  if (!box || !select) return;
  const circle = box.querySelector("[data-pacer-circle]");
  const cue = box.querySelector("[data-pacer-cue]");
  const count = box.querySelector("[data-pacer-count]");
  const toggle = box.querySelector("[data-pacer-toggle]");
  let pacer = null;

  function showPhase(state) {
    cue.textContent = PHASE_WORDS[state.phase];
    circle.classList.toggle("is-in", state.phase === "in");
    circle.classList.toggle("is-hold", state.phase === "hold");
    circle.classList.toggle("is-out", state.phase === "out");
    circle.style.transitionDuration = `${state.phaseSeconds}s`;
  }

  function stop() {
    if (pacer) pacer.stop();
    pacer = null;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "Start breathing";
    circle.classList.remove("is-in", "is-hold", "is-out");
    cue.textContent = "Resting. Start again whenever you like.";
    count.textContent = "";
  }

  function start() {
    const preset = parsePreset(select.value) || { inhale: 4, hold: 2, exhale: 6 };
    pacer = createPacer({
      preset,
      onPhase: showPhase,
      onTick: (state) => { count.textContent = String(state.secondsLeft); },
    });
    toggle.setAttribute("aria-pressed", "true");
    toggle.textContent = "Stop breathing guide";
    pacer.start();
  }

  toggle.addEventListener("click", () => (pacer ? stop() : start()));
  select.addEventListener("change", () => { if (pacer) { stop(); start(); } });
  box.dataset.motion = prefersLessMotion() ? "reduced" : "full";
  box.hidden = false;
  const fallback = root.querySelector("[data-pacer-fallback]");
  if (fallback) fallback.hidden = true;
  return { stop };
}

function setupRelease(root) {
  const box = root.querySelector("[data-release]");
  const minutes = root.querySelector("input[name=minutes]");
  if (!box) return;
  const time = box.querySelector("[data-release-time]");
  const cue = box.querySelector("[data-release-cue]");
  const toggle = box.querySelector("[data-release-toggle]");
  const cues = Array.from(box.querySelectorAll("[data-release-cues] li"), (li) => li.textContent);
  const cueEvery = Number.parseInt(root.dataset.cueEvery, 10) || 180;
  const timer = createReleaseTimer({
    cues,
    cueEvery,
    onTick: (seconds) => {
      time.textContent = formatElapsed(seconds);
      if (minutes) minutes.value = String(Math.round(seconds / 60));
    },
    onCue: (text) => { cue.textContent = text; },
  });
  toggle.addEventListener("click", () => {
    if (timer.running) {
      timer.pause();
      toggle.setAttribute("aria-pressed", "false");
      toggle.textContent = "Carry on";
      cue.textContent = "Paused. Take all the time you need.";
    } else {
      timer.start();
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = "Pause";
    }
  });
  box.hidden = false;
  return timer;
}

function setupPlaylist(root) {
  const input = root.querySelector("input[name=playlist_url]");
  const holder = root.querySelector("[data-playlist-link]");
  if (!input || !holder) return;
  const anchor = holder.querySelector("[data-playlist-anchor]");
  function refresh() {
    let url = null;
    try {
      url = new URL(input.value.trim());
    } catch {
      url = null;
    }
    const ok = url && (url.protocol === "https:" || url.protocol === "http:") && url.hostname;
    holder.hidden = !ok;
    if (ok) anchor.href = url.href;
  }
  input.addEventListener("input", refresh);
  refresh();
}

function setupOutcome(root) {
  const support = root.querySelector("[data-practice-support]");
  const options = Array.from(root.querySelectorAll("input[name=after]"));
  if (!support || !options.length) return;
  const hard = new Set(["worse", "panicky", "numb"]);
  function refresh() {
    const chosen = options.find((option) => option.checked);
    support.hidden = !(chosen && hard.has(chosen.value));
  }
  options.forEach((option) => option.addEventListener("change", refresh));
  refresh();
}

const root = document.querySelector("[data-practice]");
if (root) {
  const pacer = setupPacer(root);
  const release = setupRelease(root);
  setupPlaylist(root);
  setupOutcome(root);
  setupSteps(root, {
    onLeave: () => {
      if (pacer) pacer.stop();
      if (release && release.running) release.pause();
    },
  });
}
