"""Quiet care in the room: "I need support", and the keepers answering alerts.

Nobody but the person concerned and the room's keepers (the circle's facilitators, and site
moderators present) ever hears of these; the rest of the room sees nothing at all.
"""

from __future__ import annotations

from app.extensions import db
from app.live.access import Standing, keeper_access, read_standing
from app.live.audience import emit_to_people, keepers_of
from app.live.audit import audit_in_room
from app.live.care.noticing import country_of, notice
from app.live.errors import LiveError
from app.live.models import Message
from app.safety import alerts
from app.safety.models import SafetyAlert
from app.safety.services import safety_payload_for_author


def request_support(user_id: int, session_id: int, note: str) -> dict:
    """Alert the keepers privately; answer at once with grounding and crisis resources.

    Someone still in the waiting room may ask too: being kept waiting is no reason to be alone.
    Someone removed from the session (`removed`) or banned from the circle (`banned`) may not.
    Asking again folds into the person's one open request: its note is the latest words. The
    note is read like every text: risk language in it turns the request into a risk alert.
    """
    standing = read_standing(user_id, session_id)
    if standing.removed and not standing.may_moderate:
        raise LiveError("removed")
    alert = alerts.open_request(session_id, user_id)
    is_new = alert is None
    if is_new:
        alert = alerts.add_alert(session_id, user_id, alerts.REQUEST, note=note)
    changed = bool(note) and note != alert.note
    alert.note = note or alert.note
    level = notice(standing, note, source="support_note", raise_alert=False) if note else "none"
    if level == "risk" and alert.kind != alerts.RISK_LANGUAGE:
        alert.kind, alert.source, changed = alerts.RISK_LANGUAGE, "support_note", True
    db.session.commit()
    if is_new:
        emit_to_people("support:alert", alerts.alert_dict(alert), _keepers(standing))
    elif changed:
        _tell_keepers(standing, alert)
    return safety_payload_for_author(country_of(standing.user_id))


def _keepers(standing: Standing) -> list[int]:
    return keepers_of(standing.session, exclude=standing.user_id)


def _tell_keepers(standing: Standing, alert: SafetyAlert) -> None:
    """Every keeper sees the alert as it is now."""
    payload = {"alert": alerts.alert_dict(alert)}
    emit_to_people("support:alert_updated", payload, keepers_of(standing.session))


def keepers_alert(user_id: int, alert_id: int) -> tuple[SafetyAlert, Standing]:
    """An alert of a session this person keeps; `not_found` for everyone else, members too
    (whether an alert exists is not theirs to learn)."""
    alert = db.session.get(SafetyAlert, alert_id)
    if alert is None:
        raise LiveError("not_found")
    try:
        standing = keeper_access(user_id, alert.session_id)
    except LiveError:
        raise LiveError("not_found") from None
    return alert, standing


def update_alert(user_id: int, alert_id: int, state: str) -> dict:
    """Move an alert (reached out, resolved, a false alarm, or open again); audited."""
    alert, standing = keepers_alert(user_id, alert_id)
    return {"alert": _move(user_id, alert, standing, state, "alert:update")}


def _move(user_id: int, alert: SafetyAlert, standing: Standing, state: str, action: str) -> dict:
    """Change the state (unless it is already that), audit it as `action`, tell every keeper."""
    if alert.state != state:
        alerts.move(alert, state, user_id)
        audit_in_room(
            user_id,
            standing,
            action,
            target_user_id=alert.user_id,
            target_message_id=alert.message_id,
            detail=f"alert={alert.id} state={state}",
        )
        db.session.commit()
        _tell_keepers(standing, alert)
    return alerts.alert_dict(alert)


def dismiss_alert(user_id: int, message_id: int | None, alert_id: int | None) -> dict:
    """`safety:dismiss`: a risk alert marked a false alarm (by message, or by alert id)."""
    if message_id is not None:
        message = db.session.get(Message, message_id)
        if message is None:
            raise LiveError("not_found")
        standing = keeper_access(user_id, message.session_id)
        alert = alerts.alert_for_message(message_id)
        if alert is None:
            raise LiveError("not_found")
    else:
        alert, standing = keepers_alert(user_id, alert_id)
    if alert.state == "dismissed":
        return {"alert_id": alert.id, "alert": alerts.alert_dict(alert), "already": True}
    action = "support:dismiss" if alert.kind == alerts.REQUEST else "safety:dismiss"
    described = _move(user_id, alert, standing, "dismissed", action)
    payload = {"alert_id": alert.id, "message_id": alert.message_id}
    emit_to_people("safety:dismissed", payload, keepers_of(standing.session))
    return {"alert_id": alert.id, "alert": described}
