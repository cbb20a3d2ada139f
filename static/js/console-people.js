// A facilitator's actions for one person in the people list: check in privately, give the piece
// (only in sessions that use one), mute or unmute, remove, ban. Folded behind one button per person so the list
// stays calm; built once per person and updated in place.
import { el } from "./room-render.js";

const MUTE_CHOICES = [5, 10, 30, 60];

function button(text, onClick, className = "button button-quiet button-small") {
  const node = el("button", className, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

/** `act(event, payload, doneText)` sends a facilitator event; `session()` is the room's session. */
export function personActions(member, { act, sessionId, session, checkIn }) {
  const name = member.display_name;
  const id = member.user_id;
  const node = el("div", "person-actions");
  const toggle = button(`Actions for ${name}`, () => {
    const opening = panel.hidden;
    panel.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
  }, "link-button person-actions-toggle");
  toggle.setAttribute("aria-expanded", "false");
  const panel = el("div", "console-controls");
  panel.id = `person-actions-${id}`;
  panel.hidden = true;
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", `Actions for ${name}`);
  toggle.setAttribute("aria-controls", panel.id);

  const give = button("Give the piece", () => act("stick:give", { session_id: sessionId, user_id: id },
    `The talking piece is with ${name}.`));
  const select = el("select");
  select.setAttribute("aria-label", `Mute ${name} for`);
  for (const minutes of MUTE_CHOICES) {
    const option = el("option", "", `${minutes} min`);
    option.value = String(minutes);
    select.append(option);
  }
  const mute = button("Mute", () => act("member:mute",
    { session_id: sessionId, user_id: id, minutes: Number(select.value) },
    `${name} is muted for ${select.value} minutes.`));
  const unmute = button("Unmute", () => act("member:unmute", { session_id: sessionId, user_id: id },
    `${name} can send again.`));
  const remove = button("Remove", () => act("member:remove", { session_id: sessionId, user_id: id },
    `${name} has been asked to leave this session.`));
  const ban = button("Ban…", () => {
    if (!panel.querySelector(".console-ban")) panel.append(banForm(member, { act, session }));
    panel.querySelector(".console-ban input").focus();
  });
  const talk = button(`Check in with ${name}`, () => checkIn(id));
  panel.append(talk, give, select, mute, unmute, remove, ban);
  node.append(toggle, panel);

  return {
    node,
    update(person, context) {
      const muted = person.muted_until && new Date(person.muted_until).getTime() > Date.now();
      give.hidden = !context.piece || context.holderId === id;
      select.hidden = Boolean(muted);
      mute.hidden = Boolean(muted);
      unmute.hidden = !muted;
      // Facilitators and moderators cannot be muted, removed or banned: nothing to offer.
      node.hidden = person.role !== "member" && !context.piece;
      for (const control of [talk, select, mute, unmute, remove, ban]) {
        if (person.role !== "member") control.hidden = true;
      }
    },
  };
}

function banForm(person, { act, session }) {
  const form = el("form", "console-ban");
  const inputId = `ban-reason-${person.user_id}`;
  const label = el("label", "", `Why ban ${person.display_name} from this circle?`);
  label.htmlFor = inputId;
  const input = el("input");
  input.id = inputId;
  input.maxLength = 500;
  input.required = true;
  const confirm = el("button", "button button-small", "Ban from the circle");
  confirm.type = "submit";
  form.append(label, input, confirm, button("Cancel", () => form.remove()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    act("member:ban", { circle_id: session().circle_id, user_id: person.user_id, reason: input.value.trim() },
      `${person.display_name} is no longer part of this circle.`);
    form.remove();
  });
  return form;
}
