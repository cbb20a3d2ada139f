// The facilitator console: alerts first, then the session, phases, pacer, talking piece (only
// in sessions that use one), waiting room, check-in summaries and reports. Alerts are visual
// only: no sound. The actions on each person live in the people list (console-people.js).
import { personActions } from "./console-people.js";
import { KeeperFollowups } from "./followup.js";
import { request } from "./room-outbox.js";
import { el, localTime } from "./room-render.js";

function button(text, onClick, className = "button button-quiet button-small") {
  const node = el("button", className, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function alertText(alert) {
  const name = alert.display_name;
  if (alert.kind === "request") return `${name} asked for support`;
  if (alert.source === "support_note") return `${name} asked for support, and their words may mean they are not OK`;
  if (alert.kind === "concern") return `${name} may be struggling`;
  if (alert.source === "refused_message") return `${name}'s unsent message may mean they are not OK`;
  if (alert.source === "checkin") return `${name}'s check-in may mean they are not OK`;
  if (alert.source === "followup") return `${name}'s reply may mean they are not OK`;
  return `${name}'s message may mean they are not OK`;
}

/** `hooks.onAlerts(count)` hears how many alerts are open; `hooks.showAlerts()` opens them. */
export function initConsole(socket, root, hooks = {}) {
  const sessionId = Number(root.dataset.sessionId);
  const $ = (id) => document.getElementById(id);
  const ui = {
    badge: $("console-badge"), banner: $("console-alert"), bannerText: $("console-alert-text"),
    bannerOpen: $("console-alert-open"), state: $("console-state"), start: $("console-start"),
    end: $("console-end"), lock: $("console-lock"), slow: $("console-slow"), phases: $("console-phases"),
    pacer: $("console-pacer"), pacerStop: $("console-pacer-stop"), piece: $("console-piece"),
    holder: $("console-holder"), next: $("console-next"), giveNext: $("console-give-next"),
    takeBack: $("console-take-back"), waiting: $("console-waiting"), waitingEmpty: $("console-waiting-empty"),
    arrival: $("console-checkin-arrival"), closing: $("console-checkin-closing"),
    alerts: $("console-alerts"), alertsEmpty: $("console-alerts-empty"),
    reports: $("console-reports"), reportsEmpty: $("console-reports-empty"), status: $("console-status"),
  };
  const state = { session: null, names: new Map(), hands: [], alerts: new Map() };
  const nameOf = (id) => state.names.get(id) || "Someone";
  const me = Number(root.dataset.userId);
  state.names.set(me, root.dataset.displayName);
  const followups = new KeeperFollowups(socket, sessionId, {
    me, nameOf, container: $("console-followups"), empty: $("console-followups-empty"), status: ui.status,
  });

  /** Send a facilitator event and say plainly how it went. */
  async function act(event, payload, done) {
    const answer = await request(socket, event, payload);
    ui.status.textContent = answer.ok ? done : answer.error.message || "That didn't work. Please try again.";
    return answer;
  }

  // --- session, phase, pacer, talking piece ----------------------------------------------------
  function drawHolder() {
    const session = state.session;
    if (!session || !ui.holder) return;
    ui.holder.textContent = session.holder_id ? nameOf(session.holder_id) : "nobody";
    ui.takeBack.disabled = !session.holder_id;
  }

  function drawSession(session) {
    state.session = session;
    ui.state.textContent = { scheduled: "not started yet", live: "live", ended: "ended" }[session.state] || session.state;
    ui.start.disabled = session.state === "live";
    ui.start.textContent = session.state === "ended" ? "Start again" : "Start the session";
    ui.end.disabled = session.state !== "live";
    ui.lock.checked = Boolean(session.locked);
    ui.slow.value = String(session.slow_mode_seconds || 0);
    for (const node of ui.phases.querySelectorAll("[data-phase]")) {
      node.setAttribute("aria-pressed", String(node.dataset.phase === session.phase));
    }
    if (ui.piece) ui.piece.hidden = !session.talking_piece;
    drawHolder();
  }

  ui.start.addEventListener("click", () => act("session:start", { session_id: sessionId }, "The session has started."));
  ui.end.addEventListener("click", () => act("session:end", { session_id: sessionId }, "The session has ended."));
  ui.lock.addEventListener("change", () => act("session:lock", { session_id: sessionId, locked: ui.lock.checked },
    ui.lock.checked ? "The room is locked to new arrivals." : "The room is open again."));
  ui.slow.addEventListener("change", () => act("session:slowmode", { session_id: sessionId, seconds: Number(ui.slow.value) },
    "Slow mode updated."));
  ui.phases.addEventListener("click", (event) => {
    const phase = event.target.closest("[data-phase]")?.dataset.phase;
    if (phase) act("phase:set", { session_id: sessionId, phase }, `Phase: ${phase}.`);
  });
  ui.pacer.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (id) => Number($(id).value);
    act("breath:start", {
      session_id: sessionId, inhale_s: value("pacer-inhale"), hold_s: value("pacer-hold"),
      exhale_s: value("pacer-exhale"), rounds: value("pacer-rounds"),
    }, "The pacer starts for everyone in a moment.");
  });
  ui.pacerStop.addEventListener("click", () => act("breath:stop", { session_id: sessionId }, "The pacer has stopped."));
  const give = (userId) => act("stick:give", { session_id: sessionId, user_id: userId },
    userId ? `The talking piece is with ${nameOf(userId)}.` : "The talking piece is back with you.");
  ui.giveNext?.addEventListener("click", () => {
    if (state.hands.length) give(state.hands[0]);
    else ui.status.textContent = "No hands are raised yet.";
  });
  ui.takeBack?.addEventListener("click", () => give(null));

  function drawHands(hands) {
    state.hands = hands;
    if (!ui.next) return;
    ui.next.textContent = hands.length ? `Next: ${nameOf(hands[0])}` : "No hands raised.";
    ui.giveNext.disabled = hands.length === 0;
  }

  // --- waiting room ----------------------------------------------------------------------------
  function drawWaiting(waiting) {
    if (!ui.waiting) return;
    ui.waiting.replaceChildren(...waiting.map((person) => {
      const item = el("li", "console-row", person.display_name);
      item.append(" ", button(`Let ${person.display_name} in`, () =>
        act("member:admit", { session_id: sessionId, user_id: person.user_id }, `${person.display_name} can come in now.`),
      "button button-small"));
      return item;
    }));
    ui.waitingEmpty.hidden = waiting.length > 0;
  }

  // --- alerts (sound-free) ---------------------------------------------------------------------
  function stateText(alert) {
    if (alert.state === "reached_out") {
      const who = alert.by === me ? "You" : nameOf(alert.by);
      return `${who} reached out at ${localTime(alert.at)}`;
    }
    return `Open since ${localTime(alert.created_at || alert.at)}`;
  }

  function alertItem(alert) {
    const item = el("li", `console-row console-alert-item console-alert-${alert.kind}`);
    item.dataset.alert = String(alert.alert_id);
    item.dataset.state = alert.state || "open";
    item.append(el("strong", "", alertText(alert)), " ", el("span", "muted console-alert-state", stateText(alert)));
    if (alert.note) item.append(el("p", "console-note", alert.note));
    const controls = el("div", "console-controls");
    controls.append(button(`Check in with ${alert.display_name}`,
      () => followups.checkIn(alert.user_id, alert.alert_id), "button button-small"));
    if (alert.message_id) {
      controls.append(button("Go to the message", () => {
        const target = document.querySelector(`.msg[data-id="${Number(alert.message_id)}"]`);
        if (target) {
          target.tabIndex = -1;
          target.focus();
        } else ui.status.textContent = "That message is no longer on screen.";
      }));
    }
    controls.append(button(alert.kind === "request" ? "Mark as handled" : "Resolved", () =>
      act("alert:update", { alert_id: alert.alert_id, state: "resolved" }, "Alert resolved.")));
    if (alert.kind !== "request") {
      controls.append(button("Dismiss (false alarm)", () =>
        act("safety:dismiss", { alert_id: alert.alert_id }, "Alert closed as a false alarm.")));
    }
    item.append(controls);
    return item;
  }

  function drawAlerts() {
    const open = [...state.alerts.values()];
    ui.alerts.replaceChildren(...open.map(alertItem));
    ui.alertsEmpty.hidden = open.length > 0;
    ui.badge.hidden = open.length === 0;
    ui.badge.textContent = open.length ? `${open.length} open alert${open.length > 1 ? "s" : ""}` : "";
    if (!open.length) ui.banner.hidden = true;
    hooks.onAlerts?.(open.length);
  }

  /** Another keeper (or I) moved an alert: every console shows it as it is now. */
  function updateAlert(alert) {
    if (alert.session_id !== sessionId) return;
    if (alert.state === "resolved" || alert.state === "dismissed") state.alerts.delete(alert.alert_id);
    else state.alerts.set(alert.alert_id, alert);
    drawAlerts();
  }

  function addAlert(alert, fresh) {
    state.names.set(alert.user_id, alert.display_name);
    state.alerts.set(alert.alert_id, alert);
    drawAlerts();
    if (fresh) {
      ui.banner.hidden = false;
      ui.bannerText.textContent = `${alertText(alert)}.`;
    }
  }
  ui.bannerOpen.addEventListener("click", () => hooks.showAlerts?.());

  // --- check-ins and reports -------------------------------------------------------------------
  function drawSummary(summary) {
    const target = summary.moment === "closing" ? ui.closing : ui.arrival;
    // Below three answers the server sends no figures at all, so nobody's score stands alone.
    if (summary.count === null || summary.count === undefined) {
      target.textContent = "shown once 3 people have checked in";
    } else target.textContent = `${summary.count} checked in, average ${summary.average} of 5`;
  }

  function addReport(report) {
    if (report.session_id !== sessionId) return;
    const item = el("li", "console-row");
    item.append(el("strong", "", `About ${report.message.author.display_name}'s message`));
    item.append(el("p", "console-note", report.message.body));
    item.append(el("p", "muted", `Reason: ${report.reason}`));
    item.append(button("Hide the message", () => act("message:hide",
      { message_id: report.message.id, reason: report.reason }, "The message is hidden.")));
    ui.reports.prepend(item);
    ui.reportsEmpty.hidden = true;
  }

  socket.on("support:alert", (alert) => {
    if (alert.session_id === undefined || alert.session_id === sessionId) addAlert(alert, true);
  });
  socket.on("safety:dismissed", ({ alert_id: id }) => {
    state.alerts.delete(id);
    drawAlerts();
  });
  socket.on("support:alert_updated", ({ alert }) => updateAlert(alert));
  socket.on("checkin:summary", drawSummary);
  socket.on("waiting", (payload) => {
    if (payload.session_id === sessionId) drawWaiting(payload.waiting);
  });
  socket.on("report:new", ({ report }) => addReport(report));

  return {
    async joined(answer) {
      drawSession(answer.session);
      const care = await request(socket, "care:state", { session_id: sessionId });
      if (care.ok) {
        state.alerts.clear();
        for (const alert of care.alerts) addAlert(alert, false);
        drawAlerts();
        for (const summary of care.checkins) drawSummary(summary);
        for (const thread of care.threads || []) followups.show(thread);
      }
      if (ui.waiting) {
        const waiting = await request(socket, "waiting:list", { session_id: sessionId });
        if (waiting.ok) drawWaiting(waiting.waiting);
      }
    },
    session: drawSession,
    members(members) {
      for (const member of members) state.names.set(member.user_id, member.display_name);
      drawHolder();
      drawHands(state.hands);
    },
    hands: drawHands,
    /** The actions on one person, for the people list. */
    personActions: (member) => personActions(member, {
      act, sessionId, session: () => state.session, checkIn: (id) => followups.checkIn(id),
    }),
  };
}
