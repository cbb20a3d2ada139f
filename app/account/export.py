"""Export everything that is mine as one JSON document, and nothing that belongs to anyone else."""

from __future__ import annotations

from sqlalchemy import select

from app.account.services import preferences_of
from app.aftercare.services import checks_of
from app.circles.models import Circle, CircleSession, Membership
from app.core.database import utcnow
from app.extensions import db
from app.journal.crypto import Vault
from app.journal.export import entry_as_dict
from app.journal.models import JournalSharedExcerpt
from app.journal.services import decrypt_all
from app.live.models import FollowupMessage, FollowupThread, Message, Reaction, Report
from app.practice.services import practice_history
from app.safety.alerts import REQUEST
from app.safety.models import SafetyAlert
from app.week.calendar import feed_of
from app.week.services import plans_for

FORMAT_VERSION = 1


def _iso(moment) -> str | None:
    """ISO 8601 or None."""
    return moment.isoformat() if moment else None


def _profile(user) -> dict:
    """Who I am here."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "created_at": _iso(user.created_at),
        "consented_at": _iso(user.consented_at),
        "password_changed_at": _iso(user.password_changed_at),
    }


def _preferences(user) -> dict:
    """My settings."""
    row = preferences_of(user.id)
    return {
        "share_typing": bool(row.share_typing),
        "collapse_content_warnings": bool(row.collapse_content_warnings),
        "reduce_motion": bool(row.reduce_motion),
        "country": row.country or None,  # for crisis lines; None when not chosen
    }


def _memberships(user) -> list[dict]:
    """The circles I belong to, asked to join, left or was banned from."""
    rows = db.session.execute(
        select(Membership, Circle.name)
        .join(Circle, Circle.id == Membership.circle_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.created_at)
    )
    return [
        {
            "circle_id": membership.circle_id,
            "circle_name": name,
            "role": membership.role,
            "status": membership.status,
            "requested_at": _iso(membership.created_at),
            "decided_at": _iso(membership.decided_at),
            "agreements_accepted_at": _iso(membership.agreements_accepted_at),
        }
        for membership, name in rows
    ]


def _messages(user) -> list[dict]:
    """What I said in circle sessions, with where and when."""
    rows = db.session.execute(
        select(Message, CircleSession.title, Circle.name)
        .join(CircleSession, CircleSession.id == Message.session_id)
        .join(Circle, Circle.id == CircleSession.circle_id)
        .where(Message.author_id == user.id)
        .order_by(Message.created_at, Message.id)
    )
    return [
        {
            "id": message.id,
            "session_id": message.session_id,
            "session_title": title,
            "circle_name": circle_name,
            "body": message.body,
            "content_warning": message.content_warning or None,
            "created_at": _iso(message.created_at),
            "hidden_by_a_facilitator": message.hidden_at is not None,
        }
        for message, title, circle_name in rows
    ]


def _reactions(user) -> list[dict]:
    """The reactions I gave (not whose message they were on)."""
    rows = db.session.scalars(
        select(Reaction).where(Reaction.user_id == user.id).order_by(Reaction.created_at)
    )
    return [{"kind": row.kind, "created_at": _iso(row.created_at)} for row in rows]


def _reports(user) -> list[dict]:
    """Reports I made, in my own words (not the reported message or its author)."""
    rows = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at)
    )
    return [
        {"reason": row.reason, "status": row.status, "created_at": _iso(row.created_at)}
        for row in rows
    ]


def _support_requests(user) -> list[dict]:
    """When I asked the facilitators for support, in which session, and my own note."""
    rows = db.session.execute(
        select(SafetyAlert, CircleSession.title)
        .join(CircleSession, CircleSession.id == SafetyAlert.session_id)
        .where(
            SafetyAlert.user_id == user.id,
            (SafetyAlert.kind == REQUEST) | (SafetyAlert.source == "support_note"),
        )
        .order_by(SafetyAlert.created_at, SafetyAlert.id)
    )
    return [
        {"session_title": title, "note": alert.note or None, "created_at": _iso(alert.created_at)}
        for alert, title in rows
    ]


def _followups(user) -> list[dict]:
    """Private follow-ups I was part of, as the member or as a keeper, with every line."""
    mine = select(FollowupMessage.thread_id).where(FollowupMessage.author_id == user.id)
    threads = db.session.execute(
        select(FollowupThread, CircleSession.title)
        .join(CircleSession, CircleSession.id == FollowupThread.session_id)
        .where((FollowupThread.user_id == user.id) | FollowupThread.id.in_(mine))
        .order_by(FollowupThread.id)
    )
    exported = []
    for thread, title in threads:
        lines = db.session.scalars(
            select(FollowupMessage)
            .where(FollowupMessage.thread_id == thread.id)
            .order_by(FollowupMessage.id)
        )
        exported.append(
            {
                "session_title": title,
                "with_me_as": "member" if thread.user_id == user.id else "keeper",
                "lines": [
                    {
                        "mine": line.author_id == user.id,
                        "body": line.body,
                        "at": _iso(line.created_at),
                    }
                    for line in lines
                ],
            }
        )
    return exported


def _shared_excerpts(user) -> list[dict]:
    """Journal excerpts I chose to share into a circle."""
    rows = db.session.scalars(
        select(JournalSharedExcerpt)
        .where(JournalSharedExcerpt.user_id == user.id)
        .order_by(JournalSharedExcerpt.created_at)
    )
    return [
        {"circle_id": row.circle_id, "text": row.text, "created_at": _iso(row.created_at)}
        for row in rows
    ]


def _journal(vault: Vault) -> tuple[list[dict], list[dict]]:
    """My journal decrypted, oldest first: written entries and practices, and check-ins apart."""
    entries, checkins = [], []
    for view in decrypt_all(vault):
        record = entry_as_dict(view)
        if view.kind == "practice":
            record["practice"] = {k: v for k, v in view.context.items() if k != "kind"}
        (checkins if view.kind == "checkin" else entries).append(record)
    entries.reverse()
    checkins.reverse()
    return entries, checkins


def _routine(user) -> dict:
    """Practice history, plans and whether the calendar feed is on."""
    feed = feed_of(user)
    return {
        "practice_history": [
            {
                "started_at": _iso(row.started_at),
                "duration_seconds": row.duration_seconds,
                "preset": row.preset,
            }
            for row in reversed(practice_history(user.id))
        ],
        "planned_practices": [
            {
                "kind": plan.kind,
                "weekdays": list(plan.weekdays),
                "time_of_day": plan.time_of_day,
                "timezone": plan.timezone,
            }
            for plan in plans_for(user.id)
        ],
        "calendar_feed": {"on": feed is not None, "created_at": _iso(feed and feed.created_at)},
        "aftercare": [
            {
                "session_id": check.session_id,
                "created_at": _iso(check.created_at),
                "timezone": check.timezone,
                "asked_to_be_asked_tomorrow": check.remind_from is not None,
                "card_put_away_at": _iso(check.dismissed_at),
            }
            for check in checks_of(user.id)
        ],
    }


def export_everything(user, vault: Vault) -> dict:
    """One document with every piece of my data the server can read for me."""
    entries, checkins = _journal(vault)
    return {
        "format": "holdspace-account",
        "version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "profile": _profile(user),
        "preferences": _preferences(user),
        "memberships": _memberships(user),
        "messages": _messages(user),
        "reactions": _reactions(user),
        "reports": _reports(user),
        "support_requests": _support_requests(user),
        "followups": _followups(user),
        "shared_excerpts": _shared_excerpts(user),
        "journal": entries,
        "checkins": checkins,
        **_routine(user),
    }
