"""Home for a logged-in member: the next session, a prompt, recent journal titles, reminders and
the day-after card."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.aftercare.services import NextDayCard, next_day_card
from app.circles.session_services import upcoming_sessions_for_user
from app.core.database import utcnow
from app.journal import services as journal
from app.journal.prompts import PROMPTS, Prompt
from app.journal.sessions import current_vault
from app.week import services as week

RECENT_ENTRIES = 3


@dataclass
class Home:
    """Everything the logged-in home page shows; journal titles only for their owner."""

    next_session: object | None
    prompt: Prompt
    journal_locked: bool
    recent: list = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    after_circle: NextDayCard | None = None


def prompt_of_the_day(today=None) -> Prompt:
    """One prompt a day, the same all day, cycling through the library."""
    today = today or utcnow().date()
    return PROMPTS[today.toordinal() % len(PROMPTS)]


def home_for(user) -> Home:
    """The home page's pieces for this member (decrypting only their own recent titles)."""
    upcoming = upcoming_sessions_for_user(user, limit=1)
    vault = current_vault()
    recent = []
    if vault is not None and vault.user_id == user.id:
        recent = journal.list_page(vault, 1).items[:RECENT_ENTRIES]
    return Home(
        next_session=upcoming[0] if upcoming else None,
        prompt=prompt_of_the_day(),
        journal_locked=vault is None,
        recent=recent,
        reminders=[week.reminder_line(occ) for occ in week.reminders_today(user.id)],
        after_circle=next_day_card(user),
    )
