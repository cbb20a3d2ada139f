"""The library's own articles: Markdown files with a small header, loaded into the database."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.resources.models import (
    CATEGORIES,
    SLUG_MAX,
    SLUG_PATTERN,
    Resource,
    ResourceKind,
    reading_minutes_for,
)

log = logging.getLogger(__name__)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
REQUIRED_FIELDS = ("title", "slug", "category", "summary")


class LibraryError(ValueError):
    """A library file that cannot be loaded as it is."""


@dataclass(frozen=True)
class Article:
    """One article as written on disk."""

    title: str
    slug: str
    category: str
    summary: str
    body: str
    position: int = 0


@dataclass
class LoadReport:
    """What one run of the loader did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def parse_article(text: str, name: str = "<article>") -> Article:
    """Split `---` front matter (key: value lines) from the Markdown body and check it."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise LibraryError(f"{name}: no front matter")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise LibraryError(f"{name}: front matter is not closed") from None
    header: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if not sep:
            raise LibraryError(f"{name}: cannot read header line {line!r}")
        header[key.strip()] = value.strip()
    missing = [key for key in REQUIRED_FIELDS if not header.get(key)]
    if missing:
        raise LibraryError(f"{name}: missing {', '.join(missing)}")
    if not re.fullmatch(SLUG_PATTERN, header["slug"]) or len(header["slug"]) > SLUG_MAX:
        raise LibraryError(f"{name}: slugs are lower-case words joined by dashes")
    if header["category"] not in CATEGORIES:
        raise LibraryError(f"{name}: unknown category {header['category']!r}")
    return Article(
        title=header["title"],
        slug=header["slug"],
        category=header["category"],
        summary=header["summary"],
        body="\n".join(lines[end + 1 :]).strip() + "\n",
        position=int(header.get("position") or 0),
    )


def read_library(directory: Path = LIBRARY_DIR) -> list[Article]:
    """Every article file in the library folder, in file-name order."""
    return [
        parse_article(path.read_text(encoding="utf-8"), path.name)
        for path in sorted(directory.glob("*.md"))
    ]


def _apply(resource: Resource, article: Article) -> bool:
    """Copy an article onto its row; True when anything changed."""
    wanted = {
        "title": article.title,
        "summary": article.summary,
        "category": article.category,
        "body_markdown": article.body,
        "kind": ResourceKind.ARTICLE.value,
        "url": None,
        "circle_id": None,
        "position": article.position,
        "reading_minutes": reading_minutes_for(article.body),
    }
    changed = False
    for attribute, value in wanted.items():
        if getattr(resource, attribute) != value:
            setattr(resource, attribute, value)
            changed = True
    return changed


def load_library(directory: Path = LIBRARY_DIR) -> LoadReport:
    """Insert or update every library article by slug; running it again changes nothing."""
    articles = read_library(directory)
    report = LoadReport()
    existing = {
        resource.slug: resource
        for resource in db.session.scalars(
            select(Resource).where(Resource.slug.in_([a.slug for a in articles]))
        )
    }
    for article in articles:
        resource = existing.get(article.slug)
        if resource is None:
            resource = Resource(slug=article.slug)
            _apply(resource, article)
            db.session.add(resource)
            report.created.append(article.slug)
        elif _apply(resource, article):
            report.updated.append(article.slug)
        else:
            report.unchanged.append(article.slug)
    try:
        db.session.commit()
    except IntegrityError:
        # Someone else loaded the same slugs at the same moment; their rows stand.
        db.session.rollback()
        log.info("library load raced with another loader; keeping the rows already there")
        return LoadReport(unchanged=[a.slug for a in articles])
    return report


def library_is_empty() -> bool:
    """True when the global library holds nothing at all."""
    first = select(Resource.id).where(Resource.circle_id.is_(None)).limit(1)
    return db.session.scalar(first) is None


def load_library_if_empty() -> LoadReport | None:
    """Fill a brand-new library on first use, so a fresh instance is never bare."""
    if not library_is_empty():
        return None
    return load_library()
