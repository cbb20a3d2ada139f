"""`make soak`: many members in one room for many minutes, with churn; nothing lost, memory flat.

Two `holdspace serve` processes behind a private Redis share one database (a SQLite file, or
SOAK_DATABASE_URL). Members join, talk, react, type, raise hands, leave and come back, and drop
their connection (landing on either process); every acknowledged message must end up with every
member, server memory (sampled every SOAK_SAMPLE_SECONDS) must not climb, and the server logs
must hold no error, and at the end everyone's last `presence` must list exactly the people in
their room. Settings: SOAK_MINUTES (10), SOAK_MEMBERS (500), SOAK_ROOM_SIZE (members per session,
50; `all` puts everyone in one room), SOAK_RATE (messages per second, 2), SOAK_SAMPLE_SECONDS
(30). Prints a summary and writes test-artifacts/soak.json.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.reliability.clients import FailoverClient
from tests.reliability.services import PrivateRedis, redis_missing
from tests.support.live_room import PASSWORD, make_live_room, post_form, seed_members
from tests.support.live_server import LiveServer, cookie_header

MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
MEMBERS = int(os.environ.get("SOAK_MEMBERS", "500"))
ROOM_SIZE = (
    MEMBERS
    if os.environ.get("SOAK_ROOM_SIZE", "").strip().lower() == "all"
    else int(os.environ.get("SOAK_ROOM_SIZE") or "50")
)
RATE = float(os.environ.get("SOAK_RATE", "2"))
SAMPLE_SECONDS = float(os.environ.get("SOAK_SAMPLE_SECONDS", "30"))
MODERATE_SECONDS = float(os.environ.get("SOAK_MODERATE_SECONDS", "20"))
# What a facilitator does every MODERATE_SECONDS, to someone in their room, chosen at random.
MODERATION = ["mute"] * 3 + ["unmute"] * 2 + ["remove"]
# Refusals that are right for a member a facilitator muted or removed during the soak.
MODERATED_REFUSALS = {"muted", "removed"}
ERROR_PATTERN = re.compile(r"Traceback|ERROR|could not publish|giving up")
ACTIONS = ["send"] * 10 + ["react"] * 4 + ["typing"] * 4 + ["hand"] * 2 + ["rejoin", "reconnect"]


def log(text: str) -> None:
    """Progress on stderr."""
    print(f"[soak {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def rss_kib(pid: int) -> int:
    """Resident memory of a process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def slope_kib_per_minute(samples: list[tuple[float, int]]) -> float:
    """Least-squares slope of (seconds, KiB) samples, in KiB per minute."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs) or 1.0
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def presence_figures(clients: list[FailoverClient], minutes: float) -> dict:
    """How many `presence` broadcasts members heard (setup and churn together)."""
    counts = sorted(c.presence_count for c in clients) or [0]
    return {
        "min": counts[0],
        "median": counts[len(counts) // 2],
        "max": counts[-1],
        "per_minute_median": round(counts[len(counts) // 2] / max(minutes, 0.01), 1),
    }


def moderation_events(server: LiveServer) -> list[str]:
    """The mute/remove events this build has (they arrive with the facilitator controls)."""
    from app import create_app
    from app.extensions import socketio

    create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": server.database_url, "REDIS_URL": None}
    )
    known = set(socketio.server.handlers.get("/", {}))
    return sorted(e for e in ("member:mute", "member:unmute", "member:remove") if e in known)


class Soak:
    """The run: servers, members, the action loop, the samples and the verdict."""

    def __init__(self, workdir: Path):
        self.redis = PrivateRedis().start()
        url = os.environ.get("SOAK_DATABASE_URL") or f"sqlite:///{workdir / 'soak.db'}"
        env = {
            "HOLDSPACE_SOCKET_CHANNEL": f"hs-soak-{uuid.uuid4().hex[:8]}",
            "HOLDSPACE_MAX_SOCKETS_PER_IP": "0",  # every member connects from loopback
            "HOLDSPACE_MAX_PENDING_SOCKETS_PER_IP": "0",
        }
        self.servers = [
            LiveServer(
                workdir / f"server{n}", database_url=url, redis_url=self.redis.url, extra_env=env
            ).start()
            for n in range(2)
        ]
        self.urls = [s.url for s in self.servers]
        self.room = make_live_room(self.servers[0], [])
        self.sessions = [self.room.session_id] + [
            self.add_session(n) for n in range(1, -(-MEMBERS // ROOM_SIZE))
        ]
        self.acked: dict[int, set[int]] = {s: set() for s in self.sessions}
        self.counts: dict[str, int] = {}
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.clients: list[FailoverClient] = []  # members still in their room
        self.keepers: dict[int, FailoverClient] = {}  # session id -> its facilitator's socket
        self.moderated: set[str] = set()  # names ever muted or removed
        self.muted: set[str] = set()
        self.removed: list[FailoverClient] = []
        self.rss: dict[int, list[tuple[float, int]]] = {n: [] for n in range(2)}

    def add_session(self, n: int) -> int:
        """Another session of the circle (one room per SOAK_ROOM_SIZE members)."""
        starts = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
        location = post_form(
            self.servers[0],
            self.room.people["holder"],
            f"/circles/{self.room.circle_id}/sessions/new",
            {"title": f"Room {n}", "starts_at": starts, "timezone": "UTC"},
        )
        return int(re.search(r"/sessions/(\d+)", location).group(1))

    def connect_members(self) -> None:
        """Seed, log in over HTTP (either process) and connect every member."""
        names = seed_members(self.servers[0].database_url, self.room.circle_id, MEMBERS)

        def one(n_name):
            n, name = n_name
            server = self.servers[n % 2]
            urls = [server.url] + [u for u in self.urls if u != server.url]
            client = FailoverClient(
                urls,
                cookie_header(server.login(name, PASSWORD)),
                self.sessions[n // ROOM_SIZE],
                name,
            )
            return client.connect(timeout=60)

        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            self.clients = list(pool.map(one, enumerate(names)))
        holder = cookie_header(self.room.people["holder"])  # logged in on the first process
        for session_id in self.sessions:
            keeper = FailoverClient(self.urls, holder, session_id, f"holder-{session_id}")
            self.keepers[session_id] = keeper.connect(timeout=60)
        self.setup_seconds = round(time.monotonic() - started, 1)

    def moderate(self, what: str) -> None:
        """A facilitator mutes (1 minute), unmutes or removes someone in their room."""
        pool = [c for c in self.clients if (c.name in self.muted) == (what == "unmute")]
        if not pool:
            return
        member = random.choice(pool)
        keeper = self.keepers[member.session_id]
        target = {"session_id": member.session_id, "user_id": member.you["user_id"]}
        with self.lock:
            self.moderated.add(member.name)
            if what == "remove":  # out of the room from now on: not expected to hear more
                self.clients.remove(member)
                self.removed.append(member)
        answer = keeper.call(
            f"member:{what}", {**target, "minutes": 1} if what == "mute" else target
        )
        with self.lock:
            if not answer.get("ok"):
                self.failures.append(f"{what} {answer}")
            elif what == "mute":
                self.muted.add(member.name)
            elif what == "unmute":
                self.muted.discard(member.name)
            key = f"moderation:{what}"
            self.counts[key] = self.counts.get(key, 0) + 1

    def act(self, client: FailoverClient, action: str, n: int) -> None:
        """One member does one thing."""
        sid = client.session_id
        if action == "send":
            answer = client.send(f"{client.name}:{n}", f"{client.name}-{n}", deadline=120)
            code = answer.get("error", {}).get("code")
            if answer.get("ok"):
                with self.lock:
                    self.acked[sid].add(answer["message"]["id"])
            elif code in MODERATED_REFUSALS and client.name in self.moderated:
                with self.lock:
                    self.counts[f"send_refused:{code}"] = (
                        self.counts.get(f"send_refused:{code}", 0) + 1
                    )
            else:
                self.failures.append(f"send {answer}")
        elif action == "react" and client.messages:
            target = random.choice(list(client.messages)[-20:])
            kind = random.choice(["heart", "hug", "hear_you", "thank_you"])
            client.call("message:react", {"message_id": target, "kind": kind})
        elif action == "typing":
            client.call("typing", {"session_id": sid, "typing": bool(n % 2)})
        elif action == "hand":
            client.call(random.choice(["hand:raise", "hand:lower"]), {"session_id": sid})
        elif action == "rejoin":
            client.call("session:leave", {"session_id": sid})
            time.sleep(random.uniform(0.5, 3))
            client.resync()
        elif action == "reconnect":
            client.sio.disconnect()  # fails over to the next process and catches up
        with self.lock:
            self.counts[action] = self.counts.get(action, 0) + 1

    @property
    def total_acked(self) -> int:
        """Acknowledged messages in every room."""
        return sum(len(ids) for ids in self.acked.values())

    def safely(self, client, action, n) -> None:
        """Run an action; a timeout during churn is retried by the next action, not fatal."""
        try:
            self.act(client, action, n)
        except Exception as exc:
            with self.lock:
                self.counts[f"{action}_error:{type(exc).__name__}"] = (
                    self.counts.get(f"{action}_error:{type(exc).__name__}", 0) + 1
                )

    def safely_moderate(self, what: str) -> None:
        """Moderate; an exception is counted (and fails the soak), never raised into the pool."""
        try:
            self.moderate(what)
        except Exception as exc:
            with self.lock:
                self.failures.append(f"{what} raised {type(exc).__name__}")

    def run(self) -> dict:
        """Churn for MINUTES, sampling memory; then check every member holds every message."""
        began = time.monotonic()
        ends = began + MINUTES * 60
        next_sample = began
        next_moderation = began + MODERATE_SECONDS
        n = 0
        with ThreadPoolExecutor(16) as pool:
            while time.monotonic() < ends:
                now = time.monotonic()
                if now >= next_moderation:
                    pool.submit(self.safely_moderate, random.choice(MODERATION))
                    next_moderation += MODERATE_SECONDS
                if now >= next_sample:
                    for i, server in enumerate(self.servers):
                        self.rss[i].append((now - began, rss_kib(server.process.pid)))
                    next_sample += SAMPLE_SECONDS
                    log(f"{int(now - began)} s: acked {self.total_acked}, {self.counts}")
                n += 1
                action = random.choice(ACTIONS)
                pool.submit(self.safely, random.choice(self.clients), action, n)
                time.sleep(1 / (RATE * len(ACTIONS) / ACTIONS.count("send")))
        for i, server in enumerate(self.servers):
            self.rss[i].append((time.monotonic() - began, rss_kib(server.process.pid)))
        for client in self.clients:
            client.joined.wait(60)
        lost = {}
        for client in self.clients:
            acked = self.acked[client.session_id]
            if not client.wait_for(lambda c, a=acked: a <= set(c.messages), 60):
                lost[client.name] = len(acked - set(client.messages))
        stale = self.stale_presence()
        errors = [
            line
            for s in self.servers
            for line in s.log().splitlines()
            if ERROR_PATTERN.search(line)
        ]
        half = lambda samples: samples[len(samples) // 2 :]  # noqa: E731 (after warm-up)
        return {
            "members": MEMBERS,
            "rooms": len(self.sessions),
            "room_size": ROOM_SIZE,
            "setup_seconds": self.setup_seconds,
            "minutes": MINUTES,
            "messages_acked": self.total_acked,
            "actions": self.counts,
            "members_missing_messages": len(lost),
            "messages_lost_total": sum(lost.values()),
            "members_removed": len(self.removed),
            "members_muted_at_the_end": len(self.muted),
            "members_with_stale_presence": len(stale),
            "stale_presence_examples": dict(list(stale.items())[:5]),
            "presence_broadcasts_per_member": presence_figures(self.clients, MINUTES),
            "rss_mib": {i: [round(k / 1024, 1) for _, k in s] for i, s in self.rss.items()},
            "rss_slope_kib_per_min": {
                i: round(slope_kib_per_minute(s)) for i, s in self.rss.items()
            },
            "rss_slope_second_half_kib_per_min": {
                i: round(slope_kib_per_minute(half(s))) for i, s in self.rss.items()
            },
            "moderation_events": moderation_events(self.servers[0]),
            "server_log_errors": errors[:20],
            "loadavg": os.getloadavg(),
            "failures": self.failures[:20],
        }

    def stale_presence(self, timeout: float = 60) -> dict[str, str]:
        """Members whose last `presence` (or join ack) does not list exactly their room.

        Waits up to `timeout` in all for the last broadcasts to land; says how each is off.
        """
        rooms: dict[int, set[str]] = {}
        for client in self.clients:
            rooms.setdefault(client.session_id, set()).add(f"Soak {client.name[4:]}")
        for session_id, keeper in self.keepers.items():
            rooms.setdefault(session_id, set()).add(keeper.you["display_name"])

        def off(client: FailoverClient) -> str:
            with client.lock:
                heard = {m["display_name"] for m in client.presence or []}
            expected = rooms[client.session_id]
            if heard == expected:
                return ""
            return f"{len(expected - heard)} missing, {len(heard - expected)} extra"

        deadline = time.monotonic() + timeout
        while True:
            stale = {c.name: why for c in self.clients if (why := off(c))}
            if not stale or time.monotonic() > deadline:
                return stale
            time.sleep(0.5)

    def close(self) -> None:
        """Disconnect everyone and stop the servers and Redis."""
        for client in [*self.clients, *self.removed, *self.keepers.values()]:
            client.close()
        for server in self.servers:
            server.stop()
        self.redis.stop()


def main() -> int:
    """Run the soak; exit 1 on any lost message, log error or failed send."""
    if redis_missing():
        log(f"skipped: {redis_missing()}")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="hs-soak-"))
    soak = Soak(workdir)
    try:
        log(
            f"{MEMBERS} members in rooms of {ROOM_SIZE}, {MINUTES} min, {RATE} msg/s; "
            f"load {os.getloadavg()}"
        )
        soak.connect_members()
        log("everyone is in; churning")
        result = soak.run()
    finally:
        soak.close()
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/soak.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    bad = (
        result["messages_lost_total"]
        or result["members_with_stale_presence"]
        or result["server_log_errors"]
        or result["failures"]
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
