"""The journal blueprint: no-store caching, and one way to ask for the unlocked key."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from app.journal.crypto import Vault
from app.journal.sessions import current_vault

blueprint = Blueprint("journal", __name__, url_prefix="/journal")


class JournalLocked(Exception):
    """This login holds no unlocked journal key; the member re-enters their password."""


def require_vault() -> Vault:
    """The unlocked key for this request, or a detour through the unlock page."""
    vault = current_vault()
    if vault is None:
        raise JournalLocked()
    return vault


@blueprint.errorhandler(JournalLocked)
def ask_to_unlock(error):
    """Send the member to the small unlock form, then back (paths hold only ids)."""
    return redirect(url_for("journal.unlock", next=request.path))


@blueprint.after_request
def never_cache(response):
    """Journal pages must never be kept by a browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response
