"""Insights: mood over time, before/after change across sessions, recurring feelings and tags.

Everything is computed in memory from the member's decrypted entries and drawn as SVG geometry
for the template (no inline styles: colours come from CSS classes).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from app.journal.crypto import Vault
from app.journal.services import EntryView, decrypt_all

CHART_WIDTH = 640
CHART_HEIGHT = 240
MARGIN_LEFT = 40
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 32
MAX_DAYS = 60
MAX_SESSIONS = 12
MAX_BARS = 8
INSIGHT_FIELDS = ("title", "mood", "feelings", "tags", "context")


@dataclass(frozen=True)
class MoodPoint:
    """One day on the mood chart."""

    x: float
    y: float
    day: date
    mood: float
    label: str


@dataclass(frozen=True)
class SessionChange:
    """Arrival and closing check-ins of one session, drawn as a small slope."""

    session_id: int
    day: date
    before: int
    after: int
    y_before: float
    y_after: float
    x: float

    @property
    def change(self) -> int:
        """How far the score moved from arrival to closing."""
        return self.after - self.before

    @property
    def direction(self) -> str:
        """Up, down or same, for the CSS class."""
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass(frozen=True)
class Bar:
    """One recurring word with its count and bar length."""

    word: str
    count: int
    width: float
    y: float


@dataclass
class Insights:
    """Everything the insights page draws."""

    total: int = 0
    mood_points: list[MoodPoint] = field(default_factory=list)
    sessions: list[SessionChange] = field(default_factory=list)
    feelings: list[Bar] = field(default_factory=list)
    tags: list[Bar] = field(default_factory=list)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def mood_polyline(self) -> str:
        """The points attribute of the mood line."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.mood_points)

    @property
    def average_change(self) -> float | None:
        """The mean arrival-to-closing change across the sessions shown."""
        if not self.sessions:
            return None
        return sum(s.change for s in self.sessions) / len(self.sessions)

    @property
    def grid(self) -> list[tuple[int, float]]:
        """Horizontal guide lines for moods 1..5."""
        return [(mood, mood_y(mood)) for mood in range(1, 6)]


def mood_y(mood: float) -> float:
    """Vertical position of a mood (5 at the top)."""
    inner = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return MARGIN_TOP + (5 - mood) / 4 * inner


def spread_x(index: int, count: int) -> float:
    """Horizontal position of the index-th of count evenly spaced items."""
    inner = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    if count <= 1:
        return MARGIN_LEFT + inner / 2
    return MARGIN_LEFT + index * inner / (count - 1)


def _mood_points(views: list[EntryView]) -> list[MoodPoint]:
    """Daily average mood over the most recent days that have one."""
    by_day: dict[date, list[EntryView]] = defaultdict(list)
    for view in views:
        if view.mood is not None:
            by_day[view.created_at.date()].append(view)
    days = sorted(by_day)[-MAX_DAYS:]
    points = []
    for index, day in enumerate(days):
        entries = by_day[day]
        mood = sum(v.mood for v in entries) / len(entries)
        names = ", ".join(v.display_title for v in entries[:3])
        more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
        label = f"{day:%d %b %Y}: mood {mood:.1f} — {names}{more}"
        points.append(MoodPoint(spread_x(index, len(days)), mood_y(mood), day, mood, label))
    return points


def _session_changes(views: list[EntryView]) -> list[SessionChange]:
    """Sessions with both an arrival and a closing check-in, most recent last."""
    pairs: dict[int, dict[str, EntryView]] = defaultdict(dict)
    for view in views:
        if view.kind == "checkin" and view.mood is not None:
            pairs[view.context.get("session_id")][view.context.get("moment")] = view
    complete = [
        (moments["arrival"], moments["closing"])
        for moments in pairs.values()
        if "arrival" in moments and "closing" in moments
    ]
    complete.sort(key=lambda pair: pair[0].created_at)
    complete = complete[-MAX_SESSIONS:]
    return [
        SessionChange(
            session_id=arrival.context.get("session_id"),
            day=arrival.created_at.date(),
            before=arrival.mood,
            after=closing.mood,
            y_before=mood_y(arrival.mood),
            y_after=mood_y(closing.mood),
            x=spread_x(index, len(complete)),
        )
        for index, (arrival, closing) in enumerate(complete)
    ]


def _bars(counter: Counter) -> list[Bar]:
    """The most frequent words as bars scaled to the longest."""
    top = counter.most_common(MAX_BARS)
    if not top:
        return []
    longest = top[0][1]
    inner = CHART_WIDTH - 180
    return [
        Bar(word, count, max(4.0, inner * count / longest), index * 30.0)
        for index, (word, count) in enumerate(top)
    ]


def build_insights(vault: Vault) -> Insights:
    """Decrypt this member's journal once and compute every picture from it."""
    views = list(decrypt_all(vault, INSIGHT_FIELDS))
    views.reverse()  # oldest first
    feelings: Counter = Counter()
    tags: Counter = Counter()
    for view in views:
        feelings.update(view.feelings)
        tags.update(view.tags)
    return Insights(
        total=len(views),
        mood_points=_mood_points(views),
        sessions=_session_changes(views),
        feelings=_bars(feelings),
        tags=_bars(tags),
    )
