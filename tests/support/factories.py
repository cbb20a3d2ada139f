"""Row builders shared by the area factories (call inside an app context; the caller commits)."""

from __future__ import annotations

from app.circles.models import Membership
from app.core.database import utcnow
from app.extensions import db


def add_memberships(circle_id: int, *, facilitators=(), members=(), pending=(), banned=()):
    """Membership rows with the agreements accepted: facilitators and members approved."""
    rows = [(person, "facilitator", "approved") for person in facilitators]
    rows += [(person, "member", "approved") for person in members]
    rows += [(person, "member", "pending") for person in pending]
    rows += [(person, "member", "banned") for person in banned]
    for person, role, status in rows:
        db.session.add(
            Membership(
                circle_id=circle_id,
                user_id=person.id,
                role=role,
                status=status,
                agreements_accepted_at=utcnow(),
            )
        )


def add_circle(facilitator, members=(), *, pending=(), banned=(), **fields):
    """A committed circle kept by `facilitator`, with these people in it (needs an app context)."""
    from app.circles.models import Circle

    fields.setdefault("description", "")
    circle = Circle(agreements=[], **fields)
    db.session.add(circle)
    db.session.flush()
    add_memberships(
        circle.id, facilitators=[facilitator], members=members, pending=pending, banned=banned
    )
    db.session.commit()
    return circle


def store_unannounced(user_id: int, session_id: int, body: str, client_id: str) -> dict:
    """A message committed the way `message:send` commits it, and never announced: what a
    process that died right after its commit leaves behind (needs an app context)."""
    from app.live.models import Message
    from app.live.serialize import message_dict

    message = Message(session_id=session_id, author_id=user_id, body=body, client_id=client_id)
    db.session.add(message)
    db.session.commit()
    return message_dict(message)
