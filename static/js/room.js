// The live room: joins the session over Socket.IO, draws it, and keeps it whole across
// reconnects (messages:since with the last id seen; every message drawn once, by id, in id
// order: room-timeline.js).
import { io } from "../vendor/socket.io.esm.min.js";
import { initCare } from "./room-care.js";
import { Outbox, request } from "./room-outbox.js";
import { Timeline } from "./room-timeline.js";
import {
  el, messageItem, paintHands, paintMembers, paintReactions, setPending, typingLine,
} from "./room-render.js";

const root = document.getElementById("room");
const $ = (id) => document.getElementById(id);
const sessionId = Number(root.dataset.sessionId);
const userId = Number(root.dataset.userId);
const myName = root.dataset.displayName || "You";
const ui = {
  list: $("room-messages"), empty: $("room-empty"), typing: $("room-typing"),
  form: $("room-compose"), body: $("room-body"), cw: $("room-cw"), cwField: $("room-cw-field"),
  cwToggle: $("room-cw-toggle"), error: $("room-compose-error"), status: $("room-status"),
  notice: $("room-notice"), phase: $("room-phase"), members: $("room-members"),
  hands: $("room-hands"), handsEmpty: $("room-hands-empty"), hand: $("room-hand"),
  shareTyping: $("room-share-typing"), announcer: $("room-announcer"),
};
const state = { byId: new Map(), pending: new Map(), names: new Map(), typing: new Map(),
  lastId: 0, joined: false, hands: [], timeline: new Timeline(),
  heard: { presence: 0, hands: 0 } };

const socket = io({ transports: ["websocket", "polling"], withCredentials: true });
const care = initCare(socket, root);
const handlers = { userId, onReact: react, onReport: report };
const outbox = new Outbox(socket, sessionId, {
  onDelivered: (clientId, message) => placeMessage(message),
  onWaiting: (clientId) => {
    const item = state.pending.get(clientId);
    if (item) setPending(item, "Waiting for the connection…", () => outbox.attempt(clientId));
  },
  onFailed: (clientId, error) => {
    const item = state.pending.get(clientId);
    if (item) setPending(item, error.message || "Not sent.", () => outbox.attempt(clientId));
  },
});

/** Say something to screen-reader users without moving their focus. */
function announce(text) {
  const line = el("p", "", text.length > 300 ? `${text.slice(0, 300)}…` : text);
  ui.announcer.append(line);
  while (ui.announcer.childElementCount > 5) ui.announcer.firstElementChild.remove();
}

/**
 * Put a delivered message in its place, once: by id, replacing its pending copy if any.
 * `message:new` may repeat an id after a failover, and an older message may come after newer
 * ones; the timeline draws each id once, in id order, and never brings back a hidden one.
 */
function placeMessage(message, { quiet = false } = {}) {
  const mine = message.author.id === userId;
  const pendingItem = mine ? state.pending.get(message.client_id) : undefined;
  if (pendingItem) {
    state.pending.delete(message.client_id);
    outbox.settle(message.client_id);
    pendingItem.remove();
  }
  const next = state.timeline.place(message.id);
  if (next === false) return;
  const item = messageItem(message, handlers);
  state.byId.set(message.id, item);
  state.lastId = Math.max(state.lastId, message.id);
  const after = next === null ? null : state.byId.get(next);
  const firstPending = ui.list.querySelector(".msg:not([data-id])");
  ui.list.insertBefore(item, after || firstPending || null);
  ui.empty.hidden = true;
  if (!quiet && !mine) {
    const note = message.content_warning ? ` (content note: ${message.content_warning})` : "";
    announce(`${message.author.display_name}${note}: ${message.content_warning ? "" : message.body}`);
    item.scrollIntoView({ block: "nearest" });
  }
}

function drawSession(session) {
  ui.phase.textContent = session.phase.charAt(0).toUpperCase() + session.phase.slice(1);
}

const nameOf = (id) => state.names.get(id) || "Someone";

function drawMembers(members) {
  for (const member of members) state.names.set(member.user_id, member.display_name);
  paintMembers(ui.members, members);
  care.members(members);
  // A name can arrive after its owner's typing or raised hand (presence is sent in batches):
  // repaint both so "Someone" gives way to the name at once.
  paintTyping();
  if (state.hands) paintHands(ui.hands, ui.handsEmpty, state.hands, nameOf);
}

function drawHands(hands) {
  state.hands = hands;
  care.hands(hands);
  paintHands(ui.hands, ui.handsEmpty, hands, nameOf);
  const raised = hands.includes(userId);
  ui.hand.setAttribute("aria-pressed", String(raised));
  ui.hand.textContent = raised ? "Lower my hand" : "Raise my hand";
}

function setStatus(text, notice) {
  ui.status.textContent = text;
  ui.notice.hidden = !notice;
  ui.notice.textContent = notice || "";
}

/** Join (or rejoin) the session, then fetch whatever was missed since the last id we hold. */
async function join() {
  const before = state.lastId;
  // A `presence` or `hands` that arrives while we wait for the answer is newer than the lists
  // in it (with several server processes it can come first): keep that one.
  const heard = { ...state.heard };
  const answer = await request(socket, "session:join", { session_id: sessionId });
  if (!answer.ok) {
    setStatus("Not in the room", answer.error.message || "We couldn't open the room.");
    state.joined = false;
    return;
  }
  state.joined = true;
  setStatus("Connected");
  drawSession(answer.session);
  if (state.heard.presence === heard.presence) drawMembers(answer.members);
  if (state.heard.hands === heard.hands) drawHands(answer.hands);
  care.joined(answer);
  if (answer.preferences) {
    ui.shareTyping.checked = answer.preferences.share_typing;
    handlers.collapseNotes = answer.preferences.collapse_content_warnings;
  }
  const fresh = before === 0;
  for (const message of answer.messages) placeMessage(message, { quiet: fresh });
  if (!fresh) await catchUp(before);
  outbox.flush();
}

/** Page through messages:since until nothing more is missing. */
async function catchUp(afterId) {
  let cursor = afterId;
  for (;;) {
    const page = await request(socket, "messages:since", { session_id: sessionId, after_id: cursor });
    if (!page.ok) return;
    for (const message of page.messages) placeMessage(message);
    if (!page.more || !page.messages.length) return;
    cursor = page.messages[page.messages.length - 1].id;
  }
}

async function react(messageId, kind) {
  const answer = await request(socket, "message:react", { message_id: messageId, kind });
  const item = state.byId.get(messageId);
  if (answer.ok && item) paintReactions(item, answer.reactions, answer.mine);
}

async function report(messageId, reason) {
  const answer = await request(socket, "message:report", { message_id: messageId, reason });
  if (answer.ok) return "Thank you. The facilitators will look at this quietly.";
  return `Sorry, that didn't go through. ${answer.error.message || ""}`.trim();
}

function submit(event) {
  event.preventDefault();
  const body = ui.body.value.trim();
  if (!body) {
    ui.error.textContent = "Write something first, or simply stay and listen.";
    return;
  }
  ui.error.textContent = "";
  const entry = outbox.send(body, ui.cw.value.trim());
  const item = messageItem(
    { ...entry, author: { id: userId, display_name: myName }, created_at: new Date().toISOString() },
    handlers,
    { pending: true },
  );
  state.pending.set(entry.client_id, item);
  ui.list.append(item);
  ui.empty.hidden = true;
  item.scrollIntoView({ block: "nearest" });
  ui.body.value = "";
  ui.cw.value = "";
  stopTyping();
}

let typingSent = 0;
let typingTimer = null;
function startTyping() {
  if (!state.joined) return;
  const now = Date.now();
  if (now - typingSent > 3000) {
    typingSent = now;
    socket.emit("typing", { session_id: sessionId, typing: true });
  }
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, 4000);
}
function stopTyping() {
  clearTimeout(typingTimer);
  if (typingSent && state.joined) socket.emit("typing", { session_id: sessionId, typing: false });
  typingSent = 0;
}

function showTyping({ user_id: id, typing }) {
  clearTimeout(state.typing.get(id));
  if (typing) state.typing.set(id, setTimeout(() => showTyping({ user_id: id, typing: false }), 6000));
  else state.typing.delete(id);
  paintTyping();
}

function paintTyping() {
  ui.typing.textContent = typingLine([...state.typing.keys()].map(nameOf));
}

ui.form.addEventListener("submit", submit);
ui.body.addEventListener("input", startTyping);
ui.body.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
});
ui.cwToggle.addEventListener("click", () => {
  const open = ui.cwField.hidden;
  ui.cwField.hidden = !open;
  ui.cwToggle.setAttribute("aria-expanded", String(open));
  if (open) ui.cw.focus();
  else ui.cw.value = "";
});
ui.hand.addEventListener("click", async () => {
  const event = state.hands.includes(userId) ? "hand:lower" : "hand:raise";
  const answer = await request(socket, event, { session_id: sessionId });
  if (answer.ok) drawHands(answer.hands);
});
ui.shareTyping.addEventListener("change", () => {
  request(socket, "preferences:set", { share_typing: ui.shareTyping.checked });
});

socket.on("connect", join);
socket.on("disconnect", () => {
  state.joined = false;
  setStatus("Reconnecting…", "The connection dropped. We'll reconnect and catch up on anything you missed.");
});
socket.on("message:new", ({ message, previous_id: previousId }) => {
  const missedFrom = state.timeline.missedBefore(previousId);
  placeMessage(message);
  if (missedFrom !== null && state.joined) catchUp(missedFrom);
});
socket.on("message:reactions", ({ message_id: id, reactions }) => {
  const item = state.byId.get(id);
  if (item) paintReactions(item, reactions);
});
socket.on("presence", ({ members }) => { state.heard.presence += 1; drawMembers(members); });
socket.on("hands", ({ hands }) => { state.heard.hands += 1; drawHands(hands); });
socket.on("typing", showTyping);
socket.on("session:updated", ({ session }) => drawSession(session));
socket.on("session:admitted", join);
socket.on("room:resync", join); // the server's queue was down: rejoin and catch up by id
socket.on("message:hidden", ({ message_id: id }) => {
  state.timeline.hide(id);
  state.byId.get(id)?.remove();
  state.byId.delete(id);
});
