"""Issue 25 at the socket's door, on real servers: deep packets, unconnected sockets, origins."""

from __future__ import annotations

import json
import time

import pytest
import requests
import websocket

from tests.support.live_room import make_live_room
from tests.support.live_server import cookie_header
from tests.transport.support import wait_until

pytestmark = [pytest.mark.transport, pytest.mark.timeout(120)]


def _raw_socket(server_url: str, cookie: str | None = None, origin: str | None = None):
    """A bare Engine.IO WebSocket (no Socket.IO connect yet)."""
    url = server_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    headers = [f"Cookie: {cookie}"] if cookie else []
    return websocket.create_connection(url, header=headers, origin=origin, timeout=10)


def _next_packet(ws) -> str:
    """The next Socket.IO packet, answering pings on the way."""
    while True:
        data = ws.recv()
        if data == "2":
            ws.send("3")
            continue
        return data


def test_a_deeply_nested_packet_is_answered_invalid_and_the_log_stays_quiet(live_server):
    """Before: 1,000-30,000 levels logged two RecursionError tracebacks and got no answer."""
    room = make_live_room(live_server, ["deep"])
    ws = _raw_socket(live_server.url, cookie_header(room.people["deep"]))
    try:
        assert ws.recv().startswith("0{")
        ws.send("40")
        assert _next_packet(ws).startswith("40")
        for levels in (1_000, 30_000):
            nested = "[" * levels + "]" * levels
            ws.send(f'421["typing",{{"session_id":{room.session_id},"typing":{nested}}}]')
            answer = _next_packet(ws)
            assert answer.startswith("431"), answer[:80]
            assert json.loads(answer[3:])[0]["error"]["code"] == "invalid"
        ws.send(f'422["session:join",{{"session_id":{room.session_id}}}]')
        assert json.loads(_next_packet(ws)[3:])[0]["ok"], "the connection still works"
    finally:
        ws.close()
    log = live_server.log()
    assert "Traceback" not in log and "RecursionError" not in log
    assert log.count("nested deeper than") == 1, "one line, however many packets"


@pytest.fixture
def strict_door(live_server_factory):
    """A server that allows 5 unconnected sockets per address, for 2 seconds each."""
    return live_server_factory(
        extra_env={
            "HOLDSPACE_MAX_PENDING_SOCKETS_PER_IP": "5",
            "HOLDSPACE_SOCKET_CONNECT_GRACE": "2",
        }
    )


def test_unconnected_sockets_are_capped_per_address_and_closed_when_late(strict_door):
    """Before: 800 unauthenticated Engine.IO connections from one address all stayed open."""
    opened = [_raw_socket(strict_door.url) for _ in range(5)]
    for ws in opened:
        assert ws.recv().startswith("0{")
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        _raw_socket(strict_door.url)
    assert refused.value.status_code == 429

    def all_closed() -> bool:
        for ws in opened:
            try:
                ws.settimeout(0.2)
                if ws.recv() in ("", None):
                    continue
            except websocket.WebSocketTimeoutException:
                return False
            except (websocket.WebSocketConnectionClosedException, OSError):
                continue
        return True

    assert wait_until(all_closed, 15) is not None, "unconnected sockets were closed"
    again = _raw_socket(strict_door.url)
    assert again.recv().startswith("0{"), "the address may connect again"
    again.close()


def test_a_polling_session_that_never_connects_is_closed(strict_door):
    handshake = requests.get(f"{strict_door.url}/socket.io/?EIO=4&transport=polling", timeout=10)
    sid = json.loads(handshake.text[1:])["sid"]
    time.sleep(4)  # past the 2 s grace and the sweep's second
    poll = requests.get(
        f"{strict_door.url}/socket.io/?EIO=4&transport=polling&sid={sid}", timeout=10
    )
    assert poll.status_code == 400, "the session is gone"


def test_a_connected_socket_is_not_counted_or_closed(strict_door):
    room = make_live_room(strict_door, ["steady"])
    ws = _raw_socket(strict_door.url, cookie_header(room.people["steady"]))
    try:
        assert ws.recv().startswith("0{")
        ws.send("40")
        assert _next_packet(ws).startswith("40")
        time.sleep(4)
        ws.send(f'421["session:join",{{"session_id":{room.session_id}}}]')
        assert json.loads(_next_packet(ws)[3:])[0]["ok"], "still open after the grace"
    finally:
        ws.close()


def test_in_production_the_origin_comes_from_configuration_never_from_host(live_server_factory):
    """Before: `Origin: http://evil.com` with `Host: evil.com` passed the polling handshake."""
    server = live_server_factory(
        extra_env={"HOLDSPACE_ENV": "production", "PUBLIC_URL": "https://holdspace.test"}
    )
    url = f"{server.url}/socket.io/?EIO=4&transport=polling"
    forged = requests.get(
        url, headers={"Origin": "http://evil.com", "Host": "evil.com"}, timeout=10
    )
    assert forged.status_code == 400
    proxied = requests.get(
        url,
        headers={"Origin": "http://evil.com", "X-Forwarded-Host": "evil.com"},
        timeout=10,
    )
    assert proxied.status_code == 400
    ours = requests.get(url, headers={"Origin": "https://holdspace.test"}, timeout=10)
    assert ours.status_code == 200
