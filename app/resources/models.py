"""Resources: library articles and links (global), and notes or links pinned to a circle."""

from __future__ import annotations

import enum
import math
import re
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db

WORDS_PER_MINUTE = 200
SLUG_MAX = 80
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TITLE_MAX = 120
SUMMARY_MAX = 300
URL_MAX = 500


class ResourceKind(enum.StrEnum):
    """What a resource is."""

    ARTICLE = "article"
    LINK = "link"
    NOTE = "note"


# Category key -> label, in the order the library shows them.
CATEGORIES = {
    "practice": "The practice",
    "breath-body": "Breath and body",
    "safety-support": "Safety and support",
    "everyday": "Everyday life",
}


def reading_minutes_for(*texts: str) -> int:
    """Whole minutes to read the text at an unhurried pace; never less than one."""
    words = sum(len(re.findall(r"\w+", text or "")) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class Resource(db.Model):
    """One resource; `circle_id` NULL means it belongs to the global library."""

    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_circle_position", "circle_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="", server_default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="practice", server_default="practice")
    reading_minutes: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    kind: Mapped[str] = mapped_column(String(16), default=ResourceKind.ARTICLE.value)
    url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), nullable=True
    )
    pinned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def category_label(self) -> str:
        """The category as people read it."""
        return CATEGORIES.get(self.category, "Other")

    def refresh_reading_time(self) -> None:
        """Recompute the reading time from the words in the resource."""
        self.reading_minutes = reading_minutes_for(self.body_markdown)

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.slug}>"
