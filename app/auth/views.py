"""Account pages: register, log in, log out, change password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services, throttle
from app.auth.forms import ChangePasswordForm, LoginForm, RegisterForm, SecureAccountForm
from app.core import plain_http
from app.core.urls import safe_next_url
from app.extensions import limiter
from app.journal import sessions as journal_sessions
from app.journal.forms import RecoverForm

blueprint = Blueprint("auth", __name__, url_prefix="/auth")

RENEWED_CODE = (
    "We've given your journal a new lock, so it has a new recovery code too. "
    "The code you kept before no longer works; please keep this one instead."
)
SECURED = (
    "Everything is locked again. Every other device has been logged out, your password is new, "
    "and your journal has a new key that nothing from before can open."
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _known_device(response, user):
    """Remember this browser as one of the account's devices: its own login counter from now
    on, so an attacker's failures elsewhere never make it wait (app/auth/throttle.py)."""
    config = current_app.config
    response.set_cookie(
        throttle.DEVICE_COOKIE,
        throttle.new_device_token(user.username),
        max_age=int(throttle.DEVICE_LIFETIME.total_seconds()),
        path=url_for("auth.login"),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


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
        return redirect(url_for("site.index"))
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
                return _known_device(redirect(url_for("journal.recovery_code")), user)
            return _known_device(redirect(url_for("site.index")), user)
    notice = _plain_http_notice("registration")
    status = 200 if not form.errors else 400
    return render_template("auth/register.html", form=form, **notice), status


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in; wrong passwords and unknown usernames get the same answer."""
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = LoginForm()
    if form.validate_on_submit():
        device = request.cookies.get(throttle.DEVICE_COOKIE)
        try:
            user = services.authenticate(form.username.data, form.password.data, device)
        except throttle.LoginThrottled:
            abort(429)  # the same calm page as the per-address limits; no password was checked
        if user is not None:
            _begin_session(user, form.password.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            if journal_sessions.pending_recovery_code(user) is not None:
                flash(RENEWED_CODE, "info")  # a format 1 key was renewed and its code with it
                return _known_device(redirect(url_for("journal.recovery_code")), user)
            next_page = safe_next_url(request.args.get("next")) or url_for("site.index")
            return _known_device(redirect(next_page), user)
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
    return redirect(url_for("site.index"))


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
            if journal_sessions.pending_recovery_code(current_user) is not None:
                flash(RENEWED_CODE, "info")
                return redirect(url_for("journal.recovery_code"))
            return redirect(url_for("site.index"))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 400


@blueprint.route("/secure", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def secure_account():
    """ "I think someone got in": a new password, journal key and recovery code; all logins end."""
    form = SecureAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            code = services.secure_account(user, form.current_password.data, form.new_password.data)
        except services.AccountError as error:
            getattr(form, error.field or "current_password").errors.append(str(error))
        else:
            logout_user()
            _begin_session(user, form.new_password.data)
            flash(SECURED, "success")
            if code is not None and journal_sessions.stash_recovery_code(user, code):
                return redirect(url_for("journal.recovery_code"))
            return redirect(url_for("site.index"))
    return render_template("auth/secure.html", form=form), 200 if not form.errors else 400


@blueprint.route("/recover", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def recover():
    """Forgotten password: the journal recovery code sets a new one and gives a new code."""
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
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
