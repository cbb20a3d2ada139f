"""Socket handlers of the conversation: validate, call one verb, ack."""

from __future__ import annotations

from app.live import schemas
from app.live.handlers import room_event
from app.live.messages import reactions, services


@room_event("message:send", schemas.SendMessage)
def on_send(caller, payload):
    """Say something to the room."""
    return services.post_message(
        caller.id, payload.session_id, payload.body, payload.client_id, payload.content_warning
    )


@room_event("messages:since", schemas.MessagesSince)
def on_since(caller, payload):
    """Catch up after a reconnect."""
    return services.messages_since(caller.id, payload.session_id, payload.after_id)


@room_event("message:react", schemas.React, limit="message:react")
def on_react(caller, payload):
    """Toggle a gentle reaction."""
    return reactions.react(caller.id, payload.message_id, payload.kind)


@room_event("message:report", schemas.ReportMessage, limit="message:report")
def on_report(caller, payload):
    """Quietly tell the facilitators about a message."""
    reactions.report(caller.id, payload.message_id, payload.reason)
