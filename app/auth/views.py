"""Account pages: register, log in, log out, change password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm, RegisterForm
from app.core import plain_http
from app.core.urls import safe_next_url
from app.extensions import limiter
from app.journal import sessions as journal_sessions
from app.journal.forms import RecoverForm

blueprint = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _begin_session(user, password: str) -> None:
    """Start a server-side login, put its token in a fresh cookie session, unlock the journal."""
    session.clear()
    services.start_login(user, request.user_agent.string or "")
    login_user(user)
    session.permanent = True
    journal_sessions.open_for_login(user, password)


def _plain_http_notice(page: str) -> dict:
    """Template values that explain, on the page and in the log, a login cookie the browser
    will refuse (production over plain http); nothing otherwise."""
    if not plain_http.cookies_refused():
        return {}
    plain_http.note_refused_cookie(f"the {page} page")
    return {"plain_http": True, "plain_http_address": plain_http.https_address()}


@blueprint.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """Create an account and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.username.data, form.display_name.data, form.password.data
            )
        except services.AccountError as error:
            getattr(form, error.field or "username").errors.append(str(error))
        else:
            _begin_session(user, form.password.data)
            flash(f"Welcome, {user.display_name}. We're glad you're here.", "success")
            if journal_sessions.issue_recovery_code_for_display(user):
                return redirect(url_for("journal.recovery_code"))
            return redirect(url_for("core.index"))
    notice = _plain_http_notice("registration")
    status = 200 if not form.errors else 400
    return render_template("auth/register.html", form=form, **notice), status


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in; wrong passwords and unknown usernames get the same answer."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            _begin_session(user, form.password.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("core.index"))
        form.password.errors.append("That username and password don't match an account.")
    notice = _plain_http_notice("login")
    return render_template("auth/login.html", form=form, **notice), 200 if not form.errors else 400


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End this login everywhere: cookie, server-side session and sockets."""
    if current_user.is_authenticated and current_user.current_login is not None:
        services.end_login(current_user.current_login)
    logout_user()
    session.clear()
    flash("You're logged out. Take good care.", "info")
    return redirect(url_for("core.index"))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change my password and end my other logins."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as error:
            getattr(form, error.field or "current_password").errors.append(str(error))
        else:
            flash("Your password is changed. Any other devices have been logged out.", "success")
            return redirect(url_for("core.index"))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 400


@blueprint.route("/recover", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def recover():
    """Forgotten password: the journal recovery code sets a new one and gives a new code."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            new_code = services.reset_password_with_recovery_code(
                form.username.data, form.recovery_code.data, form.new_password.data
            )
        except services.AccountError as error:
            form.recovery_code.errors.append(str(error))
        else:
            return render_template("auth/recovered.html", code=new_code)
    return render_template("auth/recover.html", form=form), 200 if not form.errors else 400
