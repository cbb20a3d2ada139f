"""Socket.IO wiring: transport limits, origins, and which sockets belong to which login."""

from __future__ import annotations

import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, abort
from socketio import RedisManager

from app.core.socket_gate import (
    CONNECT_GRACE_SECONDS,
    DEFAULT_PENDING_PER_ADDRESS,
    SocketGate,
    WithoutWebSocketCompression,
    close_overdue_forever,
)
from app.core.socket_json import PacketJSON
from app.extensions import socketio

log = logging.getLogger(__name__)

REGISTRY_KEY = "holdspace:login-sockets:{}"
REGISTRY_TTL_SECONDS = 60 * 60 * 24 * 15


@dataclass(frozen=True)
class SocketIdentity:
    """Who is behind one socket, fixed at connect time."""

    sid: str
    user_id: int
    login_id: int
    remote_addr: str = ""


class SocketRegistry:
    """Maps login sessions to their socket ids, in this process and (with Redis) across all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, SocketIdentity] = {}
        self._by_login: dict[int, set[str]] = defaultdict(set)
        self._per_addr: dict[str, int] = defaultdict(int)  # sockets per client address
        # sid -> (re-read the login from the database after, the login's own expiry as last read)
        self._login_checks: dict[str, tuple[datetime, datetime]] = {}
        self._redis = None

    def use_redis(self, url: str | None) -> None:
        """Share the login→socket map through Redis when several processes serve."""
        if url:
            import redis

            self._redis = redis.Redis.from_url(url, socket_timeout=2, health_check_interval=30)
        else:
            self._redis = None

    def add(self, identity: SocketIdentity, max_per_addr: int | None = None) -> bool:
        """Remember a newly connected socket; False (and nothing kept) when its address is full."""
        with self._lock:
            addr = identity.remote_addr
            if max_per_addr is not None and addr and self._per_addr[addr] >= max_per_addr:
                return False
            self._by_sid[identity.sid] = identity
            self._per_addr[addr] += 1
            self._by_login[identity.login_id].add(identity.sid)
        self._redis_add(identity)
        return True

    def _redis_add(self, identity: SocketIdentity) -> None:
        """Add one socket to its login's set in Redis (best effort)."""
        if self._redis is not None:
            key = REGISTRY_KEY.format(identity.login_id)
            try:
                pipe = self._redis.pipeline()
                pipe.sadd(key, identity.sid)
                pipe.expire(key, REGISTRY_TTL_SECONDS)
                pipe.execute()
            except Exception:
                log.warning("socket registry: redis unavailable; local sockets still tracked")

    def republish(self) -> None:
        """Write this process's sockets to Redis again (a restarted Redis forgot them)."""
        with self._lock:
            identities = list(self._by_sid.values())
        for identity in identities:
            self._redis_add(identity)

    def remove(self, sid: str) -> SocketIdentity | None:
        """Forget a socket that has gone."""
        with self._lock:
            identity = self._by_sid.pop(sid, None)
            self._login_checks.pop(sid, None)
            if identity is not None:
                self._forget_addr(identity.remote_addr)
                sids = self._by_login.get(identity.login_id)
                if sids is not None:
                    sids.discard(sid)
                    if not sids:
                        del self._by_login[identity.login_id]
        if identity is not None and self._redis is not None:
            try:
                self._redis.srem(REGISTRY_KEY.format(identity.login_id), sid)
            except Exception:
                log.warning("socket registry: redis unavailable while forgetting a socket")
        return identity

    def get(self, sid: str) -> SocketIdentity | None:
        """The identity of a socket connected to this process."""
        return self._by_sid.get(sid)

    def sids_for_login(self, login_id: int) -> set[str]:
        """Every socket of a login session, local and (with Redis) remote."""
        with self._lock:
            sids = set(self._by_login.get(login_id, ()))
        if self._redis is not None:
            try:
                key = REGISTRY_KEY.format(login_id)
                sids |= {s.decode() for s in self._redis.smembers(key)}
            except Exception:
                log.warning("socket registry: redis unavailable; disconnecting local sockets only")
        return sids

    def local_sids_for_user(self, user_id: int) -> list[str]:
        """Sockets of one user connected to this process."""
        with self._lock:
            return [i.sid for i in self._by_sid.values() if i.user_id == user_id]

    def local_sids(self) -> list[str]:
        """Every socket connected to this process."""
        with self._lock:
            return list(self._by_sid)

    def login_check_due(self, sid: str, now: datetime) -> bool:
        """Must this socket's login be re-read from the database before trusting it again?"""
        cached = self._login_checks.get(sid)
        return cached is None or now >= cached[0] or now >= cached[1]

    def _forget_addr(self, addr: str) -> None:
        """One socket fewer from this address (caller holds the lock)."""
        self._per_addr[addr] -= 1
        if self._per_addr[addr] <= 0:
            del self._per_addr[addr]

    def login_checked(self, sid: str, recheck_after: datetime, expires_at: datetime) -> None:
        """Remember that the login was alive, until when to trust that, and when it expires."""
        with self._lock:
            if sid in self._by_sid:
                self._login_checks[sid] = (recheck_after, expires_at)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._by_sid.clear()
            self._by_login.clear()
            self._per_addr.clear()
            self._login_checks.clear()


registry = SocketRegistry()


def init_app(app: Flask) -> None:
    """Bind Socket.IO with the contract's limits and origin policy."""
    config = app.config
    origins = config.get("ALLOWED_ORIGINS")
    socketio.init_app(
        app,
        async_mode=_socket_async_mode(app),
        client_manager=message_queue_manager(config.get("REDIS_URL"), queue_channel(app)),
        max_http_buffer_size=config["SOCKET_MAX_PACKET_BYTES"],
        # None means "same origin as the request's Host" in python-engineio; never [] or "*".
        cors_allowed_origins=origins if origins else None,
        cors_credentials=True,
        logger=False,
        engineio_logger=False,
        ping_interval=config["SOCKET_PING_INTERVAL"],
        ping_timeout=config["SOCKET_PING_TIMEOUT"],
        json=PacketJSON,
    )
    # Each event runs in a request context made from the socket's own request. Without a route
    # for that path, Flask kept a NotFound and its traceback on every event: one reference cycle
    # per event, left for the garbage collector (docs/performance.md).
    app.add_url_rule("/socket.io/", "socket_transport", _answered_before_flask)
    registry.use_redis(config.get("REDIS_URL"))
    app.wsgi_app = WithoutWebSocketCompression(app.wsgi_app)
    env = os.environ
    cap = int(env.get("HOLDSPACE_MAX_PENDING_SOCKETS_PER_IP") or DEFAULT_PENDING_PER_ADDRESS)
    grace = float(env.get("HOLDSPACE_SOCKET_CONNECT_GRACE") or CONNECT_GRACE_SECONDS)
    gate = SocketGate(app.wsgi_app, "/socket.io", cap, grace)
    app.wsgi_app = app.extensions["holdspace.socket_gate"] = gate
    if _socket_async_mode(app) != "threading":
        socketio.start_background_task(
            close_overdue_forever, gate, socketio.server.eio, socketio.sleep
        )


def _answered_before_flask():
    """Never reached: the Socket.IO middleware answers this path before Flask sees it."""
    abort(404)


def socket_connected(app: Flask, environ: dict) -> None:
    """A Socket.IO connect succeeded: its Engine.IO connection no longer counts as pending."""
    gate = app.extensions.get("holdspace.socket_gate")
    if gate is not None:
        gate.connected(environ)


# How long a publish (and the queue's subscription) keeps retrying while Redis is away before
# python-socketio's own retry takes over: redis-py retries each command with a growing pause,
# capped at a second, so a restart of under a minute delays broadcasts but loses none.
QUEUE_RETRIES = 60
QUEUE_RETRY_CAP_SECONDS = 1.0


def queue_redis_options() -> dict:
    """redis-py options for the queue's client (python-socketio passes them to `from_url`)."""
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from redis.retry import Retry

    return {
        "retry": Retry(ExponentialBackoff(cap=QUEUE_RETRY_CAP_SECONDS, base=0.05), QUEUE_RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
        "socket_connect_timeout": 2,
        "health_check_interval": 30,
    }


def allowed_origins(app: Flask, environ: dict) -> list[str]:
    """The origins a socket may come from: ALLOWED_ORIGINS, else the server's own origin."""
    configured = app.config.get("ALLOWED_ORIGINS")
    if configured:
        return list(configured)
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") if app.config.get("TRUSTED_PROXIES") else None
    host = environ.get("HTTP_HOST", "")
    return [f"{scheme or environ.get('wsgi.url_scheme', 'http')}://{host}"]


def queue_channel(app: Flask) -> str:
    """The pub/sub channel (and key prefix) of this deployment; lets several share one Redis."""
    return app.config.get("SOCKET_QUEUE_CHANNEL") or os.environ.get(
        "HOLDSPACE_SOCKET_CHANNEL", "flask-socketio"
    )


def message_queue_manager(url: str | None, channel: str) -> RedisManager | None:
    """python-socketio's Redis manager for REDIS_URL; None keeps everything in this process."""
    if not url:
        return None
    return RedisManager(url, channel=channel, redis_options=queue_redis_options())


def _socket_async_mode(app: Flask) -> str:
    """Tests drive sockets in threading mode; the server uses the patched green runtime."""
    from app import green

    if app.config.get("TESTING") or green.PATCHED_MODE is None:
        return "threading"
    return green.PATCHED_MODE


def disconnect_logins(login_ids: Iterable[int]) -> int:
    """Disconnect every socket of these login sessions, on whichever process holds it.

    A login's tabs must hear nothing once it has ended, so its sockets here first leave every
    room at once (the personal room included); otherwise disconnecting one tab announces the new
    presence to its sibling still in the room. Sockets on other processes are asked next, before
    any disconnect handler here publishes presence, so those requests come first on the queue.
    """
    sids = {sid for login_id in login_ids for sid in registry.sids_for_login(login_id)}
    local = [sid for sid in sids if registry.get(sid) is not None]
    for sid in local:
        _leave_every_room(sid)
    count = 0
    for sid in [*(sids - set(local)), *local]:
        try:
            socketio.server.disconnect(sid, namespace="/")
            count += 1
        except Exception:
            log.exception("could not disconnect a socket of a revoked login")
    return count


def _leave_every_room(sid: str) -> None:
    """Take one socket of this process out of all its rooms but its own (its sid)."""
    server = socketio.server
    try:
        for room in server.rooms(sid, namespace="/"):
            if room != sid:
                server.leave_room(sid, room, namespace="/")
    except Exception:
        log.exception("could not take a socket of a revoked login out of its rooms")
