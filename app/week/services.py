"""My week's verbs: plan practice, journaling, movement, group and therapy time, and see what the
week holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from app.circles.schedule import zone_for
from app.core.database import utcnow
from app.extensions import db
from app.week.models import PlanKind, PlannedPractice

MAX_PLANS = 20
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PlanError(ValueError):
    """A plan that cannot be kept; the message is user-facing."""


@dataclass(frozen=True)
class Occurrence:
    """One planned moment in the coming days."""

    plan: PlannedPractice
    starts_at: datetime  # aware UTC
    local_day: date


def access_plan(user, plan_id: int) -> PlannedPractice:
    """The plan if it is this member's own; 404 for everyone else."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    plan = db.session.scalar(
        select(PlannedPractice).where(
            PlannedPractice.id == plan_id, PlannedPractice.user_id == user.id
        )
    )
    if plan is None:
        raise NotFound()
    return plan


def plans_for(user_id: int) -> list[PlannedPractice]:
    """This member's plans, practice first, then by time of day."""
    rows = db.session.scalars(select(PlannedPractice).where(PlannedPractice.user_id == user_id))
    return sorted(rows, key=lambda p: (p.kind != PlanKind.PRACTICE.value, p.time_of_day, p.id))


def _clean(kind: str, weekdays, time_of_day: str, timezone: str) -> dict:
    """Check one plan's values (the form has already checked their shapes)."""
    if kind not in {k.value for k in PlanKind}:
        raise PlanError("Please choose what the time is for.")
    try:
        days = sorted({int(day) for day in weekdays})
    except (TypeError, ValueError):
        days = []
    if not days or any(day < 0 or day > 6 for day in days):
        raise PlanError("Please choose at least one day.")
    try:
        time.fromisoformat(time_of_day)
        zone_for(timezone)
    except ValueError:
        raise PlanError("Please give a time like 20:00 and a time zone we know.") from None
    return {"kind": kind, "weekdays": days, "time_of_day": time_of_day, "timezone": timezone}


def add_plan(user, kind: str, weekdays, time_of_day: str, timezone: str) -> PlannedPractice:
    """Keep a new weekly plan for this member."""
    count = db.session.scalar(
        select(func.count(PlannedPractice.id)).where(PlannedPractice.user_id == user.id)
    )
    if count >= MAX_PLANS:
        raise PlanError(f"You can keep up to {MAX_PLANS} plans. Remove one to add another.")
    plan = PlannedPractice(user_id=user.id, **_clean(kind, weekdays, time_of_day, timezone))
    plan.created_at = plan.updated_at = utcnow()
    db.session.add(plan)
    db.session.commit()
    return plan


def update_plan(user, plan_id: int, kind: str, weekdays, time_of_day: str, timezone: str):
    """Change one of my plans."""
    plan = access_plan(user, plan_id)
    for name, value in _clean(kind, weekdays, time_of_day, timezone).items():
        setattr(plan, name, value)
    plan.updated_at = utcnow()
    db.session.commit()
    return plan


def delete_plan(user, plan_id: int) -> None:
    """Let go of one of my plans."""
    db.session.delete(access_plan(user, plan_id))
    db.session.commit()


def describe(plan: PlannedPractice) -> str:
    """ "Tuesday and Friday at 20:00" in the plan's own words."""
    days = [DAY_NAMES[day] for day in plan.weekdays]
    if len(days) == 7:
        when = "Every day"
    elif len(days) > 1:
        when = ", ".join(days[:-1]) + " and " + days[-1]
    else:
        when = days[0] if days else "No day"
    return f"{when} at {plan.time_of_day}"


def occurrences(plan: PlannedPractice, now: datetime, days: int = 7) -> list[Occurrence]:
    """The plan's moments from today (in its zone) for `days` days, past ones today included."""
    zone = zone_for(plan.timezone)
    today = now.astimezone(zone).date()
    clock = time.fromisoformat(plan.time_of_day)
    found = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        if day.weekday() in plan.weekdays:
            local = datetime.combine(day, clock, tzinfo=zone)
            found.append(Occurrence(plan, local.astimezone(UTC), day))
    return found


def week_ahead(user_id: int, now: datetime | None = None) -> list[Occurrence]:
    """Every planned moment of this member in the next seven days, in time order."""
    now = now or utcnow()
    found = [occ for plan in plans_for(user_id) for occ in occurrences(plan, now)]
    return sorted(found, key=lambda occ: occ.starts_at)


def reminders_today(user_id: int, now: datetime | None = None) -> list[Occurrence]:
    """Today's planned moments (each in its own zone): the gentle line on /week and home."""
    now = now or utcnow()
    return [occ for occ in week_ahead(user_id, now) if occ.local_day == _today_in(occ.plan, now)]


def _today_in(plan: PlannedPractice, now: datetime) -> date:
    """Today's date in the plan's zone."""
    return now.astimezone(zone_for(plan.timezone)).date()


KIND_NAMES = {
    PlanKind.PRACTICE.value: "Solo practice",
    PlanKind.JOURNAL.value: "Journaling",
    PlanKind.MOVEMENT.value: "Movement",
    PlanKind.GROUP.value: "Group time",
    PlanKind.THERAPY.value: "Therapy",
}

REMINDERS = {
    PlanKind.JOURNAL.value: "You set aside a little time for your journal today, around {at}. "
    "Only if it feels right.",
    PlanKind.MOVEMENT.value: "You planned to move your body a little today, around {at}. "
    "Gently, in whatever way feels good.",
    PlanKind.GROUP.value: "You have group time today, around {at}. "
    "Being with others who understand can help.",
    PlanKind.THERAPY.value: "You have time with your therapist today, around {at}. "
    "It can help to note anything you'd like to bring.",
    PlanKind.PRACTICE.value: "You planned some quiet practice time today, around {at}. "
    "It's there if you want it, and fine to let go if you don't.",
}


def kind_name(plan: PlannedPractice) -> str:
    """What the plan is for, in a word or two."""
    return KIND_NAMES.get(plan.kind, KIND_NAMES[PlanKind.PRACTICE.value])


def reminder_line(occurrence: Occurrence) -> str:
    """A kind, optional-sounding line for today; never a count, never a streak."""
    words = REMINDERS.get(occurrence.plan.kind, REMINDERS[PlanKind.PRACTICE.value])
    return words.format(at=occurrence.plan.time_of_day)
