"""Anonymous check-in tallies: plain numbers per session and moment, never who said what."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class CheckinTally(db.Model):
    """The running count and sum of check-in scores of one session's arrival or closing."""

    __tablename__ = "checkin_tallies"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("circle_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    moment: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)


class CheckinReceipt(db.Model):
    """That someone already counted in a tally: a keyed hash, with no user id and no score.

    It lets a second check-in for the same moment be kept in the member's journal without
    counting twice; holding the table alone says nothing about who checked in or what they said.
    """

    __tablename__ = "checkin_receipts"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("circle_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
