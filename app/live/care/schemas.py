"""Schemas of the care events: the breathing pacer, clock sync, check-ins, support and alerts."""

from __future__ import annotations

from typing import Annotated, Any

from app.live.schemas import Choice, Id, Invalid, Text, Whole, _object, schema

MOMENTS = ("arrival", "closing")
ALERT_STATES = ("open", "reached_out", "resolved", "dismissed")
MAX_FEELINGS = 12


@schema
class BreathStart:
    """`breath:start`: the rhythm of one guided breathing practice."""

    session_id: Annotated[int, Id()]
    inhale_s: Annotated[int, Whole(2, 8)]
    hold_s: Annotated[int, Whole(0, 8)]
    exhale_s: Annotated[int, Whole(2, 12)]
    rounds: Annotated[int, Whole(1, 20)]


@schema
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


@schema
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
        moment = Choice(MOMENTS).read(data, "moment")
        feelings = data.get("feelings", [])
        if not isinstance(feelings, list) or len(feelings) > MAX_FEELINGS:
            raise Invalid("feelings")
        if not all(isinstance(word, str) and 0 < len(word) <= 40 for word in feelings):
            raise Invalid("feelings")
        score = Whole(1, 5).read(data, "score")
        return cls(Id().read(data, "session_id"), moment, score, tuple(feelings))


@schema
class SupportRequest:
    """`support:request`."""

    session_id: Annotated[int, Id()]
    note: Annotated[str, Text(0, 500, optional="")]


@schema
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
            return cls(Id().read(data, "message_id"), None)
        return cls(None, Id().read(data, "alert_id"))


@schema
class AlertUpdate:
    """`alert:update`: one of the alert states."""

    alert_id: Annotated[int, Id()]
    state: Annotated[str, Choice(ALERT_STATES)]


@schema
class FollowupOpen:
    """`followup:open`: the session, the member, and optionally the alert being answered."""

    session_id: Annotated[int, Id()]
    user_id: Annotated[int, Id()]
    alert_id: Annotated[int | None, Id(optional=None)]


@schema
class FollowupSend:
    """`followup:send`: as a message, client_id 1-64, body 1-2000 after trimming."""

    thread_id: Annotated[int, Id()]
    client_id: Annotated[str, Text(1, 64, strip=False)]
    body: Annotated[str, Text(1, 2000)]


@schema
class ThreadRef:
    """`followup:history`: `{thread_id}`."""

    thread_id: Annotated[int, Id()]
