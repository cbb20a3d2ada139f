"""Solo practice pages: the guided session, and the reflection it ends with."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.journal import services as journal
from app.journal.sessions import current_vault, unlock
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


def _vault_for_saving(form: ReflectionForm):
    """The unlocked journal, opening it with the password given on the form if it is locked."""
    vault = current_vault()
    if vault is not None:
        return vault
    if form.password.data and unlock(current_user, form.password.data):
        return current_vault()
    if form.password.data:
        form.password.errors.append("That password didn't open your journal. Please try again.")
    else:
        form.password.errors.append("Your journal is locked here; your password opens it.")
    return None


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    """The guided practice; posting it saves the reflection to my journal."""
    form = ReflectionForm()
    if not form.validate_on_submit():
        locked = current_vault() is None
        return _render(form, locked, 400 if form.errors else 200)
    vault = _vault_for_saving(form)
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
