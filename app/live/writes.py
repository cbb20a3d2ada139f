"""The room's hot write: a message stored with one Core INSERT, its `message` object built in hand.

`post_message` runs for every line anyone says, so it skips the ORM unit of work: no flush
bookkeeping, and no reading the new row (and its author) back after the commit just to describe
it. The `message` object is built from the values written, with the same `message_dict`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite

from app.core.database import utcnow
from app.core.prepared import HotConnection, HotStatement
from app.live.models import Message
from app.live.serialize import message_dict
from app.live.standing import SendStanding

_messages = Message.__table__
_earlier = _messages.alias("earlier")

# The session's message just before the new one: `message:new` carries it as `previous_id`, so
# a member who holds a different last id knows a message passed them by (see post_message).
# Read in the INSERT's own RETURNING, one round trip instead of two: the subquery names the
# inserted row (`messages.*`), and `earlier.id < messages.id` keeps the new row out whatever
# the database's visibility rules for a statement's own rows.
PREVIOUS_ID = (
    select(func.max(_earlier.c.id))
    .where(
        _earlier.c.session_id == literal_column("messages.session_id"),
        _earlier.c.id < literal_column("messages.id"),
    )
    .scalar_subquery()
)
# A retry of a message already stored (same session, author and client_id) inserts nothing and
# returns no row, rather than failing: a send commits in a batch with others (app/live/services.py),
# and on PostgreSQL an error would abort the whole batch's transaction.
CLIENT_KEY = ("session_id", "author_id", "client_id")  # uq_messages_client
MESSAGE_COLUMNS = ("session_id", "author_id", "client_id", "body", "content_warning", "created_at")


def _insert_once(dialect_insert):
    return (
        dialect_insert(_messages)
        .on_conflict_do_nothing(index_elements=list(CLIENT_KEY))
        .returning(_messages.c.id, PREVIOUS_ID.label("previous_id"))
    )


# Built once (and prepared once per PostgreSQL connection); each send only binds its values.
STORE_MESSAGE = HotStatement(
    "store_message",
    _insert_once(sqlite.insert),
    postgresql=_insert_once(postgresql.insert),
    column_keys=MESSAGE_COLUMNS,
)


class Stored(NamedTuple):
    """A message just committed: its `message` object, and the id of the one before it."""

    message: dict
    previous_id: int | None


def insert_message(
    hot: HotConnection,
    sender: SendStanding,
    session_id: int,
    body: str,
    client_id: str,
    content_warning: str,
) -> Stored | None:
    """Insert one message in `hot`'s transaction (the caller commits): the contract's `message`
    object (no reactions), and the id of the session's message before it (None for the first).
    None, and nothing written, when this author already sent this client_id (a retry).

    The caller has read `sender` in `hot`'s transaction, which on PostgreSQL took the session's
    message-order lock (app/live/standing.py): ids commit in order within a session, so the
    previous id read here is final once the transaction commits.
    """
    row = {
        "session_id": session_id,
        "author_id": sender.user_id,
        "client_id": client_id,
        "body": body,
        "content_warning": content_warning or "",
        "created_at": utcnow(),
    }
    inserted = STORE_MESSAGE.first(hot, row)
    if inserted is None:
        return None
    described = SimpleNamespace(
        id=inserted.id, author=SimpleNamespace(display_name=sender.display_name), **row
    )
    return Stored(message_dict(described), inserted.previous_id)
