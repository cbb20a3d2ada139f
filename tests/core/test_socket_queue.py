"""The Socket.IO queue's outbox (app/core/sockets.py:BlockingRedisManager).

An emit only encodes its event and queues it; one background task publishes what is waiting,
several events per pipelined round trip, in the order they were emitted. These tests drive the
manager with a recording stand-in for the Redis client and a server whose background tasks run
when the test says so, so each step is seen exactly. Against real Redis and real processes, the
burst, logout and restart tests in tests/transport and tests/reliability cover the same code.
"""

from __future__ import annotations

import json
import logging
import os
import time

import pytest

from app.core import sockets
from app.core.sockets import QUEUE_PUBLISH_ATTEMPTS, QUEUE_PUBLISH_BATCH, BlockingRedisManager

SECRET = "something only the room may read"


class RecordingRedis:
    """Records every round trip: a list of (channel, payload) per PUBLISH or pipeline."""

    def __init__(self, failures: int = 0, during_failure=None) -> None:
        self.round_trips: list[list[tuple[str, str]]] = []
        self.failures = failures  # round trips that raise before this one succeeds
        self.during_failure = during_failure  # called on each failed round trip

    def _trip(self, publishes: list[tuple[str, str]]) -> None:
        if self.failures:
            self.failures -= 1
            if self.during_failure is not None:
                self.during_failure()
            raise ConnectionError("Redis is restarting")
        self.round_trips.append(publishes)

    def publish(self, channel: str, payload: str) -> int:
        self._trip([(channel, payload)])
        return 1

    def pipeline(self, transaction: bool = True):
        assert transaction is False, "publishes need no MULTI/EXEC"
        return RecordingPipeline(self)


class RecordingPipeline:
    def __init__(self, redis: RecordingRedis) -> None:
        self.redis = redis
        self.queued: list[tuple[str, str]] = []

    def publish(self, channel: str, payload: str) -> None:
        self.queued.append((channel, payload))

    def execute(self) -> list[int]:
        self.redis._trip(list(self.queued))
        return [1] * len(self.queued)


class HeldTasks:
    """A server stand-in whose background tasks wait until the test runs them."""

    def __init__(self) -> None:
        self.tasks: list = []

    def start_background_task(self, target, *args):
        self.tasks.append((target, args))

    def run_all(self) -> None:
        while self.tasks:
            target, args = self.tasks.pop(0)
            target(*args)


@pytest.fixture
def no_pauses(monkeypatch):
    """Retries without their backoff pauses (the count of pauses is kept)."""
    pauses: list[float] = []
    monkeypatch.setattr(sockets.time, "sleep", pauses.append)
    return pauses


def _manager(redis: RecordingRedis, server=None, monkeypatch=None) -> BlockingRedisManager:
    manager = BlockingRedisManager("redis://127.0.0.1:1/0", channel="test-channel")
    manager.server = server
    manager._serving = server is not None  # as after python-socketio's initialize()
    manager.redis = redis
    manager.connected = True
    if monkeypatch is not None:  # a reconnect keeps the recording client
        monkeypatch.setattr(manager, "_redis_connect", lambda: setattr(manager, "connected", True))
    return manager


def _event(n: int) -> dict:
    return {"method": "emit", "event": "message:new", "data": [{"n": n, "body": SECRET}]}


def _published(redis: RecordingRedis) -> list[dict]:
    return [json.loads(payload) for trip in redis.round_trips for _, payload in trip]


def test_an_emit_queues_and_returns_without_touching_redis():
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    manager._publish(_event(1))
    assert redis.round_trips == [], "the emitter must not wait for Redis"
    assert len(server.tasks) == 1
    server.run_all()
    assert redis.round_trips == [[("test-channel", json.dumps(_event(1)))]]


def test_events_queued_together_go_in_one_round_trip_in_emit_order():
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    for n in range(7):
        manager._publish(_event(n))
    assert len(server.tasks) == 1, "one task drains the outbox, however many emits"
    server.run_all()
    assert len(redis.round_trips) == 1
    assert [event["data"][0]["n"] for event in _published(redis)] == list(range(7))


def test_a_long_outbox_is_published_in_batches_of_the_limit():
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    total = QUEUE_PUBLISH_BATCH * 2 + 17
    for n in range(total):
        manager._publish(_event(n))
    server.run_all()
    assert [len(trip) for trip in redis.round_trips] == [
        QUEUE_PUBLISH_BATCH,
        QUEUE_PUBLISH_BATCH,
        17,
    ]
    assert [event["data"][0]["n"] for event in _published(redis)] == list(range(total))


def test_the_task_ends_when_the_outbox_is_empty_and_the_next_emit_starts_another():
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    manager._publish(_event(1))
    server.run_all()
    assert manager._publishing is False and not manager._outbox
    manager._publish(_event(2))
    assert len(server.tasks) == 1, "an idle outbox needs a new task"
    server.run_all()
    assert [event["data"][0]["n"] for event in _published(redis)] == [1, 2]


def test_an_event_emitted_while_a_batch_is_out_follows_it_in_the_same_task():
    server = HeldTasks()
    manager = None

    class EmitDuringTrip(RecordingRedis):
        def _trip(self, publishes):
            super()._trip(publishes)
            if len(self.round_trips) == 1:
                manager._publish(_event(99))  # arrives while the first batch is on the wire

    redis = EmitDuringTrip()
    manager = _manager(redis, server)
    manager._publish(_event(1))
    server.run_all()
    assert [event["data"][0]["n"] for event in _published(redis)] == [1, 99]
    assert len(redis.round_trips) == 2 and server.tasks == []


def test_the_event_is_encoded_when_emitted_not_when_published():
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    event = _event(1)
    manager._publish(event)
    event["data"][0]["n"] = 2  # the caller reuses its dict after the emit
    server.run_all()
    assert _published(redis)[0]["data"][0]["n"] == 1


def test_a_failed_round_trip_is_retried_with_backoff_and_nothing_is_lost(
    monkeypatch, no_pauses, caplog
):
    redis, server = RecordingRedis(failures=3), HeldTasks()
    manager = _manager(redis, server, monkeypatch)
    for n in range(5):
        manager._publish(_event(n))
    with caplog.at_level(logging.WARNING, logger="app.core.sockets"):
        server.run_all()
    assert [event["data"][0]["n"] for event in _published(redis)] == list(range(5))
    assert no_pauses == [0.05, 0.1, 0.2], "three failures, three growing pauses"
    assert caplog.text.count("publish attempt") == 3
    assert "ConnectionError" in caplog.text and SECRET not in caplog.text


def test_a_batch_that_never_gets_through_is_dropped_with_what_queued_behind_it(
    monkeypatch, no_pauses, caplog
):
    server = HeldTasks()
    manager = None
    arrivals = iter(range(100, 200))

    def an_emit_during_the_outage():
        manager._publish(_event(next(arrivals)))

    redis = RecordingRedis(
        failures=QUEUE_PUBLISH_ATTEMPTS, during_failure=an_emit_during_the_outage
    )
    manager = _manager(redis, server, monkeypatch)
    manager._publish(_event(1))
    with caplog.at_level(logging.WARNING, logger="app.core.sockets"):
        server.run_all()
    assert redis.round_trips == [], "nothing went out during the outage"
    assert no_pauses == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0], "about 5 s, then it gives up"
    assert "could not publish 1 events" in caplog.text
    assert f"dropped {QUEUE_PUBLISH_ATTEMPTS} queued events" in caplog.text
    assert SECRET not in caplog.text
    assert not manager._outbox and manager._publishing is False
    manager._publish(_event(2))  # Redis is back: the queue works again at once
    server.run_all()
    assert [event["data"][0]["n"] for event in _published(redis)] == [2]


def test_an_unexpected_error_does_not_strand_the_outbox(monkeypatch, caplog):
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    real = manager._publish_batch
    calls = []

    def broken_once(payloads):
        calls.append(len(payloads))
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return real(payloads)

    monkeypatch.setattr(manager, "_publish_batch", broken_once)
    manager._publish(_event(1))
    with caplog.at_level(logging.ERROR, logger="app.core.sockets"):
        server.run_all()
    assert "publishing failed (RuntimeError)" in caplog.text
    assert manager._publishing is False
    manager._publish(_event(2))
    server.run_all()
    assert [event["data"][0]["n"] for event in _published(redis)] == [2]


def test_when_no_task_can_be_started_the_emitter_publishes_itself(caplog):
    class NoTasks:
        def start_background_task(self, target, *args):
            raise RuntimeError("can't start new thread")

    redis = RecordingRedis()
    manager = _manager(redis, NoTasks())
    with caplog.at_level(logging.ERROR, logger="app.core.sockets"):
        manager._publish(_event(1))
    assert "could not start the publisher (RuntimeError)" in caplog.text
    assert [event["data"][0]["n"] for event in _published(redis)] == [1]
    assert manager._publishing is False and not manager._outbox


def test_a_manager_not_yet_serving_publishes_at_once():
    """No socket has connected (a command, say): the event is out before the emit returns."""
    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    manager._serving = False
    manager._publish(_event(1))
    assert redis.round_trips == [[("test-channel", json.dumps(_event(1)))]]
    assert server.tasks == []


def test_initialising_the_manager_turns_the_outbox_on(monkeypatch):
    from socketio import RedisManager

    monkeypatch.setattr(RedisManager, "initialize", lambda self: None)  # no listener here
    manager = BlockingRedisManager("redis://127.0.0.1:1/0", channel="test-channel")
    assert manager._serving is False
    manager.initialize()
    assert manager._serving is True


@pytest.mark.redis
def test_real_redis_gets_a_burst_of_emits_once_and_in_order():
    """Through a real Redis, with the task on a real thread: 1,000 emits, one subscriber."""
    import threading

    import redis as redis_py

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    channel = f"holdspace-outbox-test-{os.getpid()}"

    class ThreadServer:
        def start_background_task(self, target, *args):
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            return thread

    listener = redis_py.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    manager = BlockingRedisManager(url, channel=channel)
    manager.server = ThreadServer()
    manager._serving = True
    manager._redis_connect()
    total = 1000
    for n in range(total):
        manager._publish(_event(n))
    got = []
    deadline = time.monotonic() + 20
    while len(got) < total and time.monotonic() < deadline:
        message = listener.get_message(timeout=1)  # None for the subscribe confirmation too
        if message is not None:
            got.append(json.loads(message["data"])["data"][0]["n"])
    listener.close()
    assert got == list(range(total))


def test_wait_published_returns_once_everything_emitted_before_it_is_out():
    """What `presence` turns wait on (app/live/announce.py): the emits so far, published."""
    import threading

    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    assert manager.wait_published(0) is True, "nothing emitted: nothing to wait for"
    manager._publish(_event(1))
    manager._publish(_event(2))
    assert manager.wait_published(0.01) is False, "still in the outbox"
    waited: list[bool] = []
    waiter = threading.Thread(target=lambda: waited.append(manager.wait_published(5)))
    waiter.start()
    server.run_all()
    waiter.join(5)
    assert waited == [True]
    assert [e["data"][0]["n"] for e in _published(redis)] == [1, 2]


def test_a_dropped_event_is_reported_and_nobody_waits_for_it_in_vain(no_pauses, monkeypatch):
    """After an outage the batch and what queued behind it are dropped: waiting for any of
    them ends at once, with False; an event published later is True again."""
    redis, server = RecordingRedis(failures=QUEUE_PUBLISH_ATTEMPTS), HeldTasks()
    manager = _manager(redis, server, monkeypatch)
    manager._publish(_event(1))
    first = manager.last_ticket()
    manager._publish(_event(2))
    second = manager.last_ticket()
    server.run_all()
    assert redis.round_trips == []
    assert manager.wait_published(0, first) is False
    assert manager.wait_published(0, second) is False
    manager._publish(_event(3))
    third = manager.last_ticket()
    server.run_all()
    assert (first, second, third) == (1, 2, 3)
    assert manager.wait_published(0, third) is True
    assert manager.wait_published(0, first) is False, "still dropped"


def test_each_emitter_gets_the_ticket_of_its_own_last_emit():
    """Tickets are kept per thread (per greenlet under eventlet): a send waits for its own
    broadcast, not for whatever another greenlet emitted since."""
    import threading

    redis, server = RecordingRedis(), HeldTasks()
    manager = _manager(redis, server)
    assert manager.last_ticket() is None, "nothing emitted here yet"
    manager._publish(_event(1))
    other: list = []
    elsewhere = threading.Thread(
        target=lambda: other.append((manager._publish(_event(2)), manager.last_ticket()))
    )
    elsewhere.start()
    elsewhere.join(5)
    assert manager.last_ticket() == 1
    assert other == [(None, 2)]
    assert manager.wait_published(0, 1) is False, "not yet published"
    server.run_all()
    assert manager.wait_published(0, 1) is True


def test_before_serving_an_emit_has_no_ticket_to_wait_for():
    redis = RecordingRedis()
    manager = _manager(redis)  # not serving: publishes at once
    manager._publish(_event(1))
    assert manager.last_ticket() is None
    assert len(redis.round_trips) == 1


def test_wait_published_without_a_queue_returns_at_once(app):
    with app.app_context():
        assert sockets.wait_published(0) is True
