"""Journal entry pages: list, write, read, edit, delete, find, prompts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.markdown import render_markdown
from app.journal import services
from app.journal.blueprint import blueprint, require_vault
from app.journal.forms import FEELINGS, ConfirmForm, EntryForm, SearchForm
from app.journal.prompts import PROMPTS_BY_ID, prompts_by_theme
from app.journal.sessions import pending_recovery_code

DAMAGED_EDIT = (
    "This entry couldn't be opened, so it can't be changed; we've left it exactly as it is. "
    "You're welcome to write a new entry instead."
)


def _status(form) -> int:
    """400 when a submitted form has errors, else 200."""
    return 400 if form.errors else 200


@blueprint.route("/")
@login_required
def index():
    """My journal, newest first, one page at a time."""
    vault = require_vault()
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "journal/index.html",
        page=services.list_page(vault, page),
        search_form=SearchForm(formdata=None),
        has_pending_code=pending_recovery_code(current_user) is not None,
        rotating=vault.is_rotating,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_entry():
    """Write an entry, optionally from a prompt."""
    vault = require_vault()
    form = EntryForm()
    if request.method == "GET":
        prompt_id = request.args.get("prompt", "")
        form.prompt.data = prompt_id if prompt_id in PROMPTS_BY_ID else ""
    if form.validate_on_submit():
        entry = services.create_entry(vault, **form.entry(), prompt=form.prompt.data or None)
        flash("Saved to your journal.", "success")
        return redirect(url_for("journal.show_entry", entry_id=entry.id))
    prompt = PROMPTS_BY_ID.get(form.prompt.data or "")
    return render_template(
        "journal/form.html", form=form, prompt=prompt, editing=None, feelings=FEELINGS
    ), _status(form)


@blueprint.route("/<int:entry_id>")
@login_required
def show_entry(entry_id: int):
    """One entry, for its owner only."""
    entry = services.access_entry(current_user, entry_id)
    view = services.read_entry(require_vault(), entry)
    return render_template(
        "journal/entry.html", entry=view, body_html=render_markdown(view.body), form=ConfirmForm()
    )


@blueprint.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int):
    """Change an entry; every changed field is sealed again under a fresh nonce."""
    entry = services.access_entry(current_user, entry_id)
    vault = require_vault()
    view = services.read_entry(vault, entry)
    if view.damaged:
        flash(DAMAGED_EDIT, "info")
        return redirect(url_for("journal.show_entry", entry_id=entry.id))
    form = EntryForm()
    if request.method == "GET":
        form.title.data, form.body.data = view.title, view.body
        form.mood.data = str(view.mood) if view.mood else ""
        form.feelings.data = [word for word in view.feelings if word in FEELINGS]
        form.tags.data, form.prompt.data = ", ".join(view.tags), view.prompt or ""
    if form.validate_on_submit():
        try:
            services.update_entry(vault, entry, **form.entry())
        except services.EntryDamaged:
            flash(DAMAGED_EDIT, "info")
        else:
            flash("Your changes are saved.", "success")
        return redirect(url_for("journal.show_entry", entry_id=entry.id))
    prompt = PROMPTS_BY_ID.get(view.prompt or "")
    return render_template(
        "journal/form.html", form=form, prompt=prompt, editing=view, feelings=FEELINGS
    ), _status(form)


@blueprint.route("/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_entry(entry_id: int):
    """Ask once, then delete an entry for good."""
    entry = services.access_entry(current_user, entry_id)
    view = services.read_entry(require_vault(), entry, ("title", "context"))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_entry(entry)
        flash("That entry is deleted.", "info")
        return redirect(url_for("journal.index"))
    return render_template("journal/delete.html", entry=view, form=form)


@blueprint.route("/search", methods=["GET", "POST"])
@login_required
def search():
    """Find my entries by words and tag; posted so the words never sit in a URL or a log."""
    vault = require_vault()
    form = SearchForm()
    results, tags = None, None
    if request.method == "POST" and form.validate():
        page = form.page.data or 1
        found = services.search(vault, form.q.data or "", form.tag.data or "", page)
        results, tags = found.page, found.tags
    if tags is None:
        tags = services.all_tags(vault)
    return render_template("journal/search.html", form=form, results=results, tags=tags), _status(
        form
    )


@blueprint.route("/prompts")
@login_required
def prompts():
    """The prompt library, with a way to start writing from each prompt."""
    return render_template("journal/prompts.html", themes=prompts_by_theme())
