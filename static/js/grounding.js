// The grounding page: step through 5-4-3-2-1 one sense at a time, and a slow breathing cue.
// Without JavaScript every step stays visible; nothing here is needed to read the page.

const INHALE_SECONDS = 4;
const EXHALE_SECONDS = 6;

function setupSteps(root) {
  const steps = Array.from(root.querySelectorAll("[data-step]"));
  const controls = root.querySelector("[data-grounding-controls]");
  const progress = root.querySelector("[data-grounding-progress]");
  const done = root.querySelector("[data-grounding-done]");
  const back = root.querySelector("[data-grounding-back]");
  const next = root.querySelector("[data-grounding-next]");
  const restart = root.querySelector("[data-grounding-restart]");
  if (!steps.length || !controls || !next) return;
  let current = 0;

  function show(index) {
    current = index;
    steps.forEach((step, position) => { step.hidden = position !== index; });
    progress.textContent = `Step ${index + 1} of ${steps.length}: ${steps[index].querySelector("h3").textContent}`;
    back.setAttribute("aria-disabled", String(index === 0));
    next.textContent = index === steps.length - 1 ? "Finish" : "Next step";
    done.hidden = true;
    back.hidden = false;
    next.hidden = false;
    restart.hidden = true;
  }

  function finish() {
    steps.forEach((step) => { step.hidden = true; });
    progress.textContent = "All five senses done.";
    done.hidden = false;
    back.hidden = true;
    next.hidden = true;
    restart.hidden = false;
    restart.focus();
  }

  next.addEventListener("click", () => {
    if (current < steps.length - 1) show(current + 1);
    else finish();
  });
  back.addEventListener("click", () => {
    if (current > 0) show(current - 1);
  });
  restart.addEventListener("click", () => {
    show(0);
    next.focus();
  });
  controls.hidden = false;
  show(0);
}

function setupBreath(root) {
  const box = root.querySelector("[data-breath]");
  if (!box) return;
  const circle = box.querySelector("[data-breath-circle]");
  const cue = box.querySelector("[data-breath-cue]");
  const count = box.querySelector("[data-breath-count]");
  const toggle = box.querySelector("[data-breath-toggle]");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  let timers = [];

  function applyMotionPreference() {
    box.dataset.motion = reducedMotion.matches ? "reduced" : "full";
  }

  function clearTimers() {
    timers.forEach((timer) => clearTimeout(timer));
    timers = [];
  }

  function countDown(seconds) {
    for (let left = seconds; left >= 1; left -= 1) {
      timers.push(setTimeout(() => { count.textContent = String(left); }, (seconds - left) * 1000));
    }
  }

  function phase(name) {
    const inhale = name === "in";
    const seconds = inhale ? INHALE_SECONDS : EXHALE_SECONDS;
    circle.classList.toggle("is-inhale", inhale);
    circle.classList.toggle("is-exhale", !inhale);
    cue.textContent = inhale ? "Breathe in gently" : "And let it go, slowly";
    countDown(seconds);
    timers.push(setTimeout(() => phase(inhale ? "out" : "in"), seconds * 1000));
  }

  function start() {
    toggle.setAttribute("aria-pressed", "true");
    toggle.textContent = "Stop";
    phase("in");
  }

  function stop() {
    clearTimers();
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "Start breathing together";
    circle.classList.remove("is-inhale", "is-exhale");
    cue.textContent = "Resting. Start again whenever you like.";
    count.textContent = "";
  }

  toggle.addEventListener("click", () => {
    if (toggle.getAttribute("aria-pressed") === "true") stop();
    else start();
  });
  reducedMotion.addEventListener("change", applyMotionPreference);
  applyMotionPreference();
  toggle.hidden = false;
}

const root = document.querySelector("[data-grounding]");
if (root) {
  setupSteps(root);
  setupBreath(root);
}
