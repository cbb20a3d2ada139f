"""Imports every area's models so that metadata (and Alembic) sees all tables."""

from app.auth.models import LoginSession, User

__all__ = ["LoginSession", "User"]
