"""A private PostgreSQL stopped and started under a live server: clean failures, then recovery."""

from __future__ import annotations

import time

import requests

from tests.reliability.clients import FailoverClient
from tests.support.live_room import make_live_room
from tests.support.live_server import cookie_header


def _get(server, path: str, http: requests.Session | None = None) -> requests.Response:
    return (http or requests).get(f"{server.url}{path}", timeout=15, allow_redirects=False)


def test_postgres_restart_fails_cleanly_and_recovers_without_an_app_restart(
    live_server_factory, private_postgres, room_clients
):
    server = live_server_factory(database_url=private_postgres.url)
    room = make_live_room(server, ["alice", "bob"])
    alice, bob = (
        FailoverClient([server.url], cookie_header(room.people[n]), room.session_id, n).connect()
        for n in ("alice", "bob")
    )
    room_clients.extend([alice, bob])
    assert alice.send("before", "before")["ok"]
    circle_page = f"/circles/{room.circle_id}"
    assert _get(server, circle_page, room.people["alice"]).status_code == 200

    private_postgres.stop()
    health = _get(server, "/healthz")
    page = _get(server, circle_page, room.people["alice"])
    json_page = requests.get(
        f"{server.url}{circle_page}",
        headers={"Accept": "application/json", "Cookie": cookie_header(room.people["alice"])},
        timeout=15,
    )
    during = alice.send("during", "during")
    since = alice.call("messages:since", {"session_id": room.session_id, "after_id": 0})
    print(
        f"\npostgres down: /healthz {health.status_code} {health.json()}, page {page.status_code}, "
        f"json {json_page.status_code}, send ack {during}, since ack {since.get('error')}"
    )
    assert health.status_code == 503 and health.json() == {"status": "unavailable"}
    assert page.status_code == 503 and "catching its breath" in page.text, server.log()[-3000:]
    assert json_page.status_code == 503
    for response in (page, json_page):
        assert "Traceback" not in response.text and "psycopg2" not in response.text
    assert during == {"ok": False, "error": during["error"]} and during["error"]["code"]
    assert not since["ok"]
    assert alice.sio.connected and bob.sio.connected, "an error ack, never a dropped socket"

    private_postgres.start()
    restarted = time.monotonic()
    while _get(server, "/healthz").status_code != 200:
        assert time.monotonic() - restarted < 30, "the app never saw the database come back"
        time.sleep(0.1)
    healthy_after = time.monotonic() - restarted
    assert _get(server, circle_page, room.people["alice"]).status_code == 200
    retried = alice.send("during", "during")  # the same client_id: stored once now
    assert retried["ok"], retried
    assert bob.wait_for(lambda c: retried["message"]["id"] in c.messages, 15)
    assert alice.send("after", "after")["ok"]
    assert bob.wait_for(lambda c: len(c.messages) == 3, 15)
    bodies = sorted(m["body"] for m in bob.messages.values())
    print(f"postgres back: healthy after {healthy_after:.2f} s; bob holds {bodies}")
    assert bodies == ["after", "before", "during"]
    log = server.log()
    assert "Traceback" not in log, log[-3000:]
