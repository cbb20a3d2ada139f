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

from sqlalchemy import and_, bindparam, func, literal_column, select

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

STANDING = (
    select(
        _users.c.display_name,
        _users.c.role.label("site_role"),
        *(_sessions.c[name] for name in SESSION_COLUMNS),
        _memberships.c.role.label("membership_role"),
        _memberships.c.status.label("membership_status"),
        _participants.c.session_id.label("participant"),
        _participants.c.joined_at,
        _participants.c.muted_until,
        _participants.c.removed_at,
    )
    .select_from(
        _sessions.join(_users, _users.c.id == bindparam("user_id"))
        .outerjoin(
            _memberships,
            and_(
                _memberships.c.circle_id == _sessions.c.circle_id,
                _memberships.c.user_id == bindparam("user_id"),
            ),
        )
        .outerjoin(
            _participants,
            and_(
                _participants.c.session_id == _sessions.c.id,
                _participants.c.user_id == bindparam("user_id"),
            ),
        )
    )
    .where(_sessions.c.id == bindparam("session_id"))
)


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


def read_standing(hot: HotConnection, user_id: int, session_id: int) -> SendStanding:
    """One query in `hot`'s transaction (on PostgreSQL taking the session's message-order lock
    until it ends); `not_found` / `banned` as `access_room` would answer."""
    row = READ_STANDING.first(hot, {"user_id": user_id, "session_id": session_id})
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
