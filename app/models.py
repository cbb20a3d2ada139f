"""Imports every area's models so that metadata (and Alembic) sees all tables."""

from app.auth.models import LoginSession, User
from app.circles.models import Circle, CircleSession, Membership, SessionSeries
from app.journal.models import JournalEntry, JournalKey, JournalSessionKey, JournalSharedExcerpt

__all__ = [
    "Circle",
    "CircleSession",
    "JournalEntry",
    "JournalKey",
    "JournalSessionKey",
    "JournalSharedExcerpt",
    "LoginSession",
    "Membership",
    "SessionSeries",
    "User",
]
