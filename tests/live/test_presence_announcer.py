"""The presence announcer on its own: few broadcasts for a burst, and the last one is current.

The announcer is driven by hand here: `spawn` only records the runner and `sleep` is where the
test lets the world change "during the window", so nothing depends on a clock.
"""

from __future__ import annotations

import pytest

from app.live.presence import announce
from app.live.presence.announce import PresenceAnnouncer, window_seconds


class World:
    """A fake room store and broadcast log; `during_sleep` runs whenever the runner waits."""

    def __init__(self):
        self.present: dict[int, list[str]] = {}
        self.sent: list[tuple[int, list[str]]] = []
        self.runners: list[tuple] = []
        self.sleeps: list[float] = []
        self.during_sleep: list = []  # callables run one per sleep, in order
        self.after_emit: list = []  # callables run one per broadcast, right after it
        self.failing_reads = 0  # how many of the next reads fail
        self.announcer = PresenceAnnouncer(
            read=self.read,
            emit=self.emit,
            spawn=lambda fn, *args: self.runners.append((fn, args)),
            sleep=self.sleep,
        )

    def read(self, room: int) -> list[str]:
        if self.failing_reads:
            self.failing_reads -= 1
            raise ConnectionError("the store is away")
        return sorted(self.present.get(room, []))

    def emit(self, room: int, members: list[str]) -> None:
        self.sent.append((room, members))
        if self.after_emit:
            self.after_emit.pop(0)()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.during_sleep:
            self.during_sleep.pop(0)()

    def join(self, room: int, name: str) -> None:
        self.present.setdefault(room, []).append(name)
        self.announcer.announce(room)

    def leave(self, room: int, name: str) -> None:
        self.present[room].remove(name)
        self.announcer.announce(room)

    def run_all(self) -> None:
        """Run every runner spawned so far (and any spawned while running) to its end."""
        while self.runners:
            fn, args = self.runners.pop(0)
            fn(*args)


@pytest.fixture
def world():
    return World()


def test_a_burst_of_joins_is_one_broadcast_with_everyone(world):
    for n in range(200):
        world.join(1, f"p{n:03d}")
    assert len(world.runners) == 1, "one runner per room, however many changes"
    assert world.sent == []
    world.run_all()
    assert world.sent == [(1, sorted(f"p{n:03d}" for n in range(200)))]
    assert not world.announcer.busy()


def test_changes_during_the_window_fold_into_one_trailing_broadcast(world):
    world.join(1, "alice")
    # While the runner waits out its window after the first broadcast, three more arrive.
    world.during_sleep = [
        lambda: None,  # the lead before the first broadcast
        lambda: [world.join(1, name) for name in ("bob", "cy", "dee")],
    ]
    world.run_all()
    assert world.sent == [(1, ["alice"]), (1, ["alice", "bob", "cy", "dee"])]
    assert len(world.runners) == 0 and not world.announcer.busy()


def test_a_change_made_while_broadcasting_is_broadcast_after_it(world):
    world.join(1, "alice")
    world.after_emit = [lambda: world.leave(1, "alice")]  # after the read, before the next look
    world.run_all()
    assert world.sent == [(1, ["alice"]), (1, [])], "the last broadcast is the current list"


def test_a_change_another_process_made_unannounced_here_is_caught_by_the_reread(world):
    world.join(1, "alice")
    # Another process adds bob to the shared store; this process is never told.
    world.during_sleep = [lambda: None, lambda: world.present[1].append("bob")]
    world.run_all()
    assert world.sent[-1] == (1, ["alice", "bob"])


def test_a_join_and_leave_within_a_window_send_nothing_new(world):
    world.join(1, "alice")
    world.during_sleep = [lambda: None, lambda: (world.join(1, "bob"), world.leave(1, "bob"))]
    world.run_all()
    assert world.sent == [(1, ["alice"])]
    assert not world.announcer.busy()


def test_rooms_are_announced_separately(world):
    world.join(1, "alice")
    world.join(2, "bob")
    world.join(1, "cy")
    assert len(world.runners) == 2
    world.run_all()
    assert sorted(world.sent) == [(1, ["alice", "cy"]), (2, ["bob"])]


def test_a_change_after_the_runner_stopped_starts_a_new_one(world):
    world.join(1, "alice")
    world.run_all()
    world.leave(1, "alice")
    assert len(world.runners) == 1
    world.run_all()
    assert world.sent == [(1, ["alice"]), (1, [])]


def test_the_first_broadcast_waits_only_the_lead_and_windows_grow_with_the_room(world):
    for n in range(300):
        world.join(1, f"p{n}")
    world.run_all()
    assert world.sleeps[0] == announce.LEAD_SECONDS
    assert world.sleeps[1] == window_seconds(300) == announce.MAX_WINDOW_SECONDS
    assert window_seconds(2) == announce.MIN_WINDOW_SECONDS
    assert window_seconds(25) < window_seconds(100) < window_seconds(250)
    assert announce.MIN_WINDOW_SECONDS <= window_seconds(100) <= announce.MAX_WINDOW_SECONDS


def test_a_failing_read_is_retried_then_given_up_and_the_room_announced_again_later(world):
    world.failing_reads = 2
    world.join(1, "alice")
    world.run_all()
    assert world.sent == [(1, ["alice"])], "recovered on the third attempt"
    world.failing_reads = announce.MAX_FAILURES
    world.join(1, "bob")
    world.run_all()
    assert world.sent == [(1, ["alice"])] and not world.announcer.busy(), "gave up, no loop"
    world.join(1, "cy")
    world.run_all()
    assert world.sent[-1] == (1, ["alice", "bob", "cy"])


class FakeGate:
    """`rooms.PresenceGate`'s rules on a simulated clock (the Redis one has its own test)."""

    def __init__(self, clock):
        self.clock = clock
        self.lease: str | None = None
        self.cooldown_until = 0.0
        self.sent: str | None = None

    def take_turn(self, session_id, token):
        now = self.clock()
        if self.cooldown_until > now:
            return self.cooldown_until - now
        if self.lease is not None:
            return 0.05
        self.lease = token
        return 0

    def last_sent(self, session_id):
        return self.sent

    def end_turn(self, session_id, token, sent=None, cooldown=0):
        if self.lease != token:
            return
        if sent:
            self.sent = sent
            self.cooldown_until = self.clock() + cooldown
        self.lease = None


class Cluster:
    """Several processes (announcers) over one shared room store and gate, on simulated time."""

    def __init__(self, processes: int, gate: bool = True):
        self.now = 0.0
        self.present: list[str] = []
        self.sent: list[tuple[float, int, list[str]]] = []  # (when, which process, list)
        self.steps: list[tuple[float, int, int]] = []  # (when, process, room) to run
        shared_gate = FakeGate(lambda: self.now) if gate else None
        self.announcers = [
            PresenceAnnouncer(
                read=lambda room: sorted(self.present),
                emit=lambda room, members, p=p: self.sent.append((self.now, p, members)),
                spawn=lambda fn, room, p=p: self.steps.append(
                    (self.now + announce.LEAD_SECONDS, p, room)
                ),
                sleep=lambda seconds: None,
                gate=lambda: shared_gate,
            )
            for p in range(processes)
        ]

    def until(self, end: float) -> None:
        """Run every step due up to `end` (simulated seconds), in time order."""
        while self.steps:
            self.steps.sort()
            when, p, room = self.steps[0]
            if when > end:
                break
            self.steps.pop(0)
            self.now = when
            delay = self.announcers[p].step(room)
            if delay is not None:
                self.steps.append((self.now + delay, p, room))
        self.now = max(self.now, end)

    def join(self, p: int, name: str) -> None:
        self.present.append(name)
        self.announcers[p].announce(1)

    def leave(self, p: int, name: str) -> None:
        self.present.remove(name)
        self.announcers[p].announce(1)


def test_two_processes_take_turns_one_broadcast_per_window_and_the_last_is_current():
    cluster = Cluster(processes=2)
    # 300 people join over three seconds, alternating between the processes.
    for n in range(300):
        cluster.until(n * 0.01)
        cluster.join(n % 2, f"p{n:03d}")
    cluster.until(1000)
    everyone = sorted(f"p{n:03d}" for n in range(300))
    assert cluster.sent[-1][2] == everyone
    assert not any(a.busy() for a in cluster.announcers)
    # Consecutive broadcasts, whichever process sent them, are at least a window apart.
    for (t0, _, before), (t1, _, _) in zip(cluster.sent, cluster.sent[1:], strict=False):
        assert t1 - t0 >= window_seconds(len(before)) - 1e-9
    assert len(cluster.sent) < 15, "a handful for 300 joins, not 300"


def test_a_process_whose_list_is_already_out_sends_nothing():
    cluster = Cluster(processes=2)
    cluster.join(0, "alice")
    cluster.join(1, "bob")  # both processes announce the same room at the same moment
    cluster.until(1000)
    assert [members for _, _, members in cluster.sent] == [["alice", "bob"]]


def test_a_leave_on_the_other_process_during_the_cooldown_is_broadcast_after_it():
    cluster = Cluster(processes=2)
    for n, name in enumerate(["alice", "bob", "cy"]):
        cluster.join(n % 2, name)
    cluster.until(announce.LEAD_SECONDS)
    assert cluster.sent[-1][2] == ["alice", "bob", "cy"]
    cluster.leave(1, "bob")  # inside the cooldown of process 0's broadcast
    cluster.until(1000)
    assert cluster.sent[-1][2] == ["alice", "cy"]
    assert cluster.sent[-1][0] - cluster.sent[-2][0] >= window_seconds(3)


class RecordingGate(FakeGate):
    """A gate that notes when a turn ends, in the same log as broadcasts and publishes (and
    leaves no cooldown: its clock stands still)."""

    def __init__(self, log):
        super().__init__(lambda: 0.0)
        self.log = log

    def end_turn(self, session_id, token, sent=None, cooldown=0):
        self.log.append("turn ended")
        super().end_turn(session_id, token, sent, cooldown=0)


def test_a_turn_ends_after_its_broadcast():
    """The emit publishes to the queue before it returns: the turn ends only after it, so
    another process's newer list cannot land first."""
    log: list[str] = []
    gate = RecordingGate(log)
    announcer = PresenceAnnouncer(
        read=lambda room: ["alice"],
        emit=lambda room, members: log.append("broadcast"),
        spawn=lambda fn, *args: None,
        sleep=lambda seconds: None,
        gate=lambda: gate,
    )
    announcer.announce(1)
    assert announcer.step(1) is not None
    assert log == ["broadcast", "turn ended"]
    log.clear()
    assert announcer.step(1) is None, "nothing changed: done"
    assert log == ["turn ended"]
