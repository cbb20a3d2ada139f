"""Crisis resources that admins configure and everyone can see."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db

NAME_MAX = 80
CONTACT_MAX = 160
URL_MAX = 300
REGION_MAX = 40


class CrisisResource(db.Model):
    """A helpline or directory shown on the crisis page and to someone in distress."""

    __tablename__ = "crisis_resources"
    __table_args__ = (
        UniqueConstraint("region", "name", name="uq_crisis_resources_region_name"),
        Index("ix_crisis_resources_active_position", "active", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX))
    url: Mapped[str] = mapped_column(String(URL_MAX), default="", server_default="")
    region: Mapped[str] = mapped_column(String(REGION_MAX), default="International")
    # When someone last checked that the line works as described (None: never recorded).
    checked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def as_payload(self) -> dict[str, str]:
        """The public shape sent with `safety:resources`."""
        return {"name": self.name, "contact": self.contact, "url": self.url}

    def __repr__(self) -> str:
        return f"<CrisisResource {self.id}>"


__all__ = ["CONTACT_MAX", "NAME_MAX", "REGION_MAX", "URL_MAX", "CrisisResource"]


class SafetyAlert(db.Model):
    """A private alert for a circle's keepers: a support request, risk language or a concern.

    A risk or concern alert stores where the words were (`source`, and the message id when
    the message was stored) and nothing of the text; a support request keeps the member's
    optional note, which they chose to send. `state` moves open -> reached_out -> resolved or
    dismissed, with who changed it last and when.
    """

    __tablename__ = "safety_alerts"
    __table_args__ = (Index("ix_safety_alerts_session_state", "session_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("circle_sessions.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), nullable=True, index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "request" | "risk_language" | "concern"
    # Where risk or concern language was noticed: "message", "refused_message",
    # "support_note", "checkin", "followup"; "" for a plain support request.
    source: Mapped[str] = mapped_column(String(24), default="", server_default="")
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    state_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
