// Drawing the room. Every piece of user text goes in through textContent, never as HTML.

// Plain words (and one widely available symbol) rather than emoji: calm, and legible everywhere.
export const REACTIONS = [
  { kind: "heart", label: "♡ Heart" },
  { kind: "hug", label: "Hug" },
  { kind: "hear_you", label: "I hear you" },
  { kind: "thank_you", label: "Thank you" },
];

/** Create an element with a class and optional text (as textContent). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A short local time (a message, an alert, a follow-up line). */
export function localTime(iso) {
  const when = new Date(iso);
  return Number.isNaN(when.getTime())
    ? ""
    : when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The content-note wrapper: the body stays hidden until the reader chooses to open it. */
function contentNote(message, body, open = false) {
  const wrap = el("div", "msg-cw");
  wrap.append(el("span", "msg-cw-label", `Content note: ${message.content_warning}`));
  const toggle = el("button", "button button-quiet button-small msg-cw-toggle", "Show message");
  toggle.type = "button";
  toggle.setAttribute("aria-controls", body.id);
  const show = (expanded) => {
    toggle.setAttribute("aria-expanded", String(expanded));
    toggle.textContent = expanded ? "Hide message" : "Show message";
    body.hidden = !expanded;
  };
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  show(open);
  wrap.append(toggle);
  return wrap;
}

/** The four reaction buttons for one message. */
function reactionBar(message, handlers) {
  const bar = el("div", "msg-reactions");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Reactions");
  for (const { kind, label } of REACTIONS) {
    const button = el("button", "reaction");
    button.type = "button";
    button.dataset.kind = kind;
    button.setAttribute("aria-pressed", "false");
    button.append(el("span", "reaction-label", label), el("span", "reaction-count"));
    button.addEventListener("click", () => handlers.onReact(message.id, kind));
    bar.append(button);
  }
  return bar;
}

/** Update the counts (and, when known, my pressed state) of a message's reactions. */
export function paintReactions(item, reactions, mine) {
  for (const button of item.querySelectorAll(".reaction")) {
    const count = reactions[button.dataset.kind] || 0;
    button.querySelector(".reaction-count").textContent = count ? String(count) : "";
    button.classList.toggle("has-count", count > 0);
    if (mine) button.setAttribute("aria-pressed", String(mine.includes(button.dataset.kind)));
  }
}

/** A small inline form to tell the facilitators about a message. */
function reportControl(message, handlers) {
  const wrap = el("div", "msg-report");
  const open = el("button", "link-button msg-report-open", "Report");
  open.type = "button";
  const form = el("form", "msg-report-form");
  form.hidden = true;
  const inputId = `report-${message.id}`;
  const label = el("label", "", "What worries you about this message?");
  label.htmlFor = inputId;
  const input = el("input");
  input.id = inputId;
  input.maxLength = 500;
  input.required = true;
  const send = el("button", "button button-small", "Send to facilitators");
  send.type = "submit";
  const status = el("p", "msg-report-status muted");
  status.setAttribute("role", "status");
  open.addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden) input.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = await handlers.onReport(message.id, input.value);
    if (!status.textContent.startsWith("Sorry")) form.hidden = true;
  });
  form.append(label, input, send);
  wrap.append(open, form, status);
  return wrap;
}

/** One message as a list item (pending messages have no id yet). */
export function messageItem(message, handlers, { pending = false } = {}) {
  const item = el("li", "msg");
  item.dataset.clientId = message.client_id;
  if (message.id) item.dataset.id = String(message.id);
  const mine = message.author.id === handlers.userId;
  if (mine) item.classList.add("msg-mine");
  const meta = el("p", "msg-meta");
  meta.append(el("span", "msg-author", message.author.display_name));
  const time = el("time", "msg-time", localTime(message.created_at));
  if (message.created_at) time.dateTime = message.created_at;
  meta.append(time, el("span", "msg-state"));
  const body = el("p", "msg-body", message.body);
  body.id = `msg-body-${message.client_id.replace(/[^A-Za-z0-9_-]/g, "")}-${message.id || "p"}`;
  item.append(meta);
  // The author already knows what they wrote; everyone else chooses whether to open it, unless
  // they asked (in their settings) to see content-noted messages unfolded.
  const unfolded = mine || handlers.collapseNotes === false;
  if (message.content_warning) item.append(contentNote(message, body, unfolded));
  item.append(body);
  if (!pending) {
    item.append(reactionBar(message, handlers));
    paintReactions(item, message.reactions || {});
    if (!mine) item.append(reportControl(message, handlers));
  }
  setPending(item, pending ? "sending" : null);
  return item;
}

/** Show a pending message's state: "sending", a failure text, or nothing once delivered. */
export function setPending(item, state, onRetry) {
  const label = item.querySelector(".msg-state");
  item.classList.toggle("msg-pending", state === "sending");
  item.classList.toggle("msg-failed", Boolean(state) && state !== "sending");
  label.replaceChildren();
  if (state === "sending") label.textContent = "Sending…";
  else if (state) {
    label.append(el("span", "", state));
    if (onRetry) {
      const retry = el("button", "link-button", "Try again");
      retry.type = "button";
      retry.addEventListener("click", onRetry);
      label.append(" ", retry);
    }
  }
}

/** The hand queue, first raised first. */
export function paintHands(list, empty, hands, nameOf) {
  list.replaceChildren(...hands.map((id) => el("li", "", nameOf(id))));
  empty.hidden = hands.length > 0;
}

/** "Alice is typing…" or "Alice and Sam are typing…". */
export function typingLine(names) {
  if (!names.length) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}
