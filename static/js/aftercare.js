// After the circle: the grounding and seek-help note comes forward when someone answers worse,
// panicky or numb. Without JavaScript the note is simply always there.
const HARD = new Set(["worse", "panicky", "numb"]);

export function setupAftercare(form) {
  const support = form.querySelector("[data-aftercare-support]");
  const options = [...form.querySelectorAll("input[name=after]")];
  if (!support || !options.length) return;
  const refresh = () => {
    const chosen = options.find((option) => option.checked);
    support.hidden = !(chosen && HARD.has(chosen.value));
  };
  for (const option of options) option.addEventListener("change", refresh);
  refresh();
}

for (const form of document.querySelectorAll("[data-aftercare]")) setupAftercare(form);
