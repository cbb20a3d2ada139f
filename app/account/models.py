"""Small per-person preferences that change how the room behaves for them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class UserPreferences(db.Model):
    """One row per person who changed a default; absent means every default applies."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    share_typing: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    collapse_content_warnings: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    reduce_motion: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
