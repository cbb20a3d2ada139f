"""Schemas of the care events: the breathing pacer, clock sync, check-ins, support and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.live.schemas import Invalid, _id, _object, _text

MOMENTS = ("arrival", "closing")
ALERT_STATES = ("open", "reached_out", "resolved", "dismissed")
MAX_FEELINGS = 12


def _whole(data: dict, key: str, low: int, high: int) -> int:
    """A whole number within [low, high] (booleans and floats are not accepted)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(key)
    return value


@dataclass(frozen=True)
class BreathStart:
    """`breath:start`: the rhythm of one guided breathing practice."""

    session_id: int
    inhale_s: int
    hold_s: int
    exhale_s: int
    rounds: int

    @classmethod
    def parse(cls, data: Any) -> BreathStart:
        """Validate `{session_id, inhale_s 2-8, hold_s 0-8, exhale_s 2-12, rounds 1-20}`."""
        data = _object(data)
        return cls(
            session_id=_id(data, "session_id"),
            inhale_s=_whole(data, "inhale_s", 2, 8),
            hold_s=_whole(data, "hold_s", 0, 8),
            exhale_s=_whole(data, "exhale_s", 2, 12),
            rounds=_whole(data, "rounds", 1, 20),
        )


@dataclass(frozen=True)
class TimeSync:
    """`time:sync`: `{}` or `{client_ms}`, which is echoed back to help the client match."""

    client_ms: float | None

    @classmethod
    def parse(cls, data: Any) -> TimeSync:
        """An object with nothing but an optional finite number `client_ms`."""
        data = _object(data)
        if set(data) - {"client_ms"}:
            raise Invalid()
        value = data.get("client_ms")
        if value is None:
            return cls(None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid("client_ms")
        if not -(2**53) <= value <= 2**53:  # also refuses NaN and infinities
            raise Invalid("client_ms")
        return cls(value)


@dataclass(frozen=True)
class CheckinSubmit:
    """`checkin:submit` (the feeling words are checked against the journal's list later)."""

    session_id: int
    moment: str
    score: int
    feelings: tuple[str, ...]

    @classmethod
    def parse(cls, data: Any) -> CheckinSubmit:
        """Validate `{session_id, moment, score 1-5, feelings: [str]}`."""
        data = _object(data)
        moment = data.get("moment")
        if not isinstance(moment, str) or moment not in MOMENTS:
            raise Invalid("moment")
        feelings = data.get("feelings", [])
        if not isinstance(feelings, list) or len(feelings) > MAX_FEELINGS:
            raise Invalid("feelings")
        if not all(isinstance(word, str) and 0 < len(word) <= 40 for word in feelings):
            raise Invalid("feelings")
        return cls(_id(data, "session_id"), moment, _whole(data, "score", 1, 5), tuple(feelings))


@dataclass(frozen=True)
class SupportRequest:
    """`support:request`."""

    session_id: int
    note: str

    @classmethod
    def parse(cls, data: Any) -> SupportRequest:
        """Validate `{session_id, note? ≤ 500}`."""
        data = _object(data)
        note = data.get("note")
        note = "" if note is None else _text(data, "note", 0, 500)
        return cls(_id(data, "session_id"), note)


@dataclass(frozen=True)
class SafetyDismiss:
    """`safety:dismiss`: `{message_id}` (a risk alert) or, as an extension, `{alert_id}`."""

    message_id: int | None
    alert_id: int | None

    @classmethod
    def parse(cls, data: Any) -> SafetyDismiss:
        """Exactly one of message_id and alert_id."""
        data = _object(data)
        has_message, has_alert = "message_id" in data, "alert_id" in data
        if has_message == has_alert:
            raise Invalid()
        if has_message:
            return cls(_id(data, "message_id"), None)
        return cls(None, _id(data, "alert_id"))


@dataclass(frozen=True)
class AlertUpdate:
    """`alert:update`: `{alert_id, state}`."""

    alert_id: int
    state: str

    @classmethod
    def parse(cls, data: Any) -> AlertUpdate:
        """One of the alert states: open, reached_out, resolved, dismissed."""
        data = _object(data)
        state = data.get("state")
        if not isinstance(state, str) or state not in ALERT_STATES:
            raise Invalid("state")
        return cls(_id(data, "alert_id"), state)


@dataclass(frozen=True)
class FollowupOpen:
    """`followup:open`: `{session_id, user_id, alert_id?}`."""

    session_id: int
    user_id: int
    alert_id: int | None

    @classmethod
    def parse(cls, data: Any) -> FollowupOpen:
        """The session, the member, and optionally the alert being answered."""
        data = _object(data)
        alert = None if data.get("alert_id") is None else _id(data, "alert_id")
        return cls(_id(data, "session_id"), _id(data, "user_id"), alert)


@dataclass(frozen=True)
class FollowupSend:
    """`followup:send`: `{thread_id, client_id, body}`."""

    thread_id: int
    client_id: str
    body: str

    @classmethod
    def parse(cls, data: Any) -> FollowupSend:
        """As a message: client_id 1-64, body 1-2000 after trimming."""
        data = _object(data)
        return cls(
            _id(data, "thread_id"),
            _text(data, "client_id", 1, 64, strip=False),
            _text(data, "body", 1, 2000),
        )


@dataclass(frozen=True)
class ThreadRef:
    """`followup:history`: `{thread_id}`."""

    thread_id: int

    @classmethod
    def parse(cls, data: Any) -> ThreadRef:
        """A thread id."""
        return cls(_id(_object(data), "thread_id"))
