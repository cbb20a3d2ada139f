"""Circles, memberships and the sessions a circle meets in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class MembershipRole(enum.StrEnum):
    """A person's role inside one circle."""

    MEMBER = "member"
    FACILITATOR = "facilitator"


class MembershipStatus(enum.StrEnum):
    """Where a person stands with a circle."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    LEFT = "left"
    BANNED = "banned"


class SessionState(enum.StrEnum):
    """The life of one session."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class Phase(enum.StrEnum):
    """The phases of a mindful release circle; each changes the room's rules."""

    ARRIVAL = "arrival"
    INTENTION = "intention"
    BREATHING = "breathing"
    SHARING = "sharing"
    QUIET = "quiet"
    CLOSING = "closing"


class Circle(db.Model):
    """A small group that meets with a facilitator."""

    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(60), default="", server_default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Seek-help signs (crying for hours, numbness, panic) nudge the member privately; whether
    # the facilitators hear of them too is the circle's choice.
    alert_on_concern: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # The circle's agreements, one per list item, shown and accepted on join.
    agreements: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="circle", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list[CircleSession]] = relationship(
        back_populates="circle", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(db.Model):
    """One person's relationship with one circle."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("circle_id", "user_id", name="uq_memberships_circle_user"),
        Index("ix_memberships_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16), default=MembershipRole.MEMBER.value)
    status: Mapped[str] = mapped_column(String(16), default=MembershipStatus.PENDING.value)
    agreements_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ban_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    circle: Mapped[Circle] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        """Approved members and facilitators take part; everyone else does not."""
        return self.status == MembershipStatus.APPROVED.value

    @property
    def is_facilitator(self) -> bool:
        """An approved facilitator of this circle."""
        return self.is_active and self.role == MembershipRole.FACILITATOR.value


class SessionSeries(db.Model):
    """A weekly recurring session; its next occurrences are materialised as sessions."""

    __tablename__ = "session_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    first_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The zone the facilitator scheduled in, so "every Sunday 19:00" survives DST changes.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    interval_days: Mapped[int] = mapped_column(Integer, default=7)
    talking_piece: Mapped[bool] = mapped_column(Boolean, default=False)
    waiting_room: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CircleSession(db.Model):
    """One live meeting of a circle: its state, phase and room rules."""

    __tablename__ = "circle_sessions"
    __table_args__ = (
        Index("ix_circle_sessions_circle_starts", "circle_id", "starts_at"),
        # A series materialises each occurrence once, even when two requests top it up at once.
        UniqueConstraint("series_id", "starts_at", name="uq_circle_sessions_series_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_series.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    state: Mapped[str] = mapped_column(String(16), default=SessionState.SCHEDULED.value)
    phase: Mapped[str] = mapped_column(String(16), default=Phase.ARRIVAL.value)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    talking_piece: Mapped[bool] = mapped_column(Boolean, default=False)
    waiting_room: Mapped[bool] = mapped_column(Boolean, default=False)
    holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # {starts_at_ms, inhale_s, hold_s, exhale_s, rounds} while a breathing pacer runs.
    breath: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A cancelled scheduled session stays as a row (so a series does not re-create it) but is
    # hidden everywhere and its room answers not_found.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    circle: Mapped[Circle] = relationship(back_populates="sessions")
    series: Mapped[SessionSeries | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        """Cancelled by a facilitator before it began."""
        return self.cancelled_at is not None
