"""Practice verbs: save a reflection into the journal, and keep a content-free history row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.database import utcnow
from app.extensions import db
from app.journal import services as journal
from app.journal.crypto import Vault
from app.journal.forms import FEELINGS
from app.practice.guide import BEFORE_BY_ID, OUTCOMES, PRESETS_BY_ID
from app.practice.models import PracticeSession

ENTRY_TITLE = "Solo practice"


@dataclass(frozen=True)
class Reflection:
    """What the member told us at the end of a practice (validated by the form)."""

    intention: str
    preset: str
    after: str
    before: str = ""
    minutes: int | None = None
    prompt: str | None = None
    playlist_url: str = ""
    notes: str = ""


def _body(reflection: Reflection) -> str:
    """The entry's Markdown: the practice's shape first, then the member's own words."""
    preset = PRESETS_BY_ID.get(reflection.preset)
    lines = [f"**Intention:** {reflection.intention}", ""]
    if reflection.before:
        lines.append(f"- Before: {BEFORE_BY_ID.get(reflection.before, reflection.before).lower()}")
    lines.append(f"- Now: {OUTCOMES[reflection.after].lower()}")
    if reflection.minutes is not None:
        lines.append(f"- Time given: about {reflection.minutes} minutes")
    if preset:
        lines.append(f"- Breathing: {preset.label.split(' — ')[0].lower()}")
    if reflection.playlist_url:
        lines.append(f"- Music: <{reflection.playlist_url}>")
    if reflection.notes.strip():
        lines += ["", reflection.notes.strip()]
    return "\n".join(lines)


def _feelings(reflection: Reflection) -> list[str]:
    """The before and after words that the journal's insights already know."""
    words = [reflection.before, reflection.after]
    return [word for word in dict.fromkeys(words) if word in FEELINGS]


def save_reflection(user, vault: Vault, reflection: Reflection, now: datetime | None = None):
    """Write the encrypted journal entry, then a history row that cannot be matched to it.

    The row keeps only the day, never the moment, and is written in its own transaction: the same
    timestamp on both rows would tell which padded, encrypted entry is a practice.
    """
    if vault.user_id != user.id:
        raise PermissionError("a vault opens only its owner's journal")
    now = now or utcnow()
    seconds = (reflection.minutes or 0) * 60
    entry = journal.create_entry(
        vault,
        title=ENTRY_TITLE,
        body=_body(reflection),
        feelings=_feelings(reflection),
        tags=["practice"],
        prompt=reflection.prompt or None,
        context={
            "kind": "practice",
            "intention": reflection.intention,
            "duration_seconds": seconds,
            "preset": reflection.preset,
            "before": reflection.before or None,
            "after": reflection.after,
        },
    )
    day = (now - timedelta(seconds=seconds)).replace(hour=0, minute=0, second=0, microsecond=0)
    db.session.add(
        PracticeSession(
            user_id=user.id,
            started_at=day,
            duration_seconds=seconds,
            preset=reflection.preset,
            created_at=day,
        )
    )
    db.session.commit()
    return entry


def practice_history(user_id: int, limit: int | None = None) -> list[PracticeSession]:
    """This member's practices, newest first."""
    query = (
        select(PracticeSession)
        .where(PracticeSession.user_id == user_id)
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))
