"""The global library: finding, reading and curating resources (moderators and admins curate)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.core.database import utcnow
from app.core.errors import FieldError
from app.extensions import db
from app.resources.models import CATEGORIES, SLUG_MAX, SLUG_PATTERN, Resource, ResourceKind


class ResourceError(FieldError):
    """A change that cannot be made; `field` names the form field to show it on."""


@dataclass(frozen=True)
class ResourceDraft:
    """What a curator typed into the resource form, already validated by the form."""

    title: str
    summary: str
    category: str
    kind: str
    body_markdown: str = ""
    url: str | None = None
    slug: str = ""
    position: int = 0


def may_curate_library(user) -> bool:
    """Site moderators and admins curate the global library."""
    return bool(getattr(user, "is_moderator", False))


def require_curator(user) -> None:
    """404 for anyone who may not curate (the pages are not revealed)."""
    if not may_curate_library(user):
        raise NotFound()


def slugify(text: str) -> str:
    """A lower-case ASCII slug made of words and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "resource"


def search_library(query: str = "", category: str = "") -> list[Resource]:
    """Global resources matching the words (title, summary or body) and the category."""
    statement = select(Resource).where(Resource.circle_id.is_(None))
    if category:
        statement = statement.where(Resource.category == category)
    for word in query.split()[:8]:
        statement = statement.where(
            or_(
                Resource.title.icontains(word, autoescape=True),
                Resource.summary.icontains(word, autoescape=True),
                Resource.body_markdown.icontains(word, autoescape=True),
            )
        )
    statement = statement.order_by(Resource.position, Resource.title)
    return list(db.session.scalars(statement))


def group_by_category(resources: list[Resource]) -> list[tuple[str, str, list[Resource]]]:
    """(key, label, resources) for each category that has any, in the library's order."""
    groups = []
    for key, label in CATEGORIES.items():
        members = [resource for resource in resources if resource.category == key]
        if members:
            groups.append((key, label, members))
    return groups


def get_library_resource(slug: str) -> Resource:
    """A global resource by slug; circle resources are never reachable this way."""
    if len(slug) > SLUG_MAX or not re.fullmatch(SLUG_PATTERN, slug):
        raise NotFound()  # also keeps NUL and other oddities away from the database
    resource = db.session.scalar(
        select(Resource).where(Resource.slug == slug, Resource.circle_id.is_(None))
    )
    if resource is None:
        raise NotFound()
    return resource


def get_library_resource_by_id(user, resource_id: int) -> Resource:
    """A global resource for a curator to edit; 404 for everyone else and for circle resources."""
    require_curator(user)
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.circle_id is not None:
        raise NotFound()
    return resource


def _free_slug(wanted: str, resource: Resource | None) -> str:
    """The slug to use, refusing one another resource already has."""
    holder = db.session.scalar(select(Resource).where(Resource.slug == wanted))
    if holder is not None and holder is not resource:
        raise ResourceError("Another resource already uses that address.", "slug")
    return wanted


def _fill(resource: Resource, draft: ResourceDraft) -> None:
    """Copy a draft onto a resource, keeping only what its kind uses."""
    resource.title = draft.title
    resource.summary = draft.summary
    resource.category = draft.category
    resource.kind = draft.kind
    resource.position = draft.position
    resource.url = draft.url if draft.kind == ResourceKind.LINK.value else None
    resource.body_markdown = draft.body_markdown
    resource.refresh_reading_time()
    resource.updated_at = utcnow()


def create_library_resource(user, draft: ResourceDraft) -> Resource:
    """Add a resource to the global library."""
    require_curator(user)
    resource = Resource(circle_id=None, pinned_by_id=user.id)
    resource.slug = _free_slug(draft.slug or slugify(draft.title), None)
    _fill(resource, draft)
    db.session.add(resource)
    _commit_or_refuse()
    return resource


def _commit_or_refuse() -> None:
    """Commit; a slug taken in the meantime becomes a form error rather than a crash."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ResourceError("Another resource already uses that address.", "slug") from None


def update_library_resource(user, resource: Resource, draft: ResourceDraft) -> Resource:
    """Change a global resource (its slug too, if the curator asks)."""
    require_curator(user)
    if draft.slug and draft.slug != resource.slug:
        resource.slug = _free_slug(draft.slug, resource)
    _fill(resource, draft)
    _commit_or_refuse()
    return resource


def delete_library_resource(user, resource: Resource) -> None:
    """Remove a global resource."""
    require_curator(user)
    db.session.delete(resource)
    db.session.commit()
