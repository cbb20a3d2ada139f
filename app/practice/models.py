"""Practice history: only when and how long, never what was felt (that lives in the journal)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class PracticeSession(db.Model):
    """One solo practice a member finished; feelings and intention stay in the encrypted journal."""

    __tablename__ = "practice_sessions"
    __table_args__ = (Index("ix_practice_sessions_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The day only (midnight UTC): an exact time would pair the row with its journal entry.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # The breathing preset id (e.g. "4-2-6"); a technical choice, not a feeling.
    preset: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
