"""Planned practices and journaling reminders, and the private calendar feed's token."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class PlanKind(enum.StrEnum):
    """What a plan is for."""

    PRACTICE = "practice"
    JOURNAL = "journal"
    MOVEMENT = "movement"
    GROUP = "group"
    THERAPY = "therapy"


class PlannedPractice(db.Model):
    """A gentle weekly intention (practice, journaling, movement, group or therapy time): these
    weekdays at this wall-clock time in this time zone."""

    __tablename__ = "planned_practices"
    __table_args__ = (Index("ix_planned_practices_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default=PlanKind.PRACTICE.value)
    # ISO weekdays in the member's zone, Monday = 0 (Python's weekday()).
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    time_of_day: Mapped[str] = mapped_column(String(5))  # "HH:MM", wall clock in `timezone`
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarToken(db.Model):
    """The private feed's token, stored only as its SHA-256; one per member, replaced on renewal."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
