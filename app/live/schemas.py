"""One small schema per room event: parse untrusted JSON into a frozen dataclass or `invalid`.

A schema is a dataclass whose fields say how each key is read (`Annotated[int, Id()]`); the
`@schema` decorator gives it a `parse(data)` that reads every field in turn. The few payloads
whose rules span keys write their own `parse`.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, fields
from typing import Annotated, Any

from app.live.errors import LiveError
from app.live.models import REACTION_KINDS
from app.safety.countries import COUNTRY_NAMES

MAX_ID = 2**63 - 1
ABSENT = object()


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


@dataclass(frozen=True)
class Whole:
    """A whole number within [low, high] (booleans and floats are not accepted); `optional`
    is the value when the key is absent or null."""

    low: int = 1
    high: int = MAX_ID
    optional: Any = ABSENT

    def read(self, data: dict, key: str) -> int:
        value = data.get(key)
        if value is None and self.optional is not ABSENT:
            return self.optional
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(key)
        if not self.low <= value <= self.high:
            raise Invalid(key)
        return value


def Id(optional: Any = ABSENT, minimum: int = 1) -> Whole:
    """A positive integer id."""
    return Whole(minimum, MAX_ID, optional)


@dataclass(frozen=True)
class Flag:
    """A boolean, required."""

    def read(self, data: dict, key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            raise Invalid(key)
        return value


@dataclass(frozen=True)
class Text:
    """A string whose length (after trimming, unless `strip` is off) is within [low, high] and
    that every database can store; `optional` is the value when the key is absent or null."""

    low: int
    high: int
    strip: bool = True
    optional: Any = ABSENT

    def read(self, data: dict, key: str) -> str:
        value = data.get(key)
        if value is None and self.optional is not ABSENT:
            return self.optional
        if not isinstance(value, str):
            raise Invalid(key)
        if self.strip:
            value = value.strip()
        if not self.low <= len(value) <= self.high or "\x00" in value:
            raise Invalid(key)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid(key) from None  # lone surrogates cannot be stored
        return value


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of strings."""

    values: tuple[str, ...]

    def read(self, data: dict, key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or value not in self.values:
            raise Invalid(key)
        return value


@functools.cache
def _readers(cls) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple((field.name, hints[field.name].__metadata__[0]) for field in fields(cls))


def _parse_fields(cls, data: Any):
    """Read every field of the schema from a JSON object."""
    data = _object(data)
    return cls(**{name: reader.read(data, name) for name, reader in _readers(cls)})


def schema(cls):
    """A frozen dataclass with `parse(data)` from its fields (unless it writes its own)."""
    cls = dataclass(frozen=True)(cls)
    if "parse" not in cls.__dict__:
        cls.parse = classmethod(_parse_fields)
    return cls


@schema
class SessionRef:
    """`session:join`, `session:leave`, `hand:raise`, `hand:lower`, and every `{session_id}`."""

    session_id: Annotated[int, Id()]


@schema
class SendMessage:
    """`message:send`."""

    session_id: Annotated[int, Id()]
    client_id: Annotated[str, Text(1, 64, strip=False)]
    body: Annotated[str, Text(1, 2000)]
    content_warning: Annotated[str, Text(0, 80, optional="")]


@schema
class MessagesSince:
    """`messages:since`; after_id 0 means from the beginning."""

    session_id: Annotated[int, Id()]
    after_id: Annotated[int, Id(minimum=0)]


@schema
class React:
    """`message:react`, with one of the four gentle kinds."""

    message_id: Annotated[int, Id()]
    kind: Annotated[str, Choice(REACTION_KINDS)]


@schema
class ReportMessage:
    """`message:report`."""

    message_id: Annotated[int, Id()]
    reason: Annotated[str, Text(1, 500)]


@schema
class Typing:
    """`typing`."""

    session_id: Annotated[int, Id()]
    typing: Annotated[bool, Flag()]


PREFERENCE_FIELDS = ("share_typing", "collapse_content_warnings", "reduce_motion")


@schema
class SetPreferences:
    """`preferences:set`: any subset of the room preferences, and the crisis-lines country."""

    changes: dict[str, bool | str]

    @classmethod
    def parse(cls, data: Any) -> SetPreferences:
        """At least one known boolean preference, or `country` ("" or an ISO 3166 code)."""
        data = _object(data)
        changes: dict[str, bool | str] = {
            key: Flag().read(data, key) for key in PREFERENCE_FIELDS if key in data
        }
        if "country" in data:
            country = data["country"]
            if not isinstance(country, str) or not (country == "" or country in COUNTRY_NAMES):
                raise Invalid("country")
            changes["country"] = country
        if not changes:
            raise Invalid()
        return cls(changes)
