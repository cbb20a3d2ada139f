"""What aftercare keeps outside the journal: a wish to be asked tomorrow, never how anyone was."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class AftercareCheck(db.Model):
    """One after-the-circle moment; the words and the answer live in the encrypted journal."""

    __tablename__ = "aftercare_checks"
    __table_args__ = (Index("ix_aftercare_checks_user_remind", "user_id", "remind_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("circle_sessions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The member's own zone: "tomorrow" and the circle's weekday are theirs, not the server's.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Set only when they asked for tomorrow's card: the start of their next day, in UTC.
    remind_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
