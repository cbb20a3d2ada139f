"""The room's hot write: a message stored with one Core INSERT, its `message` object built in hand.

`post_message` runs for every line anyone says, so it skips the ORM unit of work: no flush
bookkeeping, and no reading the new row (and its author) back after the commit just to describe
it. The `message` object is built from the values written, with the same `message_dict`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select

from app.core.database import utcnow
from app.extensions import db
from app.live.models import Message
from app.live.serialize import message_dict
from app.live.standing import SendStanding

_messages = Message.__table__
INSERT_MESSAGE = insert(_messages)  # built once; each send only binds its values


# The session's message just before a new one: `message:new` carries it as `previous_id`, so
# a member who holds a different last id knows a message passed them by (see post_message).
PREVIOUS_ID = select(func.max(_messages.c.id)).where(
    _messages.c.session_id == bindparam("session_id"), _messages.c.id < bindparam("id")
)


class Stored(NamedTuple):
    """A message just committed: its `message` object, and the id of the one before it."""

    message: dict
    previous_id: int | None


def insert_message(
    sender: SendStanding, session_id: int, body: str, client_id: str, content_warning: str
) -> Stored:
    """Insert and commit one message: the contract's `message` object (no reactions), and the
    id of the session's message before it (None for the first).

    The caller has read `sender` in this transaction, which on PostgreSQL locked the session's
    row (app/live/standing.py): ids commit in order within a session, so the previous id read
    here is final. Raises IntegrityError when this author already sent this client_id (the
    caller answers with the first message).
    """
    connection = db.session.connection()
    row = {
        "session_id": session_id,
        "author_id": sender.user_id,
        "client_id": client_id,
        "body": body,
        "content_warning": content_warning or "",
        "created_at": utcnow(),
    }
    result = connection.execute(INSERT_MESSAGE, row)
    new_id = result.inserted_primary_key[0]
    previous_id = connection.execute(PREVIOUS_ID, {"session_id": session_id, "id": new_id})
    previous_id = previous_id.scalar()
    described = SimpleNamespace(
        id=new_id, author=SimpleNamespace(display_name=sender.display_name), **row
    )
    db.session.commit()
    return Stored(message_dict(described), previous_id)
