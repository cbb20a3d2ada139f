"""Set up a circle, its members and a session on a real server through the real forms."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import engineio
import requests
import socketio

from tests.support.live_server import LiveServer, cookie_header

PASSWORD = "a long gentle passphrase"


def post_form(server: LiveServer, http: requests.Session, path: str, data: dict) -> str:
    """POST a form with its CSRF token; returns the redirect location."""
    token = server._csrf(http, path)
    response = http.post(
        f"{server.url}{path}", data={"csrf_token": token, **data}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, f"{path} answered {response.status_code}"
    return response.headers["Location"]


@dataclass
class LiveRoom:
    """A circle with a facilitator and members, and one session, on a live server."""

    circle_id: int
    session_id: int
    people: dict[str, requests.Session] = field(default_factory=dict)


def seed_members(database_url: str, circle_id: int, count: int, prefix: str = "soak") -> list[str]:
    """Create members straight in the database (cheap test hashing), approved in the circle.

    Registering hundreds through the forms would take minutes; logging them in over HTTP (which
    the callers still do) is quick because the stored hashes carry the cheap parameters.
    Usernames are `<prefix>0000`, `<prefix>0001`, ...; display names `<Prefix> 0000`, ...
    """
    from app import create_app
    from app.auth.services import register_user
    from app.circles.models import Membership
    from app.core.database import utcnow
    from app.extensions import db

    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None}
    )
    names = [f"{prefix}{n:04d}" for n in range(count)]
    with app.app_context():
        for name in names:
            user = register_user(name, f"{prefix.title()} {name[len(prefix) :]}", PASSWORD)
            db.session.add(
                Membership(
                    circle_id=circle_id,
                    user_id=user.id,
                    role="member",
                    status="approved",
                    agreements_accepted_at=utcnow(),
                )
            )
        db.session.commit()
        db.engine.dispose()
    return names


def make_live_room(server: LiveServer, members: list[str], facilitator: str = "holder") -> LiveRoom:
    """Register everyone, create a circle, let the members join, schedule a session."""
    people = {facilitator: server.register(facilitator, PASSWORD)}
    location = post_form(
        server, people[facilitator], "/circles/new", {"name": "Evening circle", "description": ""}
    )
    circle_id = int(re.search(r"/circles/(\d+)", location).group(1))
    for name in members:
        people[name] = server.register(name, PASSWORD)
        post_form(server, people[name], f"/circles/{circle_id}/join", {"accept_agreements": "y"})
    starts = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    location = post_form(
        server,
        people[facilitator],
        f"/circles/{circle_id}/sessions/new",
        {"title": "Thursday evening", "starts_at": starts, "timezone": "UTC"},
    )
    session_id = int(re.search(r"/sessions/(\d+)", location).group(1))
    return LiveRoom(circle_id, session_id, people)


def shown_twice(shown: list[int], messages: dict[int, dict]) -> int:
    """What a person would see twice: an id drawn twice, or one message under two ids.

    `shown` lists the ids in the order a client added them to its visible list; `messages` is
    that list by id. The web client (static/js/room.js) draws each id once, so a repeated
    `message:new` is not a duplicate on screen; the same (author, client_id) under two ids would
    be, as it means the message was stored twice.
    """
    keys = [(m["author"]["id"], m["client_id"]) for m in messages.values()]
    return (len(shown) - len(set(shown))) + (len(keys) - len(set(keys)))


class _InOrderEngineIO(engineio.Client):
    """python-engineio's client, but every message is handled on the read loop, in order.

    The stock client starts a thread per message, so under load two `presence` broadcasts can
    be handled out of order and a client would keep the older list; a browser handles them one
    after another. (Handlers here must not block: they run where pings are answered.)
    """

    def _receive_packet(self, pkt):
        if pkt.packet_type == engineio.packet.MESSAGE:
            self._trigger_event("message", pkt.data, run_async=False)
        else:
            super()._receive_packet(pkt)


class InOrderClient(socketio.Client):
    """A python-socketio client that handles events and acks in the order they arrive."""

    def __init__(self, **kwargs):
        # Pure-Python UTF-8 checks of every frame (no wsaccel) cost a crowd of clients dearly.
        kwargs.setdefault("websocket_extra_options", {"skip_utf8_validation": True})
        # A crowd of clients connecting at once on a loaded machine: allow a slow handshake.
        kwargs.setdefault("request_timeout", 30)
        super().__init__(**kwargs)

    def _engineio_client_class(self):
        return _InOrderEngineIO

    def call_in_order(self, event: str, data, on_answer, timeout: float = 15):
        """Like `call`, but `on_answer(answer)` runs on the read loop, in order with events."""
        done = threading.Event()
        box = {}

        def callback(*args):
            box["answer"] = args[0] if args else None
            on_answer(box["answer"])
            done.set()

        self.emit(event, data, callback=callback)
        if not done.wait(timeout):
            raise socketio.exceptions.TimeoutError()
        return box["answer"]


class VisibleMessages:
    """A test client's message list, kept as static/js/room.js keeps it: each id drawn once.

    The client provides `lock`, `messages` (id -> message), `shown` (ids in the order drawn) and
    `arrivals` (every live delivery). `message:new` may repeat an id after a failover (a resend
    is announced again): the repeat is counted in `arrivals` and otherwise ignored.
    """

    def _arrived(self, message_id: int) -> None:
        """Called for each live delivery (a subclass may note when)."""

    def _take(self, messages: list[dict], live: bool = True) -> None:
        """Add messages to the visible list, each id once; `live`: delivered by `message:new`."""
        with self.lock:
            for message in messages:
                if live:
                    self.arrivals.append(message["id"])
                    self._arrived(message["id"])
                if message["id"] not in self.messages:
                    self.messages[message["id"]] = message
                    self.shown.append(message["id"])

    @property
    def repeats(self) -> int:
        """Live `message:new` deliveries of an id already delivered live (drawn once)."""
        with self.lock:
            return len(self.arrivals) - len(set(self.arrivals))

    @property
    def duplicates(self) -> int:
        """Messages the person would see twice (see `shown_twice`)."""
        with self.lock:
            return shown_twice(self.shown, self.messages)

    @property
    def last_id(self) -> int:
        """The newest message id this client holds."""
        with self.lock:
            return max(self.messages, default=0)


class HeardPresence:
    """A test client's member list, kept as static/js/room.js keeps it: the last `presence`,
    or a join ack's `members` unless a `presence` arrived while the join waited for its ack
    (it is newer; see docs/protocol.md). The client provides `lock`, `presence` (None) and
    `presence_count` (0)."""

    _count_at_join = 0  # presence_count when the last `session:join` went out

    def _on_presence(self, data: dict) -> None:
        with self.lock:
            self.presence = data["members"]
            self.presence_count += 1

    def _joining(self) -> None:
        """Call just before sending `session:join`."""
        with self.lock:
            self._count_at_join = self.presence_count

    def _joined_members(self, answer: dict) -> None:
        """Call with the join ack, on the read loop (in order with events)."""
        with self.lock:
            if self.presence_count == self._count_at_join:
                self.presence = answer["members"]


class RoomClient(VisibleMessages, HeardPresence):
    """A real python-socketio client in a session: joins on every (re)connect and catches up."""

    def __init__(self, server_url: str, http: requests.Session, session_id: int, name: str):
        self.name = name
        self.session_id = session_id
        self.url = server_url
        self.cookie = cookie_header(http)
        self.lock = threading.Lock()
        self.messages: dict[int, dict] = {}  # the visible list, drawn in id order
        self.shown: list[int] = []  # ids as they were added to the visible list
        self.arrivals: list[int] = []  # every live delivery, repeats included
        self.joined = threading.Event()
        self.presence: list[dict] | None = None  # the last `presence` members heard
        self.presence_count = 0  # how many `presence` broadcasts arrived
        self.sio = InOrderClient(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", lambda *args: self.joined.clear())
        self.sio.on("message:new", lambda data: self._take([data["message"]]))
        self.sio.on("presence", self._on_presence)

    def _on_joined(self, answer: dict) -> None:
        """The join ack's members, unless a newer `presence` came first (`HeardPresence`)."""
        if answer and answer.get("ok"):
            self._joined_members(answer)

    def connect(self) -> RoomClient:
        """Connect over WebSocket with the login cookie and wait until joined.

        websocket-client sends the server's own Origin itself; a second Origin header would be
        refused by the origin check.
        """
        self.sio.connect(
            self.url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=10
        )
        assert self.joined.wait(15), f"{self.name} could not join"
        return self

    def _on_connect(self) -> None:
        """Rejoin, then ask for everything after the last id held (runs on every reconnect)."""
        self.sio.start_background_task(self._rejoin)

    def _rejoin(self) -> None:
        after = self.last_id
        self._joining()
        answer = self.sio.call_in_order(
            "session:join", {"session_id": self.session_id}, self._on_joined
        )
        assert answer["ok"], answer
        self._take(answer["messages"], live=False)
        while True:
            page = self.sio.call(
                "messages:since", {"session_id": self.session_id, "after_id": after}, timeout=15
            )
            self._take(page["messages"], live=False)
            if not page["more"] or not page["messages"]:
                break
            after = page["messages"][-1]["id"]
        self.joined.set()

    def send(self, body: str, client_id: str, attempts: int = 40) -> dict:
        """message:send, retried with the same client_id until an ack arrives."""
        payload = {"session_id": self.session_id, "client_id": client_id, "body": body}
        for _ in range(attempts):
            try:
                if not self.joined.wait(15):
                    continue
                answer = self.sio.call("message:send", payload, timeout=10)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                time.sleep(0.2)
                continue
            if answer.get("ok"):
                return answer["message"]
            raise AssertionError(f"{self.name} could not send: {answer}")
        raise AssertionError(f"{self.name} gave up sending {client_id}")

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        """Poll until predicate(self) holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self):
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        """Disconnect for good."""
        self.sio.disconnect()
