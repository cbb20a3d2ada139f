"""Moderation against a real server: a ban empties every socket of that member out of the
circle's rooms within a second (also across two processes through Redis), and a hidden message
disappears for another client."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.support.live_room import PASSWORD, RoomClient, make_live_room
from tests.transport.support import DISCONNECT_DEADLINE, wait_until


class Watched(RoomClient):
    """A room client that also records moderation events with their arrival time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events: dict[str, list[tuple[float, dict]]] = {}
        for name in ("session:removed", "message:hidden", "member:muted"):
            self.sio.on(name, lambda data, name=name: self._record(name, data))

    def _record(self, name: str, data: dict) -> None:
        self.events.setdefault(name, []).append((time.monotonic(), data))

    def got(self, name: str) -> list[dict]:
        """The payloads of `name` received so far."""
        return [data for _, data in self.events.get(name, [])]


def _ban_and_measure(room, keeper, alices, bob, clients) -> list[float]:
    """Ban Alice; return how long each of her sockets took to hear it; check she is out."""
    started = time.monotonic()
    answer = keeper.sio.call(
        "member:ban",
        {"circle_id": room.circle_id, "user_id": alices[0].user_id, "reason": "threats"},
        timeout=10,
    )
    assert answer["ok"], answer
    took = wait_until(lambda: all(a.got("session:removed") for a in alices), DISCONNECT_DEADLINE)
    assert took is not None, "a banned member's socket was still in the room after a second"
    latencies = [a.events["session:removed"][0][0] - started for a in alices]
    after = bob.send("Are we all right?", f"after-ban-{uuid.uuid4().hex[:6]}")
    assert keeper.wait_for(lambda c: after["id"] in c.messages, 10)
    time.sleep(0.3)
    assert all(after["id"] not in a.messages for a in alices), "she still hears the room"
    again = alices[0].sio.call("session:join", {"session_id": room.session_id}, timeout=10)
    assert again["error"]["code"] == "banned"
    return latencies


def _connect(server_url, http, session_id, name, clients) -> Watched:
    client = Watched(server_url, http, session_id, name).connect()
    answer = client.sio.call("session:join", {"session_id": session_id}, timeout=10)
    client.user_id = answer["you"]["user_id"]
    clients.append(client)
    return client


def test_a_banned_members_sockets_leave_the_room_within_a_second(live_server, clients):
    room = make_live_room(live_server, ["alice", "bob"])
    keeper = _connect(live_server.url, room.people["holder"], room.session_id, "holder", clients)
    bob = _connect(live_server.url, room.people["bob"], room.session_id, "bob", clients)
    laptop = _connect(live_server.url, room.people["alice"], room.session_id, "alice", clients)
    phone_http = live_server.login("alice", PASSWORD)
    phone = _connect(live_server.url, phone_http, room.session_id, "alice-phone", clients)
    latencies = _ban_and_measure(room, keeper, [laptop, phone], bob, clients)
    print(f"ban -> session:removed: {', '.join(f'{s * 1000:.0f} ms' for s in latencies)}")
    status = phone_http.get(f"{live_server.url}/circles/{room.circle_id}", timeout=10)
    assert status.status_code == 404


@pytest.fixture
def two_servers(server_pair):
    """Servers A and B on one database and one Redis channel of their own."""
    return server_pair()


@pytest.mark.redis
def test_a_ban_on_one_process_empties_the_room_on_the_other(two_servers, clients):
    server_a, server_b = two_servers
    room = make_live_room(server_a, ["alice", "bob"])
    keeper = _connect(server_a.url, room.people["holder"], room.session_id, "holder", clients)
    bob = _connect(server_a.url, room.people["bob"], room.session_id, "bob", clients)
    alice_http = server_b.login("alice", PASSWORD)
    alice = _connect(server_b.url, alice_http, room.session_id, "alice", clients)
    latencies = _ban_and_measure(room, keeper, [alice], bob, clients)
    print(f"ban on A -> session:removed on B: {latencies[0] * 1000:.0f} ms")


def test_a_hidden_message_disappears_for_another_client(live_server, clients):
    room = make_live_room(live_server, ["alice", "bob"])
    keeper = _connect(live_server.url, room.people["holder"], room.session_id, "holder", clients)
    bob = _connect(live_server.url, room.people["bob"], room.session_id, "bob", clients)
    alice = _connect(live_server.url, room.people["alice"], room.session_id, "alice", clients)
    said = bob.send("Here is my phone number ...", "b-1")
    assert alice.wait_for(lambda c: said["id"] in c.messages, 10)
    answer = keeper.sio.call(
        "message:hide", {"message_id": said["id"], "reason": "personal details"}, timeout=10
    )
    assert answer["ok"], answer
    assert wait_until(lambda: said["id"] in {d["message_id"] for d in alice.got("message:hidden")},
                      DISCONNECT_DEADLINE) is not None  # fmt: skip
    fresh = Watched(live_server.url, room.people["alice"], room.session_id, "alice-2").connect()
    clients.append(fresh)
    assert said["id"] not in fresh.messages  # neither in the history nor in messages:since
