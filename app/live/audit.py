"""The audit row of every change a keeper makes to a session's room."""

from __future__ import annotations

from app.audit.services import record_audit
from app.live.access import Standing


def audit_in_room(actor_id: int, standing: Standing, action: str, **fields) -> None:
    """Add the row to the current transaction; the caller commits it with the change."""
    record_audit(
        actor_id,
        action,
        circle_id=standing.session.circle_id,
        session_id=standing.session.id,
        **fields,
    )
