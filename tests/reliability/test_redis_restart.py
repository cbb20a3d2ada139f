"""A private Redis restarted under two live processes: they recover alone and catch-up fills in."""

from __future__ import annotations

import threading
import time
import uuid

from tests.reliability.clients import FailoverClient
from tests.support.live_room import make_live_room
from tests.support.live_server import cookie_header

OUTAGE_SECONDS = 3


def _bodies(client: FailoverClient) -> set[str]:
    with client.lock:
        return {m["body"] for m in client.messages.values()}


def test_redis_restart_recovers_alone_and_catch_up_fills_the_gap(
    two_servers, private_redis, room_clients
):
    server_a, server_b = two_servers
    room = make_live_room(server_a, ["alice", "bob", "carol"])
    alice, carol = (
        FailoverClient([server_a.url], cookie_header(room.people[n]), room.session_id, n)
        for n in ("alice", "carol")
    )
    bob = FailoverClient([server_b.url], cookie_header(room.people["bob"]), room.session_id, "bob")
    people = [alice.connect(), bob.connect(), carol.connect()]
    room_clients.extend(people)
    assert alice.send("before:0", "before-0")["ok"]
    assert bob.wait_for(lambda c: "before:0" in _bodies(c), 15), "cross-process works at first"

    # Outage: both processes lose the queue; sends are stored, and acknowledged once it is back.
    private_redis.stop()
    answers: dict[str, dict] = {}
    ack_seconds: dict[str, float] = {}

    def say(client: FailoverClient, body: str) -> None:
        started = time.monotonic()
        answers[body] = client.send(body, body.replace(":", "-"), deadline=60)
        ack_seconds[body] = time.monotonic() - started

    talkers = [
        threading.Thread(target=say, args=(alice, "during:alice")),
        threading.Thread(target=say, args=(bob, "during:bob")),
    ]
    for talker in talkers:
        talker.start()
    time.sleep(OUTAGE_SECONDS)
    # A stored message is acknowledged only once its broadcast is on the queue, so an ack
    # means every process heard of it: none came while Redis was down. (The outbox keeps
    # retrying for about 5 s, longer than this outage, so both are acknowledged after it.)
    acked_in_outage = sorted(ack_seconds.values())
    private_redis.start()  # empty: no persistence, presence and heart-beats are gone
    restarted = time.monotonic()
    for talker in talkers:
        talker.join(60)
    assert all(a.get("ok") for a in answers.values()), answers
    assert acked_in_outage == [], f"acknowledged before the queue had it: {acked_in_outage}"
    assert all(seconds >= OUTAGE_SECONDS for seconds in ack_seconds.values()), ack_seconds

    # Nobody reconnects on their own: the servers must notice and get the gap filled.
    during = {"during:alice", "during:bob"}
    filled = [c.wait_for(lambda c: during <= _bodies(c), 30) for c in people]
    gap_filled = time.monotonic() - restarted
    assert all(filled), {c.name: sorted(during - _bodies(c)) for c in people}

    # Live delivery across processes works again, and presence is whole again.
    probe_at = time.monotonic()
    assert bob.send("after:0", "after-0")["ok"]
    assert alice.wait_for(lambda c: "after:0" in _bodies(c), 15), "live delivery came back"
    live_again = time.monotonic() - probe_at
    everyone = ["Alice", "Bob", "Carol"]
    deadline = time.monotonic() + 15
    while True:  # the servers notice within a second or two and their sockets rejoin
        members = bob.call("session:join", {"session_id": room.session_id})["members"]
        names = sorted(m["display_name"] for m in members)
        if names == everyone or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    whole_again = time.monotonic() - restarted
    resyncs = sum(1 for c in people for name, _ in c.events if name == "room:resync")
    print(
        f"\nredis restart ({OUTAGE_SECONDS} s outage): sends acked in "
        f"{', '.join(f'{s:.2f}' for s in sorted(ack_seconds.values()))} s, "
        f"gap filled {gap_filled:.1f} s after Redis returned, "
        f"live delivery {live_again:.2f} s, resync hints {resyncs}, present {names} "
        f"{whole_again:.1f} s after Redis returned"
    )
    assert names == everyone, names
    for server in two_servers:
        assert "Traceback" not in server.log()


def test_presence_written_after_a_redis_restart_is_not_taken_for_stale(private_redis):
    """Regression: after a restart the heartbeat key is gone until the next beat (15 s), and
    members() dropped every entry written meanwhile as belonging to a dead process."""
    import redis

    from app.live.shared_rooms import RedisRooms

    rooms = RedisRooms(private_redis.url, prefix=f"hs-{uuid.uuid4().hex[:8]}")
    redis.Redis.from_url(private_redis.url).flushall()  # what a restart without persistence does
    rooms.join(7, "sid-1", {"user_id": 1, "display_name": "Ada", "role": "member"})
    assert [m["user_id"] for m in rooms.members(7)] == [1]
