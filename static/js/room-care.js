// The care layer of the room for everyone: phase banner, pacer, check-ins and support; and the
// facilitator console for those who hold the space.
import { Checkins } from "./checkin.js";
import { initConsole } from "./facilitator_console.js";
import { Clock, Pacer } from "./pacer.js";
import { Support } from "./support.js";

const PHASES = {
  arrival: ["Arriving", "Take a moment to land. Say hello if you like.", "Messages and reactions are open. An arrival check-in is offered."],
  intention: ["Setting an intention", "What would you like to give your attention to today? A word or a sentence is plenty.", "Messages and reactions are open."],
  breathing: ["Breathing together", "Follow the pacer, or simply breathe at your own pace.", "Messages rest for now; reactions stay open."],
  sharing: ["Sharing", "One voice at a time. We listen without fixing.", ""],
  quiet: ["Quiet", "A few minutes of stillness together. Nothing to do.", "Messages rest for now; reactions stay open."],
  closing: ["Closing", "How are you leaving? Take what helped with you.", "Messages and reactions are open. A closing check-in is offered."],
};

function sharingRules(session) {
  return session.talking_piece
    ? "Only the person holding the talking piece shares; raise your hand to share next. Reactions stay open."
    : "Messages and reactions are open.";
}

/** Wire the care layer to the room's socket; returns hooks room.js calls. */
export function initCare(socket, root) {
  const sessionId = Number(root.dataset.sessionId);
  const $ = (id) => document.getElementById(id);
  const clock = new Clock();
  const pacer = new Pacer(clock);
  const checkins = new Checkins(socket, sessionId);
  const support = new Support(socket, sessionId);
  const banner = { title: $("phase-banner-title"), purpose: $("phase-banner-purpose"),
    open: $("phase-banner-open"), announcer: $("phase-announcer") };
  let lastPhase = null;
  let synced = null;
  let consoleHooks = null;

  function drawPhase(session) {
    if (session.state === "ended") {
      banner.title.textContent = "This session has ended";
      banner.purpose.textContent = "Thank you for being here.";
      banner.open.textContent = "";
      return;
    }
    const [title, purpose, rules] = PHASES[session.phase] || PHASES.arrival;
    banner.title.textContent = title;
    banner.purpose.textContent = purpose;
    banner.open.textContent = session.phase === "sharing" ? sharingRules(session) : rules;
    if (lastPhase && lastPhase !== session.phase) banner.announcer.textContent = `Now: ${title}. ${purpose}`;
    lastPhase = session.phase;
    if (root.dataset.roomRole === "member") checkins.offerFor(session.phase, session.state);
  }

  function drawSession(session) {
    drawPhase(session);
    consoleHooks?.session(session);
  }

  socket.on("session:updated", ({ session }) => drawSession(session));
  socket.on("session:ended", (payload) => {
    if (payload?.session) drawSession(payload.session);
    else drawPhase({ state: "ended" });
    pacer.stop();
  });
  socket.on("breath:started", async (breath) => {
    await synced;
    pacer.start(breath);
  });
  socket.on("breath:stopped", () => pacer.stop("The breathing practice has ended."));
  socket.on("safety:resources", (payload) => support.offer(payload));

  if (root.dataset.roomRole !== "member") consoleHooks = initConsole(socket, root);

  return {
    /** After every (re)join: resync the clock, draw the phase, pick up a running breath. */
    async joined(answer) {
      synced = clock.sync(socket);
      drawSession(answer.session);
      if (answer.preferences) pacer.setReduceMotion(answer.preferences.reduce_motion);
      await synced;
      if (answer.session.breath) pacer.start(answer.session.breath);
      consoleHooks?.joined(answer);
    },
    members(members) {
      consoleHooks?.members(members);
    },
    hands(hands) {
      consoleHooks?.hands(hands);
    },
  };
}
