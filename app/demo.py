"""Demo data: people to log in as, and (as features land) circles, sessions and resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.auth import services
from app.auth.models import User
from app.circles import services as circles
from app.circles.models import Circle, Membership
from app.core.database import utcnow
from app.extensions import db
from app.journal.demo import seed_journal

DEMO_PEOPLE = [
    ("river", "River", "facilitator"),
    ("sky", "Sky", "member"),
    ("wren", "Wren", "member"),
    ("harbor", "Harbor", "moderator"),
    ("admin", "Admin", "admin"),
]


@dataclass
class SeedReport:
    """What the seed created, for printing once."""

    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def seed(if_empty: bool, password_factory: Callable[[], str]) -> SeedReport | None:
    """Create the demo people; None when `if_empty` and people already exist."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        return None
    report = SeedReport()
    for username, display_name, role in DEMO_PEOPLE:
        if services.find_user_by_username(username) is not None:
            continue
        password = password_factory()
        user = services.register_user(username, display_name, password, role)
        if username == "sky":
            seed_journal(user, password)  # a few weeks of journal for trying insights
        report.accounts.append((username, role, password))
    seed_circles(report)
    _seed_crisis_resources(report)
    _seed_resources(report)
    return report


def _seed_crisis_resources(report: SeedReport) -> None:
    """Make sure the default crisis resources exist; admins edit them later."""
    from app.safety.services import all_resources

    report.notes.append(f"Crisis resources: {len(all_resources())} (see /help/crisis)")


def _seed_resources(report: SeedReport) -> None:
    """Load the library's own articles (idempotent: updates by slug, never duplicates)."""
    from app.resources.library import load_library

    loaded = load_library()
    report.notes.append(
        f"Resource library: {len(loaded.created)} added, {len(loaded.updated)} updated."
    )


def seed_circles(report: SeedReport) -> None:
    """River's Sunday circle with Sky and Wren: a weekly session and one starting about now."""
    if db.session.scalar(select(Circle).where(Circle.name == "Sunday evening circle")):
        return
    river = services.find_user_by_username("river")
    if river is None:
        return
    circle = circles.create_circle(
        river,
        "Sunday evening circle",
        "A small, steady circle to close the week: we arrive, breathe together, and make room "
        "for whatever wants to be felt. Tears, quiet and laughter are all welcome.",
        topic="mindful release",
    )
    for username in ("sky", "wren"):
        person = services.find_user_by_username(username)
        if person is not None:
            db.session.add(
                Membership(
                    circle_id=circle.id,
                    user_id=person.id,
                    status="approved",
                    agreements_accepted_at=utcnow(),
                    decided_at=utcnow(),
                )
            )
    db.session.commit()
    next_sunday = _next_weekday_at(6, 19)
    circles.schedule_series(river, circle.id, "Sunday evening circle", next_sunday, "UTC")
    session = circles.schedule_session(
        river, circle.id, "Drop-in circle (open now)", utcnow() - timedelta(minutes=5)
    )
    report.notes.append(
        f"Circle 'Sunday evening circle' (facilitator river; sky and wren are members): "
        f"/circles/{circle.id}; a session to try the live room: /sessions/{session.id}"
    )


def _next_weekday_at(weekday: int, hour: int) -> datetime:
    """The next given weekday (Monday = 0) at the given hour, UTC, at least an hour ahead."""
    now = utcnow()
    candidate = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    candidate += timedelta(days=(weekday - now.weekday()) % 7)
    if candidate < now + timedelta(hours=1):
        candidate += timedelta(days=7)
    return candidate
