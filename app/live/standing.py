"""Everything `message:send` must know about the sender, read fresh with one Core query.

Every send has to answer, from the database and never from a cache: does this person still
exist, may they be in this room (membership, ban, site role), and do the room's rules let them
speak (removed, muted, phase, talking piece, lock). Read through the ORM that was four queries
and a dozen objects per message. Here it is one prebuilt statement returning one plain row, and
the rules are the same functions every other room event uses (`room_role`, `check_may_enter`,
`check_may_post`), fed with light views of that row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.auth.models import User, is_moderator_role
from app.circles.access import RoomAccess, RoomAccessDenied, room_role
from app.circles.models import CircleSession, Membership
from app.core.prepared import HotConnection, HotStatement
from app.live.errors import LiveError
from app.moderation.models import SessionParticipant

_users = User.__table__
_sessions = CircleSession.__table__
_memberships = Membership.__table__
_participants = SessionParticipant.__table__

SESSION_COLUMNS = (
    "id",
    "circle_id",
    "state",
    "phase",
    "locked",
    "slow_mode_seconds",
    "talking_piece",
    "waiting_room",
    "holder_id",
    "cancelled_at",
)


def _standing(user_id, session_id, source=None):
    """The sender's row for (user_id, session_id): parameters, or columns of `source`."""
    if source is None:
        sessions = _sessions.join(_users, _users.c.id == user_id)
    else:
        sessions = source.join(_sessions, _sessions.c.id == session_id).join(
            _users, _users.c.id == user_id
        )
    query = select(
        _users.c.display_name,
        _users.c.role.label("site_role"),
        *(_sessions.c[name] for name in SESSION_COLUMNS),
        _memberships.c.role.label("membership_role"),
        _memberships.c.status.label("membership_status"),
        _participants.c.session_id.label("participant"),
        _participants.c.joined_at,
        _participants.c.muted_until,
        _participants.c.removed_at,
    ).select_from(
        sessions.outerjoin(
            _memberships,
            and_(
                _memberships.c.circle_id == _sessions.c.circle_id,
                _memberships.c.user_id == user_id,
            ),
        ).outerjoin(
            _participants,
            and_(
                _participants.c.session_id == _sessions.c.id,
                _participants.c.user_id == user_id,
            ),
        )
    )
    return query if source is not None else query.where(_sessions.c.id == session_id)


STANDING = _standing(bindparam("user_id"), bindparam("session_id"))


@dataclass(frozen=True, slots=True)
class SessionView:
    """The session's columns the room rules read (a stand-in for a `CircleSession`)."""

    id: int
    circle_id: int
    state: str
    phase: str
    locked: bool
    slow_mode_seconds: int
    talking_piece: bool
    waiting_room: bool
    holder_id: int | None
    cancelled_at: datetime | None

    @property
    def is_cancelled(self) -> bool:
        """Cancelled by a facilitator before it began."""
        return self.cancelled_at is not None


@dataclass(frozen=True, slots=True)
class ParticipantView:
    """The person's row for the session (a stand-in for a `SessionParticipant`)."""

    joined_at: datetime | None
    muted_until: datetime | None
    removed_at: datetime | None


@dataclass(frozen=True, slots=True)
class SendStanding:
    """The sender as the room sees them now."""

    user_id: int
    display_name: str
    access: RoomAccess
    participant: ParticipantView | None


# PostgreSQL: the same read also takes the session's message-order lock, held until the
# message commits, so message ids commit in order within a session (a `messages:since` reader
# never skips a gap, and `previous_id` is final). A transaction-scoped advisory lock, keyed by
# (MESSAGE_ORDER_LOCK, session id): unlike `FOR UPDATE` on the session row it writes nothing,
# so a send refused by the rules commits without a WAL flush. The statement that inserts runs
# after this one, so it always draws its id inside the lock. SQLite serialises writers itself.
MESSAGE_ORDER_LOCK = 0x486F6C64  # "Hold": the class of advisory locks that order messages
STANDING_ORDERED = STANDING.add_columns(
    func.pg_advisory_xact_lock(
        literal_column(str(MESSAGE_ORDER_LOCK)), bindparam("session_id")
    ).label("message_order_lock")
)
READ_STANDING = HotStatement("standing", STANDING, postgresql=STANDING_ORDERED)
_SESSION_SLICE = slice(2, 2 + len(SESSION_COLUMNS))  # after display_name and site_role


# PostgreSQL, a batch of sends (app/live/services.py, `_write_sends`): every sender's row in one
# round trip. `user_ids` and `session_ids` list the batch's (user, session) pairs in its order
# (`n` numbers them from 1); the message-order lock of each session is taken once, in the order
# of `lock_sessions` (distinct and ascending, so that two processes' batches never wait on each
# other in a circle), by the uncorrelated subquery, which runs once before the first row.
_ASKED = (
    func.unnest(
        bindparam("user_ids", type_=ARRAY(Integer)),
        bindparam("session_ids", type_=ARRAY(Integer)),
    )
    .table_valued("user_id", "session_id", with_ordinality="n")
    .render_derived()
    .alias("asked")
)
_LOCKING = (
    func.unnest(bindparam("lock_sessions", type_=ARRAY(Integer)))
    .table_valued("session_id")
    .render_derived()
    .alias("locking")
)
_ORDER_LOCKS = select(
    func.count(
        func.pg_advisory_xact_lock(literal_column(str(MESSAGE_ORDER_LOCK)), _LOCKING.c.session_id)
    )
).scalar_subquery()
STANDINGS_ORDERED = _standing(_ASKED.c.user_id, _ASKED.c.session_id, _ASKED).add_columns(
    _ASKED.c.n, _ORDER_LOCKS.label("message_order_locks")
)
READ_STANDINGS = HotStatement("standings", STANDINGS_ORDERED)  # PostgreSQL only


def read_standing(hot: HotConnection, user_id: int, session_id: int) -> SendStanding:
    """One query in `hot`'s transaction (on PostgreSQL taking the session's message-order lock
    until it ends); `not_found` / `banned` as `access_room` would answer."""
    row = READ_STANDING.first(hot, {"user_id": user_id, "session_id": session_id})
    return _judged(row, user_id)


def read_standings(
    hot: HotConnection, asked: list[tuple[int, int]]
) -> list[SendStanding | LiveError]:
    """`read_standing` for each (user id, session id) of a batch, in its order: the standing,
    or the refusal `read_standing` would raise. On PostgreSQL one query for them all."""
    if hot.dialect.name != "postgresql":
        return [_judged_or_refusal(hot, user_id, session_id) for user_id, session_id in asked]
    params = {
        "user_ids": [user_id for user_id, _ in asked],
        "session_ids": [session_id for _, session_id in asked],
        "lock_sessions": sorted({session_id for _, session_id in asked}),
    }
    rows = {row.n: row for row in READ_STANDINGS.execute(hot, params)}
    judged: list[SendStanding | LiveError] = []
    for n, (user_id, _) in enumerate(asked, start=1):
        try:
            judged.append(_judged(rows.get(n), user_id))
        except LiveError as refusal:
            judged.append(refusal)
    return judged


def _judged_or_refusal(hot: HotConnection, user_id: int, session_id: int):
    try:
        return read_standing(hot, user_id, session_id)
    except LiveError as refusal:
        return refusal


def _judged(row, user_id: int) -> SendStanding:
    if row is None:  # no such session, or the person no longer exists
        raise LiveError("not_found")
    session = SessionView(*row[_SESSION_SLICE])
    if session.is_cancelled:
        raise LiveError("not_found")
    try:
        role = room_role(
            is_moderator_role(row.site_role), row.membership_role, row.membership_status
        )
    except RoomAccessDenied as denied:
        raise LiveError(denied.code) from None
    participant = None
    if row.participant is not None:
        participant = ParticipantView(row.joined_at, row.muted_until, row.removed_at)
    return SendStanding(user_id, row.display_name, RoomAccess(session, None, role), participant)
