"""Room state backends: the same behaviour in memory and through Redis."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from app.live import rooms, shared_rooms

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
def backend(request):
    """Each backend, Redis under a prefix of its own (skipped without TEST_REDIS_URL)."""
    if request.param == "memory":
        return rooms.MemoryRooms()
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    return shared_rooms.RedisRooms(REDIS_URL, prefix=f"hs-test-{uuid.uuid4().hex[:10]}")


def person(user_id, name):
    """A presence entry."""
    return {"user_id": user_id, "display_name": name, "role": "member"}


def test_presence_is_the_distinct_people_present(backend):
    backend.join(1, "sid-a", person(1, "Alice"))
    backend.join(1, "sid-a2", person(1, "Alice"))
    backend.join(1, "sid-b", person(2, "bob"))
    backend.join(2, "sid-c", person(3, "Cy"))
    assert [p["display_name"] for p in backend.members(1)] == ["Alice", "bob"]
    backend.leave(1, "sid-a")
    assert [p["user_id"] for p in backend.members(1)] == [1, 2], "Alice's other tab remains"
    backend.leave(1, "sid-a2")
    assert [p["user_id"] for p in backend.members(1)] == [2]


def test_hands_keep_their_order(backend):
    backend.raise_hand(1, 5)
    backend.raise_hand(1, 3)
    assert backend.raise_hand(1, 5) == [5, 3]
    assert backend.lower_hand(1, 5) == [3]
    assert backend.hands(2) == []


def test_waiting_keeps_each_place_until_someone_stops_waiting(backend):
    backend.wait(1, 7)
    backend.wait(1, 8)
    backend.wait(1, 7)
    assert backend.waiting(1) == [7, 8]
    backend.stop_waiting(1, 7)
    assert backend.waiting(1) == [8]


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_entries_of_a_process_that_died_are_dropped():
    prefix = f"hs-test-{uuid.uuid4().hex[:10]}"
    alive, dead = (
        shared_rooms.RedisRooms(REDIS_URL, prefix),
        shared_rooms.RedisRooms(REDIS_URL, prefix),
    )
    alive.join(1, "sid-a", person(1, "Alice"))
    dead.join(1, "sid-b", person(2, "Bob"))
    dead._redis.delete(shared_rooms.HOST_KEY.format(prefix, dead.host))  # its heartbeat stopped
    assert [p["display_name"] for p in alive.members(1)] == ["Alice"]


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_processes_take_turns_at_broadcasting_presence_through_redis():
    prefix = f"hs-test-{uuid.uuid4().hex[:10]}"
    a = shared_rooms.RedisRooms(REDIS_URL, prefix).presence_gate
    b = shared_rooms.RedisRooms(REDIS_URL, prefix).presence_gate
    assert a.take_turn(1, "A") == 0
    assert b.take_turn(1, "B") == shared_rooms.PRESENCE_RETRY_MS / 1000, "A holds the lease"
    assert b.take_turn(2, "B") == 0, "another room is another turn"
    b.end_turn(1, "B", "not-mine", 5)
    assert a.last_sent(1) is None, "only the holder ends a turn"
    a.end_turn(1, "A", "digest-1", 0.3)
    assert b.last_sent(1) == "digest-1"
    assert 0 < b.take_turn(1, "B") <= 0.3, "the cooldown after a broadcast holds everyone"
    deadline = time.monotonic() + 10
    while b.take_turn(1, "B") > 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert a.take_turn(1, "A") > 0, "B has the turn now"
    b.end_turn(1, "B")  # nothing sent: no cooldown, the digest stays
    assert a.take_turn(1, "A") == 0
    assert a.last_sent(1) == "digest-1"
