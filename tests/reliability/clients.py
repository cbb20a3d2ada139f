"""Room clients that fail over between servers, resend unacked messages and catch up by id."""

from __future__ import annotations

import threading
import time

import socketio

from tests.support.live_room import HeardPresence, InOrderClient, VisibleMessages

RETRYABLE = (
    socketio.exceptions.TimeoutError,
    socketio.exceptions.BadNamespaceError,
    socketio.exceptions.DisconnectedError,
)


class FailoverClient(VisibleMessages, HeardPresence):
    """A member in one session who knows every server's URL.

    python-socketio reconnects to the URL it first used; a browser behind a load balancer would
    land on a live process instead, so on a disconnect this client connects to the next URL that
    answers, rejoins, and asks `messages:since` for everything after the last id it holds.
    """

    def __init__(
        self,
        urls: list[str],
        cookie: str,
        session_id: int,
        name: str,
        client_options: dict | None = None,
    ):
        self.urls = list(urls)
        self.client_options = client_options or {}  # more socketio.Client options (ssl_verify)
        self.cookie = cookie
        self.session_id = session_id
        self.name = name
        self.lock = threading.RLock()
        self.messages: dict[int, dict] = {}  # the visible list, drawn in id order
        self.shown: list[int] = []  # ids as they were added to the visible list
        self.arrivals: list[int] = []  # live deliveries, repeats included
        self.arrived_at: dict[int, float] = {}  # first live delivery, time.monotonic()
        self.resent_at: dict[str, float] = {}  # client_id: first resend, time.monotonic()
        self.events: list[tuple[str, dict]] = []
        # Only the latest `presence` is kept (a big room's lists would pile up), and a count.
        self.presence: list[dict] | None = None
        self.presence_count = 0
        self.you: dict | None = None  # this member as the join ack describes them
        self.joined = threading.Event()
        self.closing = False
        self.connections = 0
        self.reconnected_at: list[float] = []
        self.sio: socketio.Client | None = None
        self._url = self.urls[0]

    # connection ---------------------------------------------------------------------------

    def _new_client(self) -> socketio.Client:
        # Events in arrival order, like a browser.
        sio = InOrderClient(reconnection=False, **self.client_options)
        sio.on("connect", lambda: sio.start_background_task(self._rejoin, sio))
        sio.on("disconnect", lambda *args: self._on_disconnect(sio))
        sio.on("message:new", lambda data: self._take([data["message"]]))
        # The server's hint that it may have missed broadcasts (its queue came back): catch up.
        sio.on("room:resync", lambda data=None: sio.start_background_task(self._resynced, sio))
        sio.on("presence", self._on_presence)
        for name in ("typing", "hands", "message:reactions"):
            sio.on(name, lambda data, name=name: self._event(name, data))
        return sio

    def _event(self, name: str, data: dict) -> None:
        with self.lock:
            self.events.append((name, data))

    def _joined(self, answer: dict) -> None:
        """The join ack: who this member is, and the members unless a newer `presence` came
        first (`HeardPresence`, as the page does)."""
        if answer and answer.get("ok"):
            with self.lock:
                self.you = answer.get("you")
            self._joined_members(answer)

    def _connect_once(self, url: str) -> bool:
        sio = self._new_client()
        # Current before connecting: its connect handler may rejoin before connect() returns,
        # and a rejoin only counts for the current client.
        self.sio = sio
        try:
            sio.connect(
                url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=10
            )
        except socketio.exceptions.ConnectionError:
            return False
        self._url = url
        self.connections += 1
        return True

    def connect(self, url: str | None = None, timeout: float = 30.0) -> FailoverClient:
        """Connect (to `url` or the first URL) and wait until joined."""
        assert self._connect_once(url or self.urls[0]), f"{self.name} could not connect"
        assert self.joined.wait(timeout), f"{self.name} could not join"
        return self

    def _on_disconnect(self, sio: socketio.Client) -> None:
        if sio is not self.sio:
            return
        self.joined.clear()
        if not self.closing:
            threading.Thread(target=self._failover, daemon=True).start()

    def _failover(self) -> None:
        """Try the other servers first, then this one again, until one answers."""
        start = self.urls.index(self._url) if self._url in self.urls else 0
        order = self.urls[start + 1 :] + self.urls[: start + 1]
        while not self.closing:
            for url in order:
                if self.closing or self._connect_once(url):
                    return
            time.sleep(0.2)

    def _rejoin(self, sio: socketio.Client) -> None:
        """Join the session, then page through messages:since from the last id held."""
        try:
            self.resync(sio)
        except Exception:  # the server went again; the next connect retries
            return
        if sio is self.sio:
            self.reconnected_at.append(time.monotonic())
            self.joined.set()

    def _resynced(self, sio: socketio.Client) -> None:
        with self.lock:
            self.events.append(("room:resync", {}))
        self._rejoin(sio)

    def resync(self, sio: socketio.Client | None = None) -> int:
        """(Re)join and catch up; returns how many messages were new to this client."""
        sio = sio or self.sio
        after = self.last_id
        before = len(self.messages)
        self._joining()
        answer = sio.call_in_order("session:join", {"session_id": self.session_id}, self._joined)
        if not answer.get("ok"):
            raise RuntimeError(f"{self.name} could not join: {answer}")
        self._take(answer["messages"], live=False)
        while True:
            page = sio.call(
                "messages:since", {"session_id": self.session_id, "after_id": after}, timeout=15
            )
            if not page.get("ok"):
                raise RuntimeError(f"{self.name} could not catch up: {page}")
            self._take(page["messages"], live=False)
            if not page["more"] or not page["messages"]:
                break
            after = page["messages"][-1]["id"]
        return len(self.messages) - before

    def close(self) -> None:
        """Disconnect for good."""
        self.closing = True
        if self.sio is not None and self.sio.connected:
            self.sio.disconnect()

    # messages -----------------------------------------------------------------------------

    def _arrived(self, message_id: int) -> None:
        """Note when each message first arrived live (time.monotonic())."""
        self.arrived_at.setdefault(message_id, time.monotonic())

    def visible(self) -> list[dict]:
        """The messages as the person sees them: each once, in id order."""
        with self.lock:
            return [self.messages[i] for i in sorted(self.messages)]

    def call(self, event: str, payload: dict, timeout: float = 15) -> dict:
        """One event on the current connection."""
        return self.sio.call(event, payload, timeout=timeout)

    def send(
        self, body: str, client_id: str, retry_codes: tuple[str, ...] = (), deadline: float = 90
    ) -> dict:
        """message:send, resent with the same client_id until acked (or an error not retried)."""
        payload = {"session_id": self.session_id, "client_id": client_id, "body": body}
        give_up = time.monotonic() + deadline
        attempts = 0
        while time.monotonic() < give_up:
            if not self.joined.wait(1):
                continue
            attempts += 1
            if attempts == 2:
                with self.lock:
                    self.resent_at[client_id] = time.monotonic()
            try:
                answer = self.sio.call("message:send", payload, timeout=10)
            except RETRYABLE:
                time.sleep(0.1)
                continue
            if answer.get("ok") or answer.get("error", {}).get("code") not in retry_codes:
                return answer
            time.sleep(0.2)
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


def sender_order_problems(client: FailoverClient, prefix: str = "") -> list[str]:
    """Bodies are `sender:n`; in what the client shows, each sender's n must rise, no repeats.

    Judged on the visible list (each id once, in id order, as static/js/room.js places a
    message among those already drawn), not on wire arrival order: an older message announced
    again after a failover arrives after newer ones but is shown in its place.
    """
    problems = []
    seen: dict[str, list[int]] = {}
    for message in client.visible():
        sender, _, n = message["body"].partition(":")
        if prefix and not sender.startswith(prefix):
            continue
        seen.setdefault(sender, []).append(int(n))
    for sender, numbers in seen.items():
        if numbers != sorted(set(numbers)):
            problems.append(f"{client.name}: {sender} out of order or repeated")
    return problems
