"""What the app's logs may hold: no Engine.IO or Socket.IO session ids, no query strings.

A session id is as good as the connection while it lives (a long-polling request carrying it is
answered as that person), so it is kept out of logs like a cookie. python-engineio logs
"Invalid session <sid>" when a poll reaches an app that does not hold it (after a failover);
gevent's hub prints a failed request's whole WSGI environ (cookies, query string) by default.
"""

from __future__ import annotations

import logging
import pprint
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by app/green.py before the monkey-patch: nothing here may load Flask
    from flask import Flask

# python-engineio and python-socketio make ids of 15 random bytes in URL-safe base64: 20 characters.
SESSION_ID = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])")
REDACTED = "[sid]"
SOCKET_LOGGERS = ("engineio.server", "socketio.server")
# A long opaque path segment: the calendar feed's token (/week/calendar/<token>.ics).
PATH_TOKEN = re.compile(r"[A-Za-z0-9_%-]{32,}")


class WithoutSessionIds(logging.Filter):
    """Rewrites a record's message with every session id replaced by [sid]."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record; only its text changes."""
        message = record.getMessage()
        redacted = SESSION_ID.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def init_app(app: Flask) -> None:
    """Attach the filter to the socket libraries' loggers (once per process)."""
    for name in SOCKET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, WithoutSessionIds) for existing in logger.filters):
            logger.addFilter(WithoutSessionIds())


def loggable_path(path: str) -> str:
    """A request path fit for a log: long opaque segments (tokens) replaced."""
    return PATH_TOKEN.sub("[redacted]", path)


def describe_wsgi_context(context) -> str:
    """gevent's `format_context` for a failed request: method and path, never the environ."""
    if isinstance(context, dict) and "REQUEST_METHOD" in context:
        return f"{context['REQUEST_METHOD']} {loggable_path(context.get('PATH_INFO', ''))}"
    return pprint.saferepr(context)
