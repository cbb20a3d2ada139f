"""Journal pages beyond single entries: insights, export and sharing an excerpt."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.core.downloads import download
from app.journal import services, sharing
from app.journal.blueprint import blueprint, require_vault
from app.journal.export import export_json, export_markdown
from app.journal.forms import ShareForm
from app.journal.insights import build_insights


@blueprint.route("/insights")
@login_required
def insights():
    """Pictures of my journal: mood over time, before/after sessions, recurring words."""
    return render_template("journal/insights.html", data=build_insights(require_vault()))


@blueprint.route("/export")
@login_required
def export():
    """My whole journal as JSON."""
    document = export_json(require_vault(), current_user)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return download(body, "application/json", "holdspace-journal.json")


@blueprint.route("/export.md")
@login_required
def export_md():
    """My whole journal as one Markdown file."""
    body = export_markdown(require_vault(), current_user)
    return download(body, "text/markdown", "holdspace-journal.md")


@blueprint.route("/<int:entry_id>/share", methods=["GET", "POST"])
@login_required
def share(entry_id: int):
    """Choose words to share, see exactly what will be copied, then confirm."""
    entry = services.access_entry(current_user, entry_id)
    view = services.read_entry(require_vault(), entry, ("title", "body", "context"))
    circles = sharing.circles_to_share_with(current_user)
    form = ShareForm()
    form.circle_id.choices = [SelectChoice(circle.id, circle.name) for circle in circles]
    if not form.is_submitted():
        form.excerpt.data = view.body[: sharing.EXCERPT_MAX]
    if circles and form.validate_on_submit() and form.step.data != "edit":
        try:
            text = sharing.clean_excerpt(form.excerpt.data)
            if form.step.data != "confirm":
                circle = next(c for c in circles if c.id == form.circle_id.data)
                return render_template(
                    "journal/share_confirm.html", entry=view, form=form, text=text, circle=circle
                )
            sharing.share_excerpt(current_user, entry, text, form.circle_id.data)
        except sharing.ShareError as error:
            getattr(form, error.field or "excerpt").errors.append(str(error))
        else:
            flash("A copy of your words was shared. Your entry itself stays private.", "success")
            return redirect(url_for("journal.show_entry", entry_id=entry.id))
    status = 400 if form.errors else 200
    return render_template("journal/share.html", entry=view, form=form, circles=circles), status
