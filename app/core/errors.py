"""Error pages that are calm and reveal nothing about the server, and the errors services raise
for a form to show."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.core import plain_http

log = logging.getLogger(__name__)


class FieldError(ValueError):
    """A request a service cannot carry out: the message is safe to show, under `field` (the name
    of the form field it belongs to) when it names one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


MESSAGES = {
    400: ("Something in that request didn't look right", "Please go back and try again."),
    403: ("That isn't open to you", "If you think it should be, ask a facilitator."),
    404: ("We couldn't find that page", "It may have moved, or it may not be open to you."),
    405: ("That isn't something this page can do", "Please go back and try again."),
    413: ("That was more than we can take in at once", "Please send something shorter."),
    429: (
        "Let's slow down for a moment",
        "There were a lot of attempts in a short time. Please wait a minute and try again.",
    ),
    500: (
        "Something went wrong on our side",
        "Nothing you did caused this. Please try again in a moment.",
    ),
    503: (
        "Holdspace is catching its breath",
        "We can't reach our storage right now. Please try again in a moment.",
    ),
}


PLAIN_HTTP_DETAIL = (
    "You reached Holdspace over plain http, so your browser didn't keep the cookie that logs "
    "you in. Please open Holdspace at its https:// address and try again."
)


def render_error(code: int, detail: str | None = None):
    """An error answer in the shape the client asked for."""
    title, default_detail = MESSAGES.get(code, MESSAGES[500])
    detail = detail or default_detail
    if request.accept_mimetypes.best == "application/json" or request.path == "/healthz":
        return jsonify(error={"code": code, "message": title}), code
    return render_template("errors/error.html", code=code, title=title, detail=detail), code


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and crashes."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if plain_http.cookies_refused():  # the form's cookie never came back: say why
            plain_http.note_refused_cookie("a form")
            return render_error(400, PLAIN_HTTP_DETAIL)
        return render_error(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        log.warning("database unavailable: %s", type(error).__name__)
        _end_failed_transaction()
        g.database_unavailable = True  # see visitor_when_down and database_is_down
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        _end_failed_transaction()
        return render_error(500)


def database_is_down() -> bool:
    """Is this request's page the one about an unavailable database? (Draw it from what was
    already read: asking the database again would fail it too.)"""
    return bool(g.get("database_unavailable"))


def visitor_when_down(load_user):
    """The login loader, except on the page that says the database is unavailable: asking it
    for the login again would fail that page too, so it renders as a visitor's."""

    def load(token):
        return None if database_is_down() else load_user(token)

    return load


def _end_failed_transaction() -> None:
    """End the failed transaction and leave the session usable, without expiring what it read:
    closing (unlike a rollback) keeps a person already read drawable on the error page, where
    asking a failing database for them again would fail the page too."""
    from app.extensions import db

    try:
        db.session.close()
    except Exception:
        log.warning("ending the failed transaction failed")
