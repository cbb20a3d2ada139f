"""The room's hot write: a message stored with one Core INSERT, its `message` object built in hand.

`post_message` runs for every line anyone says, so it skips the ORM unit of work: no flush
bookkeeping, and no reading the new row (and its author) back after the commit just to describe
it. The `message` object is built from the values written, with the same `message_dict`.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import insert

from app.core.database import utcnow
from app.extensions import db
from app.live.models import Message
from app.live.serialize import message_dict
from app.live.standing import SendStanding

INSERT_MESSAGE = insert(Message.__table__)  # built once; each send only binds its values


def insert_message(
    sender: SendStanding, session_id: int, body: str, client_id: str, content_warning: str
) -> dict:
    """Insert and commit one message; returns the contract's `message` object (no reactions).

    The caller has read `sender` in this transaction, which on PostgreSQL locked the session's
    row (app/live/standing.py): ids commit in order within a session. Raises IntegrityError
    when this author already sent this client_id (the caller answers with the first message).
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
    described = SimpleNamespace(
        id=result.inserted_primary_key[0],
        author=SimpleNamespace(display_name=sender.display_name),
        **row,
    )
    db.session.commit()
    return message_dict(described)
