"""Time handling for sessions: parse what people type, and compute weekly occurrences."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TIMEZONE_PATTERN = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+){0,2}$")
MAX_TIMEZONE_LENGTH = 64
# Long enough for any reasonable ISO 8601 timestamp, short enough to refuse junk early.
MAX_STARTS_AT_LENGTH = 40


class ScheduleError(ValueError):
    """A time or zone that cannot be used; the message is user-facing."""


def zone_for(name: str | None) -> ZoneInfo:
    """The IANA zone with this name; ScheduleError when there is none."""
    name = (name or "").strip() or "UTC"
    if len(name) > MAX_TIMEZONE_LENGTH or not TIMEZONE_PATTERN.match(name):
        raise ScheduleError("We don't recognise that time zone.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError("We don't recognise that time zone.") from None


def parse_starts_at(value: str | None, timezone_name: str | None) -> datetime:
    """An ISO 8601 time as aware UTC; values without an offset are read in the given zone."""
    text = (value or "").strip()
    if not text:
        raise ScheduleError("Please choose when the session starts.")
    if len(text) > MAX_STARTS_AT_LENGTH:
        raise ScheduleError("Please give the start as a date and time, like 2026-12-06T19:00.")
    zone = zone_for(timezone_name)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ScheduleError(
            "Please give the start as a date and time, like 2026-12-06T19:00."
        ) from None
    if parsed.tzinfo is None:
        parsed = _wall_clock_in(parsed, zone)
    return parsed.astimezone(UTC)


def _wall_clock_in(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach a zone to a wall-clock time (PEP 495 fold=0).

    A time skipped by a spring-forward change lands just after the gap, as clocks do; a time
    that happens twice in autumn means its first occurrence.
    """
    return naive.replace(tzinfo=zone, fold=0)


def weekly_occurrence(first_starts_at: datetime, zone_name: str, index: int, days: int = 7):
    """The index-th occurrence (0 = the first), keeping the same local wall-clock time."""
    zone = zone_for(zone_name)
    local_first = first_starts_at.astimezone(zone).replace(tzinfo=None)
    local = local_first + timedelta(days=days * index)
    return _wall_clock_in(local, zone).astimezone(UTC)


def occurrences_from(
    first_starts_at: datetime, zone_name: str, not_before: datetime, count: int, days: int = 7
) -> list[datetime]:
    """The next `count` occurrences that start at or after `not_before`."""
    elapsed = (not_before - first_starts_at) / timedelta(days=days)
    index = max(0, int(elapsed) - 1)
    found: list[datetime] = []
    while len(found) < count:
        occurrence = weekly_occurrence(first_starts_at, zone_name, index, days)
        if occurrence >= not_before:
            found.append(occurrence)
        index += 1
    return found


def iso_utc(moment: datetime) -> str:
    """An aware time as ISO 8601 UTC with a Z, for <time datetime> and JSON."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_utc(moment: datetime) -> str:
    """The server-side fallback for people without JavaScript: a readable UTC time."""
    return moment.astimezone(UTC).strftime("%a %d %b %Y, %H:%M UTC")
