"""Verbs of the room's conversation: each checks access, writes, commits, and only then emits."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import OrderedDict, defaultdict, deque
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.circles.access import RoomAccess, RoomAccessDenied, access_room
from app.circles.models import (
    CircleSession,
    Membership,
    MembershipRole,
    MembershipStatus,
    Phase,
    SessionState,
)
from app.core.group_commit import GroupCommit, Pending
from app.core.prepared import HotConnection, KeptConnections, hot_transaction
from app.core.sockets import queue_ticket, wait_published
from app.extensions import db, socketio
from app.live import rooms, writes
from app.live.errors import LiveError
from app.live.models import Message, Reaction
from app.live.serialize import iso, message_dict, message_dicts, reaction_counts
from app.live.standing import SendStanding, read_standings
from app.moderation.models import Report
from app.moderation.participants import UNREAD, check_may_enter, check_may_post

log = logging.getLogger(__name__)

HISTORY_LIMIT = 50
SINCE_LIMIT = 500
CLOSED_PHASES = (Phase.BREATHING.value, Phase.QUIET.value)


def enter_room(user: User, session_id: int) -> RoomAccess:
    """Access to the room for any event: outsiders `not_found`, banned `banned`, `waiting`."""
    try:
        access = access_room(user, session_id)
    except RoomAccessDenied as denied:
        raise LiveError(denied.code) from None
    return _room_rules(user.id, access)


def _room_rules(user_id: int, access: RoomAccess, participant=UNREAD) -> RoomAccess:
    """The rules on top of access: removed, locked, waiting room (`participant`: see
    `check_may_enter`)."""
    session = access.session
    check_may_enter(access, user_id, participant)  # removed, locked
    waits = session.waiting_room and access.room_role == "member"
    if waits and not rooms.state.is_admitted(session.id, user_id):
        newly_waiting = user_id not in rooms.state.waiting(session.id)
        rooms.state.wait(session.id, user_id)
        if newly_waiting:
            from app.live.session_control import announce_waiting

            announce_waiting(db.session.get(CircleSession, session.id))
        raise LiveError("waiting")
    return access


def _check_may_send(user_id: int, access: RoomAccess, participant=UNREAD) -> None:
    """The room rules by phase; facilitators and moderators may always send."""
    if access.may_moderate:
        return
    session = access.session
    if session.phase in CLOSED_PHASES or session.state == SessionState.ENDED.value:
        raise LiveError("phase_closed")
    sharing = session.phase == Phase.SHARING.value
    if sharing and session.talking_piece and session.holder_id != user_id:
        raise LiveError("not_your_turn")
    check_may_post(access, user_id, participant)  # muted, slow mode


RETRY_MEMORY = 64


class SendLimiter:
    """A small in-memory sliding window of messages per person (per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: dict[int, deque[float]] = defaultdict(deque)
        # client_ids recently let through: their retries must still get their ack
        self._accepted: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=RETRY_MEMORY))

    def allow(self, user_id: int, count: int, seconds: float, client_id: str = "") -> bool:
        """Record one send if the window has room for it."""
        now = time.monotonic()
        with self._lock:
            window = self._sent[user_id]
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= count:
                return False
            window.append(now)
            self._accepted[user_id].append(client_id)
            return True

    def full(self, user_id: int, count: int, seconds: float, client_id: str = "") -> bool:
        """Is the window full for a new message? (Looks only; a recent retry is never refused.)"""
        now = time.monotonic()
        with self._lock:
            window = self._sent.get(user_id)
            if not window or client_id in self._accepted.get(user_id, ()):
                return False
            return sum(1 for t in window if t > now - seconds) >= count

    def clear(self) -> None:
        """Forget every window (a new app starts afresh)."""
        with self._lock:
            self._sent.clear()
            self._accepted.clear()


send_limiter = SendLimiter()
DEFAULT_SEND_LIMIT = (10, 5.0)
RESENT_MEMORY = 4096


class ResentMessages:
    """Ids of stored messages this process has announced again for a retry (per process).

    A retry of a stored message is announced once per process, not once per retry: repeating
    the same client_id cannot make the server fan a message out to the room over and over.
    """

    def __init__(self, size: int = RESENT_MEMORY) -> None:
        self._lock = threading.Lock()
        self._ids: OrderedDict[int, None] = OrderedDict()
        self._size = size

    def first_time(self, message_id: int) -> bool:
        """Record the id; True only the first time this process sees it (while remembered)."""
        with self._lock:
            if message_id in self._ids:
                return False
            self._ids[message_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True

    def forget(self, message_id: int) -> None:
        """Let a later retry announce this id again (this announcement never went out)."""
        with self._lock:
            self._ids.pop(message_id, None)

    def clear(self) -> None:
        """Forget every id (a new app starts afresh)."""
        with self._lock:
            self._ids.clear()


resent_messages = ResentMessages()


def _send_limit() -> tuple[int, float] | None:
    """LIVE_SEND_LIMIT, or None when the rate limits are off."""
    config = current_app.config
    limit = config.get("LIVE_SEND_LIMIT", DEFAULT_SEND_LIMIT)
    return limit if config.get("RATELIMIT_ENABLED") and limit else None


def refuse_if_flooding(user_id: int, payload) -> None:
    """Before any database work: refuse a send at once while the person's window is full.

    A flood must cost the server next to nothing, or everyone else's messages slow down.
    """
    limit = _send_limit()
    if limit and send_limiter.full(user_id, *limit, payload.client_id):
        raise LiveError("rate_limited")


def _check_send_rate(user_id: int, client_id: str) -> None:
    """At most LIVE_SEND_LIMIT messages per window per person (off with the rate limits)."""
    limit = _send_limit()
    if limit and not send_limiter.allow(user_id, *limit, client_id):
        raise LiveError("rate_limited")


def _existing_message(session_id: int, author_id: int, client_id: str) -> Message | None:
    """The message this author already sent with this client_id, if any."""
    return db.session.scalar(
        select(Message).where(
            Message.session_id == session_id,
            Message.author_id == author_id,
            Message.client_id == client_id,
        )
    )


def _insert_messages(hot: HotConnection, batch: list[writes.Outgoing]):
    """Insert a batch in session-id order, uncommitted; None for each retry (app/live/writes.py)."""
    return writes.insert_messages(hot, batch)


@dataclass(slots=True)
class _Send:
    """One `message:send` on its way into a batch (`_write_sends`), and what its batch learnt."""

    author_id: int
    session_id: int
    body: str
    client_id: str
    content_warning: str
    access: RoomAccess | None = None  # the room as the rules saw the sender
    refusal: LiveError | None = None  # the rules refused it after reading the room
    rate_counted: bool = False  # the send window counted it (counted once, even if rewritten)


def post_message(
    author, session_id: int, body: str, client_id: str, content_warning: str = ""
) -> dict:
    """Persist a message (idempotent on client_id), then broadcast it to the room.

    `author` needs only an `id`: who they are and may do is read fresh in one query
    (app/live/standing.py). Sends that arrive together are written in one transaction and
    broadcast in the order they were stored (`_write_sends`). A client_id this author already
    used means a retry, answered with the first message; so is a retry that the room rules
    would refuse now (phase closed since, muted, rate), so that lookup runs only on those paths,
    after the batch has committed.
    """
    send = _Send(author.id, session_id, body, client_id, content_warning)
    _give_back_connection()
    stored = _sends().submit(send)  # raises what the read refused (not_found, banned, ...)
    if stored is None:
        existing = _existing_message(session_id, author.id, client_id)
        if existing is None:
            raise send.refusal or LiveError("not_found")
        payload = message_dicts([existing])[0]
        if existing.hidden_at is None and resent_messages.first_time(existing.id):
            try:
                _announce(author, send.access, payload)
            except QueueUnavailable:
                resent_messages.forget(existing.id)  # the next retry announces it again
                raise
        return payload
    _confirm_announced(stored.ticket)
    _after_message_posted(author, send.access, stored.message)
    return stored.message


class QueueUnavailable(Exception):
    """A stored message's broadcast never reached the other processes (the queue is down).

    The sender gets an error and resends; the resend finds the stored message and announces
    it again."""


def _confirm_announced(ticket: int | None) -> None:
    """Wait until a broadcast is on the queue's channel before the sender hears "sent".

    The queue publishes from an outbox (app/core/sockets.py), so a process killed right after
    acknowledging could otherwise take the broadcast with it: the sender, acknowledged, would
    never resend, and the members on other processes would not see the message until a later
    one revealed the gap. Without a queue (one process) there is nothing to wait for.
    """
    if ticket is not None and not wait_published(ticket=ticket):
        raise QueueUnavailable("the message's broadcast did not reach the queue")


def _give_back_connection() -> None:
    """End the event's database transaction, if one is open, so its pooled connection goes back
    before this send waits for its batch.

    The login check that every socket event runs first reads the login through the event's
    session when its cached answer is due, and the session then keeps that connection until the
    event ends. Senders waiting for a batch while holding connections could take the whole pool
    from the batch's leader, which needs one to write: nothing was stored or delivered until the
    pool gave up, 30 s later (the benchmark saw a server stop delivering at 600 msg/s, its CPU
    half idle). The caller has nothing uncommitted (a write would also hold SQLite's lock
    against the batch), so this commit only ends a read.
    """
    if db.session.registry.has():
        session = db.session()
        if session.in_transaction():
            session.commit()


# Batches of sends written at once on PostgreSQL: its round trips let the event loop run others
# meanwhile, and a commit now and then waits tens of milliseconds for its WAL flush; with one
# batch at a time that wait held up every send of the process (Sunday load, fan-out p99 196 and
# 498 ms in 2 of 3 runs). Batches of the same session still take turns (the order lock).
# SQLite runs a batch without yielding, so one at a time is all it can use.
POSTGRESQL_BATCHES = 4


def _sends() -> GroupCommit:
    """This app's group commit for sends (one per app: a batch runs on its leader's engine)."""
    extensions = current_app.extensions
    group = extensions.get("live_sends")
    if group is None:
        batches = POSTGRESQL_BATCHES if db.engine.dialect.name == "postgresql" else 1
        kept = KeptConnections(db.engine, batches)
        group = GroupCommit(functools.partial(_write_sends, kept=kept), batches)
        group = extensions.setdefault("live_sends", group)
    return group


def _write_sends(batch: list[Pending], kept: KeptConnections | None = None) -> None:
    """Store a batch of sends in one transaction, then broadcast each new message.

    Sorted by session (stable, so a room keeps the order its sends came in): on PostgreSQL each
    read takes its session's message-order lock until the commit, and taking them in one order
    means two processes' batches never wait on each other in a circle. A refusal by the rules
    is that send's answer alone; any other failure (a lost connection, a failed commit) rolls
    the batch back and writes each send on its own, so one bad send costs the others nothing.
    """
    ordered = sorted(batch, key=lambda item: item.work.session_id)
    try:
        _commit_sends(ordered, kept)
    except Exception:
        if len(ordered) == 1:
            raise
        log.warning("a batch of %d sends failed; writing each alone", len(ordered))
        for item in ordered:
            try:
                _commit_sends([item], kept)
            except Exception as error:
                item.fail(error)


def _commit_sends(items: list[Pending], kept: KeptConnections | None = None) -> None:
    """One transaction: every sender read, the rules applied, the messages inserted, one commit
    (on PostgreSQL four round trips, however many sends); then the room told, in stored order.
    `kept`: the group's connections, kept between its batches (app/core/prepared.py)."""
    sends = [item.work for item in items]
    with hot_transaction(kept) as hot:
        standings = read_standings(hot, [(send.author_id, send.session_id) for send in sends])
        decided = [_decide(send, standing) for send, standing in zip(sends, standings, strict=True)]
        outgoing = [answer for answer in decided if isinstance(answer, writes.Outgoing)]
        inserted = iter(_insert_messages(hot, outgoing) if outgoing else ())
        outcomes = [
            next(inserted) if isinstance(answer, writes.Outgoing) else answer for answer in decided
        ]
        hot.commit()
    for item, outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, LiveError):
            item.fail(outcome)
            continue
        try:
            if outcome is not None:
                ticket = _broadcast(outcome.message, outcome.previous_id)
                outcome = outcome._replace(ticket=ticket)
        except Exception as error:  # stored: a resend re-announces it
            item.fail(error)
        else:
            item.succeed(outcome)


def _decide(send: _Send, standing: SendStanding | LiveError) -> writes.Outgoing | LiveError | None:
    """Apply the room rules to one send: the message to insert; None for a refusal by the rules
    (`send.refusal`, answered as a possible retry); or the refusal of the read itself."""
    if isinstance(standing, LiveError):
        return standing
    try:
        send.access = _room_rules(send.author_id, standing.access, standing.participant)
    except LiveError as refusal:
        return refusal
    try:
        _check_may_send(send.author_id, send.access, standing.participant)
        if not send.rate_counted:
            _check_send_rate(send.author_id, send.client_id)
            send.rate_counted = True
    except LiveError as refusal:
        send.refusal = refusal
        return None
    return writes.Outgoing(
        standing, send.session_id, send.body, send.client_id, send.content_warning
    )


def _broadcast(payload: dict, previous_id: int | None = None) -> int | None:
    """Send `message:new` to the room; the queue's ticket for it (see `_confirm_announced`).

    A new message also names the session's message before it (`previous_id`): a member whose
    last id differs missed one (stored by a process that died before announcing it, and never
    resent) and fetches it with `messages:since`. A re-announcement names none.
    """
    news = {"message": payload}
    if previous_id is not None:
        news["previous_id"] = previous_id
    socketio.emit("message:new", news, to=rooms.room_name(payload["session_id"]))
    return queue_ticket()


def _announce(author: User, access: RoomAccess, payload: dict) -> None:
    """Broadcast a message stored earlier again, then run the after-message hooks.

    For a retry answered from an earlier stored message: the sender never got the ack, so the
    process that stored it may have died before broadcasting it (after the commit), and the
    room and the hooks would otherwise never hear of it. Receivers may therefore see an id
    twice; clients draw each id once (docs/protocol.md, Extensions).
    """
    _confirm_announced(_broadcast(payload))
    _after_message_posted(author, access, payload)


def _after_message_posted(author: User, access: RoomAccess, message: dict) -> None:
    """Hooks that run once a new message is stored and delivered (risk language, for now)."""
    from app.live.care_support import after_message_posted

    after_message_posted(author, access, message)


def _visible(session_id: int):
    """Messages of a session that are not hidden."""
    return select(Message).where(Message.session_id == session_id, Message.hidden_at.is_(None))


def recent_messages(session_id: int, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The last `limit` visible messages, oldest first."""
    newest = db.session.scalars(_visible(session_id).order_by(Message.id.desc()).limit(limit))
    return message_dicts(list(reversed(list(newest))))


def messages_since(user: User, session_id: int, after_id: int) -> dict:
    """Up to 500 visible messages after `after_id`, oldest first, and whether more remain."""
    enter_room(user, session_id)
    query = _visible(session_id).where(Message.id > after_id).order_by(Message.id)
    found = list(db.session.scalars(query.limit(SINCE_LIMIT + 1)))
    return {"messages": message_dicts(found[:SINCE_LIMIT]), "more": len(found) > SINCE_LIMIT}


def _visible_message(user: User, message_id: int) -> tuple[Message, RoomAccess]:
    """A visible message in a room this user may be in; `not_found` otherwise."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise LiveError("not_found")
    access = enter_room(user, message.session_id)
    if message.hidden_at is not None:
        raise LiveError("not_found")
    return message, access


def react(user: User, message_id: int, kind: str) -> dict:
    """Toggle one reaction, then broadcast the message's new counts."""
    message, _ = _visible_message(user, message_id)
    session_id = message.session_id
    removed = db.session.execute(
        delete(Reaction).where(
            Reaction.message_id == message_id, Reaction.user_id == user.id, Reaction.kind == kind
        )
    ).rowcount
    if not removed:
        db.session.add(Reaction(message_id=message_id, user_id=user.id, kind=kind))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a double tap raced itself; the reaction is on
    counts = reaction_counts([message_id]).get(message_id, {})
    socketio.emit(
        "message:reactions",
        {"message_id": message_id, "reactions": counts},
        to=rooms.room_name(session_id),
    )
    return {"reactions": counts, "mine": _my_kinds(user.id, message_id)}


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


def report(user: User, message_id: int, reason: str) -> None:
    """Store a report (once per person and message), then tell those who keep the circle safe."""
    message, access = _visible_message(user, message_id)
    entry = Report(
        message_id=message.id,
        session_id=message.session_id,
        circle_id=access.session.circle_id,
        reporter_id=user.id,
        reason=reason,
    )
    db.session.add(entry)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # already reported by this person: nothing new to announce
        return
    recipients = _report_recipients(entry.circle_id, message.author_id)
    if not recipients:
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
    socketio.emit("report:new", payload, to=[rooms.user_room(uid) for uid in recipients])
