"""Storage of safety alerts: support requests and risk language, open until dismissed."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.core.database import iso, utcnow
from app.extensions import db
from app.safety.models import SafetyAlert

REQUEST = "request"
RISK_LANGUAGE = "risk_language"


def add_alert(session_id: int, user_id: int, kind: str, *, message_id=None, note="") -> SafetyAlert:
    """Add an open alert to the database session (the caller commits)."""
    alert = SafetyAlert(
        session_id=session_id, user_id=user_id, kind=kind, message_id=message_id, note=note or ""
    )
    db.session.add(alert)
    return alert


def open_request(session_id: int, user_id: int) -> SafetyAlert | None:
    """This person's support request in this session that nobody has closed yet."""
    return db.session.scalar(
        select(SafetyAlert)
        .where(
            SafetyAlert.session_id == session_id,
            SafetyAlert.user_id == user_id,
            SafetyAlert.kind == REQUEST,
            SafetyAlert.dismissed_at.is_(None),
        )
        .order_by(SafetyAlert.id.desc())
        .limit(1)
    )


def open_alerts(session_id: int) -> list[SafetyAlert]:
    """A session's alerts nobody has dismissed yet, oldest first."""
    return list(
        db.session.scalars(
            select(SafetyAlert)
            .where(SafetyAlert.session_id == session_id, SafetyAlert.dismissed_at.is_(None))
            .order_by(SafetyAlert.id)
        )
    )


def alert_for_message(message_id: int) -> SafetyAlert | None:
    """The risk alert raised by one message (the newest, should there be several)."""
    return db.session.scalar(
        select(SafetyAlert)
        .where(SafetyAlert.message_id == message_id, SafetyAlert.kind == RISK_LANGUAGE)
        .order_by(SafetyAlert.id.desc())
        .limit(1)
    )


def mark_dismissed(alert: SafetyAlert, actor_id: int) -> None:
    """Close an alert (the caller audits and commits)."""
    alert.dismissed_at = utcnow()
    alert.dismissed_by_id = actor_id


def alert_dict(alert: SafetyAlert) -> dict:
    """The `support:alert` payload: who, what kind, when, and the note or message id."""
    person = db.session.get(User, alert.user_id)
    return {
        "alert_id": alert.id,
        "session_id": alert.session_id,
        "user_id": alert.user_id,
        "display_name": person.display_name if person is not None else "Someone",
        "note": alert.note or None,
        "kind": alert.kind,
        "message_id": alert.message_id,
        "at": iso(alert.created_at),
    }
