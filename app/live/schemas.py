"""One small schema per room event: parse untrusted JSON into a frozen dataclass or `invalid`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.live.errors import LiveError
from app.live.models import REACTION_KINDS

MAX_ID = 2**63 - 1


class Invalid(LiveError):
    """The payload does not match its event's schema."""

    def __init__(self, field: str | None = None):
        super().__init__("invalid")
        self.field = field


def _object(data: Any) -> dict:
    """Payloads are JSON objects."""
    if not isinstance(data, dict):
        raise Invalid()
    return data


def _id(data: dict, key: str, minimum: int = 1) -> int:
    """A positive integer id (booleans are not integers here)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_ID:
        raise Invalid(key)
    return value


def _flag(data: dict, key: str, default: bool | None = None) -> bool:
    """A boolean; absent takes the default when there is one."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise Invalid(key)
    return value


def _text(data: dict, key: str, low: int, high: int, *, strip=True, default=None) -> str:
    """A string whose length (after trimming) is within [low, high], storable everywhere."""
    value = data.get(key, default)
    if not isinstance(value, str):
        raise Invalid(key)
    if strip:
        value = value.strip()
    if not low <= len(value) <= high or "\x00" in value:
        raise Invalid(key)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(key) from None  # lone surrogates cannot be stored
    return value


@dataclass(frozen=True)
class SessionRef:
    """`session:join`, `session:leave`, `hand:raise`, `hand:lower`."""

    session_id: int

    @classmethod
    def parse(cls, data: Any) -> SessionRef:
        """Validate `{session_id}`."""
        return cls(_id(_object(data), "session_id"))


@dataclass(frozen=True)
class SendMessage:
    """`message:send`."""

    session_id: int
    client_id: str
    body: str
    content_warning: str

    @classmethod
    def parse(cls, data: Any) -> SendMessage:
        """Validate `{session_id, client_id, body, content_warning?}`."""
        data = _object(data)
        warning = data.get("content_warning")
        return cls(
            session_id=_id(data, "session_id"),
            client_id=_text(data, "client_id", 1, 64, strip=False),
            body=_text(data, "body", 1, 2000),
            content_warning="" if warning is None else _text(data, "content_warning", 0, 80),
        )


@dataclass(frozen=True)
class MessagesSince:
    """`messages:since`."""

    session_id: int
    after_id: int

    @classmethod
    def parse(cls, data: Any) -> MessagesSince:
        """Validate `{session_id, after_id}`; after_id 0 means from the beginning."""
        data = _object(data)
        return cls(_id(data, "session_id"), _id(data, "after_id", minimum=0))


@dataclass(frozen=True)
class React:
    """`message:react`."""

    message_id: int
    kind: str

    @classmethod
    def parse(cls, data: Any) -> React:
        """Validate `{message_id, kind}` with one of the four gentle kinds."""
        data = _object(data)
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in REACTION_KINDS:
            raise Invalid("kind")
        return cls(_id(data, "message_id"), kind)


@dataclass(frozen=True)
class ReportMessage:
    """`message:report`."""

    message_id: int
    reason: str

    @classmethod
    def parse(cls, data: Any) -> ReportMessage:
        """Validate `{message_id, reason}`."""
        data = _object(data)
        return cls(_id(data, "message_id"), _text(data, "reason", 1, 500))


@dataclass(frozen=True)
class Typing:
    """`typing`."""

    session_id: int
    typing: bool

    @classmethod
    def parse(cls, data: Any) -> Typing:
        """Validate `{session_id, typing}`."""
        data = _object(data)
        return cls(_id(data, "session_id"), _flag(data, "typing"))


PREFERENCE_FIELDS = ("share_typing", "collapse_content_warnings", "reduce_motion")
COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class SetPreferences:
    """`preferences:set`: any subset of the room preferences, and the crisis-lines country."""

    changes: dict[str, bool | str]

    @classmethod
    def parse(cls, data: Any) -> SetPreferences:
        """At least one known boolean preference, or `country` ("" or an ISO 3166 code)."""
        data = _object(data)
        changes: dict[str, bool | str] = {
            key: _flag(data, key) for key in PREFERENCE_FIELDS if key in data
        }
        if "country" in data:
            country = data["country"]
            if not isinstance(country, str) or not (country == "" or COUNTRY.fullmatch(country)):
                raise Invalid("country")
            changes["country"] = country
        if not changes:
            raise Invalid()
        return cls(changes)
