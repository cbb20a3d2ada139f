"""My data: settings, export everything, and delete my account."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from app.account import services
from app.account.export import export_everything
from app.account.forms import DeleteAccountForm, SettingsForm
from app.auth.services import AccountError
from app.core.database import utcnow
from app.core.downloads import download, safe_filename_part
from app.core.errors import database_is_down
from app.extensions import db
from app.journal.sessions import current_vault

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.after_request
def never_cache(response):
    """Account pages and the export hold personal data: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.app_context_processor
def body_preferences():
    """`account_body_class()` for base.html: the member's own motion preference, site-wide."""

    def account_body_class() -> str:
        if database_is_down() or not getattr(current_user, "is_authenticated", False):
            return ""
        return "reduce-motion" if services.preferences_of(current_user.id).reduce_motion else ""

    return {"account_body_class": account_body_class}


def _settings_form() -> SettingsForm:
    """The settings form, filled from what is stored on a first visit."""
    form = SettingsForm()
    if request.method == "GET":
        prefs = services.preferences_of(current_user.id)
        form.display_name.data = current_user.display_name
        form.share_typing.data = prefs.share_typing
        form.collapse_content_warnings.data = prefs.collapse_content_warnings
        form.reduce_motion.data = prefs.reduce_motion
        form.country.data = prefs.country or ""
    return form


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    """My settings, with the way to my data and to leaving."""
    form = _settings_form()
    if form.validate_on_submit():
        try:
            services.update_settings(
                current_user,
                form.display_name.data,
                share_typing=form.share_typing.data,
                collapse_content_warnings=form.collapse_content_warnings.data,
                reduce_motion=form.reduce_motion.data,
                country=form.country.data or "",
            )
        except AccountError as error:
            form.display_name.errors.append(str(error))
        else:
            flash("Your settings are saved.", "success")
            return redirect(url_for("account.index"))
    return render_template("account/index.html", form=form), (400 if form.errors else 200)


@blueprint.route("/export")
@login_required
def export():
    """Everything that is mine as one JSON file; the journal must be open to include it."""
    vault = current_vault()
    if vault is None:
        return redirect(url_for("journal.unlock", next=request.path))
    document = export_everything(current_user, vault)
    filename = f"holdspace-{safe_filename_part(current_user.username)}-{utcnow():%Y-%m-%d}.json"
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return download(body, "application/json", filename)


@blueprint.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Ask once, clearly; then delete the account, end every login and shred the journal."""
    form = DeleteAccountForm()
    alone_in = services.sole_facilitated_circles(current_user)
    if form.validate_on_submit():
        try:
            services.delete_account(
                current_user,
                form.password.data,
                form.confirm.data,
                remove_messages=form.remove_messages.data,
            )
        except AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "password").errors.append(str(error))
        else:
            logout_user()
            session.clear()
            flash("Your account is deleted. Thank you for the time you spent here.", "info")
            return redirect(url_for("site.index"))
    page = render_template("account/delete.html", form=form, alone_in=alone_in)
    return page, (400 if form.errors else 200)
