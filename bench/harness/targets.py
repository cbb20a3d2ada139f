"""The targets of a run: (a) Holdspace, (b) the bare server (as it comes, and (p) declining
compression like Holdspace), (c) Holdspace x2 over Redis; with `--before`, (a) and (c) again
from an older checkout of Holdspace (its own .venv), interleaved with this one's."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness import servers

SERVER_CORE = 0
GENERATOR_CORE = 1


@dataclass
class Target:
    """One thing to measure: kind a|b|c, async mode, database."""

    key: str
    kind: str  # "a", "b" or "c"
    mode: str  # "eventlet" or "gevent"
    database: str = "none"  # "sqlite", "postgresql" or "none"
    note: str = ""
    compression: bool = True  # (b): negotiates WebSocket permessage-deflate, as it comes
    version: str = ""  # (a)/(c): "" is this checkout; "before" is the checkout of `--before`
    checkout: str = ""  # the root of that checkout ("" for this one)

    @property
    def is_holdspace(self) -> bool:
        """Targets (a) and (c) run the real app."""
        return self.kind in ("a", "c")

    @property
    def baseline_key(self) -> str:
        """The bare server in the same async mode: what every Holdspace figure is compared to."""
        return f"b-{self.mode}"

    @property
    def plain_baseline_key(self) -> str:
        """The bare server in the same async mode, declining compression as Holdspace does:
        the like-for-like comparison."""
        return f"b-plain-{self.mode}"


@dataclass
class Deployment:
    """What a run has up: the servers, and the members the generator should play."""

    servers: list[servers.Server]
    members: list[dict]
    auth: dict
    http_user: str | None = None
    extra: dict = field(default_factory=dict)

    def generator_servers(self) -> list[dict]:
        """Server entries for the generator config (clients are dealt round-robin)."""
        pids = [s.pid for s in self.servers]
        return [{"url": s.url, "pids": pids if i == 0 else []} for i, s in enumerate(self.servers)]


def all_targets(modes: list[str], kinds: list[str], before: str | None = None) -> list[Target]:
    """Every target these options ask for that this machine can run; with `before` (the root
    of an older checkout), each Holdspace target also from that checkout, right after its own
    (the runner rotates the order per repeat, so neither version always runs first)."""
    targets: list[Target] = []
    postgres = bool(os.environ.get("TEST_DATABASE_URL"))
    for mode in modes:
        if "b" in kinds:
            targets.append(Target(f"b-{mode}", "b", mode))
        if "p" in kinds:
            note = "declines WebSocket compression, as Holdspace serves (like for like)"
            targets.append(Target(f"b-plain-{mode}", "b", mode, note=note, compression=False))
        if "a" in kinds:
            for database in ("sqlite", "postgresql") if postgres else ("sqlite",):
                targets += _versions(Target(f"a-{database}-{mode}", "a", mode, database), before)
    if "c" in kinds:
        database = "postgresql" if postgres else "sqlite"
        note = "two processes share core 0 (and Redis); clients alternate between them"
        two = Target(f"c-redis2-{database}-eventlet", "c", "eventlet", database, note)
        targets += _versions(two, before)
    return targets


def _versions(target: Target, before: str | None) -> list[Target]:
    """This checkout's Holdspace target, then (with `before`) the same from the older one."""
    if before is None:
        return [target]
    old = Target(
        _before_key(target.key),
        target.kind,
        target.mode,
        target.database,
        target.note,
        version="before",
        checkout=str(Path(before).resolve()),
    )
    return [target, old]


def _before_key(key: str) -> str:
    """`a-sqlite-eventlet` -> `a-before-sqlite-eventlet`."""
    kind, rest = key.split("-", 1)
    return f"{kind}-before-{rest}"


def run_order(wanted: list[Target], repeat: int) -> list[Target]:
    """The targets of one repeat: rotated by the repeat, so no target always runs first or
    last, and on even repeats each before/after pair swapped, so neither version always runs
    first."""
    shift = (repeat - 1) % max(len(wanted), 1)
    order = wanted[shift:] + wanted[:shift]
    if repeat % 2 == 0:
        for i in range(len(order) - 1):
            here, then = order[i], order[i + 1]
            if not here.version and then.version and then.key == _before_key(here.key):
                order[i], order[i + 1] = then, here
    return order


def pinning(enabled: bool) -> tuple[int | None, int | None]:
    """(server core, generator core), or (None, None) when pinning is off or impossible."""
    if not enabled or (os.cpu_count() or 1) < 2:
        return None, None
    return SERVER_CORE, GENERATOR_CORE


@contextlib.contextmanager
def database_for(target: Target, workdir: Path) -> Iterator[str | None]:
    """A fresh database for one run: a new SQLite file, or a new PostgreSQL database."""
    if target.database == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
    elif target.database == "postgresql":
        database = servers.PostgresDatabase(os.environ["TEST_DATABASE_URL"])
        url = database.create()
        try:
            yield url
        finally:
            database.drop()
    else:
        yield None


@contextlib.contextmanager
def redis_for(target: Target, workdir: Path, core: int | None) -> Iterator[str | None]:
    """A private Redis for target (c) (or BENCH_REDIS_URL when given)."""
    if target.kind != "c":
        yield None
        return
    given = os.environ.get("BENCH_REDIS_URL")
    if given:
        yield given
        return
    redis = servers.PrivateRedis(workdir, core).start()
    try:
        yield redis.url
    finally:
        redis.stop()


def bare_members(clients: int, room_size: int) -> list[dict]:
    """Members for the bare server: rooms 1..R filled in order, like the Holdspace setup."""
    return [{"username": f"bare{i}", "room": 1 + i // room_size} for i in range(clients)]


@contextlib.contextmanager
def deploy(
    target: Target, workdir: Path, clients: int, room_size: int, core: int | None
) -> Iterator[Deployment]:
    """Bring a target up for one run with fresh state; tear it all down afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    if target.kind == "b":
        server = servers.bare_server(target.mode, workdir, core, target.compression).start()
        try:
            yield Deployment([server], bare_members(clients, room_size), {"kind": "none"})
        finally:
            server.stop()
        return
    with (
        database_for(target, workdir) as database_url,
        redis_for(target, workdir, core) as redis_url,
    ):
        env = servers.holdspace_env(target.mode, database_url, workdir, redis_url)
        checkout = servers.Checkout.of(target.checkout)
        people = servers.setup_holdspace(env, workdir, clients, room_size, checkout)
        count = 2 if target.kind == "c" else 1
        started: list[servers.Server] = []
        try:
            for i in range(count):
                name = f"{target.key}-{i}"
                started.append(servers.holdspace_server(name, env, workdir, core, checkout))
                started[-1].start()
            auth = {"kind": "holdspace", "password": people["password"]}
            yield Deployment(started, people["members"], auth, people["http_user"], people)
        finally:
            for server in started:
                server.stop()
