"""Export: the member's whole journal as JSON and as a Markdown archive."""

from __future__ import annotations

from app.core.database import utcnow
from app.journal.crypto import Vault
from app.journal.services import EntryView, decrypt_all

FORMAT_VERSION = 1


def entry_as_dict(view: EntryView) -> dict:
    """One entry in the export's JSON shape."""
    return {
        "id": view.id,
        "kind": view.kind,
        "created_at": view.created_at.isoformat(),
        "updated_at": view.updated_at.isoformat(),
        "title": view.title,
        "body": view.body,
        "mood": view.mood,
        "feelings": view.feelings,
        "tags": view.tags,
        "prompt": view.prompt_words,
        "session_id": view.context.get("session_id"),
        "moment": view.context.get("moment"),
        "damaged": view.damaged,
    }


def export_json(vault: Vault, user) -> dict:
    """Everything in the journal, oldest first."""
    entries = [entry_as_dict(view) for view in decrypt_all(vault)]
    entries.reverse()
    return {
        "format": "holdspace-journal",
        "version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "username": user.username,
        "entries": entries,
    }


def _markdown_section(view: EntryView) -> list[str]:
    """One entry as a Markdown section."""
    lines = [f"## {view.display_title}", "", f"*{view.created_at:%A %d %B %Y, %H:%M} UTC*", ""]
    details = []
    if view.mood is not None:
        details.append(f"mood {view.mood}/5")
    if view.feelings:
        details.append("feelings: " + ", ".join(view.feelings))
    if view.tags:
        details.append("tags: " + ", ".join(view.tags))
    if details:
        lines += ["- " + item for item in details] + [""]
    if view.prompt_words:
        lines += [f"> {view.prompt_words}", ""]
    if view.body:
        lines += [view.body.rstrip(), ""]
    return lines


def export_markdown(vault: Vault, user) -> str:
    """The journal as one Markdown document, oldest entry first."""
    views = list(decrypt_all(vault))
    views.reverse()
    lines = [
        f"# Journal of {user.display_name}",
        "",
        f"Exported from Holdspace on {utcnow():%d %B %Y}. Keep this file somewhere safe: "
        "unlike your journal inside Holdspace, it is not encrypted.",
        "",
    ]
    for view in views:
        lines += _markdown_section(view)
    return "\n".join(lines)
