"""The contract's `message`, `session` and `member` objects, built in one place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select

from app.core.database import iso
from app.extensions import db
from app.live.models import Message, Reaction
from app.live.pacer import breath_in_progress


def session_dict(session) -> dict:
    """The `session` object, from a `CircleSession` row or the room's `SessionView`."""
    return {
        "id": session.id,
        "circle_id": session.circle_id,
        "title": session.title,
        "state": session.state,
        "phase": session.phase,
        "locked": bool(session.locked),
        "slow_mode_seconds": session.slow_mode_seconds or 0,
        "talking_piece": bool(session.talking_piece),
        "holder_id": session.holder_id,
        "breath": breath_in_progress(session.breath),
    }


def member_dict(person: dict, hands: Iterable[int], mutes: dict | None = None) -> dict:
    """The `member` object from a presence entry {user_id, display_name, role}."""
    muted_until = (mutes or {}).get(person["user_id"])
    return {
        "user_id": person["user_id"],
        "display_name": person["display_name"],
        "role": person["role"],
        "hand_raised": person["user_id"] in set(hands),
        "muted_until": iso(muted_until) if muted_until else None,
    }


def reaction_counts(message_ids: list[int]) -> dict[int, dict[str, int]]:
    """{message_id: {kind: count}} for these messages, kinds with no reactions left out."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not message_ids:
        return counts
    rows = db.session.execute(
        select(Reaction.message_id, Reaction.kind, func.count())
        .where(Reaction.message_id.in_(message_ids))
        .group_by(Reaction.message_id, Reaction.kind)
    )
    for message_id, kind, count in rows:
        counts[message_id][kind] = count
    return counts


def message_dict(message: Message, reactions: dict[str, int] | None = None) -> dict:
    """The `message` object."""
    return {
        "id": message.id,
        "session_id": message.session_id,
        "author": {"id": message.author_id, "display_name": message.author.display_name},
        "body": message.body,
        "content_warning": message.content_warning or None,
        "client_id": message.client_id,
        "created_at": iso(message.created_at),
        "reactions": dict(reactions or {}),
    }


def message_dicts(messages: list[Message]) -> list[dict]:
    """Several `message` objects with their reaction counts, in one query for the counts."""
    counts = reaction_counts([m.id for m in messages])
    return [message_dict(m, counts.get(m.id)) for m in messages]


def distinct_people(entries: list[dict]) -> list[dict]:
    """One entry per user, in a stable order (display name, then id)."""
    people = {}
    for entry in entries:
        people.setdefault(entry["user_id"], entry)
    return sorted(people.values(), key=lambda e: (e["display_name"].casefold(), e["user_id"]))
