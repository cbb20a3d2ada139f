"""Imports every area's models so that metadata (and Alembic) sees all tables."""

from app.account.models import UserPreferences
from app.auth.models import LoginSession, User
from app.circles.models import Circle, CircleSession, Membership, SessionSeries
from app.live.models import Message, Reaction
from app.moderation.models import Report

__all__ = [
    "Circle",
    "CircleSession",
    "LoginSession",
    "Membership",
    "Message",
    "Reaction",
    "Report",
    "SessionSeries",
    "User",
    "UserPreferences",
]
