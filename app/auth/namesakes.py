"""Display names that would pass for someone on the site's team (moderators and admins).

Names are compared by Unicode TR39 skeleton, case and spacing ignored (app/core/lookalikes.py).
This is the part an account can be checked against on its own, at registration; the circles add
their facilitators (app/circles/namesakes.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import STAFF_ROLES, User
from app.core.lookalikes import looks_alike
from app.extensions import db


@dataclass(frozen=True)
class Clash:
    """The name that a display name would pass for, and why that name matters."""

    name: str
    staff: bool  # the other person is the staff member (not the one being promoted)
    site_wide: bool  # a moderator or admin, rather than a facilitator of one circle
    circle_name: str = ""


NAME_TAKEN_BY_TEAM = (
    "That name looks a lot like the name of someone on the Holdspace team. So nobody mistakes "
    "one of you for the other, please choose a different one."
)


def first_clash(display_name: str, candidates: Iterable[tuple[str, Clash]]) -> Clash | None:
    """The first candidate whose name reads like this one."""
    for other_name, clash in candidates:
        if looks_alike(display_name, other_name):
            return clash
    return None


def site_staff(excluding: int | None):
    """(name, clash) for every moderator and admin but this person."""
    rows = db.session.scalars(
        select(User.display_name).where(
            User.role.in_(STAFF_ROLES), User.deleted_at.is_(None), User.id != (excluding or 0)
        )
    )
    return ((name, Clash(name, staff=True, site_wide=True)) for name in rows)


def team_clash(display_name: str) -> Clash | None:
    """A newcomer's display name against the site's moderators and admins."""
    return first_clash(display_name, site_staff(None))
