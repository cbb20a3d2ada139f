"""Thin handlers of the care events: pacer, clock sync, check-ins, support, alerts, console."""

from __future__ import annotations

from flask import Flask

from app.core.sockets import registry
from app.extensions import socketio
from app.live import care, care_schemas, care_support, schemas
from app.live.events import HANDLERS, room_event

CARE_EVENTS = (
    "breath:start",
    "breath:stop",
    "time:sync",
    "checkin:submit",
    "support:request",
    "safety:dismiss",
    "care:state",
)


@room_event("breath:start", care_schemas.BreathStart)
def on_breath_start(user, payload, sid):
    """A facilitator starts the shared breathing pacer."""
    return care.start_breath(
        user, payload.session_id, payload.inhale_s, payload.hold_s, payload.exhale_s, payload.rounds
    )


@room_event("breath:stop", schemas.SessionRef)
def on_breath_stop(user, payload, sid):
    """A facilitator stops the pacer."""
    care.stop_breath(user, payload.session_id)


@room_event("time:sync", care_schemas.TimeSync)
def on_time_sync(user, payload, sid):
    """Answer with the server clock so the client can estimate its offset."""
    return care.time_sync(payload.client_ms)


@room_event("checkin:submit", care_schemas.CheckinSubmit)
def on_checkin(user, payload, sid):
    """An arrival or closing check-in, kept in the member's own journal."""
    identity = registry.get(sid)
    care.submit_checkin(
        user,
        identity.login_id if identity is not None else None,
        payload.session_id,
        payload.moment,
        payload.score,
        payload.feelings,
    )


@room_event("support:request", care_schemas.SupportRequest)
def on_support(user, payload, sid):
    """ "I need support": a private alert to the facilitators, help for the member at once."""
    return care_support.request_support(user, payload.session_id, payload.note)


@room_event("safety:dismiss", care_schemas.SafetyDismiss)
def on_safety_dismiss(user, payload, sid):
    """A facilitator closes an alert (a risk alert: marks a false positive)."""
    return care_support.dismiss_alert(user, payload.message_id, payload.alert_id)


@room_event("care:state", schemas.SessionRef)
def on_care_state(user, payload, sid):
    """The facilitator console's catch-up: open alerts and check-in summaries."""
    return care.console_state(user, payload.session_id)


def register(app: Flask) -> None:
    """Attach the care handlers to the current Socket.IO server."""
    for name in CARE_EVENTS:
        socketio.on_event(name, HANDLERS[name])
