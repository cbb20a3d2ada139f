// On a phone the conversation comes first; the people, "for you" and the console open as a
// drawer over it (one at a time, Escape or Close to leave, focus back where it was). From
// 1024 px wide the same panels sit beside the conversation and the drawer buttons are hidden.

const WIDE = "(min-width: 64rem)";

export function initDrawers(root) {
  const openers = [...root.querySelectorAll("[data-drawer-open]")];
  const behind = [...root.querySelectorAll("[data-drawer-behind]")];
  const wide = window.matchMedia(WIDE);
  let current = null; // {side, panel, opener}

  const panel = (name) => root.querySelector(`[data-panel="${name}"]`);

  function setBehind(inert) {
    for (const node of behind) node.inert = inert;
  }

  /** Open one panel (on a phone, as a drawer) and put focus on `focusTarget` or its heading. */
  function open(name, focusTarget = null) {
    const target = panel(name);
    if (!target) return;
    if (wide.matches) {
      (focusTarget || target.querySelector("h2"))?.focus();
      return;
    }
    shut({ restoreFocus: false });
    const side = target.closest(".room-side");
    const opener = openers.find((node) => node.dataset.drawerOpen === name) || null;
    current = { side, panel: target, opener };
    side.dataset.open = "";
    target.dataset.current = "";
    side.querySelector(".room-drawer-title").textContent = target.dataset.panelTitle || "";
    root.dataset.drawer = name;
    for (const node of openers) node.setAttribute("aria-expanded", String(node === opener));
    setBehind(true);
    (focusTarget || target.querySelector("h2"))?.focus();
  }

  function shut({ restoreFocus = true } = {}) {
    if (!current) return;
    const { side, panel: target, opener } = current;
    current = null;
    delete side.dataset.open;
    delete target.dataset.current;
    delete root.dataset.drawer;
    for (const node of openers) node.setAttribute("aria-expanded", "false");
    setBehind(false);
    if (restoreFocus) opener?.focus();
  }

  for (const node of openers) {
    node.addEventListener("click", () => {
      if (current && current.opener === node) shut();
      else open(node.dataset.drawerOpen);
    });
  }
  for (const node of root.querySelectorAll("[data-drawer-close]")) node.addEventListener("click", () => shut());
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current && current.side.contains(event.target)) {
      event.preventDefault();
      shut();
    }
  });
  wide.addEventListener("change", () => {
    if (wide.matches) shut({ restoreFocus: false });
  });

  return { open, close: shut, isOpen: () => Boolean(current) };
}
