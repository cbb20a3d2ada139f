"""The room's hot write: a message stored with one Core INSERT, its `message` object built in hand.

`post_message` runs for every line anyone says, so it skips the ORM unit of work: no flush
bookkeeping, and no reading the new row (and its author) back after the commit just to describe
it. The `message` object is built from the values written, with the same `message_dict`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import DateTime, Integer, Text, bindparam, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

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


# PostgreSQL, a batch of sends: every message in one INSERT, its values as arrays (unnest keeps
# their order). RETURNING's subquery sees the table as it was before the statement, so
# `previous_id` is right for each session's first message of the batch; `insert_messages`
# names the rest's from the batch itself.
_ARRAY_ITEMS = {  # each column's values go in as one array, named after the column
    "session_id": Integer,
    "author_id": Integer,
    "client_id": Text,
    "body": Text,
    "content_warning": Text,
    "created_at": DateTime(timezone=True),
}
_INCOMING = (
    func.unnest(*(bindparam(name, type_=ARRAY(_ARRAY_ITEMS[name])) for name in MESSAGE_COLUMNS))
    .table_valued(*MESSAGE_COLUMNS)
    .render_derived()
    .alias("incoming")
)
STORE_MESSAGES = HotStatement(  # PostgreSQL only
    "store_messages",
    postgresql.insert(_messages)
    .from_select(MESSAGE_COLUMNS, select(*_INCOMING.c))
    .on_conflict_do_nothing(index_elements=list(CLIENT_KEY))
    .returning(
        _messages.c.id,
        _messages.c.session_id,
        _messages.c.author_id,
        _messages.c.client_id,
        PREVIOUS_ID.label("previous_id"),
    ),
)


class Stored(NamedTuple):
    """A message just committed: its `message` object, and the id of the one before it; once
    broadcast, the queue's ticket for the broadcast (None without a queue)."""

    message: dict
    previous_id: int | None
    ticket: int | None = None


class Outgoing(NamedTuple):
    """One message of a batch, for `insert_messages`."""

    sender: SendStanding
    session_id: int
    body: str
    client_id: str
    content_warning: str


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
    row = _row(Outgoing(sender, session_id, body, client_id, content_warning))
    inserted = STORE_MESSAGE.first(hot, row)
    if inserted is None:
        return None
    return _stored(row, sender, inserted.id, inserted.previous_id)


def insert_messages(hot: HotConnection, batch: list[Outgoing]) -> list[Stored | None]:
    """`insert_message` for each message of a batch, in its order (the caller commits, having
    read every sender in `hot`'s transaction). On PostgreSQL one statement for them all. A
    client_id repeated within the batch stores the first and answers the rest with None."""
    if hot.dialect.name != "postgresql":
        return [insert_message(hot, *outgoing) for outgoing in batch]
    rows = [_row(outgoing) for outgoing in batch]
    params = {name: [row[name] for row in rows] for name in MESSAGE_COLUMNS}
    new_rows = sorted(STORE_MESSAGES.execute(hot, params), key=lambda new: new.id)
    previous: dict[int, int | None] = {}  # new id -> the session's message before it
    last: dict[int, int] = {}  # session id -> the batch's newest message there so far
    for new in new_rows:
        previous[new.id] = last.get(new.session_id, new.previous_id)
        last[new.session_id] = new.id
    by_key = {(new.session_id, new.author_id, new.client_id): new for new in new_rows}
    answers: list[Stored | None] = []
    for row, outgoing in zip(rows, batch, strict=True):
        new = by_key.pop((row["session_id"], row["author_id"], row["client_id"]), None)
        if new is None:  # a retry, or a repeat of a client_id earlier in this batch
            answers.append(None)
        else:
            answers.append(_stored(row, outgoing.sender, new.id, previous[new.id]))
    return answers


def _row(outgoing: Outgoing) -> dict:
    return {
        "session_id": outgoing.session_id,
        "author_id": outgoing.sender.user_id,
        "client_id": outgoing.client_id,
        "body": outgoing.body,
        "content_warning": outgoing.content_warning or "",
        "created_at": utcnow(),
    }


def _stored(row: dict, sender: SendStanding, new_id: int, previous_id: int | None) -> Stored:
    """The `message` object, built from the values written (no reading back)."""
    described = SimpleNamespace(
        id=new_id, author=SimpleNamespace(display_name=sender.display_name), **row
    )
    return Stored(message_dict(described), previous_id)
