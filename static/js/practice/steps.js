// Show a long form one step at a time, with Back and Next; errors jump to their step.

/** Wire the stepper; onLeave() runs whenever the member moves to another step. */
export function setupSteps(root, { onLeave } = {}) {
  const steps = Array.from(root.querySelectorAll("[data-step]"));
  const nav = root.querySelector("[data-practice-nav]");
  const back = root.querySelector("[data-practice-back]");
  const next = root.querySelector("[data-practice-next]");
  const progress = root.querySelector("[data-practice-progress]");
  if (steps.length < 2 || !nav || !back || !next) return;
  let current = 0;

  function show(index, focus) {
    if (index !== current && onLeave) onLeave();
    current = index;
    steps.forEach((step, position) => { step.hidden = position !== index; });
    const heading = steps[index].querySelector("h2");
    progress.textContent = `Step ${index + 1} of ${steps.length}: ${heading.textContent}`;
    progress.hidden = false;
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    if (focus) heading.focus();
  }

  next.addEventListener("click", () => show(Math.min(current + 1, steps.length - 1), true));
  back.addEventListener("click", () => show(Math.max(current - 1, 0), true));
  root.addEventListener("keydown", (event) => {
    const isField = event.target instanceof HTMLInputElement;
    if (event.key === "Enter" && isField && current < steps.length - 1) {
      event.preventDefault();
      show(current + 1, true);
    }
  });
  nav.hidden = false;
  const firstError = steps.findIndex((step) => step.querySelector(".field-error"));
  show(firstError >= 0 ? firstError : 0, firstError >= 0);
}
