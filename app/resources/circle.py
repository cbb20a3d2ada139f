"""Resources pinned to one circle: only its members see them; facilitators and moderators curate."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from app.circles.access import access_circle_by_id, can_moderate_circle, membership_of
from app.extensions import db
from app.resources.models import Resource, ResourceKind

# A circle's shelf stays short enough to read in a side panel.
MAX_PINNED_PER_CIRCLE = 50


@dataclass(frozen=True)
class CirclePanel:
    """What the circle page and the live room's side panel need to show a circle's resources."""

    circle_id: int
    resources: list[Resource]
    can_manage: bool


def may_see_circle_resources(user, circle_id: int) -> bool:
    """Approved members (facilitators included) and site moderators."""
    if getattr(user, "is_moderator", False):
        return True
    membership = membership_of(user, circle_id)
    return membership is not None and membership.is_active


def may_curate_circle_resources(user, circle_id: int) -> bool:
    """Facilitators of this circle, and site moderators and admins."""
    return can_moderate_circle(user, circle_id)


def access_circle_resources(user, circle_id: int):
    """The circle, if this user may see its resources; 404 otherwise."""
    circle = access_circle_by_id(user, circle_id)
    if not may_see_circle_resources(user, circle_id):
        raise NotFound()
    return circle


def resources_for_circle(user, circle_id: int) -> list[Resource]:
    """The circle's pinned resources in order, for someone allowed to see them (else 404)."""
    access_circle_resources(user, circle_id)
    statement = (
        select(Resource)
        .where(Resource.circle_id == circle_id)
        .order_by(Resource.position, Resource.created_at, Resource.id)
    )
    return list(db.session.scalars(statement))


def circle_resources_panel(user, circle_id: int) -> CirclePanel:
    """Everything `resources/_circle_resources.html` needs, checked for this user (else 404)."""
    resources = resources_for_circle(user, circle_id)
    return CirclePanel(circle_id, resources, may_curate_circle_resources(user, circle_id))


def require_circle_curator(user, circle_id: int) -> None:
    """404 unless the user may see and curate this circle's resources."""
    access_circle_resources(user, circle_id)
    if not may_curate_circle_resources(user, circle_id):
        raise NotFound()


class CircleShelfFull(ValueError):
    """The circle already has as many pinned resources as a panel can sensibly show."""


def pin_resource(
    user, circle_id: int, kind: str, title: str, url: str | None = None, body: str = ""
) -> Resource:
    """Pin a link or a short note to the circle."""
    require_circle_curator(user, circle_id)
    if kind not in (ResourceKind.LINK.value, ResourceKind.NOTE.value):
        raise ValueError(f"circles pin links or notes, not {kind!r}")
    count = db.session.scalar(
        select(func.count(Resource.id)).where(Resource.circle_id == circle_id)
    )
    if count >= MAX_PINNED_PER_CIRCLE:
        raise CircleShelfFull()
    resource = Resource(
        slug=f"circle-{circle_id}-{secrets.token_hex(6)}",
        title=title,
        summary="",
        body_markdown=body if kind == ResourceKind.NOTE.value else "",
        category="",
        kind=kind,
        url=url if kind == ResourceKind.LINK.value else None,
        circle_id=circle_id,
        pinned_by_id=user.id,
        position=count,
    )
    if kind == ResourceKind.LINK.value:
        resource.summary = body
    resource.refresh_reading_time()
    db.session.add(resource)
    db.session.commit()
    return resource


def unpin_resource(user, circle_id: int, resource_id: int) -> None:
    """Remove a pinned resource from the circle."""
    require_circle_curator(user, circle_id)
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.circle_id != circle_id:
        raise NotFound()
    db.session.delete(resource)
    db.session.commit()
