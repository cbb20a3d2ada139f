"""A member who stops reading, on a real server: they hold nobody up, still get every frame whole
and in order once they read again, and connections stay open for as long as only messages flow.
Engine.IO writes to each socket with its own writer, under eventlet and gevent alike."""

from __future__ import annotations

import json
import socket
import time

import pytest
import websocket

from tests.support.live_room import RoomClient, make_live_room
from tests.support.live_server import cookie_header

pytestmark = [pytest.mark.transport, pytest.mark.timeout(120)]

BACKLOG = 150  # messages of ~2 KB: far more than a small receive window and send buffer hold


class RawMember:
    """A member on a bare WebSocket, speaking Engine.IO and Socket.IO by hand, who can stop
    reading. Its connection asks for a small receive buffer and small segments, so the server
    soon finds its socket full and must finish frames later."""

    def __init__(self, server_url: str, cookie: str, session_id: int):
        url = server_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(
            url,
            header=[f"Cookie: {cookie}"],
            sockopt=[
                (socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),
                (socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536),
            ],
            timeout=30,
            skip_utf8_validation=True,
        )
        assert self.ws.recv().startswith("0{"), "the Engine.IO open packet"
        self.ws.send("40")
        assert self.ws.recv().startswith("40{"), "connected to the namespace"
        self.ws.send("420" + json.dumps(["session:join", {"session_id": session_id}]))
        while True:
            packet = self._next()
            if packet.startswith("430"):
                assert json.loads(packet[3:])[0]["ok"], packet
                return

    def _next(self) -> str:
        """The next Socket.IO packet, answering the server's pings on the way."""
        while True:
            data = self.ws.recv()
            if data == "2":
                self.ws.send("3")
                continue
            return data

    def read_messages(self, count: int) -> list[dict]:
        """Read on until `count` `message:new` events have arrived; their messages in order."""
        messages = []
        while len(messages) < count:
            packet = self._next()
            assert packet.startswith("42"), packet
            event, data = json.loads(packet[2:])
            if event == "message:new":
                messages.append(data["message"])
        return messages

    def close(self) -> None:
        self.ws.close()


def test_a_member_who_stops_reading_holds_nobody_up_and_misses_nothing(live_server, clients):
    room = make_live_room(live_server, ["alice", "bob", "sleepy"])
    alice, bob = (
        RoomClient(live_server.url, room.people[n], room.session_id, n).connect()
        for n in ("alice", "bob")
    )
    clients.extend([alice, bob])
    sleepy = RawMember(live_server.url, cookie_header(room.people["sleepy"]), room.session_id)
    try:
        sent = [
            alice.send(f"{n:04d} " + "breathe in, breathe out. " * 79, f"a-{n}")
            for n in range(BACKLOG)
        ]
        ids = [message["id"] for message in sent]
        assert bob.wait_for(lambda c: set(ids) <= set(c.messages), 30), "the room kept moving"
        heard = sleepy.read_messages(BACKLOG)
    finally:
        sleepy.close()
    assert [m["id"] for m in heard] == ids, "every message, once, in the order it was stored"
    assert [m["body"] for m in heard] == [m["body"] for m in sent]
    assert "Traceback" not in live_server.log()


def test_connections_stay_open_while_only_messages_flow(live_server_factory, clients):
    """Engine.IO's writer closes a socket whose queue stays empty for a ping interval and
    timeout; pings still go through it, so a room that only talks keeps its connections
    (here 1 s + 1 s, while messages flow for 6 s)."""
    server = live_server_factory(extra_env={"HOLDSPACE_SOCKET_PING": "1,1"})
    room = make_live_room(server, ["alice", "bob"])
    drops: list[str] = []
    alice, bob = (
        RoomClient(server.url, room.people[n], room.session_id, n) for n in ("alice", "bob")
    )
    for client in (alice, bob):
        client.sio.on(
            "disconnect", lambda *args, c=client: (drops.append(c.name), c.joined.clear())
        )
        clients.append(client.connect())
    sent = []
    for n in range(24):
        sent.append(alice.send(f"still here, {n}", f"a-{n}")["id"])
        time.sleep(0.25)
    assert bob.wait_for(lambda c: set(sent) <= set(c.messages), 10)
    assert drops == [], "nobody was disconnected"
    assert [i for i in bob.arrivals if i in set(sent)] == sent
