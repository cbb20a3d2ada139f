"""Demo data: people to log in as, and (as features land) circles, sessions and resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.auth import services
from app.auth.models import User
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
