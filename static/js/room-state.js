// What the room allows right now, in one line of words: the state line everybody sees, and
// whether the composer is open (and if not, why). A pure function of what the page knows, so
// the same rules draw the line, gate the composer and explain a refused send.

export const PHASE_NAMES = {
  arrival: "Arriving",
  intention: "Setting an intention",
  breathing: "Breathing together",
  sharing: "Sharing",
  quiet: "Quiet",
  closing: "Closing",
};

const ENTRY_REFUSALS = {
  waiting: "Waiting for the facilitator to let you in",
  removed: "A facilitator has asked you to step out of this session",
  banned: "You can no longer take part in this circle",
  locked: "This session is closed to new arrivals right now",
};

/** "4 more minutes", "1 more minute", "less than a minute". */
export function minutesLeft(untilMs, nowMs) {
  const minutes = Math.ceil((untilMs - nowMs) / 60000);
  if (minutes <= 1) return (untilMs - nowMs) <= 60000 ? "less than a minute" : "1 more minute";
  return `${minutes} more minutes`;
}

function closed(key, text) {
  return { key, text, canSend: false, reason: text };
}

function open(key, text) {
  return { key, text, canSend: true, reason: "" };
}

/** The talking piece in the sharing phase. */
function pieceState(view, keeper) {
  const holder = view.session.holder_id;
  if (holder === view.me) return open("piece-mine", "You have the talking piece");
  if (holder) {
    const name = view.nameOf(holder);
    if (keeper) return open(`piece-other:${holder}`, `${name} has the talking piece`);
    return closed(`piece-other:${holder}`, `${name} has the talking piece — raise your hand to share next`);
  }
  if (keeper) return open("piece-nobody", "Nobody holds the piece — pass it from the console");
  return closed("piece-nobody", "Nobody holds the piece — the facilitator will pass it");
}

/** A phase that rests the chat. */
function restingState(phase, keeper) {
  const name = phase === "breathing" ? "Breathing together" : "Quiet time";
  if (keeper) return open(phase, `${name} — members' chat opens after`);
  return closed(phase, `${name} — chat opens after`);
}

/**
 * The room as one line. `view`: {entry: "in"|"waiting"|"removed"|"banned"|"locked"|
 * "unavailable"|null, entryMessage, connected, session, me, keeper, mutedUntil (ms|null),
 * slowUntil (ms|null), now (ms), nameOf(id)}. Returns {key, text, canSend, reason}; `key`
 * changes only when the situation does (not as a countdown ticks), for announcing.
 */
export function describeRoom(view) {
  if (ENTRY_REFUSALS[view.entry]) return closed(view.entry, ENTRY_REFUSALS[view.entry]);
  if (view.entry === "unavailable") {
    return closed("unavailable", view.entryMessage || "We couldn't open the room just now");
  }
  const session = view.session;
  if (!session || view.entry !== "in") {
    return closed("connecting", view.connected === false ? "Reconnecting…" : "Connecting to the room…");
  }
  const keeper = Boolean(view.keeper);
  if (session.state === "ended") {
    return keeper ? open("ended", "This circle has ended") : closed("ended", "This circle has ended");
  }
  if (!keeper && view.mutedUntil && view.mutedUntil > view.now) {
    return closed("muted", `You're muted for ${minutesLeft(view.mutedUntil, view.now)}`);
  }
  if (session.phase === "breathing" || session.phase === "quiet") {
    return restingState(session.phase, keeper);
  }
  if (session.phase === "sharing" && session.talking_piece) return pieceState(view, keeper);
  if (!keeper && session.slow_mode_seconds && view.slowUntil && view.slowUntil > view.now) {
    const seconds = Math.ceil((view.slowUntil - view.now) / 1000);
    return closed("slow-wait", `Slow mode — you can send again in ${seconds} s`);
  }
  const phase = PHASE_NAMES[session.phase] || "In the circle";
  if (session.state === "scheduled") {
    return open("scheduled", "The circle hasn't started yet — you're welcome to say hello");
  }
  if (session.slow_mode_seconds) {
    return open(`slow:${session.phase}`, `${phase} — slow mode, one message every ${session.slow_mode_seconds} s`);
  }
  return open(`open:${session.phase}`, `${phase} — chat is open`);
}

const REFUSED = {
  phase_closed: "the chat is resting at the moment",
  not_your_turn: "someone else has the talking piece now",
  muted: "you're muted for a little while",
  waiting: "you're in the waiting room",
  removed: "a facilitator has asked you to step out of this session",
  slow_mode: "slow mode is on, so wait a moment before sending again",
};

/** Why a send was refused, in the words of the moment (the room may have moved on). */
export function refusalNote(error, described) {
  const code = error?.code;
  if (!described.canSend && REFUSED[code]) {
    return `Not sent: ${described.reason.charAt(0).toLowerCase()}${described.reason.slice(1)}.`;
  }
  if (REFUSED[code]) return `Not sent: ${REFUSED[code]}.`;
  return `Not sent. ${error?.message || "That didn't go through."}`;
}
