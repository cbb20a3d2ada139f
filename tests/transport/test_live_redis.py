"""Two server processes sharing Redis and one database: rooms span processes, bursts arrive once."""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict

import pytest

from tests.support.live_room import RoomClient, make_live_room

pytestmark = [pytest.mark.transport, pytest.mark.redis]

BURST_SIZE = 1000
SENDERS = 8


@pytest.fixture
def two_servers(server_pair):
    """Servers A and B on one database and one Redis channel of their own."""
    return server_pair({})


def test_a_member_on_a_hears_a_member_on_b(two_servers, clients):
    server_a, server_b = two_servers
    room = make_live_room(server_a, ["alice", "bob"])
    alice = RoomClient(server_a.url, room.people["alice"], room.session_id, "alice").connect()
    bob_http = server_b.login("bob", "a long gentle passphrase")
    bob = RoomClient(server_b.url, bob_http, room.session_id, "bob").connect()
    clients.extend([alice, bob])
    sent = bob.send("Hello from the other process.", "b-1")
    assert alice.wait_for(lambda c: sent["id"] in c.messages, 10)
    reply = alice.send("I hear you.", "a-1")
    assert bob.wait_for(lambda c: reply["id"] in c.messages, 10)
    answer = bob.sio.call("session:join", {"session_id": room.session_id}, timeout=10)
    assert {m["display_name"] for m in answer["members"]} == {"Alice", "Bob"}, "presence spans"


def test_a_burst_over_two_processes_arrives_exactly_once_in_order(two_servers, clients):
    server_a, server_b = two_servers
    names = [f"sender{n}" for n in range(SENDERS)]
    room = make_live_room(server_a, names)
    for n, name in enumerate(names):
        server = server_a if n % 2 == 0 else server_b
        http = (
            room.people[name]
            if server is server_a
            else server.login(name, "a long gentle passphrase")
        )
        clients.append(RoomClient(server.url, http, room.session_id, name).connect())
    per_sender = BURST_SIZE // SENDERS
    started = time.monotonic()

    def burst(client: RoomClient) -> None:
        for n in range(per_sender):
            client.send(f"{client.name}:{n}", f"{client.name}-{n}")

    threads = [threading.Thread(target=burst, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    total = per_sender * SENDERS
    for client in clients:
        client.wait_for(lambda c: len(set(c.arrivals)) >= total, 60)
    seconds = time.monotonic() - started

    lost_total = duplicates_total = 0
    for client in clients:
        with client.lock:
            arrivals = list(client.arrivals)
            bodies = [client.messages[i]["body"] for i in arrivals]
        lost = total - len(set(arrivals))
        duplicates = len(arrivals) - len(set(arrivals))
        lost_total += lost
        duplicates_total += duplicates
        order: dict[str, list[int]] = defaultdict(list)
        for body in bodies:
            sender, n = body.split(":")
            order[sender].append(int(n))
        for sender, numbers in order.items():
            assert numbers == sorted(numbers), f"{client.name} got {sender} out of order"
    logs = server_a.log() + server_b.log()
    gave_up = len(re.findall(r"giving up|could not publish", logs))
    retries = len(re.findall(r"publish attempt|Cannot publish to redis", logs))
    print(
        f"\nburst: {total} messages from {SENDERS} senders over 2 processes to {len(clients)} "
        f"members: lost {lost_total}, duplicates {duplicates_total}, {seconds:.1f} s "
        f"(publish retries {retries}, gave up {gave_up})"
    )
    assert lost_total == 0 and duplicates_total == 0 and gave_up == 0
