"""Login cookies refused over plain http: say so in the log and on the page.

In production the session cookie is Secure-only, so a browser that reached Holdspace over plain
http (no TLS in front, or HOLDSPACE_TRUSTED_PROXIES not matching the proxies that forward
X-Forwarded-Proto) drops it. Every form then fails its CSRF check and nobody can log in; without
this, nothing said why. Browsers accept Secure cookies on http://localhost, so loopback is fine.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, request

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def cookies_refused() -> bool:
    """True when the browser will drop this response's login cookie: Secure-only, plain http."""
    if not current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        return False
    hostname = urlsplit(f"//{request.host}").hostname or ""
    return not (hostname in LOOPBACK_HOSTS or hostname.endswith(".localhost"))


def note_refused_cookie(where: str) -> None:
    """One warning line: what happened and what the operator can do (no URL, no query)."""
    log.warning(
        "login cookie refused: %s came over plain http, and in production the session cookie "
        "is Secure-only, so the browser drops it and logging in fails. Serve Holdspace over "
        "https (docs/operations.md); behind a TLS proxy, set HOLDSPACE_TRUSTED_PROXIES to the "
        "number of proxies so their X-Forwarded-Proto is believed.",
        where,
    )


def https_address() -> str | None:
    """This page's https address, when the host names no port (the http port would be wrong)."""
    if urlsplit(f"//{request.host}").port is not None:
        return None
    return f"https://{request.host}{request.path}"
