"""The audit entry: one action, who took it, on whom, why and when; never changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    """One moderation action, written before the action answers; never edited or deleted.

    Links to people, messages, circles and sessions are SET NULL if those are erased (an erased
    account leaves no name behind), but no code path updates or deletes an entry.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_circle_id", "circle_id", "id"),
        Index("ix_audit_entries_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(32))
    target_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    target_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), nullable=True
    )
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circles.id", ondelete="SET NULL"), nullable=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("circle_sessions.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # A short machine-readable note such as "phase=sharing" or "minutes=10".
    detail: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised by any attempt to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    """Audit entries are never edited."""
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    """Audit entries are never deleted."""
    raise AuditLogIsAppendOnly("audit entries cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """Bulk `update(AuditEntry)` / `delete(AuditEntry)` through the ORM is refused too."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_arguments.get("mapper")
    if mapper is not None and mapper.class_ is AuditEntry:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")
