"""Quiet care in the room: "I need support", risk language in messages, and dismissing alerts.

Nobody but the person concerned and the room's keepers (the circle's facilitators, and site
moderators present) ever hears of these; the rest of the room sees nothing at all.
"""

from __future__ import annotations

import logging

from app.core.signals import message_posted
from app.extensions import db
from app.live.access import Standing, enter_room, keeper_access, read_standing
from app.live.audience import emit_to_people, keepers_of
from app.live.audit import audit_in_room
from app.live.errors import LiveError
from app.live.models import Message
from app.safety import alerts
from app.safety.models import SafetyAlert
from app.safety.services import check_message_for_risk, safety_payload_for_author

log = logging.getLogger(__name__)


def request_support(user_id: int, session_id: int, note: str) -> dict:
    """Alert the keepers privately; answer at once with grounding and crisis resources.

    Someone still in the waiting room may ask too: being kept waiting is no reason to be alone.
    Someone removed from the session (`removed`) or banned from the circle (`banned`) may not.
    Asking again folds into the person's one open request: its note is the latest words.
    """
    standing = read_standing(user_id, session_id)
    if standing.removed and not standing.may_moderate:
        raise LiveError("removed")
    answer = safety_payload_for_author()
    alert = alerts.open_request(session_id, user_id)
    keepers = keepers_of(standing.session, exclude=user_id)
    if alert is None:
        alert = alerts.add_alert(session_id, user_id, alerts.REQUEST, note=note)
        db.session.commit()
        emit_to_people("support:alert", alerts.alert_dict(alert), keepers)
    elif note and note != alert.note:
        alert.note = note
        db.session.commit()
        emit_to_people("support:alert_updated", {"alert": alerts.alert_dict(alert)}, keepers)
    return answer


def after_message_posted(
    sender, *, author_id: int, standing: Standing, message: dict, **extra
) -> None:
    """On risk language: resources to the author alone, an alert to the keepers, a stored row.

    Runs after the message was committed and broadcast, and again when a retry of it is
    answered from the stored message (the process that stored it may have died before getting
    here), so a message that already raised its alert raises none again. A failure here is
    logged by type and never undoes or delays the message itself.
    """
    try:
        if not check_message_for_risk(message["body"]).is_risk:
            return
        if alerts.alert_for_message(message["id"]) is not None:
            return
        alert = alerts.add_alert(
            message["session_id"], author_id, alerts.RISK_LANGUAGE, message_id=message["id"]
        )
        db.session.commit()
        emit_to_people("safety:resources", safety_payload_for_author(), [author_id])
        keepers = keepers_of(standing.session, exclude=author_id)
        emit_to_people("support:alert", alerts.alert_dict(alert), keepers)
    except Exception as exc:
        db.session.rollback()
        log.error("risk check after a message failed: %s", type(exc).__name__)


def _alert_to_dismiss(user_id: int, message_id, alert_id) -> tuple[SafetyAlert, Standing]:
    """The alert and the keeper's standing; members learn nothing about whether one exists."""
    if message_id is not None:
        message = db.session.get(Message, message_id)
        if message is None:
            raise LiveError("not_found")
        standing = keeper_access(user_id, message.session_id)
        alert = alerts.alert_for_message(message_id)
    else:
        alert = db.session.get(SafetyAlert, alert_id)
        if alert is None:
            raise LiveError("not_found")
        standing = enter_room(user_id, alert.session_id)
        if not standing.may_moderate:
            raise LiveError("not_found")
    if alert is None:
        raise LiveError("not_found")
    return alert, standing


def dismiss_alert(user_id: int, message_id: int | None, alert_id: int | None) -> dict:
    """Mark an alert handled (a risk alert: a false positive); audited, keepers told."""
    alert, standing = _alert_to_dismiss(user_id, message_id, alert_id)
    if alert.dismissed_at is not None:
        return {"alert_id": alert.id, "already": True}
    alerts.mark_dismissed(alert, user_id)
    action = "safety:dismiss" if alert.kind == alerts.RISK_LANGUAGE else "support:dismiss"
    audit_in_room(
        user_id,
        standing,
        action,
        target_user_id=alert.user_id,
        target_message_id=alert.message_id,
        detail=f"alert={alert.id}",
    )
    db.session.commit()
    payload = {"alert_id": alert.id, "message_id": alert.message_id}
    emit_to_people("safety:dismissed", payload, keepers_of(standing.session))
    return {"alert_id": alert.id}


def connect_receivers() -> None:
    """Listen for stored messages (idempotent: blinker keeps one connection per receiver)."""
    message_posted.connect(after_message_posted)
