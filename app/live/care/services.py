"""Care verbs of the live room: the breathing pacer, clock sync and anonymous check-ins.

Each verb checks access, changes the database, writes the audit row where the contract asks
for one, commits, and only then emits, to recipients it chooses.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.auth.models import LoginSession, User
from app.extensions import db
from app.journal.checkins import CheckinError, record_checkin
from app.live import pacer
from app.live.access import enter_room, keeper_access, session_row
from app.live.audience import emit_to_people, emit_to_room, keepers_of
from app.live.audit import audit_in_room
from app.live.errors import LiveError
from app.live.models import CheckinReceipt, CheckinTally
from app.safety.alerts import alert_dict, open_alerts

MOMENTS = ("arrival", "closing")
# The contract's summary carries the average from the first check-in. A deployment that wants
# small groups to stay k-anonymous can raise CHECKIN_SUMMARY_MIN_COUNT (the average is then null
# until that many people have checked in for the moment).
DEFAULT_SUMMARY_MIN_COUNT = 1
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


def _receipt_digest(user_id: int, session_id: int, moment: str) -> str:
    """A keyed hash saying "counted once" without naming anyone."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    text = f"checkin:{user_id}:{session_id}:{moment}".encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def _count_once(user_id: int, session_id: int, moment: str, score: int) -> bool:
    """Add one score to the tally unless this person already counted; True when counted."""
    digest = _receipt_digest(user_id, session_id, moment)
    for _attempt in range(3):
        try:
            db.session.add(CheckinReceipt(session_id=session_id, digest=digest))
            db.session.flush()
            bumped = db.session.execute(
                update(CheckinTally)
                .where(CheckinTally.session_id == session_id, CheckinTally.moment == moment)
                .values(count=CheckinTally.count + 1, total=CheckinTally.total + score)
            ).rowcount
            if not bumped:
                db.session.add(
                    CheckinTally(session_id=session_id, moment=moment, count=1, total=score)
                )
            db.session.commit()
            return True
        except IntegrityError:
            db.session.rollback()
            if db.session.get(CheckinReceipt, (session_id, digest)) is not None:
                return False  # counted before; the journal still keeps this check-in
    return False


def checkin_summary(session_id: int, moment: str) -> dict:
    """`{moment, count, average}`; the average only once enough people make it anonymous."""
    tally = db.session.get(CheckinTally, (session_id, moment))
    count, total = (tally.count, tally.total) if tally is not None else (0, 0)
    minimum = current_app.config.get("CHECKIN_SUMMARY_MIN_COUNT", DEFAULT_SUMMARY_MIN_COUNT)
    average = round(total / count, 1) if count and count >= minimum else None
    return {"moment": moment, "count": count, "average": average}


def submit_checkin(user_id: int, login_id: int, session_id: int, moment, score, feelings):
    """Keep a check-in in the member's own journal; tell facilitators only the anonymous sum."""
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
    if _count_once(user_id, session_id, moment, score):
        summary = checkin_summary(session_id, moment)
        emit_to_people("checkin:summary", summary, keepers_of(standing.session))


# --- the console's catch-up --------------------------------------------------------------------


def console_state(user_id: int, session_id: int) -> dict:
    """What a facilitator joining late needs: open alerts and both check-in summaries."""
    keeper_access(user_id, session_id)
    return {
        "alerts": [alert_dict(alert) for alert in open_alerts(session_id)],
        "checkins": [checkin_summary(session_id, moment) for moment in MOMENTS],
    }
