"""Coalesced `presence` through real socket events (the test client), as the server runs it.

Elsewhere the test config broadcasts presence at once; here LIVE_PRESENCE_COALESCE is on. Most
tests hold the announcer's runners and run them by hand (`flush`), so "how many broadcasts" is
exact; the last test lets real background tasks and real sleeps do it.
"""

from __future__ import annotations

import time

import pytest

from app.live.presence import services as presence
from tests.live.conftest import ack, received

MEMBERS = 30


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_PRESENCE_COALESCE": True}


@pytest.fixture
def flush(app):
    """Hold runners instead of starting them; flush() runs them (waits are skipped)."""
    held: list = []
    presence.announcer = presence.make_announcer(
        app, spawn=lambda fn, *args: held.append((fn, args)), sleep=lambda seconds: None
    )

    def run() -> int:
        """Run every held runner to its end; how many there were."""
        count = 0
        while held:
            fn, args = held.pop(0)
            fn(*args)
            count += 1
        return count

    return run


@pytest.fixture
def crowd(make_user, make_circle, make_session, socket_client):
    """A live session whose circle has a facilitator and MEMBERS members, all connected."""

    class Crowd:
        facilitator = make_user("holder", display_name="Holder")
        people = [make_user(f"p{n:02d}", display_name=f"P{n:02d}") for n in range(MEMBERS)]
        circle = make_circle(facilitator, people)
        session = make_session(circle)
        sockets = [socket_client(person) for person in people]

        def join_all(self):
            for sock in self.sockets:
                assert ack(sock, "session:join", {"session_id": self.session.id})["ok"]

    return Crowd()


def names(payload) -> list[str]:
    return [m["display_name"] for m in payload["members"]]


def test_a_burst_of_joins_is_one_presence_with_everyone(crowd, flush):
    crowd.join_all()
    assert all(received(sock, "presence") == [] for sock in crowd.sockets), "nothing yet"
    assert flush() == 1, "one runner for the room"
    everyone = [f"P{n:02d}" for n in range(MEMBERS)]
    for sock in crowd.sockets:
        got = received(sock, "presence")
        assert len(got) == 1 and names(got[0]) == everyone


def test_the_join_ack_still_carries_the_members_at_once(crowd, flush):
    crowd.join_all()
    late = crowd.sockets[0]
    answer = ack(late, "session:join", {"session_id": crowd.session.id})
    assert len(answer["members"]) == MEMBERS


def test_leaving_and_disconnecting_are_reflected(crowd, flush):
    crowd.join_all()
    flush()
    first, leaver, dropper = crowd.sockets[:3]
    for sock in crowd.sockets:
        sock.get_received()
    assert ack(leaver, "session:leave", {"session_id": crowd.session.id}) == {"ok": True}
    dropper.disconnect()
    assert flush() == 1, "the leave and the disconnect fold together"
    last = received(first, "presence")
    assert len(last) == 1
    assert "P01" not in names(last[0]) and "P02" not in names(last[0])
    assert len(names(last[0])) == MEMBERS - 2


def test_a_removed_member_disappears_from_presence(crowd, flush, socket_client):
    crowd.join_all()
    keeper = socket_client(crowd.facilitator)
    assert ack(keeper, "session:join", {"session_id": crowd.session.id})["ok"]
    flush()
    watcher = crowd.sockets[-1]
    watcher.get_received()
    target = crowd.people[0]
    removal = {"session_id": crowd.session.id, "user_id": target.id, "reason": "shouting"}
    assert ack(keeper, "member:remove", removal)["ok"]
    flush()
    present = received(watcher, "presence")[-1]["members"]
    assert target.id not in {m["user_id"] for m in present}
    assert len(present) == MEMBERS  # the keeper came in, one member went out


def test_with_real_background_tasks_everyone_ends_with_the_full_list(crowd, app):
    """Real runners and sleeps (threads under the test client): wait until they are done."""
    crowd.join_all()
    deadline = time.monotonic() + 30
    while presence.announcer.busy() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not presence.announcer.busy()
    everyone = [f"P{n:02d}" for n in range(MEMBERS)]
    for sock in crowd.sockets:
        got = received(sock, "presence")
        assert got and names(got[-1]) == everyone
