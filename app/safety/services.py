"""Safety services: risk checks for the live room, and the crisis resources admins keep."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.safety.defaults import DEFAULT_RESOURCES, INTERNATIONAL
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


class ResourceError(ValueError):
    """A crisis resource change that cannot be made; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def safety_payload_for_author(region: str | None = None) -> dict:
    """The private `safety:resources` payload: 2-3 resources, kind words and the help pages."""
    resources = [resource.as_payload() for resource in resources_for(region, PAYLOAD_MAX)]
    if len(resources) < PAYLOAD_MIN:
        names = {item["name"] for item in resources}
        for resource in _builtin_resources():
            if len(resources) >= PAYLOAD_MIN:
                break
            if resource.name not in names:
                resources.append(resource.as_payload())
    return {
        "resources": resources,
        "message": AUTHOR_MESSAGE,
        "help_url": CRISIS_PAGE,
        "grounding_url": GROUNDING_PAGE,
    }


# --- reading resources -----------------------------------------------------------------------


def ensure_default_resources() -> None:
    """Load the default resources when the table is empty (a fresh install)."""
    if db.session.scalar(select(func.count(CrisisResource.id))):
        return
    for position, (name, contact, url, region) in enumerate(DEFAULT_RESOURCES, start=1):
        db.session.add(
            CrisisResource(name=name, contact=contact, url=url, region=region, position=position)
        )
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
    if region:
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


def _region_rank(resource: CrisisResource, region: str) -> int:
    """0 for the asked region, 1 for international resources, 2 for other regions."""
    if resource.region.casefold() == region.casefold():
        return 0
    return 1 if resource.region.casefold() == INTERNATIONAL.casefold() else 2


def _builtin_resources() -> list[CrisisResource]:
    """The defaults as unsaved objects, for when nothing is configured or active."""
    return [
        CrisisResource(name=name, contact=contact, url=url, region=region, position=position)
        for position, (name, contact, url, region) in enumerate(DEFAULT_RESOURCES, start=1)
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
