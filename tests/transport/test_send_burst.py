"""A burst of sends on a real server while every socket's login check reads the database.

Each socket event checks its login first; when the cached answer is due, that check reads the
login and its database session keeps the pooled connection until the event ends. Before sends
gave it back before waiting for their batch, a burst like this one left the batch's leader
without a connection: no ack and no delivery until the pool gave up 30 s later. The deadline
below only bounds how long a failure takes to show; no timing is asserted.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_room import PASSWORD, RoomClient, make_live_room, seed_members

pytestmark = [pytest.mark.transport, pytest.mark.timeout(300)]

PEOPLE = 60
WAVES = 3
EVERY_EVENT_CHECKS_ITS_LOGIN = {
    "HOLDSPACE_SOCKET_LOGIN_CHECK_SECONDS": "0",
    "HOLDSPACE_MAX_SOCKETS_PER_IP": "0",  # all our sockets come from loopback
    "HOLDSPACE_MAX_PENDING_SOCKETS_PER_IP": "0",
}


def test_a_burst_of_sends_is_acked_and_delivered_while_logins_are_rechecked(
    live_server_factory, clients
):
    server = live_server_factory(extra_env=EVERY_EVENT_CHECKS_ITS_LOGIN)
    room = make_live_room(server, [])
    names = seed_members(server.database_url, room.circle_id, PEOPLE, prefix="burst")

    def arrive(name: str) -> RoomClient:
        client = RoomClient(server.url, server.login(name, PASSWORD), room.session_id, name)
        clients.append(client)
        return client.connect()

    with ThreadPoolExecutor(16) as pool:
        people = list(pool.map(arrive, names))
    listener = people[0]
    for wave in range(WAVES):
        start = threading.Barrier(PEOPLE)

        def send(client: RoomClient, wave: int = wave, start: threading.Barrier = start) -> dict:
            payload = {
                "session_id": room.session_id,
                "client_id": f"{client.name}-{wave}",
                "body": f"wave {wave} from {client.name}",
            }
            start.wait()  # everyone at once
            return client.sio.call("message:send", payload, timeout=20)

        with ThreadPoolExecutor(PEOPLE) as pool:
            answers = list(pool.map(send, people))
        assert [a for a in answers if not a.get("ok")] == []
        sent = {answer["message"]["id"] for answer in answers}
        assert listener.wait_for(lambda c, sent=sent: sent <= set(c.messages), 20)
    assert len(listener.messages) == PEOPLE * WAVES
    assert "Traceback" not in server.log()
