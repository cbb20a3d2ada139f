"""Messages said in a session's room, and the gentle reactions to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.database import UTCDateTime, utcnow
from app.extensions import db

REACTION_KINDS = ("heart", "hug", "hear_you", "thank_you")


class Message(db.Model):
    """One message in a session's room; `id` grows with commit order inside a session."""

    __tablename__ = "messages"
    __table_args__ = (
        # Idempotent sends: a retried client_id hits this constraint instead of a second row.
        UniqueConstraint("session_id", "author_id", "client_id", name="uq_messages_client"),
        # History and catch-up read by (session_id, id).
        Index("ix_messages_session_id_id", "session_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("circle_sessions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a facilitator or moderator hides the message; hidden messages leave history.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    author: Mapped[User] = relationship()


class Reaction(db.Model):
    """One person's reaction of one kind to one message (toggled on and off)."""

    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id", "kind", name="uq_reactions_message_user_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
