"""How people answer a message: gentle reactions for the room, reports for its keepers."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.circles.models import Membership, MembershipRole, MembershipStatus
from app.core.database import iso
from app.extensions import db
from app.live.access import Standing, enter_room
from app.live.audience import emit_to_people, emit_to_room
from app.live.errors import LiveError
from app.live.models import Message, Reaction, Report
from app.live.serialize import message_dict, reaction_counts


def _visible_message(user_id: int, message_id: int) -> tuple[Message, Standing]:
    """A visible message in a room this person may be in; `not_found` otherwise."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise LiveError("not_found")
    standing = enter_room(user_id, message.session_id)
    if message.hidden_at is not None:
        raise LiveError("not_found")
    return message, standing


def react(user_id: int, message_id: int, kind: str) -> dict:
    """Toggle one reaction, then broadcast the message's new counts."""
    message, _ = _visible_message(user_id, message_id)
    session_id = message.session_id
    removed = db.session.execute(
        delete(Reaction).where(
            Reaction.message_id == message_id, Reaction.user_id == user_id, Reaction.kind == kind
        )
    ).rowcount
    if not removed:
        db.session.add(Reaction(message_id=message_id, user_id=user_id, kind=kind))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a double tap raced itself; the reaction is on
    counts = reaction_counts([message_id]).get(message_id, {})
    emit_to_room("message:reactions", {"message_id": message_id, "reactions": counts}, session_id)
    return {"reactions": counts, "mine": _my_kinds(user_id, message_id)}


def _my_kinds(user_id: int, message_id: int) -> list[str]:
    """The kinds this person has on this message (for the pressed state of buttons)."""
    query = select(Reaction.kind).where(
        Reaction.message_id == message_id, Reaction.user_id == user_id
    )
    return sorted(db.session.scalars(query))


def _report_recipients(circle_id: int, author_id: int) -> list[int]:
    """The circle's facilitators and site moderators, never the reported author."""
    facilitators = select(Membership.user_id).where(
        Membership.circle_id == circle_id,
        Membership.role == MembershipRole.FACILITATOR.value,
        Membership.status == MembershipStatus.APPROVED.value,
    )
    moderators = select(User.id).where(User.role.in_([Role.MODERATOR.value, Role.ADMIN.value]))
    people = set(db.session.scalars(facilitators)) | set(db.session.scalars(moderators))
    people.discard(author_id)
    return sorted(people)


OWN_MESSAGE = (
    "That message is yours, so there's nothing to report. A facilitator can hide it if you ask."
)


def report(user_id: int, message_id: int, reason: str) -> None:
    """Store a report (once per person and message), then tell those who keep the circle safe."""
    message, standing = _visible_message(user_id, message_id)
    if message.author_id == user_id:
        raise LiveError("invalid", OWN_MESSAGE)
    entry = Report(
        message_id=message.id,
        session_id=message.session_id,
        circle_id=standing.session.circle_id,
        reporter_id=user_id,
        reason=reason,
    )
    db.session.add(entry)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # already reported by this person: nothing new to announce
        return
    payload = {
        "report": {
            "id": entry.id,
            "circle_id": entry.circle_id,
            "session_id": entry.session_id,
            "message": message_dict(message),
            "reason": entry.reason,
            "created_at": iso(entry.created_at),
        }
    }
    emit_to_people("report:new", payload, _report_recipients(entry.circle_id, message.author_id))
