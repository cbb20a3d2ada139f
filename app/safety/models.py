"""Crisis resources that admins configure and everyone can see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint
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
