"""A small world with one person in every standing, built straight from rows (fast to rebuild)."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from app.aftercare.models import AftercareCheck
from app.auth.models import User, username_key
from app.auth.passwords import hash_password
from app.auth.services import start_login
from app.circles.models import Circle, CircleSession, Membership, SessionSeries
from app.core.database import utcnow
from app.core.sockets import queue_channel
from app.extensions import db
from app.journal.models import JournalEntry
from app.live import rooms
from app.live.facilitation.moderating import remove_member
from app.live.models import FollowupThread, Message, Report
from app.resources.models import Resource
from app.safety.alerts import RISK_LANGUAGE
from app.safety.models import CrisisResource, SafetyAlert
from app.week.calendar import hash_token
from app.week.models import CalendarToken, PlannedPractice
from tests.conftest import DEFAULT_PASSWORD

# Persona -> (site role, standing in circle A: None | (circle role, status)).
PERSONAS = {
    "anonymous": None,
    "outsider": ("member", None),
    "pending": ("member", ("member", "pending")),
    "member": ("member", ("member", "approved")),
    "removed": ("member", ("member", "approved")),  # then removed from THE session (below)
    "banned": ("member", ("member", "banned")),
    "other_facilitator": ("facilitator", None),  # facilitates circle B only
    "facilitator": ("facilitator", ("facilitator", "approved")),
    "moderator": ("moderator", None),
    "admin": ("admin", None),
}


@functools.cache
def password_hash() -> str:
    """One argon2 hash shared by every persona (hashing is the slow part of making people)."""
    return hash_password(DEFAULT_PASSWORD)


@dataclass
class World:
    """Ids of everything the matrix points at, and each persona's login token."""

    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    circle: int = 0
    other_circle: int = 0
    session: int = 0
    series: int = 0
    message: int = 0
    entry: int = 0
    article: int = 0
    article_slug: str = ""
    pinned: int = 0
    crisis: int = 0
    applicant: int = 0  # a second pending person, the target of approve/decline
    target: int = 0  # an approved member nobody plays: the target of mute/remove/ban/admit/stick
    report: int = 0  # an open report about `message`
    plan: int = 0  # the member's planned practice
    feed_token: str = ""  # the member's calendar feed token (only its hash is stored)
    aftercare: int = 0  # the member's after-the-circle row (tomorrow's card)
    alert: int = 0  # a risk alert about the member's message
    thread: int = 0  # a follow-up with `target`


def build_world(app) -> World:
    """Create the rows; every persona gets a live login session."""
    world = World()
    # Ids may be reused after a rebuild: start from empty room state (presence, hands, admitted).
    rooms.configure(app.config.get("REDIS_URL"), queue_channel(app))
    with app.app_context():
        people = {}
        extras = [("applicant", ("member", None)), ("target", ("member", None))]
        for name, spec in [*PERSONAS.items(), *extras]:
            if spec is None:
                continue
            person = User(
                username=name.replace("_", ""),
                username_key=username_key(name.replace("_", "")),
                display_name=name.replace("_", " ").title(),
                password_hash=password_hash(),
                role=spec[0],
                consented_at=utcnow(),
            )
            db.session.add(person)
            people[name] = person
        db.session.flush()
        circle = Circle(name="Circle A", description="", agreements=["Be kind"], is_public=True)
        other = Circle(name="Circle B", description="", agreements=["Be kind"], is_public=True)
        db.session.add_all([circle, other])
        db.session.flush()
        for name, spec in PERSONAS.items():
            if spec is not None and spec[1] is not None:
                role, status = spec[1]
                db.session.add(_membership(circle.id, people[name].id, role, status))
        db.session.add(_membership(circle.id, people["applicant"].id, "member", "pending"))
        db.session.add(_membership(circle.id, people["target"].id, "member", "approved"))
        db.session.add(
            _membership(other.id, people["other_facilitator"].id, "facilitator", "approved")
        )
        starts = utcnow() + timedelta(days=2)
        series = SessionSeries(
            circle_id=circle.id, title="Weekly", first_starts_at=starts, timezone="UTC"
        )
        db.session.add(series)
        db.session.flush()
        session = CircleSession(
            circle_id=circle.id,
            series_id=series.id,
            title="Now",
            state="live",
            starts_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(session)
        db.session.flush()
        message = Message(
            session_id=session.id, author_id=people["member"].id, client_id="m1", body="hello"
        )
        entry = JournalEntry(
            user_id=people["member"].id,
            **dict.fromkeys(("title", "body", "mood", "feelings", "tags", "prompt"), b"x"),
            context=b"x",
        )
        article = Resource(slug="matrix-article", title="An article", body_markdown="Hello")
        pinned = Resource(
            slug="matrix-pinned",
            title="Pinned",
            kind="link",
            url="https://example.org/",
            circle_id=circle.id,
            pinned_by_id=people["facilitator"].id,
        )
        crisis = CrisisResource(name="Line", contact="000")
        plan = PlannedPractice(
            user_id=people["member"].id, weekdays=[0, 3], time_of_day="20:00", timezone="UTC"
        )
        world.feed_token = secrets.token_urlsafe(32)
        feed = CalendarToken(user_id=people["member"].id, token_hash=hash_token(world.feed_token))
        db.session.add_all([message, entry, article, pinned, crisis, plan, feed])
        db.session.flush()
        report = Report(
            message_id=message.id,
            session_id=session.id,
            circle_id=circle.id,
            reporter_id=people["target"].id,
            reason="matrix",
        )
        alert = SafetyAlert(
            session_id=session.id,
            message_id=message.id,
            user_id=people["member"].id,
            kind=RISK_LANGUAGE,
        )
        aftercare = AftercareCheck(
            user_id=people["member"].id, session_id=session.id, remind_from=utcnow()
        )
        thread = FollowupThread(
            session_id=session.id,
            user_id=people["target"].id,
            opened_by_id=people["facilitator"].id,
        )
        db.session.add_all([report, alert, aftercare, thread])
        db.session.commit()
        # "removed": an approved member the facilitator asked to step out of THE session, through
        # the moderation service itself, so the standing is exactly what the room sees.
        remove_member(people["facilitator"].id, session.id, people["removed"].id, "matrix")
        for name, person in people.items():
            world.users[name] = person.id
            if name in PERSONAS:
                world.tokens[name] = start_login(person).token
        world.circle, world.other_circle, world.session = circle.id, other.id, session.id
        world.series, world.message, world.entry = series.id, message.id, entry.id
        world.article, world.article_slug = article.id, article.slug
        world.pinned, world.crisis = pinned.id, crisis.id
        world.applicant, world.target = people["applicant"].id, people["target"].id
        world.report, world.plan = report.id, plan.id
        world.aftercare = aftercare.id
        world.alert, world.thread = alert.id, thread.id
        db.session.remove()
    return world


def _membership(circle_id: int, user_id: int, role: str, status: str) -> Membership:
    """A membership row that has accepted the agreements."""
    return Membership(
        circle_id=circle_id,
        user_id=user_id,
        role=role,
        status=status,
        agreements_accepted_at=utcnow(),
    )


def client_as(app, world: World, persona: str):
    """A test client carrying this persona's login cookie (none for anonymous)."""
    client = app.test_client()
    token = world.tokens.get(persona)
    if token:
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
    return client
