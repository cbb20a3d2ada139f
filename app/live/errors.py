"""The room's error codes and the warm words people see with them."""

from __future__ import annotations

MESSAGES = {
    "invalid": "That didn't quite come through as expected. Please try again.",
    "not_found": "We couldn't find that here.",
    "forbidden": "That's something only the circle's facilitators can do.",
    "rate_limited": "You're sending quickly. Take a breath; you can send again in a moment.",
    "muted": "You're muted for a little while. You're still welcome to listen.",
    "locked": "This session is closed to new arrivals right now.",
    "slow_mode": "The room is moving slowly right now. You can send again in a moment.",
    "not_your_turn": "Someone else holds the talking piece. Raise your hand to share next.",
    "phase_closed": "This is a quiet part of the circle. Messages open again soon.",
    "waiting": "You're in the waiting room. A facilitator will let you in shortly.",
    "removed": "A facilitator has asked you to step out of this session.",
    "banned": "You can no longer take part in this circle.",
    "server_error": "Something went wrong on our side. Please try again in a moment.",
}


# `phase_closed` once the session has ended: the room is not resting, it is over.
ENDED = "This circle has ended. Thank you for being here."


class LiveError(Exception):
    """A refusal with a protocol error code; handlers turn it into an error ack."""

    def __init__(self, code: str, message: str | None = None, **details):
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES.get(code, MESSAGES["server_error"])
        self.details = details  # extra fields of the error object (the room as it is now)


def error_ack(code: str, message: str | None = None, **details) -> dict:
    """The contract's error ack shape, with any extra fields beside code and message."""
    error = {"code": code, "message": message or MESSAGES[code], **details}
    return {"ok": False, "error": error}
