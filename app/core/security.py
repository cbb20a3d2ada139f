"""Login loading, security headers and cookie policy for every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, current_user

from app.extensions import login_manager

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class Anonymous(AnonymousUserMixin):
    """A visitor who is not logged in."""

    id = None
    role = None
    current_login = None
    is_moderator = False
    is_admin = False


class SocketSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions, decoded once per socket rather than once per socket event.

    Every socket event runs in a request context built from the socket's handshake environ, and
    pushing one opens the session: the cookie's signature checked and its JSON decoded again
    for every message. The cookie of a socket cannot change after its handshake, so the first
    decode is kept in that environ (under our own key) and reused.
    """

    CACHE_KEY = "holdspace.socket_session"

    def open_session(self, app, request):
        """The session of this socket's handshake, decoded on its first event."""
        if not request.path.startswith(SOCKET_PATH):
            return super().open_session(app, request)
        cached = request.environ.get(self.CACHE_KEY)
        if cached is None:
            cached = request.environ[self.CACHE_KEY] = super().open_session(app, request)
        return cached


SOCKET_PATH = "/socket.io/"


def init_app(app: Flask) -> None:
    """Configure Flask-Login and attach the header hook."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.anonymous_user = Anonymous
    app.session_interface = SocketSessionInterface()
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)


def refuse_nul_bytes():
    """NUL never belongs in a URL and PostgreSQL refuses it mid-query: answer 400 up front.

    Form fields are checked by BaseForm instead, so the person keeps what they typed.
    """
    from flask import abort

    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, values in request.args.lists() for value in values
    ):
        abort(400)


def trust_proxies(app: Flask) -> None:
    """Take address, scheme and host from trusted proxies; wraps Socket.IO too, so call last."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def add_security_headers(response: Response) -> Response:
    """Headers that every page and API answer carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.add("Vary", "Cookie")
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    from flask import current_app

    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def require_login():
    """A blueprint's `before_request` when all its pages are for people who are logged in."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
