"""Aftercare verbs: keep the after-the-circle entry, and offer (or put away) tomorrow's card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.aftercare.models import AftercareCheck
from app.circles.models import CircleSession
from app.circles.schedule import zone_for
from app.core.database import utcnow
from app.extensions import db
from app.journal import services as journal
from app.journal.crypto import Vault
from app.journal.forms import FEELINGS
from app.live.access import read_standing
from app.live.errors import LiveError
from app.practice.guide import OUTCOMES

AFTER_PROMPT = "circle-1"
NEXT_DAY_PROMPT = "circle-2"
CARD_DAYS = 2  # the card shows on the next day and the one after, then lets go by itself


@dataclass(frozen=True)
class Answer:
    """What the member chose after the circle (all of it optional)."""

    after: str | None = None
    notes: str = ""
    ask_tomorrow: bool = False
    timezone: str = "UTC"


@dataclass(frozen=True)
class NextDayCard:
    """The gentle question on the home page the day after a circle."""

    check_id: int
    weekday: str
    prompt_id: str = NEXT_DAY_PROMPT


def _body(session, answer: Answer) -> str:
    """The entry's Markdown: which circle, how I was, then my own words."""
    lines = [f"**After the circle:** {session.title} ({session.circle.name})"]
    if answer.after in OUTCOMES:
        lines += ["", f"- Now: {OUTCOMES[answer.after].lower()}"]
    if answer.notes.strip():
        lines += ["", answer.notes.strip()]
    return "\n".join(lines)


def session_for(user, session_id: int) -> CircleSession:
    """A session whose room this person may be in (its aftercare is theirs); 404 otherwise."""
    try:
        read_standing(user.id, session_id)
    except LiveError:
        raise NotFound() from None
    return db.session.get(CircleSession, session_id)


def start_of_next_day(now: datetime, timezone: str) -> datetime:
    """Midnight at the start of tomorrow in the member's zone, as UTC."""
    zone = zone_for(timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0, 0), tzinfo=zone).astimezone(UTC)


def save_aftercare(
    user, vault: Vault, session_id: int, answer: Answer, now: datetime | None = None
):
    """Keep the encrypted after-the-circle entry (and, if asked, tomorrow's card); returns it."""
    if vault.user_id != user.id:
        raise PermissionError("a vault opens only its owner's journal")
    session = session_for(user, session_id)
    now = now or utcnow()
    after = answer.after if answer.after in OUTCOMES else None
    entry = journal.create_entry(
        vault,
        title=f"After the circle: {session.title}",
        body=_body(session, answer),
        feelings=[after] if after in FEELINGS else [],
        tags=["circle"],
        prompt=AFTER_PROMPT,
        context={"kind": "aftercare", "session_id": session.id, "after": after},
        created_at=now,
        commit=False,
    )
    db.session.add(
        AftercareCheck(
            user_id=user.id,
            session_id=session.id,
            created_at=now,
            timezone=answer.timezone or "UTC",
            remind_from=start_of_next_day(now, answer.timezone) if answer.ask_tomorrow else None,
        )
    )
    db.session.commit()
    return entry


def next_day_card(user, now: datetime | None = None) -> NextDayCard | None:
    """Tomorrow's card, if one was asked for and its day has come (and not yet gone)."""
    now = now or utcnow()
    check = db.session.scalar(
        select(AftercareCheck)
        .where(
            AftercareCheck.user_id == user.id,
            AftercareCheck.dismissed_at.is_(None),
            AftercareCheck.remind_from <= now,
            AftercareCheck.remind_from > now - timedelta(days=CARD_DAYS),
        )
        .order_by(AftercareCheck.remind_from.desc(), AftercareCheck.id.desc())
        .limit(1)
    )
    if check is None:
        return None
    weekday = check.created_at.astimezone(zone_for(check.timezone)).strftime("%A")
    return NextDayCard(check.id, weekday)


def dismiss_card(user, check_id: int, now: datetime | None = None) -> None:
    """Put tomorrow's card away; someone else's card is 404."""
    check = db.session.scalar(
        select(AftercareCheck).where(
            AftercareCheck.id == check_id, AftercareCheck.user_id == user.id
        )
    )
    if check is None:
        raise NotFound()
    check.dismissed_at = now or utcnow()
    db.session.commit()


def checks_of(user_id: int) -> list[AftercareCheck]:
    """This member's aftercare rows, oldest first (for their export)."""
    query = select(AftercareCheck).where(AftercareCheck.user_id == user_id)
    return list(db.session.scalars(query.order_by(AftercareCheck.created_at, AftercareCheck.id)))
