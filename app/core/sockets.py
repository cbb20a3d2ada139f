"""Socket.IO wiring: transport limits, origins, and which sockets belong to which login."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from socketio import RedisManager

from app.core.wsgi import inline_call
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


class SocketEventSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions, without verifying and decoding the cookie again on every socket event.

    Flask-SocketIO pushes a request context for each event, which opens the cookie session from
    the connection's environ, and then at once swaps in its own copy taken at connect, kept in
    `environ["saved_session"]`. From the second event of a connection on, that first decode is
    thrown away, so skip it. HTTP requests never carry `saved_session` and are unaffected.
    """

    def open_session(self, app, request):
        """The null session for socket events after connect; the cookie session otherwise."""
        if "saved_session" in request.environ:
            return self.make_null_session(app)
        return super().open_session(app, request)


class WithoutWebSocketCompression:
    """WSGI middleware: refuse WebSocket per-message compression (permessage-deflate).

    Browsers offer permessage-deflate and eventlet's WebSocket accepts it, which compresses every
    frame separately for every recipient: a broadcast to a room of 25 ran zlib 25 times, and in
    the profile that was two thirds of the time spent writing to sockets. Room messages are a few
    hundred bytes, so the bandwidth saved is small; without the offer in the handshake the socket
    is simply uncompressed, and one encoded packet goes to every member as is.
    """

    HEADER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = inline_call(wsgi_app)  # one C frame for the chain (app/core/wsgi.py)

    def __call__(self, environ, start_response):
        """Drop the client's extension offer before the WebSocket handshake sees it."""
        environ.pop(self.HEADER, None)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Bind Socket.IO with the contract's limits and origin policy."""
    config = app.config
    app.session_interface = SocketEventSessionInterface()
    origins = config.get("ALLOWED_ORIGINS")
    socketio.init_app(
        app,
        async_mode=_socket_async_mode(app),
        message_queue=config.get("REDIS_URL"),
        client_manager=message_queue_manager(config.get("REDIS_URL"), queue_channel(app)),
        max_http_buffer_size=config["SOCKET_MAX_PACKET_BYTES"],
        # None means "same origin as the request's Host" in python-engineio; never [] or "*".
        cors_allowed_origins=origins if origins else None,
        cors_credentials=True,
        logger=False,
        engineio_logger=False,
        ping_interval=config["SOCKET_PING_INTERVAL"],
        ping_timeout=config["SOCKET_PING_TIMEOUT"],
    )
    registry.use_redis(config.get("REDIS_URL"))
    app.wsgi_app = WithoutWebSocketCompression(app.wsgi_app)


# Publishing waits for a free Redis connection instead of failing with "Too many connections".
QUEUE_MAX_CONNECTIONS = 64
QUEUE_POOL_TIMEOUT_SECONDS = 30
QUEUE_PUBLISH_ATTEMPTS = 8
QUEUE_PUBLISH_BATCH = 100  # events per pipelined round trip, at most
QUEUE_LISTEN_RETRY_SECONDS = 0.2
# Longer than the publish retries take to give up (about 5 s), shorter than a presence turn's
# lease (10 s, app/live/rooms.py).
QUEUE_WAIT_PUBLISHED_SECONDS = 8.0


class BlockingRedisManager(RedisManager):
    """python-socketio's Redis manager with a blocking connection pool and patient retries.

    The stock manager builds its client with `Redis.from_url`, whose pool raises "Too many
    connections" when a burst of emits needs more than the pool holds; after two failed attempts
    the event is dropped. Here a burst waits for a pooled connection, and a publish that still
    fails (Redis restarting) is retried with a growing pause rather than given up after two tries.

    Publishing does not hold up the emitter. One PUBLISH cost about 200-250 µs of CPU under
    eventlet (redis-py's command machinery, a send, and a switch to the hub and back while the
    reply comes), paid by every room message inside its send's handler. Here an emit encodes its
    event and puts it in this process's outbox, in order; one background task (started when
    there is something to send, ended when there is not) publishes everything waiting, several
    events in one pipelined round trip. Under load the outbox fills while the task waits for
    its turn, so a batch grows with the rate: 4 events in one round trip cost about 85 µs each,
    16 about 35-55 (docs/performance.md, eleventh round). The order of events on the channel is
    the order of the emits, as before. Until the manager serves (python-socketio initialises it
    when the first socket connects), it publishes at once: a process that emits and exits, such
    as a command, must not leave events in an outbox.

    Each queued event has a ticket (`last_ticket`), and `wait_published` waits for one to leave
    the outbox. A sent message is acknowledged only once its broadcast is published: acked
    before, a process killed with the broadcast still in its outbox took it along, and the
    sender, acknowledged, never resent it (the SIGKILL test lost messages in about 1 run of 5).
    """

    on_recovered: list | tuple = ()  # run after a lost subscription is back (set per app)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._outbox: deque[str] = deque()  # encoded events not yet published, oldest first
        self._outbox_lock = threading.Lock()
        self._outbox_settled = threading.Condition(self._outbox_lock)  # see `wait_published`
        # Events are numbered as they enter the outbox (their tickets) and leave it in order.
        self._queued = 0  # the last ticket given
        self._settled = 0  # every ticket up to this one has been published or dropped
        self._dropped: deque[tuple[int, int]] = deque(maxlen=256)  # ranges of dropped tickets
        self._tickets = threading.local()  # the ticket of each thread's (greenlet's) last emit
        self._publishing = False  # is a task draining the outbox?
        self._serving = False  # initialised by a server with sockets: the outbox is in use

    def initialize(self):
        """Start listening (python-socketio, at the first connection); from now on, the outbox."""
        super().initialize()
        self._serving = True

    def _redis_connect(self):
        """Connect through a BlockingConnectionPool (same URL and options otherwise).

        redis-py's own retries are off (`Retry(NoBackoff(), 0)`): a subscription that redis-py
        quietly re-established would hide the broadcasts missed meanwhile from `on_recovered`.
        """
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        size = int(os.environ.get("HOLDSPACE_SOCKET_QUEUE_CONNECTIONS") or QUEUE_MAX_CONNECTIONS)
        pool = redis.BlockingConnectionPool.from_url(
            self.redis_url,
            max_connections=max(size, 2),  # one stays with the subscriber
            timeout=QUEUE_POOL_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
            **self.redis_options,
        )
        self.redis = redis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    def _publish(self, data):
        """Queue an event for the channel, encoded now; start the publishing task if it is idle."""
        payload = self.json.dumps(data)
        if not self._serving:
            self._tickets.last = None  # published by now (or given up): nothing to wait for
            self._publish_batch([payload])
            return
        with self._outbox_lock:
            self._outbox.append(payload)
            self._queued += 1
            self._tickets.last = self._queued
            if self._publishing:
                return
            self._publishing = True
        try:
            self.server.start_background_task(self._drain_outbox)
        except Exception as exc:  # no task to be had: publish here rather than strand the outbox
            log.error("socket queue: could not start the publisher (%s)", type(exc).__name__)
            self._drain_outbox()

    def _drain_outbox(self) -> None:
        """Publish what the outbox holds, a batch at a time, until it is empty."""
        while True:
            with self._outbox_lock:
                if not self._outbox:
                    self._publishing = False
                    return
                count = min(len(self._outbox), QUEUE_PUBLISH_BATCH)
                batch = [self._outbox.popleft() for _ in range(count)]
            try:
                published = self._publish_batch(batch)
            except Exception as exc:  # never end the task with events left behind it
                log.error("socket queue: publishing failed (%s)", type(exc).__name__)
                published = False
            self._settle(count, published)
            if not published:
                self._drop_outbox()

    def _settle(self, count: int, published: bool) -> None:
        """The next `count` events left the outbox for good: wake whoever waits for them."""
        with self._outbox_settled:
            first = self._settled + 1
            self._settled += count
            if not published and count:
                self._dropped.append((first, self._settled))
            self._outbox_settled.notify_all()

    def last_ticket(self) -> int | None:
        """The ticket of this thread's (greenlet's) last emit; None if it needs no waiting."""
        return getattr(self._tickets, "last", None)

    def wait_published(self, timeout: float, ticket: int | None = None) -> bool:
        """Wait until the event `ticket` (by default the last one emitted by anyone) has left
        the outbox: True if it was published, False if it was dropped or `timeout` passed.

        A sent message is acknowledged only once its broadcast is on the channel, so an ack
        means every process will hear of it (app/live/services.py); a `presence` turn ends
        only once its broadcast is out, so turns keep their order (app/live/announce.py).
        """
        with self._outbox_settled:
            target = self._queued if ticket is None else ticket
            if not self._outbox_settled.wait_for(lambda: self._settled >= target, timeout):
                return False
            return not any(first <= target <= last for first, last in self._dropped)

    def _drop_outbox(self) -> None:
        """Forget what queued up while a batch failed for good: the same outage kept it.

        Published later, events from before the outage would land after what came since (an
        old member list after a newer one); catch-up after the outage brings the messages.
        """
        with self._outbox_lock:
            dropped = len(self._outbox)
            self._outbox.clear()
        self._settle(dropped, published=False)
        if dropped:
            log.error("socket queue: dropped %d queued events after the outage", dropped)

    def _publish_batch(self, payloads: list[str]) -> bool:
        """Publish encoded events in order, in one round trip; reconnect and retry with backoff.

        False when the batch still failed after QUEUE_PUBLISH_ATTEMPTS: it is dropped and logged
        (by count and exception type, never content). Each process resubscribes after an outage
        and its sockets catch up from the database (`on_recovered`), and a member who missed a
        message sees its id skipped (`previous_id`) and fetches it. A round trip that failed
        half-way may publish some events twice when retried; clients draw each message id once.
        """
        pause = 0.05
        for attempt in range(1, QUEUE_PUBLISH_ATTEMPTS + 1):
            try:
                if not self.connected:
                    self._redis_connect()
                if len(payloads) == 1:
                    self.redis.publish(self.channel, payloads[0])
                else:
                    pipe = self.redis.pipeline(transaction=False)
                    for payload in payloads:
                        pipe.publish(self.channel, payload)
                    pipe.execute()
                return True
            except Exception as exc:
                log.warning(
                    "socket queue: publish attempt %d failed (%s)", attempt, type(exc).__name__
                )
                self.connected = False
                if attempt < QUEUE_PUBLISH_ATTEMPTS:
                    time.sleep(pause)
                    pause = min(pause * 2, 2.0)
        log.error(
            "socket queue: could not publish %d events after %d attempts",
            len(payloads),
            QUEUE_PUBLISH_ATTEMPTS,
        )
        return False

    def _redis_listen_with_retries(self):
        """Listen; after a lost subscription resubscribe promptly, then run `on_recovered`.

        Broadcasts published while this process was not subscribed never reach it, so whoever
        registered in `on_recovered` (the live room) tells local sockets to catch up.
        """
        pause = QUEUE_LISTEN_RETRY_SECONDS
        lost = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if lost:
                    log.warning("socket queue: subscribed again after an outage")
                    self._recovered()
                lost, pause = False, QUEUE_LISTEN_RETRY_SECONDS
                yield from self.pubsub.listen()
            except Exception as exc:
                if not lost:
                    log.warning("socket queue: subscription lost (%s)", type(exc).__name__)
                lost = True
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _recovered(self) -> None:
        """Run the recovery callbacks; a failing one is logged by type and skipped."""
        for callback in list(self.on_recovered):
            try:
                callback()
            except Exception as exc:
                log.warning("socket queue: recovery step failed (%s)", type(exc).__name__)


def queue_ticket() -> int | None:
    """The queue's ticket for the last emit of this greenlet (None without a queue)."""
    ticket = getattr(getattr(socketio.server, "manager", None), "last_ticket", None)
    return None if ticket is None else ticket()


def wait_published(
    timeout: float = QUEUE_WAIT_PUBLISHED_SECONDS, ticket: int | None = None
) -> bool:
    """Wait until an emit (`ticket`, by default the last one of this process) is on the queue's
    channel; at once without a queue. False if it was dropped or is still not out after
    `timeout` (the outbox is retrying an outage).
    """
    manager = getattr(socketio.server, "manager", None)
    wait = getattr(manager, "wait_published", None)
    return True if wait is None else wait(timeout, ticket)


def queue_channel(app: Flask) -> str:
    """The pub/sub channel (and key prefix) of this deployment; lets several share one Redis."""
    return app.config.get("SOCKET_QUEUE_CHANNEL") or os.environ.get(
        "HOLDSPACE_SOCKET_CHANNEL", "flask-socketio"
    )


def message_queue_manager(url: str | None, channel: str) -> BlockingRedisManager | None:
    """The cross-process queue for REDIS_URL; None keeps everything in this process."""
    if not url:
        return None
    manager = BlockingRedisManager(url, channel=channel)
    manager.on_recovered = [registry.republish]
    return manager


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
