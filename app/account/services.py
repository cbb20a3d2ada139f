"""My data's verbs: change my settings, and delete my account for good."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select, update

from app.aftercare.models import AftercareCheck
from app.auth.models import LoginSession, Role, User, UserPreferences
from app.auth.passwords import verify_password
from app.auth.services import AccountError, end_other_logins
from app.circles import namesakes
from app.circles.models import (
    CircleSession,
    Membership,
    MembershipRole,
    MembershipStatus,
    SessionSeries,
    SessionState,
)
from app.core.database import utcnow
from app.core.signals import standing_changed
from app.extensions import db
from app.journal.keys import shred_journal
from app.journal.models import JournalSharedExcerpt
from app.live.models import FollowupThread, Message, Reaction, Report
from app.practice.models import PracticeSession
from app.safety.countries import COUNTRY_NAMES
from app.safety.models import SafetyAlert
from app.week.models import CalendarToken, PlannedPractice

FORMER_MEMBER = "a former member"
# Not an Argon2 hash, so verify_password always says no.
UNUSABLE_HASH = "!deleted"


def preferences_of(user_id: int) -> UserPreferences:
    """The member's preferences, defaults filled in (not stored until changed)."""
    row = db.session.get(UserPreferences, user_id)
    return row or UserPreferences(
        user_id=user_id,
        share_typing=True,
        collapse_content_warnings=True,
        reduce_motion=False,
        country="",
    )


def update_settings(user, display_name: str, country: str | None = None, **flags: bool) -> None:
    """Store a new display name, room/page preferences and the crisis-lines country ("" clears
    it, None leaves it); a new name may not pass for a staff member's (AccountError)."""
    unknown = set(flags) - {"share_typing", "collapse_content_warnings", "reduce_motion"}
    if unknown:
        raise ValueError(f"unknown preferences: {sorted(unknown)}")
    if country is not None and country != "" and country not in COUNTRY_NAMES:
        raise ValueError(f"unknown country: {country!r}")  # the form only offers listed codes
    display_name = display_name.strip()
    if display_name != user.display_name:
        clash = namesakes.clash_for_name(user, display_name)
        if clash is not None:
            raise AccountError(namesakes.name_refusal(clash), "display_name")
    user.display_name = display_name
    row = db.session.get(UserPreferences, user.id)
    if row is None:
        row = UserPreferences(user_id=user.id)
        db.session.add(row)
    for name, value in flags.items():
        setattr(row, name, bool(value))
    if country is not None:
        row.country = country
    db.session.commit()


def sole_facilitated_circles(user) -> list:
    """Circles where I am the only approved facilitator: they lose their host if I leave."""
    mine = db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.role == MembershipRole.FACILITATOR.value,
            Membership.status == MembershipStatus.APPROVED.value,
        )
    )
    alone = []
    for membership in mine:
        others = db.session.scalar(
            select(Membership.id).where(
                Membership.circle_id == membership.circle_id,
                Membership.user_id != user.id,
                Membership.role == MembershipRole.FACILITATOR.value,
                Membership.status == MembershipStatus.APPROVED.value,
            )
        )
        if others is None:
            alone.append(membership.circle)
    return alone


def _pause_circles(circle_ids: list[int]) -> None:
    """A circle without a facilitator meets no more: cancel what is scheduled, stop the series."""
    if not circle_ids:
        return
    now = utcnow()
    db.session.execute(
        update(SessionSeries)
        .where(SessionSeries.circle_id.in_(circle_ids), SessionSeries.cancelled_at.is_(None))
        .values(cancelled_at=now)
    )
    db.session.execute(
        update(CircleSession)
        .where(
            CircleSession.circle_id.in_(circle_ids),
            CircleSession.state == SessionState.SCHEDULED.value,
            CircleSession.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
    )


def _remove_messages(user_id: int) -> None:
    """Delete what I wrote in circles, with the reactions and reports that pointed at it."""
    mine = select(Message.id).where(Message.author_id == user_id).scalar_subquery()
    db.session.execute(delete(Reaction).where(Reaction.message_id.in_(mine)))
    db.session.execute(delete(Report).where(Report.message_id.in_(mine)))
    db.session.execute(delete(Message).where(Message.author_id == user_id))
    db.session.execute(delete(JournalSharedExcerpt).where(JournalSharedExcerpt.user_id == user_id))


def _forget_person(user_id: int) -> None:
    """Remove every row that is about me alone; my reports stay for safety, unsigned."""
    for model in (
        Membership,
        Reaction,
        PracticeSession,
        PlannedPractice,
        CalendarToken,
        SafetyAlert,  # my support requests and their notes, and alerts about me
        FollowupThread,  # follow-ups with me, and every line of them
        AftercareCheck,
    ):
        db.session.execute(delete(model).where(model.user_id == user_id))
    db.session.execute(delete(UserPreferences).where(UserPreferences.user_id == user_id))
    db.session.execute(update(Report).where(Report.reporter_id == user_id).values(reporter_id=None))
    db.session.execute(
        update(CircleSession).where(CircleSession.holder_id == user_id).values(holder_id=None)
    )
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))


def _tombstone(user: User) -> None:
    """What stays of the row: no name, no credentials, only "a former member" for old messages."""
    placeholder = f"former-{secrets.token_hex(8)}"
    user.username = placeholder
    user.username_key = placeholder
    user.display_name = FORMER_MEMBER
    user.password_hash = UNUSABLE_HASH
    user.role = Role.MEMBER.value
    user.deleted_at = user.password_changed_at = utcnow()


def check_deletion(user, password: str, confirm: str) -> None:
    """The password must be right and the username typed out; AccountError otherwise."""
    if not verify_password(user.password_hash, password or ""):
        raise AccountError("That is not your password.", "password")
    if (confirm or "").strip().casefold() != user.username_key:
        raise AccountError("Please type your username exactly, to confirm.", "confirm")


def delete_account(user, password: str, confirm: str, remove_messages: bool = False) -> None:
    """Delete my account: logins and sockets ended, journal shredded, traces removed."""
    check_deletion(user, password, confirm)
    user_id = user.id
    _pause_circles([circle.id for circle in sole_facilitated_circles(user)])
    db.session.commit()
    end_other_logins(user, keep=None)  # revokes every login and disconnects every socket
    shred_journal(user)
    if remove_messages:
        _remove_messages(user_id)
    _forget_person(user_id)
    _tombstone(db.session.get(User, user_id))
    db.session.commit()
    standing_changed.send(None, user_id=user_id)
