"""Safety services: risk checks for the live room, and the crisis resources admins keep."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.auth.models import UserPreferences
from app.core.errors import FieldError
from app.extensions import db
from app.safety.defaults import DEFAULT_RESOURCES, EU, EU_COUNTRIES, INTERNATIONAL
from app.safety.model import load_model
from app.safety.models import CrisisResource
from app.safety.risk import RiskAssessment, assess
from app.safety.validators import is_http_url

log = logging.getLogger(__name__)

CRISIS_PAGE = "/help/crisis"
GROUNDING_PAGE = "/help/grounding"
AUTHOR_MESSAGE = (
    "Something in what you just shared sounded really heavy. You don't have to hold it alone: "
    "these people are there to listen, any time."
)
PAYLOAD_MIN, PAYLOAD_MAX = 2, 3


class ResourceError(FieldError):
    """A crisis resource change that cannot be made; `field` names the form field."""


# --- risk language (called by the live room) -------------------------------------------------


def check_message_for_risk(text: str | None, previous: Sequence[str] = ()) -> RiskAssessment:
    """Assess a message with the author's last few before it (oldest first); never logs text.

    `previous` is the same author's earlier messages in this session: the room passes at most
    the last 3 from the last ~15 minutes. On risk or concern the level, category and rule ids
    are logged, and nothing else.
    """
    result = assess(text, previous)
    if result.level != "none":
        log.info(
            "risk language: level=%s category=%s rules=%s",
            result.level,
            result.category,
            ",".join(result.matched),
        )
    return result


def load_detector() -> str | None:
    """Load the risk model once per process; its version (logged at load), or None."""
    model = load_model()
    return model.version if model else None


def safety_payload_for_author(country: str | None = None) -> dict:
    """The private `safety:resources` payload: the person's country's lines first (up to two),
    the global directory always, kind words and the help pages."""
    return {
        "resources": [resource.as_payload() for resource in offered_resources(country)],
        "message": AUTHOR_MESSAGE,
        "help_url": CRISIS_PAGE,
        "grounding_url": GROUNDING_PAGE,
        "country": country or None,
    }


NUDGE_MESSAGE = (
    "It sounds like a lot is moving through you. You don't have to push through it alone: a "
    "minute of grounding can help, and so can more support when it keeps coming back."
)
SEEK_HELP_PAGE = "/resources/when-to-reach-for-more-support"


def nudge_payload(country: str | None = None) -> dict:
    """The gentler private `safety:nudge` for seek-help signs (hours of crying, numbness, panic):
    grounding first, the when-to-seek-help article, and the lines if they are needed."""
    return {
        "level": "concern",
        "message": NUDGE_MESSAGE,
        "grounding_url": GROUNDING_PAGE,
        "help_url": SEEK_HELP_PAGE,
        "resources": [resource.as_payload() for resource in offered_resources(country)],
        "country": country or None,
    }


def offered_resources(country: str | None) -> list[CrisisResource]:
    """2-3 resources: up to two of the country's own (or the EU's), then the global ones."""
    ranked = resources_for(country, limit=None)
    local = [r for r in ranked if is_local(r, country)][:2]
    global_ones = [r for r in ranked if _region_rank(r, country) == GLOBAL_RANK]
    if not global_ones:  # the directory must always be there, even if an admin hid it
        global_ones = [r for r in _builtin_resources() if r.region == INTERNATIONAL]
    chosen = local + global_ones[: max(PAYLOAD_MIN - len(local), 1)]
    return chosen[:PAYLOAD_MAX]


# --- reading resources -----------------------------------------------------------------------


def chosen_country(user_id: int) -> str | None:
    """The country the person chose in their settings for crisis lines; None if they did not
    (we never guess one)."""
    preferences = db.session.get(UserPreferences, user_id)
    return (preferences.country or None) if preferences is not None else None


def ensure_default_resources() -> None:
    """Load the default resources when the table is empty (a fresh install)."""
    if db.session.scalar(select(func.count(CrisisResource.id))):
        return
    db.session.add_all(_builtin_resources())
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another request loaded them at the same moment


def resources_for(region: str | None = None, limit: int | None = 3) -> list[CrisisResource]:
    """Active resources in the admins' order; a region's own first, then international ones."""
    ensure_default_resources()
    active = list(
        db.session.scalars(
            select(CrisisResource)
            .where(CrisisResource.active.is_(True))
            .order_by(CrisisResource.position, CrisisResource.id)
        )
    )
    if not active:
        active = _builtin_resources()  # never leave someone with nothing to call
    active.sort(key=lambda resource: _region_rank(resource, region))
    return active if limit is None else active[:limit]


def all_resources() -> list[CrisisResource]:
    """Every resource, active or not, in display order (for admins)."""
    ensure_default_resources()
    return list(
        db.session.scalars(
            select(CrisisResource).order_by(CrisisResource.position, CrisisResource.id)
        )
    )


GLOBAL_RANK = 2


def is_local(resource: CrisisResource, country: str | None) -> bool:
    """A line for the person's own country (or the EU's, for an EU country)."""
    return bool(country) and _region_rank(resource, country) < GLOBAL_RANK


def _region_rank(resource: CrisisResource, country: str | None) -> int:
    """0 the person's country, 1 the EU's lines for an EU country, 2 international (the global
    directory), 3 other countries."""
    region = resource.region.casefold()
    if country and region == country.casefold():
        return 0
    if country and region == EU.casefold() and country.upper() in EU_COUNTRIES:
        return 1
    return GLOBAL_RANK if region == INTERNATIONAL.casefold() else 3


def _builtin_resources() -> list[CrisisResource]:
    """The defaults as unsaved objects, for when nothing is configured or active."""
    return [
        CrisisResource(
            name=name, contact=contact, url=url, region=region, checked_on=checked, position=n
        )
        for n, (name, contact, url, region, checked) in enumerate(DEFAULT_RESOURCES, start=1)
    ]


# --- admin changes ---------------------------------------------------------------------------
# Every change below writes an append-only audit entry in the same transaction (global audit log).


def _audit(actor, action: str, resource: CrisisResource, extra: str = "") -> None:
    """The audit row for a change to the crisis resources (committed with the change)."""
    from app.audit.services import record_audit

    label = f"resource={resource.id or 'new'}; {resource.name} ({resource.region})"
    record_audit(actor.id, action, detail=f"{label}{extra}")


def _require_admin(actor) -> None:
    """Only admins configure crisis resources; anyone else is told nothing exists."""
    if not getattr(actor, "is_admin", False):
        raise NotFound()


def resource_for_admin(actor, resource_id: int) -> CrisisResource:
    """The access helper: one resource for an admin, 404 for anyone else or a missing id."""
    _require_admin(actor)
    resource = db.session.get(CrisisResource, resource_id)
    if resource is None:
        raise NotFound()
    return resource


def add_resource(actor, name: str, contact: str, url: str, region: str) -> CrisisResource:
    """Add a resource at the end of the list."""
    _require_admin(actor)
    _check_url(url)
    last = db.session.scalar(select(func.max(CrisisResource.position))) or 0
    resource = CrisisResource(
        name=name, contact=contact, url=url or "", region=region, position=last + 1
    )
    db.session.add(resource)
    _audit(actor, "crisis:add", resource)
    _commit_or_explain()
    return resource


def update_resource(
    actor, resource: CrisisResource, *, name: str, contact: str, url: str, region: str, active: bool
) -> CrisisResource:
    """Change a resource's text, link, region or visibility."""
    _require_admin(actor)
    _check_url(url)
    resource.name, resource.contact, resource.url = name, contact, url or ""
    resource.region, resource.active = region, active
    _audit(actor, "crisis:update", resource, f"; active={str(active).lower()}")
    _commit_or_explain()
    return resource


def set_resource_active(actor, resource: CrisisResource, active: bool) -> CrisisResource:
    """Show or hide a resource without losing it."""
    _require_admin(actor)
    resource.active = active
    _audit(actor, "crisis:show" if active else "crisis:hide", resource)
    db.session.commit()
    return resource


def move_resource(actor, resource: CrisisResource, offset: int) -> None:
    """Move a resource up (-1) or down (+1) one place; positions are renumbered 1..n."""
    _require_admin(actor)
    ordered = all_resources()
    index = ordered.index(resource)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered, start=1):
        item.position = position
    _audit(actor, "crisis:move", resource, f"; position={resource.position}")
    db.session.commit()


def _check_url(url: str) -> None:
    """Services refuse unsafe links even if a caller skipped the form."""
    if url and not is_http_url(url):
        raise ResourceError("Please use a web address starting with https://", field="url")


def _commit_or_explain() -> None:
    """Commit, turning a duplicate name in one region into a form error."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ResourceError(
            "There is already a resource with this name in this region.", field="name"
        ) from error
