"""Schemas of the facilitator events: parse untrusted JSON into a frozen dataclass or `invalid`."""

from __future__ import annotations

from typing import Annotated, Any

from app.circles.models import Phase
from app.live.schemas import Choice, Flag, Id, Invalid, Text, Whole, _object, schema

PHASES = tuple(phase.value for phase in Phase)
REASON = Text(0, 500, optional="")  # optional, up to 500 characters


@schema
class SetPhase:
    """`phase:set`, with one of the six phases."""

    session_id: Annotated[int, Id()]
    phase: Annotated[str, Choice(PHASES)]


@schema
class GiveStick:
    """`stick:give`: `user_id` is a person, or null to put the piece down (the key must be
    there)."""

    session_id: int
    user_id: int | None

    @classmethod
    def parse(cls, data: Any) -> GiveStick:
        data = _object(data)
        if "user_id" not in data:
            raise Invalid("user_id")
        return cls(Id().read(data, "session_id"), Id(optional=None).read(data, "user_id"))


@schema
class SessionMember:
    """`member:admit`, `member:unmute`, `member:remove`."""

    session_id: Annotated[int, Id()]
    user_id: Annotated[int, Id()]
    reason: Annotated[str, REASON]


@schema
class MuteMember:
    """`member:mute`, for 1 minute to a day."""

    session_id: Annotated[int, Id()]
    user_id: Annotated[int, Id()]
    minutes: Annotated[int, Whole(1, 1440)]
    reason: Annotated[str, REASON]


@schema
class BanMember:
    """`member:ban`: a reason is required."""

    circle_id: Annotated[int, Id()]
    user_id: Annotated[int, Id()]
    reason: Annotated[str, Text(1, 500)]


@schema
class HideMessage:
    """`message:hide`."""

    message_id: Annotated[int, Id()]
    reason: Annotated[str, REASON]


@schema
class LockSession:
    """`session:lock`."""

    session_id: Annotated[int, Id()]
    locked: Annotated[bool, Flag()]


@schema
class SlowMode:
    """`session:slowmode`: 0 (off) to 300 seconds."""

    session_id: Annotated[int, Id()]
    seconds: Annotated[int, Whole(0, 300)]
