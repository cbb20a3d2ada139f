"""People in one live room, reached through nginx only, and the failover figures they measure."""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

import socketio

from tests.reliability.clients import FailoverClient, sender_order_problems
from tests.support.live_room import LiveRoom

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class NginxMember(FailoverClient):
    """A member whose every (re)connection goes to nginx, pinned to one app by its cookie.

    Records every Engine.IO and Socket.IO session id it was given, so the logs can be searched
    for them afterwards.
    """

    def __init__(self, url: str, http, session_id: int, name: str, pin: str | None, sids: set):
        login = "; ".join(f"{c.name}={c.value}" for c in http.cookies if c.name != "holdspace_app")
        cookie = login + (f"; holdspace_app={pin}" if pin else "")
        super().__init__([url], cookie, session_id, name, client_options={"ssl_verify": False})
        self.pin = pin
        self.sids = sids
        self.reasons: list[tuple[float, tuple]] = []  # (when, python-socketio's reason)

    def _new_client(self):
        sio = super()._new_client()

        def disconnected(*reason):
            self.reasons.append((time.monotonic(), reason))
            self._on_disconnect(sio)

        sio.on("disconnect", disconnected)
        return sio

    def connect(self, url: str | None = None, timeout: float = 30.0) -> NginxMember:
        """Connect and join, retrying a failed first attempt as a browser would."""
        deadline = time.monotonic() + timeout
        while not self._connect_once(url or self.urls[0]):
            assert time.monotonic() < deadline, f"{self.name} could not connect"
            time.sleep(0.5)
        assert self.joined.wait(max(1.0, deadline - time.monotonic())), f"{self.name}: no join"
        return self

    def _connect_once(self, url: str) -> bool:
        connected = super()._connect_once(url)
        if connected:
            self.sids.update(sid for sid in (self.sio.sid, self.sio.eio.sid) if sid)
        return connected


class PollingMember:
    """A member on long-polling only, keeping cookies like a browser (nginx's pin included)."""

    def __init__(self, front, http, session_id: int, name: str, sids: set):
        self.name = name
        self.session_id = session_id
        self.http = http
        self.sids = sids
        self.messages: dict[int, dict] = {}
        self.lock = threading.Lock()
        self.connections = 0
        self.joined = threading.Event()
        self.sio = socketio.Client(
            http_session=http, ssl_verify=False, reconnection_delay=0.2, reconnection_delay_max=1
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", lambda *args: self.joined.clear())
        self.sio.on("message:new", lambda data: self._take([data["message"]]))
        self.url = front.url

    def _take(self, messages: list[dict]) -> None:
        with self.lock:
            for message in messages:
                self.messages.setdefault(message["id"], message)

    def _on_connect(self) -> None:
        self.connections += 1
        self.sids.update(sid for sid in (self.sio.sid, self.sio.eio.sid) if sid)
        self.sio.start_background_task(self._join)

    def _join(self) -> None:
        with self.lock:
            after = max(self.messages, default=0)
        answer = self.sio.call("session:join", {"session_id": self.session_id}, timeout=15)
        if not answer.get("ok"):
            return
        self._take(answer["messages"])
        page = self.sio.call(
            "messages:since", {"session_id": self.session_id, "after_id": after}, timeout=15
        )
        self._take(page.get("messages", []))
        self.joined.set()

    def connect(self) -> PollingMember:
        """Connect over long-polling only and wait until joined."""
        self.sio.connect(self.url, transports=["polling"], wait_timeout=15)
        assert self.joined.wait(20), f"{self.name} could not join over polling"
        return self

    def app(self) -> str | None:
        """The app nginx pinned this browser to (its cookie)."""
        return self.http.cookies.get("holdspace_app", path="/socket.io/")

    def close(self) -> None:
        """Leave without waiting on a pending long-poll."""
        if self.sio.connected:
            self.sio.eio.disconnect(abort=True)


class Burst:
    """Members sending messages `<tag><name>:<n>` side by side: `per_sender` each, or until
    `finish()` when `per_sender` is None."""

    def __init__(
        self, members: list[NginxMember], per_sender: int | None, tag: str, pause: float = 0
    ):
        self.acked: dict[str, list[int]] = {member.name: [] for member in members}
        self.tag = tag
        self.per_sender = per_sender
        self.pause = pause
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._send_all, args=(m,)) for m in members]

    def _send_all(self, member: NginxMember) -> None:
        n = 0
        while not self.stopping.is_set() and (self.per_sender is None or n < self.per_sender):
            answer = member.send(f"{self.tag}{member.name}:{n}", f"{self.tag}{member.name}-{n}")
            assert answer.get("ok"), answer
            self.acked[member.name].append(answer["message"]["id"])
            n += 1
            if self.pause:
                time.sleep(self.pause)

    def start(self) -> Burst:
        """Start every sender."""
        for thread in self.threads:
            thread.start()
        return self

    def sent(self) -> int:
        """Messages acknowledged so far."""
        return sum(len(ids) for ids in self.acked.values())

    def wait_for_more(self, count: int, timeout: float = 60) -> None:
        """Wait until `count` more messages than now are acknowledged."""
        target = self.sent() + count
        deadline = time.monotonic() + timeout
        while self.sent() < target:
            assert time.monotonic() < deadline, "the burst stalled"
            time.sleep(0.01)

    def finish(self, timeout: float = 180) -> set[int]:
        """Stop an open-ended burst, wait for every sender; the acked ids."""
        if self.per_sender is None:
            self.stopping.set()
        for thread in self.threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in self.threads), "a sender never finished"
        return {message_id for ids in self.acked.values() for message_id in ids}


def losses(members, expected: set[int], tag: str, timeout: float = 60) -> dict:
    """Lost, duplicated and misordered messages over everyone, once they had time to catch up."""
    lost = duplicated = 0
    problems: list[str] = []
    for member in members:
        member.wait_for(lambda m: expected <= set(m.messages), timeout)
        with member.lock:
            lost += len(expected - set(member.messages))
            duplicated += member.duplicates
        problems += sender_order_problems(member, prefix=tag)
    return {"lost": lost, "duplicated": duplicated, "problems": problems}


def summary(values: list[float]) -> str:
    """min / median / max in seconds, for a figure line."""
    if not values:
        return "none"
    return (
        f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f} s "
        f"(min / median / max, n={len(values)})"
    )


class Figures:
    """Failover figures measured through nginx, printed and kept in test-artifacts/."""

    def __init__(self):
        self.lines: dict[str, str] = {}

    def add(self, name: str, line: str) -> None:
        """Record and print one figure."""
        self.lines[name] = line
        print(f"\n[deploy] {name}: {line}")

    def save(self) -> None:
        """test-artifacts/deploy-failover.json."""
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "deploy-failover.json").write_text(json.dumps(self.lines, indent=2) + "\n")


def new_room_members(room: LiveRoom, front, names: list[str], pins: list[str | None], sids: set):
    """Connected NginxMembers for these room people, pinned as given."""
    return [
        NginxMember(front.url, room.people[name], room.session_id, name, pin, sids).connect()
        for name, pin in zip(names, pins, strict=True)
    ]


def stayed_report(people) -> str:
    """How many of app2's members stayed connected while app1 failed (all should; a move is
    reported with its reason rather than failing the run: it costs a reconnect, not a message)."""
    on_app2 = [m for m in people if m.pin == "app2"]
    moved = [
        f"{m.name}: {[reason for _, reason in m.reasons]}" for m in on_app2 if m.connections > 1
    ]
    return f"{len(on_app2) - len(moved)} of app2's {len(on_app2)} members stayed" + (
        f" (moved: {moved})" if moved else ""
    )


def browser_page(browser):
    """A page in a fresh context that accepts the self-signed certificate."""
    context = browser.new_context(ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page
