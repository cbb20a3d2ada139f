// The live room: joins the session over Socket.IO, draws it, and keeps it whole across
// reconnects (messages:since with the last id seen; every message drawn once, by id, in id
// order: room-timeline.js). What the room allows right now is one state line (room-state.js)
// that also opens and closes the composer.
import { io } from "../vendor/socket.io.esm.min.js";
import { MessageAnnouncer } from "./room-announce.js";
import { initCare } from "./room-care.js";
import { Composer } from "./room-composer.js";
import { initDrawers } from "./room-drawers.js";
import { Conversation } from "./room-conversation.js";
import { request } from "./room-outbox.js";
import { PeopleList } from "./room-people.js";
import { paintHands } from "./room-render.js";
import { describeRoom, refusalNote } from "./room-state.js";
import { Typing } from "./room-typing.js";
import { WaitingScreen } from "./waiting.js";
import "./aftercare.js";

const root = document.getElementById("room");
const $ = (id) => document.getElementById(id);
const sessionId = Number(root.dataset.sessionId);
const userId = Number(root.dataset.userId);
const myName = root.dataset.displayName || "You";
const keeper = root.dataset.roomRole !== "member";
const ui = {
  list: $("room-messages"), stream: $("room-stream"), empty: $("room-empty"), typing: $("room-typing"),
  status: $("room-status"), notice: $("room-notice"), stateLine: $("room-state-line"),
  stateSaid: $("room-state-said"), hands: $("room-hands"), handsEmpty: $("room-hands-empty"),
  hand: $("room-hand"), shareTyping: $("room-share-typing"), shareTypingStatus: $("room-share-typing-status"), cue: $("piece-cue"), passBack: $("piece-pass"),
  aftercare: $("aftercare"), peopleCount: $("people-count"), alertCount: $("console-count"),
  skip: $("skip-composer"),
};
const state = { names: new Map(), joined: false, hands: [], heard: { presence: 0, hands: 0 },
  entry: null, entryMessage: "", connected: true, session: null, mutedUntil: null, slowUntil: null,
  saidKey: null, holding: false, tick: null };

const socket = io({ transports: ["websocket", "polling"], withCredentials: true });
const drawers = initDrawers(root);
const waiting = new WaitingScreen(root);
const composer = new Composer({ onSend: send, onInput: () => typing.start() });
const announcer = new MessageAnnouncer($("room-announcer"), () => composer.isTyping());
const care = initCare(socket, root, {
  returnFocus: focusAfterDialog,
  onAlerts: (count) => { if (ui.alertCount) ui.alertCount.textContent = count ? ` · ${count}` : ""; },
  showAlerts: () => drawers.open("console", $("console-alerts-title")),
});
const nameOf = (id) => state.names.get(id) || "Someone";
const typing = new Typing(socket, sessionId, ui.typing, { nameOf, isJoined: () => state.joined });
const people = new PeopleList($("room-members"), { me: userId, actions: care.personActions, keeper });
const handlers = { userId, onReact: react, onReport: report };
const conversation = new Conversation(socket, sessionId, {
  ui: { list: ui.list, stream: ui.stream, empty: ui.empty },
  me: { id: userId, name: myName },
  handlers,
  announcer,
  onDelivered: startSlowWindow,
  onRefused: (entries, error) => composer.restore(entries, refusalNote(error, describe())),
});

/** Where focus goes when a dialog closes: the message box, wherever one can write. */
function focusAfterDialog() {
  if (waiting.shown) return $("waiting-support");
  drawers.close({ restoreFocus: false });
  const body = $("room-body");
  return body.offsetParent ? body : ui.stream;
}

/** The room as one line, from what this page knows now. */
function describe() {
  return describeRoom({
    entry: state.entry, entryMessage: state.entryMessage, connected: state.connected,
    session: state.session, me: userId, keeper, mutedUntil: state.mutedUntil,
    slowUntil: state.slowUntil, now: Date.now(), nameOf,
  });
}

/** Draw everything that follows from the room's state: the line, the composer, the cues. */
function refresh() {
  const described = describe();
  ui.stateLine.textContent = described.text;
  root.dataset.state = described.key.split(":")[0];
  if (described.key !== state.saidKey) {
    const aftercare = described.key === "ended" && !keeper ? " After the circle, a moment for yourself is below the conversation." : "";
    if (state.saidKey !== null || state.entry) ui.stateSaid.textContent = `${described.text}.${aftercare}`;
    state.saidKey = described.key;
  }
  composer.setAvailability(described);
  const session = state.session;
  const inRoom = state.entry === "in" && session;
  const holding = Boolean(inRoom && session.talking_piece && session.holder_id === userId && session.state !== "ended");
  ui.cue.hidden = !holding;
  if (holding && !state.holding && described.key !== "piece-mine") ui.stateSaid.textContent = "You have the talking piece.";
  state.holding = holding;
  ui.aftercare.hidden = !(inRoom && session.state === "ended");
  ui.hand.hidden = keeper;
  ui.hand.disabled = !inRoom || session.state === "ended";
  ui.skip.href = state.entry === "waiting" ? "#waiting-screen" : "#room-body";
  people.setContext({ holderId: session?.holder_id ?? null, piece: Boolean(session?.talking_piece) });
  scheduleTick();
}

/** While a mute or the slow-mode window runs out, redraw once a second. */
function scheduleTick() {
  clearTimeout(state.tick);
  const now = Date.now();
  const running = [state.mutedUntil, state.slowUntil].some((until) => until && until > now);
  if (running) state.tick = setTimeout(refresh, 1000);
}

function startSlowWindow() {
  const seconds = state.session?.slow_mode_seconds;
  if (!keeper && seconds) {
    state.slowUntil = Date.now() + seconds * 1000;
    refresh();
  }
}

function send(body, contentWarning) {
  conversation.send(body, contentWarning);
  typing.stop();
}

function drawSession(session) {
  state.session = session;
  refresh();
}

function drawMembers(members) {
  for (const member of members) state.names.set(member.user_id, member.display_name);
  people.setMembers(members);
  care.members(members);
  ui.peopleCount.textContent = String(members.length);
  // A name can arrive after its owner's typing or raised hand (presence is sent in batches):
  // repaint both so "Someone" gives way to the name at once.
  typing.paint();
  if (state.hands) paintHands(ui.hands, ui.handsEmpty, state.hands, nameOf);
  refresh();
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
  // "Connected" and "Waiting" are for screen readers (the state line says it for the eye); the
  // eye needs the status only when something is wrong.
  ui.status.classList.toggle("visually-hidden", text === "Connected" || text === "Waiting");
  ui.notice.hidden = !notice;
  ui.notice.textContent = notice || "";
}

/** Join (or rejoin) the session, then fetch whatever was missed since the last id we hold. */
async function join() {
  const before = conversation.lastId;
  // A `presence` or `hands` that arrives while we wait for the answer is newer than the lists
  // in it (with several server processes it can come first): keep that one.
  const heard = { ...state.heard };
  const answer = await request(socket, "session:join", { session_id: sessionId });
  if (!answer.ok) {
    notAdmitted(answer.error);
    return;
  }
  state.joined = true;
  state.entry = "in";
  state.connected = true;
  waiting.hide();
  setStatus("Connected");
  state.mutedUntil = answer.you?.muted_until ? Date.parse(answer.you.muted_until) : null;
  drawSession(answer.session);
  if (state.heard.presence === heard.presence) drawMembers(answer.members);
  if (state.heard.hands === heard.hands) drawHands(answer.hands);
  care.joined(answer);
  if (answer.preferences) {
    ui.shareTyping.checked = answer.preferences.share_typing;
    ui.shareTypingStatus.textContent = ""; // the box shows what is kept now: an old failure is past
    handlers.collapseNotes = answer.preferences.collapse_content_warnings;
    waiting.setReduceMotion(answer.preferences.reduce_motion);
  }
  const fresh = before === 0;
  for (const message of answer.messages) conversation.place(message, { quiet: fresh });
  if (fresh) conversation.toBottom();
  else await catchUp(before);
  conversation.outbox.flush();
}

/** The join was refused: the waiting room, or a door that stays closed for now. */
function notAdmitted(error) {
  state.joined = false;
  const known = ["waiting", "removed", "banned", "locked"];
  state.entry = known.includes(error.code) ? error.code : "unavailable";
  state.entryMessage = error.message || "";
  if (state.entry === "waiting") {
    waiting.show();
    setStatus("Waiting");
  } else {
    setStatus("Not in the room", error.message || "We couldn't open the room.");
  }
  refresh();
}

/** Page through messages:since until nothing more is missing. */
async function catchUp(afterId) {
  let cursor = afterId;
  for (;;) {
    const page = await request(socket, "messages:since", { session_id: sessionId, after_id: cursor });
    if (!page.ok) return;
    for (const message of page.messages) conversation.place(message);
    if (!page.more || !page.messages.length) return;
    cursor = page.messages[page.messages.length - 1].id;
  }
}

async function react(messageId, kind) {
  const answer = await request(socket, "message:react", { message_id: messageId, kind });
  if (answer.ok) conversation.reactions(messageId, answer.reactions, answer.mine);
}

async function report(messageId, reason) {
  const answer = await request(socket, "message:report", { message_id: messageId, reason });
  if (answer.ok) return "Thank you. The facilitators will look at this quietly.";
  return `Sorry, that didn't go through. ${answer.error.message || ""}`.trim();
}

function mutedChanged(id, until) {
  people.setMuted(id, until);
  if (id === userId) {
    state.mutedUntil = until ? Date.parse(until) : null;
    refresh();
  }
}

ui.hand.addEventListener("click", async () => {
  const event = state.hands.includes(userId) ? "hand:lower" : "hand:raise";
  const answer = await request(socket, event, { session_id: sessionId });
  if (answer.ok) drawHands(answer.hands);
});
ui.passBack.addEventListener("click", async () => {
  const answer = await request(socket, "stick:give", { session_id: sessionId, user_id: null });
  if (answer.ok) drawSession(answer.session || { ...state.session, holder_id: null });
});
// The server decides whether others see my typing, so the box shows only what it has kept.
ui.shareTyping.addEventListener("change", async () => {
  const wanted = ui.shareTyping.checked;
  ui.shareTypingStatus.textContent = "";
  const answer = await request(socket, "preferences:set", { share_typing: wanted });
  if (answer.ok || ui.shareTyping.checked !== wanted) return;
  ui.shareTyping.checked = !wanted;
  ui.shareTypingStatus.textContent = "We couldn't change that just now. Please try again in a moment.";
});

socket.on("connect", join);
socket.on("disconnect", () => {
  state.joined = false;
  state.connected = false;
  setStatus("Reconnecting…", "The connection dropped. We'll reconnect and catch up on anything you missed.");
  refresh();
});
socket.on("message:new", ({ message, previous_id: previousId }) => {
  const missedFrom = conversation.timeline.missedBefore(previousId);
  conversation.place(message);
  if (missedFrom !== null && state.joined) catchUp(missedFrom);
});
socket.on("message:reactions", ({ message_id: id, reactions }) => conversation.reactions(id, reactions));
socket.on("presence", ({ members }) => { state.heard.presence += 1; drawMembers(members); });
socket.on("hands", ({ hands }) => { state.heard.hands += 1; drawHands(hands); });
socket.on("typing", (event) => typing.show(event));
socket.on("session:updated", ({ session }) => drawSession(session));
socket.on("session:ended", (payload) => {
  drawSession(payload?.session || { ...state.session, state: "ended" });
  if (!keeper) ui.aftercare.scrollIntoView({ block: "nearest" });
});
socket.on("member:muted", ({ user_id: id, until }) => mutedChanged(id, until));
socket.on("member:unmuted", ({ user_id: id }) => mutedChanged(id, null));
socket.on("session:removed", ({ code }) => notAdmitted({ code: code || "removed" }));
socket.on("session:admitted", join);
socket.on("room:resync", join); // the server's queue was down: rejoin and catch up by id
socket.on("message:hidden", ({ message_id: id }) => conversation.hide(id));

// On a short screen the part above the conversation may scroll; then it must take focus too.
const top = $("room-top");
const overflowWatch = new ResizeObserver(() => {
  if (top.scrollHeight > top.clientHeight + 1) {
    top.tabIndex = 0;
    top.setAttribute("role", "region");
    top.setAttribute("aria-label", "This moment in the circle");
  } else {
    for (const name of ["tabindex", "role", "aria-label"]) top.removeAttribute(name);
  }
});
for (const node of [top, ...top.children]) overflowWatch.observe(node);
refresh();
