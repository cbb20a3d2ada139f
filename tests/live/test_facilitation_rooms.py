"""Finding one person's sockets in a room, in memory and through Redis (for removal and bans)."""

from __future__ import annotations

import os
import uuid

import pytest

from app.live.rooms import MemoryRooms
from app.live.shared_rooms import RedisRooms


def _backends():
    yield MemoryRooms()
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield RedisRooms(url, f"hs-test-{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("state", list(_backends()), ids=lambda s: type(s).__name__)
def test_sids_of_lists_every_socket_of_one_person_and_nobody_elses(state):
    alice = {"user_id": 1, "display_name": "Alice", "role": "member"}
    bob = {"user_id": 2, "display_name": "Bob", "role": "member"}
    state.join(7, "laptop", alice)
    state.join(7, "phone", alice)
    state.join(7, "bob", bob)
    state.join(8, "elsewhere", alice)
    assert sorted(state.sids_of(7, 1)) == ["laptop", "phone"]
    state.leave(7, "phone")
    assert state.sids_of(7, 1) == ["laptop"]
    assert state.sids_of(7, 3) == []
