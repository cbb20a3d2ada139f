"""Saying something to the room, and catching up: one transaction per message, then the room.

A send, step by step (docs/architecture.md draws it):
1. In memory, before any database work: a flood is refused (`rate_limited`).
2. One transaction: the session's message order is locked (PostgreSQL: an advisory lock held
   until commit; SQLite: its write lock, `BEGIN IMMEDIATE`), the sender's standing is read in
   one query, the room rules decide as a pure function, and the message is inserted with
   `INSERT ... ON CONFLICT DO NOTHING RETURNING id, previous_id`. Commit.
3. The room hears `message:new` with `previous_id`, the id of the session's message before it:
   a member whose last id differs missed one and fetches it with `messages:since`.
4. The care code reads the words (`text_said`), then the ack. A message the rules refuse is
   read too: the refusal stands, and the care still happens.

A `client_id` this author already used is a retry: it is answered with the stored message and
announced once more (the process that stored it may have died before telling the room).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.dialects import postgresql, sqlite

from app.circles.models import SessionState
from app.core.database import Prepared, iso, utcnow
from app.core.signals import excerpt_shared, text_said
from app.extensions import db
from app.live.access import Standing, enter_room, now, read_standing, send_refusal
from app.live.audience import emit_to_room
from app.live.errors import ENDED, LiveError
from app.live.messages.limits import counts_in_window, refuse_if_flooding, resent_messages
from app.live.models import Message
from app.live.serialize import message_dict, message_dicts, session_dict

log = logging.getLogger(__name__)

HISTORY_LIMIT = 50
SINCE_LIMIT = 500
MESSAGE_ORDER_LOCK = 0x486F6C64  # "Hold": the class of PostgreSQL advisory locks for messages

_messages = Message.__table__
_earlier = _messages.alias("earlier")
# The session's message before the new one, read in the INSERT's own RETURNING; the subquery
# names the inserted row, and `earlier.id < messages.id` keeps the new row out of it.
_PREVIOUS_ID = (
    select(func.max(_earlier.c.id))
    .where(
        _earlier.c.session_id == literal_column("messages.session_id"),
        _earlier.c.id < literal_column("messages.id"),
    )
    .scalar_subquery()
)


def _insert_once(dialect_insert):
    """Insert unless this author already used this client_id; return the id and previous id."""
    return (
        dialect_insert(_messages)
        .on_conflict_do_nothing(index_elements=["session_id", "author_id", "client_id"])
        .returning(_messages.c.id, _PREVIOUS_ID.label("previous_id"))
    )


# SQLite: its write lock, then the insert. Built once: a statement made per send is also keyed
# for SQLAlchemy's cache per send.
BEGIN_IMMEDIATE = text("BEGIN IMMEDIATE")
INSERT_ONCE = _insert_once(sqlite.insert)
# PostgreSQL: the same insert, prepared once per connection.
_WRITTEN = ("session_id", "author_id", "client_id", "body", "content_warning", "created_at")
_INSERT_PARAMS = {name: _messages.c[name].type for name in _WRITTEN}


def _insert_with(*values):
    """The PostgreSQL insert with the given value expressions, in `_INSERT_PARAMS` order."""
    return _insert_once(postgresql.insert).values(dict(zip(_INSERT_PARAMS, values, strict=True)))


PREPARED_INSERT = Prepared("holdspace_insert_message", _insert_with, _INSERT_PARAMS)
_LOCK_FIRST = f"SELECT pg_advisory_xact_lock({MESSAGE_ORDER_LOCK}, :session_id); "


def post_message(
    author_id: int, session_id: int, body: str, client_id: str, content_warning: str = ""
) -> dict:
    """Store a message (idempotent on client_id), then tell the room. The ack's fields: the
    `message`, and in slow mode when the author may send again (`next_send_at`)."""
    refuse_if_flooding(author_id, client_id)
    standing, message, previous_id, announce = _store(
        author_id, session_id, body, client_id, content_warning
    )
    if isinstance(announce, LiveError):
        if announce.code in READ_WHEN_REFUSED:
            _said(standing, words(body, content_warning), "refused_message", None)
        raise _explained(standing, announce)
    if announce is _NEW:
        _announce(standing, message, previous_id)
    elif announce is _RETRY and resent_messages.first_time(message["id"]):
        _announce(standing, message, None)
    return {"message": message, **_next_send(standing)}


def _explained(standing: Standing, refusal: LiveError) -> LiveError:
    """A refusal with the room as it is now, so the page can say why and for how long."""
    session, code = standing.session, refusal.code
    if code in ("phase_closed", "not_your_turn"):
        ended = session.state == SessionState.ENDED.value
        return LiveError(code, ENDED if ended else None, session=session_dict(session))
    if code == "muted" and standing.muted_until is not None:
        return LiveError(code, until=iso(standing.muted_until))
    if code == "slow_mode" and standing.last_sent_at is not None:
        ready = standing.last_sent_at + timedelta(seconds=session.slow_mode_seconds or 0)
        wait = max(0, int((ready - now()).total_seconds() * 1000))
        return LiveError(code, retry_after_ms=wait)
    return refusal


def _next_send(standing: Standing) -> dict:
    """In slow mode, when a member may send again (keepers are never slowed)."""
    window = standing.session.slow_mode_seconds or 0
    if window <= 0 or standing.may_moderate:
        return {}
    return {"next_send_at": iso(now() + timedelta(seconds=window))}


_NEW, _RETRY, _HIDDEN = "new", "retry", "hidden"  # what a stored send asks of the room
# Refusals by the room's rules, after which the words are still read (not: gone, banned, ...).
READ_WHEN_REFUSED = ("not_your_turn", "phase_closed", "muted", "slow_mode", "locked", "waiting")


def words(body: str, content_warning: str | None) -> str:
    """What a member said: the message, and the content note they put on it."""
    return f"{content_warning}: {body}" if content_warning else body


def _store(author_id: int, session_id: int, body: str, client_id: str, warning: str):
    """The send's one transaction: (standing, message, previous_id, what to announce), or the
    refusal in the last place (the standing still given, for the care code). Every statement
    is Core, so it runs on a connection of its own, without the ORM session's bookkeeping."""
    _end_open_transaction()
    with db.engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        standing = lock_and_read(connection, author_id, session_id)
        refusal = send_refusal(standing, now())
        if refusal is None and not counts_in_window(author_id, client_id):
            refusal = "rate_limited"
        row = None
        if refusal is None:
            values = {
                "session_id": session_id,
                "author_id": author_id,
                "client_id": client_id,
                "body": body,
                "content_warning": warning or "",
                "created_at": utcnow(),
            }
            insert = PREPARED_INSERT.call(connection) if postgres else INSERT_ONCE
            row = connection.execute(insert, values).first()
        if row is not None:
            connection.commit()  # otherwise closing the connection rolls back
    if row is None:  # refused by the rules, or a retry: either way, maybe stored before
        stored = _stored_message(session_id, author_id, client_id)
        db.session.rollback()  # a read: nothing to keep, and no connection held over the emit
        if stored is None:
            return standing, None, None, LiveError(refusal or "not_found")
        message, hidden = stored
        return standing, message, None, _HIDDEN if hidden else _RETRY
    written = SimpleNamespace(id=row.id, author=standing, **values)
    return standing, message_dict(written), row.previous_id, _NEW


def _end_open_transaction() -> None:
    """The event's login check may have read through the session: end that first, so a send
    never holds two connections."""
    if db.session.registry.has() and db.session().in_transaction():
        db.session.commit()


def lock_and_read(connection, author_id: int, session_id: int) -> Standing:
    """Lock the session's message order, then read the sender's standing. Messages of one
    session commit in id order, so `previous_id` is final and a reader of `messages:since` never
    skips a gap that fills later. SQLite: its write lock. PostgreSQL: an advisory lock, sent as
    the first statement of the read's query; each statement takes its own snapshot, so the read
    sees every message committed before the lock was granted."""
    if connection.dialect.name == "postgresql":
        return read_standing(
            author_id, session_id, for_send=True, connection=connection, before=_LOCK_FIRST
        )
    connection.execute(BEGIN_IMMEDIATE)
    return read_standing(author_id, session_id, for_send=True, connection=connection)


def _stored_message(session_id: int, author_id: int, client_id: str) -> tuple[dict, bool] | None:
    """The message this author already sent with this client_id (with its reactions), and
    whether a facilitator has hidden it since (a hidden message is never announced again)."""
    found = db.session.scalar(
        select(Message).where(
            Message.session_id == session_id,
            Message.author_id == author_id,
            Message.client_id == client_id,
        )
    )
    if found is None:
        return None
    return message_dicts([found])[0], found.hidden_at is not None


def _announce(standing: Standing, message: dict, previous_id: int | None) -> None:
    """Tell the room, then let the care code read the words."""
    news = {"message": message}
    if previous_id is not None:
        news["previous_id"] = previous_id
    emit_to_room("message:new", news, message["session_id"])
    text = words(message["body"], message["content_warning"])
    _said(standing, text, "message", message["id"])


def _said(standing: Standing, text: str, source: str, message_id: int | None) -> None:
    """`text_said` for the care code; a failing listener never undoes or delays a send."""
    try:
        text_said.send(
            None,
            author_id=standing.user_id,
            standing=standing,
            text=text,
            source=source,
            message_id=message_id,
        )
    except Exception as exc:
        db.session.rollback()
        log.error("reading a message for care failed: %s", type(exc).__name__)


def _visible(session_id: int):
    """Messages of a session that are not hidden."""
    return select(Message).where(Message.session_id == session_id, Message.hidden_at.is_(None))


def recent_messages(session_id: int, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The last `limit` visible messages, oldest first."""
    newest = db.session.scalars(_visible(session_id).order_by(Message.id.desc()).limit(limit))
    return message_dicts(list(reversed(list(newest))))


def messages_since(user_id: int, session_id: int, after_id: int) -> dict:
    """Up to 500 visible messages after `after_id`, oldest first, and whether more remain."""
    enter_room(user_id, session_id)
    query = _visible(session_id).where(Message.id > after_id).order_by(Message.id)
    found = list(db.session.scalars(query.limit(SINCE_LIMIT + 1)))
    return {"messages": message_dicts(found[:SINCE_LIMIT]), "more": len(found) > SINCE_LIMIT}


def post_excerpt(sender, *, user_id: int, session_id: int, text: str, client_id: str, **extra):
    """The journal asks to post a member's excerpt (`excerpt_shared`): None once posted, or the
    room's reason for refusing it."""
    try:
        post_message(user_id, session_id, text, client_id)
    except LiveError as refusal:
        db.session.rollback()
        return refusal.message
    return None


def connect_receivers() -> None:
    """Answer the journal's requests to share an excerpt (blinker keeps one connection)."""
    excerpt_shared.connect(post_excerpt)
