"""Storage of safety alerts: support requests, risk language and concerns, and their states."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.core.database import iso, utcnow
from app.extensions import db
from app.safety.models import SafetyAlert

REQUEST = "request"
RISK_LANGUAGE = "risk_language"
CONCERN = "concern"
# open -> reached_out -> resolved | dismissed (a keeper may also reopen one).
STATES = ("open", "reached_out", "resolved", "dismissed")
OPEN_STATES = ("open", "reached_out")


def add_alert(
    session_id: int, user_id: int, kind: str, *, message_id=None, note="", source=""
) -> SafetyAlert:
    """Add an open alert to the database session (the caller commits)."""
    alert = SafetyAlert(
        session_id=session_id,
        user_id=user_id,
        kind=kind,
        message_id=message_id,
        note=note or "",
        source=source,
        state="open",
        state_at=utcnow(),
    )
    db.session.add(alert)
    return alert


def open_request(session_id: int, user_id: int) -> SafetyAlert | None:
    """This person's support request in this session that nobody has closed yet (also once
    risk language in its note made it a risk alert)."""
    return db.session.scalar(
        select(SafetyAlert)
        .where(
            SafetyAlert.session_id == session_id,
            SafetyAlert.user_id == user_id,
            (SafetyAlert.kind == REQUEST) | (SafetyAlert.source == "support_note"),
            SafetyAlert.state.in_(OPEN_STATES),
        )
        .order_by(SafetyAlert.id.desc())
        .limit(1)
    )


def open_alerts(session_id: int) -> list[SafetyAlert]:
    """A session's alerts nobody has closed yet, oldest first."""
    return list(
        db.session.scalars(
            select(SafetyAlert)
            .where(SafetyAlert.session_id == session_id, SafetyAlert.state.in_(OPEN_STATES))
            .order_by(SafetyAlert.id)
        )
    )


def alert_for_message(message_id: int) -> SafetyAlert | None:
    """The risk (or concern) alert raised by one stored message."""
    return db.session.scalar(
        select(SafetyAlert)
        .where(SafetyAlert.message_id == message_id, SafetyAlert.kind != REQUEST)
        .order_by(SafetyAlert.id.desc())
        .limit(1)
    )


def move(alert: SafetyAlert, state: str, actor_id: int) -> None:
    """Put an alert in a new state, saying who and when (the caller audits and commits)."""
    alert.state = state
    alert.state_by_id = actor_id
    alert.state_at = utcnow()


def alert_dict(alert: SafetyAlert) -> dict:
    """The `support:alert` payload: who, what kind and where, its state, by whom and when."""
    person = db.session.get(User, alert.user_id)
    return {
        "alert_id": alert.id,
        "session_id": alert.session_id,
        "user_id": alert.user_id,
        "display_name": person.display_name if person is not None else "Someone",
        "note": alert.note or None,
        "kind": alert.kind,
        "source": alert.source or None,
        "message_id": alert.message_id,
        "state": alert.state,
        "by": alert.state_by_id,
        "at": iso(alert.state_at),
        "created_at": iso(alert.created_at),
    }
