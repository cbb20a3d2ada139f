"""Writing and reading the append-only audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.audit.models import AuditEntry
from app.auth.models import User
from app.circles.models import Circle, Membership
from app.circles.staff import badges_for, facilitators_query
from app.extensions import db

PAGE_SIZE = 100


def record_audit(
    actor_id: int | None,
    action: str,
    *,
    circle_id: int | None = None,
    session_id: int | None = None,
    target_user_id: int | None = None,
    target_message_id: int | None = None,
    message_id: int | None = None,
    reason: str = "",
    detail: str = "",
) -> AuditEntry:
    """Add one audit row to the current transaction; the caller commits it with the change."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action[:32],
        circle_id=circle_id,
        session_id=session_id,
        target_user_id=target_user_id,
        target_message_id=target_message_id if target_message_id is not None else message_id,
        reason=(reason or "")[:500],
        detail=(detail or "")[:200],
    )
    db.session.add(entry)
    return entry


def audit_rows(circle_id: int | None = None, before_id: int | None = None) -> list[dict]:
    """Newest first: entries of one circle (or of every circle), with names for the page."""
    actor = aliased(User)
    target = aliased(User)
    query = (
        select(
            AuditEntry,
            actor.display_name,
            target.display_name,
            Circle.name,
            actor.role,
            target.role,
        )
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(target, target.id == AuditEntry.target_user_id)
        .outerjoin(Circle, Circle.id == AuditEntry.circle_id)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE)
    )
    if circle_id is not None:
        query = query.where(AuditEntry.circle_id == circle_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = db.session.execute(query).all()
    hosts = _facilitators_among(rows)
    return [
        {
            "entry": entry,
            "actor_name": actor_name,
            "target_name": target_name,
            "circle_name": circle_name,
            "actor_badges": badges_for(actor_role, (entry.circle_id, entry.actor_id) in hosts),
            "target_badges": badges_for(
                target_role, (entry.circle_id, entry.target_user_id) in hosts
            ),
        }
        for entry, actor_name, target_name, circle_name, actor_role, target_role in rows
    ]


def _facilitators_among(rows) -> set[tuple[int, int]]:
    """(circle, person) pairs among these entries where the person facilitates the circle now."""
    circles = {row[0].circle_id for row in rows if row[0].circle_id is not None}
    people = {pid for row in rows for pid in (row[0].actor_id, row[0].target_user_id) if pid}
    if not circles or not people:
        return set()
    query = facilitators_query(circles, Membership.circle_id, Membership.user_id)
    return set(db.session.execute(query.where(Membership.user_id.in_(people))).tuples())
