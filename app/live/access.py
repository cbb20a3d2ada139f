"""Entering a room: a person's standing read in one query, and the room's rules as pure functions.

Every room event starts here. `read_standing` answers, from the database and never from a cache,
who someone is in one session's room: whether they exist, their site role, their membership of
the circle, and their row for the session (joined, let in, muted, removed). The rules then
decide from that alone, without writing or telling anyone: `entry_refusal` (may they be in the
room at all?) and `send_refusal` (may they speak now?).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Integer, bindparam, case, func, select

from app.auth.models import User, is_moderator_role
from app.circles.models import (
    CircleSession,
    Membership,
    MembershipRole,
    MembershipStatus,
    Phase,
    SessionState,
)
from app.core.database import Prepared, utcnow
from app.extensions import db
from app.live.errors import LiveError
from app.live.models import Message, SessionParticipant

CLOSED_PHASES = (Phase.BREATHING.value, Phase.QUIET.value)


def now() -> datetime:
    """The clock every room rule reads (one place to freeze in tests)."""
    return utcnow()


@dataclass(frozen=True, slots=True)
class SessionView:
    """The session's columns the room reads (and `session_dict` describes)."""

    id: int
    circle_id: int
    title: str
    state: str
    phase: str
    locked: bool
    slow_mode_seconds: int
    talking_piece: bool
    waiting_room: bool
    holder_id: int | None
    breath: dict | None
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True)
class Standing:
    """One person as one session's room sees them now."""

    user_id: int
    display_name: str
    session: SessionView
    room_role: str  # "member" | "facilitator" | "moderator"
    joined: bool  # has been in the room (a lock lets them back in)
    admitted: bool  # let in from the waiting room
    removed: bool
    muted_until: datetime | None
    last_sent_at: datetime | None = None  # read for sends only (slow mode)

    @property
    def may_moderate(self) -> bool:
        """Facilitators of the circle and site moderators run and moderate the room."""
        return self.room_role in ("facilitator", "moderator")


_SESSION_COLUMNS = tuple(getattr(CircleSession, field.name) for field in fields(SessionView))


def _last_sent(user):
    """The author's last message time, read only in slow mode (not every send walks their
    messages)."""
    last = select(func.max(Message.created_at)).where(
        Message.session_id == CircleSession.id, Message.author_id == user
    )
    slow = CircleSession.slow_mode_seconds > 0
    return case((slow, last.scalar_subquery()), else_=None).label("last_sent_at")


def _standing_query(for_send: bool, user=None, session=None):
    """The one query: the session, the person, their membership and their session row."""
    user = bindparam("user_id") if user is None else user
    session = bindparam("session_id") if session is None else session
    columns = [
        User.display_name,
        User.role,
        *_SESSION_COLUMNS,
        Membership.role,
        Membership.status,
        SessionParticipant.joined_at,
        SessionParticipant.admitted_at,
        SessionParticipant.removed_at,
        SessionParticipant.muted_until,
    ]
    if for_send:
        columns.append(_last_sent(user))
    return (
        select(*columns)
        .select_from(CircleSession)
        .join(User, User.id == user)
        .outerjoin(
            Membership,
            (Membership.circle_id == CircleSession.circle_id) & (Membership.user_id == user),
        )
        .outerjoin(
            SessionParticipant,
            (SessionParticipant.session_id == CircleSession.id)
            & (SessionParticipant.user_id == user),
        )
        .where(CircleSession.id == session, User.deleted_at.is_(None))
    )


STANDING = _standing_query(for_send=False)
SEND_STANDING = _standing_query(for_send=True)
# On PostgreSQL the same two queries, prepared once per connection.
_PARAMS = {"user_id": Integer(), "session_id": Integer()}
PREPARED_STANDING = Prepared("holdspace_standing", partial(_standing_query, False), _PARAMS)
PREPARED_SEND_STANDING = Prepared("holdspace_send", partial(_standing_query, True), _PARAMS)
_SESSION_SLICE = slice(2, 2 + len(_SESSION_COLUMNS))


def room_role(is_site_moderator: bool, membership_role: str | None, status: str | None) -> str:
    """The room role of someone with this site role and membership in a session that exists;
    `not_found` (outsiders) or `banned` when they may not enter at all."""
    approved = status == MembershipStatus.APPROVED.value
    if approved and membership_role == MembershipRole.FACILITATOR.value:
        return "facilitator"
    if is_site_moderator:
        return "moderator"
    if status == MembershipStatus.BANNED.value:
        raise LiveError("banned")
    if not approved:
        raise LiveError("not_found")
    return "member"


def read_standing(
    user_id: int, session_id: int, *, for_send: bool = False, connection=None, before: str = ""
) -> Standing:
    """This person's standing in the session's room; `not_found` or `banned` for those who may
    not see it at all (a missing or cancelled session looks the same as one never seen). Read
    through the ORM session's connection unless the caller's transaction gives its own; on
    PostgreSQL, `before` is SQL sent ahead of the read in the same round trip."""
    if not isinstance(session_id, int) or not isinstance(user_id, int):
        raise LiveError("not_found")
    connection = connection or db.session.connection()
    if connection.dialect.name == "postgresql":
        prepared = PREPARED_SEND_STANDING if for_send else PREPARED_STANDING
        query = prepared.call(connection, before)
    else:
        query = SEND_STANDING if for_send else STANDING
    row = connection.execute(query, {"user_id": user_id, "session_id": session_id}).first()
    if row is None:
        raise LiveError("not_found")
    session = SessionView(*row[_SESSION_SLICE])
    if session.cancelled_at is not None:
        raise LiveError("not_found")
    display_name, site_role = row[0], row[1]
    membership_role, status, joined_at, admitted_at, removed_at, muted_until = row[
        _SESSION_SLICE.stop : _SESSION_SLICE.stop + 6
    ]
    return Standing(
        user_id=user_id,
        display_name=display_name,
        session=session,
        room_role=room_role(is_moderator_role(site_role), membership_role, status),
        joined=joined_at is not None,
        admitted=admitted_at is not None,
        removed=removed_at is not None,
        muted_until=muted_until,
        last_sent_at=row[-1] if for_send else None,
    )


# --- the rules: pure functions of a standing -------------------------------------------------


def entry_refusal(standing: Standing) -> str | None:
    """Why this person may not be in the room now (`removed`, `locked`, `waiting`), or None.

    Keepers always may. Removed people stay out; a lock keeps newcomers out (people who were
    already in, or were let in, may come back); a waiting room holds members until let in.
    """
    if standing.may_moderate:
        return None
    session = standing.session
    if standing.removed:
        return "removed"
    if session.locked and not (standing.joined or standing.admitted):
        return "locked"
    if session.waiting_room and not standing.admitted:
        return "waiting"
    return None


def active_mute(muted_until: datetime | None, moment: datetime) -> datetime | None:
    """When a mute ends, or None when there is none (an expired mute counts as none)."""
    return muted_until if muted_until is not None and muted_until > moment else None


def send_refusal(standing: Standing, moment: datetime) -> str | None:
    """Why this person may not send a message now, or None; the room rules by phase, with the
    talking piece, mute and slow mode on top. Keepers may always send."""
    refusal = entry_refusal(standing)
    if refusal is not None or standing.may_moderate:
        return refusal
    session = standing.session
    if session.phase in CLOSED_PHASES or session.state == SessionState.ENDED.value:
        return "phase_closed"
    if (
        session.phase == Phase.SHARING.value
        and session.talking_piece
        and session.holder_id != standing.user_id
    ):
        return "not_your_turn"
    if active_mute(standing.muted_until, moment) is not None:
        return "muted"
    window = session.slow_mode_seconds or 0
    last = standing.last_sent_at
    if window > 0 and last is not None and last > moment - timedelta(seconds=window):
        return "slow_mode"
    return None


# --- entering rooms for events ---------------------------------------------------------------


def enter_room(user_id: int, session_id: int) -> Standing:
    """The standing of someone who may be in the room; refusals as error codes."""
    standing = read_standing(user_id, session_id)
    refusal = entry_refusal(standing)
    if refusal is not None:
        raise LiveError(refusal)
    return standing


def keeper_access(user_id: int, session_id: int) -> Standing:
    """For facilitator-only events: outsiders `not_found`, members `forbidden`."""
    standing = read_standing(user_id, session_id)
    if not standing.may_moderate:
        raise LiveError(entry_refusal(standing) or "forbidden")
    return standing


def session_row(standing: Standing) -> CircleSession:
    """The session as an ORM row, for the verbs that change it."""
    return db.session.get(CircleSession, standing.session.id)
