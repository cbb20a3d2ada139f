"""The door before Socket.IO: connections that have not logged in are few and short-lived.

A socket is refused at its Socket.IO connect unless the login is good, and logged-in sockets are
capped per address (app/live/connection.py). Before that connect, though, an Engine.IO
connection already holds a green thread and memory, and nothing bounds how many one address
opens or how long they wait. This WSGI layer, in front of the Socket.IO middleware, counts the
connections of each address that have not completed their Socket.IO connect: over the cap, a new
one is answered 429; and one that has not connected within CONNECT_GRACE_SECONDS is closed
(a WebSocket by shutting its socket, a polling session through Engine.IO's `disconnect`).
The room's connect handler calls `connected(environ)` with the environ its event sees (a copy
of the handshake's, carrying this layer's token).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

PENDING_KEY = "holdspace.pending_socket"  # survives the copies layers below make of the environ
CONNECT_GRACE_SECONDS = 10.0
DEFAULT_PENDING_PER_ADDRESS = 20


class WithoutWebSocketCompression:
    """WSGI middleware: refuse WebSocket per-message compression (permessage-deflate).

    Browsers offer permessage-deflate, and accepting it compresses every frame separately for
    every recipient: a broadcast to a room of 25 ran zlib 25 times. Room messages are a few
    hundred bytes, so the bandwidth saved is small; without the offer in the handshake the
    socket is simply uncompressed. Editing the request is ours to do; no library is patched.
    """

    HEADER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        """Drop the client's extension offer before the WebSocket handshake sees it."""
        environ.pop(self.HEADER, None)
        return self.wsgi_app(environ, start_response)


@dataclass(eq=False)
class _Pending:
    """One Engine.IO connection from its handshake until its Socket.IO connect."""

    address: str
    environ: dict
    started: float = field(default_factory=time.monotonic)
    eio_sid: str | None = None  # polling sessions: the sid of the handshake's answer


class SocketGate:
    """WSGI middleware: caps and times out Engine.IO connections that have not connected."""

    def __init__(self, wsgi_app, path: str, cap: int, grace: float = CONNECT_GRACE_SECONDS):
        self.wsgi_app = wsgi_app
        self.path = path.rstrip("/") + "/"
        self.cap = cap
        self.grace = grace
        self._lock = threading.Lock()
        self._pending: dict[str, set[_Pending]] = defaultdict(set)

    def __call__(self, environ, start_response):
        """Count new Engine.IO connections; everything else passes untouched."""
        if not environ.get("PATH_INFO", "").startswith(self.path) or self._continues(environ):
            return self.wsgi_app(environ, start_response)
        entry = _Pending(environ.get("REMOTE_ADDR") or "", environ)
        environ[PENDING_KEY] = entry
        if not self._admit(entry):
            log.warning("socket refused: too many unconnected sockets from one address")
            start_response("429 Too Many Requests", [("Content-Type", "text/plain")])
            return [b"Too many connections at once. Please try again in a moment."]
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            try:
                return self.wsgi_app(environ, start_response)
            finally:
                self._forget(entry)
        body = b"".join(self.wsgi_app(environ, start_response))
        entry.eio_sid = _handshake_sid(body)
        if entry.eio_sid is None:
            self._forget(entry)
        return [body]

    @staticmethod
    def _continues(environ) -> bool:
        """A request of a session that already exists (a poll, or its upgrade)."""
        return "sid" in parse_qs(environ.get("QUERY_STRING", ""))

    def full(self, environ) -> bool:
        """Would this request open one connection too many for its address? gevent-websocket
        upgrades before the app runs, so the server asks here first and answers plain HTTP."""
        if not environ.get("PATH_INFO", "").startswith(self.path) or self._continues(environ):
            return False
        with self._lock:
            return self._at_cap(environ.get("REMOTE_ADDR") or "")

    def _at_cap(self, address: str) -> bool:
        """Has this address as many unconnected sockets as it may? (Called holding the lock.)"""
        return 0 < self.cap <= len(self._pending.get(address, ()))  # a cap of 0 turns it off

    def _admit(self, entry: _Pending) -> bool:
        with self._lock:
            if self._at_cap(entry.address):
                return False
            self._pending[entry.address].add(entry)
            return True

    def _forget(self, entry: _Pending) -> None:
        with self._lock:
            entries = self._pending.get(entry.address)
            if entries is not None:
                entries.discard(entry)
                if not entries:
                    del self._pending[entry.address]

    def connected(self, environ) -> None:
        """The Socket.IO connect of this handshake succeeded: it no longer counts."""
        entry = environ.get(PENDING_KEY)
        if isinstance(entry, _Pending):
            self._forget(entry)

    def overdue(self) -> list[_Pending]:
        """Connections past their grace without a connect; no longer counted."""
        cutoff = time.monotonic() - self.grace
        with self._lock:
            late = [
                entry
                for entries in self._pending.values()
                for entry in entries
                if entry.started < cutoff
            ]
        for entry in late:
            self._forget(entry)
        return late


def _handshake_sid(body: bytes) -> str | None:
    """The Engine.IO session id in a polling handshake's answer (`0{"sid": ...}`)."""
    text = body.decode("utf-8", "replace")
    start = text.find("0{")
    if start == -1:
        return None
    try:
        return json.loads(text[start + 1 :].split("\x1e")[0]).get("sid")
    except ValueError:
        return None


def close(entry: _Pending, engineio_server) -> None:
    """End one overdue connection: Engine.IO's own disconnect for a polling session, the
    socket's shutdown for a WebSocket (its read loop then ends as if the client had gone)."""
    if entry.eio_sid is not None:
        engineio_server.disconnect(entry.eio_sid)
        return
    websocket = entry.environ.get("wsgi.websocket")  # gevent-websocket
    if websocket is not None:
        websocket.close()
        return
    stream = entry.environ.get("eventlet.input")
    if stream is not None:
        stream.get_socket().shutdown(socket.SHUT_RDWR)


def close_overdue_forever(gate: SocketGate, engineio_server, sleep) -> None:
    """Background task: every second, close the connections that never connected."""
    while True:
        sleep(1.0)
        for entry in gate.overdue():
            try:
                close(entry, engineio_server)
            except Exception as exc:  # already gone, most likely
                log.info("closing an unconnected socket: %s", type(exc).__name__)
