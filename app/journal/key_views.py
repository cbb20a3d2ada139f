"""Key pages: unlock the journal on this login, see and renew the recovery code."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from app.auth.passwords import verify_password
from app.core.downloads import download
from app.core.urls import safe_next_url
from app.extensions import limiter
from app.journal import keys, sessions
from app.journal.blueprint import blueprint
from app.journal.forms import ConfirmForm, PasswordCheckForm


def _unlock_limit() -> str:
    """Unlocking costs what a login costs, so it is limited like one."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@blueprint.route("/unlock", methods=["GET", "POST"])
@login_required
@limiter.limit(_unlock_limit, methods=["POST"])
def unlock():
    """Re-enter the password to open the journal on this login."""
    target = safe_next_url(request.args.get("next")) or url_for("journal.index")
    if sessions.current_vault() is not None:
        return redirect(target)
    form = PasswordCheckForm()
    if form.validate_on_submit():
        if sessions.unlock(current_user, form.password.data):
            return redirect(target)
        form.password.errors.append(sessions.WRONG_PASSWORD)
    status = 400 if form.errors else 200
    return render_template("journal/unlock.html", form=form), status


@blueprint.route("/recovery-code")
@login_required
def recovery_code():
    """Show a new recovery code once; otherwise explain it and offer a fresh one."""
    code = sessions.pending_recovery_code(current_user)
    return render_template(
        "journal/recovery_code.html",
        code=code,
        has_code=keys.has_recovery_code(current_user.id),
        ack_form=ConfirmForm(),
        new_form=PasswordCheckForm(formdata=None),
    )


@blueprint.route("/recovery-code/download")
@login_required
def download_recovery_code():
    """The waiting recovery code as a small text file (only until it is marked as saved)."""
    code = sessions.pending_recovery_code(current_user)
    if code is None:
        return redirect(url_for("journal.recovery_code"))
    text = render_template("journal/recovery_code.txt", code=code, username=current_user.username)
    return download(text, "text/plain", "holdspace-recovery-code.txt")


@blueprint.route("/recovery-code/saved", methods=["POST"])
@login_required
def recovery_code_saved():
    """The member has kept the code: the last copy is removed."""
    if ConfirmForm().validate_on_submit():
        sessions.forget_recovery_code(current_user)
        flash("Thank you. Your recovery code is no longer stored anywhere here.", "success")
    return redirect(url_for("site.index"))


@blueprint.route("/recovery-code/new", methods=["POST"])
@login_required
@limiter.limit(_unlock_limit)
def new_recovery_code():
    """Replace the recovery code (the old one stops working); asks for the password first."""
    if sessions.current_vault() is None:
        return redirect(url_for("journal.unlock", next=url_for("journal.recovery_code")))
    form = PasswordCheckForm()
    if form.validate_on_submit() and verify_password(
        current_user.password_hash, form.password.data
    ):
        sessions.replace_recovery_code_for_display(current_user, form.password.data)
        return redirect(url_for("journal.recovery_code"))
    if not form.password.errors:
        form.password.errors.append("That isn't your password. Please try again.")
    return render_template(
        "journal/recovery_code.html",
        code=None,
        has_code=keys.has_recovery_code(current_user.id),
        ack_form=ConfirmForm(),
        new_form=form,
    ), 400
