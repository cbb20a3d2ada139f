// The care layer of the room for everyone: phase banner, pacer, check-ins, support and a
// facilitator's private check-in; and the facilitator console for those who hold the space. What each phase allows is the state line's
// job (room-state.js); the banner says what the phase is for.
import { Checkins } from "./checkin.js";
import { initConsole } from "./facilitator_console.js";
import { MemberFollowup } from "./followup.js";
import { Clock, Pacer } from "./pacer.js";
import { Support } from "./support.js";

const PHASES = {
  arrival: ["Arriving", "Take a moment to land. Say hello if you like."],
  intention: ["Setting an intention", "What would you like to give your attention to today? A word or a sentence is plenty."],
  breathing: ["Breathing together", "Follow the pacer, or simply breathe at your own pace. Reactions stay open."],
  sharing: ["Sharing", "One voice at a time. We listen without fixing."],
  quiet: ["Quiet", "A few minutes of stillness together. Nothing to do."],
  closing: ["Closing", "How are you leaving? Take what helped with you."],
};

/** Wire the care layer to the room's socket; returns hooks room.js calls. */
export function initCare(socket, root, hooks = {}) {
  const sessionId = Number(root.dataset.sessionId);
  const $ = (id) => document.getElementById(id);
  const clock = new Clock();
  const pacer = new Pacer(clock);
  const checkins = new Checkins(socket, sessionId);
  const support = new Support(socket, sessionId, { returnFocus: hooks.returnFocus });
  const banner = { title: $("phase-banner-title"), purpose: $("phase-banner-purpose") };
  let synced = null;
  let consoleHooks = null;
  let followup = null;
  const names = new Map();

  function drawPhase(session) {
    if (session.state === "ended") {
      banner.title.textContent = "This session has ended";
      banner.purpose.textContent = "Thank you for being here.";
      checkins.offerFor(null, "ended");
      return;
    }
    const [title, purpose] = PHASES[session.phase] || PHASES.arrival;
    banner.title.textContent = title;
    banner.purpose.textContent = purpose;
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
  socket.on("safety:nudge", (payload) => support.nudge(payload));

  if (root.dataset.roomRole !== "member") {
    consoleHooks = initConsole(socket, root, { onAlerts: hooks.onAlerts, showAlerts: hooks.showAlerts });
  } else {
    followup = new MemberFollowup(socket, sessionId, {
      me: Number(root.dataset.userId), nameOf: (id) => names.get(id) || "A facilitator",
      panel: $("followup-panel"), container: $("followup-member"),
    });
  }

  return {
    /** After every (re)join: resync the clock, draw the phase, pick up a running breath. */
    async joined(answer) {
      synced = clock.sync(socket);
      drawSession(answer.session);
      if (answer.preferences) pacer.setReduceMotion(answer.preferences.reduce_motion);
      await synced;
      if (answer.session.breath) pacer.start(answer.session.breath);
      consoleHooks?.joined(answer);
      followup?.joined();
    },
    members(members) {
      for (const member of members) names.set(member.user_id, member.display_name);
      consoleHooks?.members(members);
    },
    hands(hands) {
      consoleHooks?.hands(hands);
    },
    personActions: consoleHooks ? consoleHooks.personActions : null,
  };
}
