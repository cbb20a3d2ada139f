"""Journal verbs: write, read, edit, delete and find a member's own encrypted entries."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from app.core.database import utcnow
from app.extensions import db
from app.journal.crypto import DecryptionError, Vault
from app.journal.models import ENTRY_FIELDS, JournalEntry
from app.journal.prompts import prompt_text

log = logging.getLogger(__name__)

PER_PAGE = 20
LIST_FIELDS = ("title", "mood", "tags", "feelings", "context")
SEARCH_FIELDS = ("title", "body", "tags", "feelings", "prompt", "context", "mood")
MOMENT_LABELS = {"arrival": "Arrival check-in", "closing": "Closing check-in"}


@dataclass
class EntryView:
    """One entry as its owner sees it, decrypted for this request only."""

    id: int
    created_at: datetime
    updated_at: datetime
    title: str = ""
    body: str = ""
    mood: int | None = None
    feelings: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    prompt: str | None = None
    context: dict = field(default_factory=dict)
    damaged: bool = False

    @property
    def kind(self) -> str:
        """Either entry (written) or checkin (from a live session)."""
        return self.context.get("kind", "entry")

    @property
    def display_title(self) -> str:
        """The title, or a gentle stand-in."""
        if self.title:
            return self.title
        if self.kind == "checkin":
            return MOMENT_LABELS.get(self.context.get("moment"), "Check-in")
        return f"Entry of {self.created_at:%d %B %Y}"

    @property
    def prompt_words(self) -> str | None:
        """The words of the prompt this entry was written from."""
        return prompt_text(self.prompt)


@dataclass
class Page:
    """One page of entries."""

    items: list[EntryView]
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))


def access_entry(user, entry_id: int) -> JournalEntry:
    """The entry if it is this member's own; 404 for everyone else, whatever their role."""
    if not getattr(user, "is_authenticated", False) or not isinstance(entry_id, int):
        raise NotFound()
    entry = db.session.scalar(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.user_id == user.id)
    )
    if entry is None:
        raise NotFound()
    return entry


class EntryDamaged(Exception):
    """Part of an entry does not open, so it cannot be sealed again as it stands."""


def _seal_all(vault: Vault, entry: JournalEntry, values: dict) -> None:
    """Encrypt every field onto the row under the newest key, bound to its revision and date."""
    for name, value in values.items():
        sealed = vault.seal_field(
            entry.id, name, value, revision=entry.revision, created_at=entry.created_at
        )
        setattr(entry, name, sealed)
    entry.key_version = vault.key_version


def create_entry(
    vault: Vault,
    *,
    title: str = "",
    body: str = "",
    mood: int | None = None,
    feelings: Iterable[str] = (),
    tags: Iterable[str] = (),
    prompt: str | None = None,
    context: dict | None = None,
    created_at: datetime | None = None,
    commit: bool = True,
) -> JournalEntry:
    """Write a new entry; the row gets its id first so the id can be bound into every field."""
    now = created_at or utcnow()
    entry = JournalEntry(user_id=vault.user_id, key_version=vault.key_version, revision=1)
    entry.created_at = entry.updated_at = now
    for name in ENTRY_FIELDS:
        setattr(entry, name, b"")
    db.session.add(entry)
    db.session.flush()
    values = {
        "title": title,
        "body": body,
        "mood": mood,
        "feelings": list(feelings),
        "tags": list(tags),
        "prompt": prompt,
        "context": context or {"kind": "entry"},
    }
    _seal_all(vault, entry, values)
    if commit:
        db.session.commit()
    return entry


def update_entry(vault: Vault, entry: JournalEntry, **values) -> None:
    """Save changes as a new revision: every field is sealed again, bound to that revision.

    Raises EntryDamaged when a field that was not changed does not open (it cannot be carried).
    """
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"unknown journal fields: {sorted(unknown)}")
    kept = [name for name in ENTRY_FIELDS if name not in values]
    current = read_entry(vault, entry, kept)
    if current.damaged:
        raise EntryDamaged()
    entry.revision = (entry.revision or 1) + 1
    _seal_all(vault, entry, {**{name: getattr(current, name) for name in kept}, **values})
    entry.updated_at = utcnow()
    db.session.commit()


def delete_entry(entry: JournalEntry) -> None:
    """Delete an entry for good."""
    db.session.delete(entry)
    db.session.commit()


def read_entry(vault: Vault, entry: JournalEntry, fields: Iterable[str] = ENTRY_FIELDS):
    """Decrypt the asked-for fields; if any fails to open, none is shown and the view is damaged.

    All or nothing: after a partial rollback the fields that still open could be an older text
    presented as current, so nothing of the entry is vouched for.
    """
    view = EntryView(id=entry.id, created_at=entry.created_at, updated_at=entry.updated_at)
    values, failed = {}, []
    for name in fields:
        try:
            values[name] = vault.open_field(
                entry.id,
                name,
                getattr(entry, name),
                entry.key_version,
                revision=entry.revision,
                created_at=entry.created_at,
            )
        except (DecryptionError, ValueError):
            failed.append(name)
    if failed:
        log.warning("journal entry %s: %s field(s) did not decrypt", entry.id, len(failed))
        view.damaged = True
        return view
    for name, value in values.items():
        if value is not None:
            setattr(view, name, value)
    return view


def _owned_entries(vault: Vault):
    """The query for this member's own entries, newest first."""
    return (
        select(JournalEntry)
        .where(JournalEntry.user_id == vault.user_id)
        .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
    )


def count_entries(vault: Vault) -> int:
    """How many records this member's journal holds."""
    return db.session.scalar(
        select(func.count(JournalEntry.id)).where(JournalEntry.user_id == vault.user_id)
    )


def list_page(vault: Vault, page: int = 1) -> Page:
    """One page of the journal, decrypting only that page's summaries."""
    total = count_entries(vault)
    page = max(1, min(page, max(1, math.ceil(total / PER_PAGE))))
    rows = db.session.scalars(_owned_entries(vault).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page([read_entry(vault, row, LIST_FIELDS) for row in rows], page, total)


def decrypt_all(vault: Vault, fields: Iterable[str] = ENTRY_FIELDS) -> Iterator[EntryView]:
    """Every entry of this member, decrypted field by field (newest first)."""
    fields = tuple(fields)
    for row in db.session.scalars(_owned_entries(vault).execution_options(yield_per=200)):
        yield read_entry(vault, row, fields)


def _haystack(view: EntryView) -> str:
    """The searchable text of one entry, case-folded."""
    parts = [view.display_title, view.body, " ".join(view.tags), " ".join(view.feelings)]
    parts.append(view.prompt_words or "")
    return "\n".join(parts).casefold()


@dataclass
class SearchResult:
    """A page of matches and, from the same pass, every tag with its count."""

    page: Page
    tags: list[tuple[str, int]]


def _count_tags(counts: dict[str, int], tags: list[str]) -> None:
    """Add one entry's tags to the running counts."""
    for tag in tags:
        counts[tag] = counts.get(tag, 0) + 1


def _sorted_tags(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Most used first, then alphabetically."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def search(vault: Vault, words: str = "", tag: str = "", page: int = 1) -> SearchResult:
    """Full-text search and tag filter over the member's own entries, decrypted in memory."""
    needles = [word.casefold() for word in (words or "").split()]
    wanted_tag = (tag or "").casefold()
    matches, tag_counts = [], {}
    for view in decrypt_all(vault, SEARCH_FIELDS):
        _count_tags(tag_counts, view.tags)
        if wanted_tag and wanted_tag not in {t.casefold() for t in view.tags}:
            continue
        if needles:
            haystack = _haystack(view)
            if not all(needle in haystack for needle in needles):
                continue
        matches.append(view)
    total = len(matches)
    page = max(1, min(page, max(1, math.ceil(total / PER_PAGE))))
    start = (page - 1) * PER_PAGE
    return SearchResult(
        Page(matches[start : start + PER_PAGE], page, total), _sorted_tags(tag_counts)
    )


def all_tags(vault: Vault) -> list[tuple[str, int]]:
    """Every tag this member uses, most used first."""
    counts: dict[str, int] = {}
    for view in decrypt_all(vault, ("tags",)):
        _count_tags(counts, view.tags)
    return _sorted_tags(counts)
