"""Solo practice pages: the guided session, and the reflection it ends with."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.journal import services as journal
from app.journal.sessions import current_vault, vault_for_saving
from app.practice import guide
from app.practice.forms import ReflectionForm
from app.practice.services import Reflection, save_reflection

blueprint = Blueprint("practice", __name__, url_prefix="/practice")


@blueprint.after_request
def never_cache(response):
    """What someone writes after a practice must never sit in a browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _render(form: ReflectionForm, locked: bool, status: int = 200):
    """The guided page with its reflection form."""
    return render_template("practice/index.html", form=form, guide=guide, locked=locked), status


def _reflection(form: ReflectionForm) -> Reflection:
    """The validated form as a Reflection."""
    return Reflection(
        intention=form.intention_words(),
        preset=form.preset.data,
        after=form.after.data,
        before=form.before.data or "",
        minutes=form.minutes.data,
        prompt=form.prompt.data or None,
        playlist_url=form.playlist_url.data or "",
        notes=form.notes.data or "",
    )


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    """The guided practice; posting it saves the reflection to my journal."""
    form = ReflectionForm()
    if not form.validate_on_submit():
        locked = current_vault() is None
        return _render(form, locked, 400 if form.errors else 200)
    vault = vault_for_saving(current_user, form.password)
    if vault is None:
        return _render(form, locked=True, status=400)
    entry = save_reflection(current_user, vault, _reflection(form))
    return redirect(url_for("practice.saved", entry_id=entry.id))


@blueprint.route("/saved/<int:entry_id>")
@login_required
def saved(entry_id: int):
    """After saving: where the reflection went, and more support if it was hard."""
    entry = journal.access_entry(current_user, entry_id)
    vault = current_vault()
    context = {}
    if vault is not None:
        context = journal.read_entry(vault, entry, ("context",)).context
    if context.get("kind") != "practice":
        context = {}
    return render_template(
        "practice/saved.html",
        entry=entry,
        is_hard=context.get("after") in guide.HARD_OUTCOMES,
        guide=guide,
    )
