"""One small schema per facilitator event: parse untrusted JSON into a frozen dataclass or
`invalid`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.circles.models import Phase
from app.live.schemas import Invalid, _flag, _id, _object, _text

PHASES = tuple(phase.value for phase in Phase)
MUTE_MINUTES = (1, 1440)
SLOW_MODE_SECONDS = (0, 300)
REASON_MAX = 500


def _int(data: dict, key: str, low: int, high: int) -> int:
    """An integer within [low, high] (booleans are not integers here)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(key)
    return value


def _reason(data: dict, *, required: bool = False) -> str:
    """A reason of up to 500 characters; optional unless `required`."""
    if not required and data.get("reason") is None:
        return ""
    return _text(data, "reason", 1 if required else 0, REASON_MAX)


@dataclass(frozen=True)
class SetPhase:
    """`phase:set`."""

    session_id: int
    phase: str

    @classmethod
    def parse(cls, data: Any) -> SetPhase:
        """Validate `{session_id, phase}` with one of the six phases."""
        data = _object(data)
        phase = data.get("phase")
        if not isinstance(phase, str) or phase not in PHASES:
            raise Invalid("phase")
        return cls(_id(data, "session_id"), phase)


@dataclass(frozen=True)
class GiveStick:
    """`stick:give`: `user_id` is a person, or null to put the piece down."""

    session_id: int
    user_id: int | None

    @classmethod
    def parse(cls, data: Any) -> GiveStick:
        """Validate `{session_id, user_id | null}` (the key must be there)."""
        data = _object(data)
        if "user_id" not in data:
            raise Invalid("user_id")
        holder = None if data["user_id"] is None else _id(data, "user_id")
        return cls(_id(data, "session_id"), holder)


@dataclass(frozen=True)
class SessionMember:
    """`member:admit`, `member:unmute`, `member:remove`."""

    session_id: int
    user_id: int
    reason: str

    @classmethod
    def parse(cls, data: Any) -> SessionMember:
        """Validate `{session_id, user_id, reason?}`."""
        data = _object(data)
        return cls(_id(data, "session_id"), _id(data, "user_id"), _reason(data))


@dataclass(frozen=True)
class MuteMember:
    """`member:mute`."""

    session_id: int
    user_id: int
    minutes: int
    reason: str

    @classmethod
    def parse(cls, data: Any) -> MuteMember:
        """Validate `{session_id, user_id, minutes 1 to 1440, reason?}`."""
        data = _object(data)
        return cls(
            _id(data, "session_id"),
            _id(data, "user_id"),
            _int(data, "minutes", *MUTE_MINUTES),
            _reason(data),
        )


@dataclass(frozen=True)
class BanMember:
    """`member:ban`."""

    circle_id: int
    user_id: int
    reason: str

    @classmethod
    def parse(cls, data: Any) -> BanMember:
        """Validate `{circle_id, user_id, reason 1 to 500}`."""
        data = _object(data)
        return cls(_id(data, "circle_id"), _id(data, "user_id"), _reason(data, required=True))


@dataclass(frozen=True)
class HideMessage:
    """`message:hide`."""

    message_id: int
    reason: str

    @classmethod
    def parse(cls, data: Any) -> HideMessage:
        """Validate `{message_id, reason?}`."""
        data = _object(data)
        return cls(_id(data, "message_id"), _reason(data))


@dataclass(frozen=True)
class LockSession:
    """`session:lock`."""

    session_id: int
    locked: bool

    @classmethod
    def parse(cls, data: Any) -> LockSession:
        """Validate `{session_id, locked}`."""
        data = _object(data)
        return cls(_id(data, "session_id"), _flag(data, "locked"))


@dataclass(frozen=True)
class SlowMode:
    """`session:slowmode`."""

    session_id: int
    seconds: int

    @classmethod
    def parse(cls, data: Any) -> SlowMode:
        """Validate `{session_id, seconds 0 to 300}`."""
        data = _object(data)
        return cls(_id(data, "session_id"), _int(data, "seconds", *SLOW_MODE_SECONDS))
