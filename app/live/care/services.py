"""Care verbs of the live room: the breathing pacer, clock sync and anonymous check-ins.

Each verb checks access, changes the database, writes the audit row where the contract asks
for one, commits, and only then emits, to recipients it chooses.
"""

from __future__ import annotations

from flask import current_app

from app.auth.models import LoginSession, User
from app.extensions import db
from app.journal.checkins import CheckinError, record_checkin
from app.live import pacer, tallies
from app.live.access import enter_room, keeper_access, session_row
from app.live.audience import emit_to_people, emit_to_room, keepers_of
from app.live.audit import audit_in_room
from app.live.care import followup
from app.live.care.noticing import notice_checkin
from app.live.errors import LiveError
from app.safety.alerts import alert_dict, open_alerts

MOMENTS = ("arrival", "closing")
JOURNAL_LOCKED = (
    "Your journal is locked on this device. Open your journal to unlock it, then try again."
)


# --- the breathing pacer -----------------------------------------------------------------------


def start_breath(user_id: int, session_id: int, inhale_s, hold_s, exhale_s, rounds) -> dict:
    """Start a shared breathing practice a moment from now, so every client begins together."""
    standing = keeper_access(user_id, session_id)
    breath = pacer.new_breath(inhale_s, hold_s, exhale_s, rounds)
    session_row(standing).breath = breath
    detail = f"inhale={inhale_s} hold={hold_s} exhale={exhale_s} rounds={rounds}"
    audit_in_room(user_id, standing, "breath:start", detail=detail)
    db.session.commit()
    emit_to_room("breath:started", breath, session_id)
    return {"breath": breath}


def stop_breath(user_id: int, session_id: int) -> None:
    """End the breathing practice for everyone."""
    standing = keeper_access(user_id, session_id)
    session_row(standing).breath = None
    audit_in_room(user_id, standing, "breath:stop")
    db.session.commit()
    emit_to_room("breath:stopped", {"session_id": session_id}, session_id)


def time_sync(client_ms) -> dict:
    """The server's clock, for the client's NTP-style offset estimate."""
    answer = {"server_ms": pacer.server_ms()}
    if client_ms is not None:
        answer["client_ms"] = client_ms
    return answer


# --- check-ins ---------------------------------------------------------------------------------

# No count and no average below this many answers, whatever the environment asks for: with one
# or two, the facilitator could tell who said what.
SUMMARY_FLOOR = 3


def summary_minimum() -> int:
    """CHECKIN_SUMMARY_MIN_COUNT, never below SUMMARY_FLOOR."""
    raw = current_app.config.get("CHECKIN_SUMMARY_MIN_COUNT") or SUMMARY_FLOOR
    return max(int(raw), SUMMARY_FLOOR)


def checkin_summary(session_id: int, moment: str) -> dict:
    """`{moment, count, average}`; count and average only once enough people make it anonymous."""
    count, total = tallies.tallies.totals(session_id, moment)
    if count < summary_minimum():
        return {"moment": moment, "count": None, "average": None}
    return {"moment": moment, "count": count, "average": round(total / count, 1)}


def submit_checkin(user_id: int, login_id: int, session_id: int, moment, score, feelings):
    """Keep a check-in in the member's own journal; tell facilitators only the anonymous sum.

    The words chosen are read like every text a member sends (risk: a private alert by name,
    which the check-in page says up front)."""
    standing = enter_room(user_id, session_id)
    user = db.session.get(User, user_id)
    login = db.session.get(LoginSession, login_id)
    try:
        record_checkin(user, login, session_id, moment, score, list(feelings))
    except CheckinError as refusal:
        db.session.rollback()
        if refusal.code == "locked":
            raise LiveError("journal_locked", JOURNAL_LOCKED) from None
        raise LiveError("invalid", str(refusal)) from None
    notice_checkin(standing, feelings)
    if tallies.tallies.count_once(user_id, session_id, moment, score):
        summary = checkin_summary(session_id, moment)
        emit_to_people("checkin:summary", summary, keepers_of(standing.session))


# --- the console's catch-up --------------------------------------------------------------------


def console_state(user_id: int, session_id: int) -> dict:
    """What a facilitator joining late needs: open alerts and both check-in summaries."""
    keeper_access(user_id, session_id)
    return {
        "alerts": [alert_dict(alert) for alert in open_alerts(session_id)],
        "checkins": [checkin_summary(session_id, moment) for moment in MOMENTS],
        "threads": followup.threads_in_session(session_id),
    }
