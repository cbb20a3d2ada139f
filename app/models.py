"""Imports every area's models so that metadata (and Alembic) sees all tables."""

from app.auth.models import LoginSession, User
from app.circles.models import Circle, CircleSession, Membership, SessionSeries
from app.resources.models import Resource

__all__ = [
    "Circle",
    "CircleSession",
    "LoginSession",
    "Membership",
    "Resource",
    "SessionSeries",
    "User",
]
