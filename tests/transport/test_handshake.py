"""Who may open a socket: logged-in people, from an allowed origin, over either transport."""

from __future__ import annotations

import contextlib

import pytest
import requests
import websocket

from tests.support.live_server import cookie_header
from tests.transport.support import FOREIGN_ORIGIN, PASSWORD, TRANSPORTS, engineio_url

ALLOWED_ORIGIN = "http://allowed.example"
pytestmark = pytest.mark.xdist_group("shared-server")  # one worker starts it once


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_anonymous_connect_is_refused(shared_server, sockets, transport):
    attempt = sockets(shared_server.url, transport=transport, origin=shared_server.url)
    assert not attempt.connected
    assert attempt.refusal == {"message": "unauthorized"}, attempt.error


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_logged_in_connect_is_accepted(shared_server, shared_cookie, sockets, transport):
    attempt = sockets(
        shared_server.url, cookie=shared_cookie, transport=transport, origin=shared_server.url
    )
    assert attempt.connected, attempt.error
    assert attempt.client.transport() == transport


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_logged_in_connect_without_origin_header_is_accepted(
    shared_server, shared_cookie, sockets, transport
):
    """Non-browser clients send no Origin on polling; the cookie alone decides then."""
    attempt = sockets(shared_server.url, cookie=shared_cookie, transport=transport)
    assert attempt.connected, attempt.error


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_foreign_origin_is_refused_even_with_a_valid_login(
    shared_server, shared_cookie, sockets, transport
):
    attempt = sockets(
        shared_server.url, cookie=shared_cookie, transport=transport, origin=FOREIGN_ORIGIN
    )
    assert not attempt.connected
    # Refused by the Engine.IO handshake (a plain reason, not a Socket.IO connect_error packet),
    # so no connect handler ran; the raw tests below pin the 400 on each transport.
    assert attempt.refusal and not isinstance(attempt.refusal, dict), attempt.refusal
    if transport == "polling":
        assert attempt.refusal == "Not an accepted origin."


def test_raw_polling_handshake_checks_the_origin(shared_server, shared_cookie):
    url = engineio_url(shared_server.url, "polling")
    foreign = requests.get(
        url, headers={"Cookie": shared_cookie, "Origin": FOREIGN_ORIGIN}, timeout=10
    )
    assert foreign.status_code == 400
    assert "Access-Control-Allow-Origin" not in foreign.headers
    own = requests.get(
        url, headers={"Cookie": shared_cookie, "Origin": shared_server.url}, timeout=10
    )
    assert own.status_code == 200
    assert own.text.startswith("0{")
    assert own.headers.get("Access-Control-Allow-Origin") == shared_server.url


def test_raw_websocket_handshake_checks_the_origin(shared_server, shared_cookie):
    url = engineio_url(shared_server.url, "websocket")
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, origin=FOREIGN_ORIGIN, cookie=shared_cookie, timeout=10)
    assert refused.value.status_code == 400
    accepted = websocket.create_connection(
        url, origin=shared_server.url, cookie=shared_cookie, timeout=10
    )
    try:
        assert accepted.recv().startswith("0{"), "expected the Engine.IO open packet"
    finally:
        with contextlib.suppress(Exception):
            accepted.close()


def test_allowed_origins_from_the_environment(live_server_factory, sockets):
    server = live_server_factory(extra_env={"ALLOWED_ORIGINS": ALLOWED_ORIGIN})
    cookie = cookie_header(server.register("wren", PASSWORD))
    for transport in TRANSPORTS:
        allowed = sockets(server.url, cookie=cookie, transport=transport, origin=ALLOWED_ORIGIN)
        assert allowed.connected, f"{transport}: {allowed.error}"
        for origin in (FOREIGN_ORIGIN, server.url):
            refused = sockets(server.url, cookie=cookie, transport=transport, origin=origin)
            assert not refused.connected, f"{transport} accepted {origin}"
            assert not isinstance(refused.refusal, dict), refused.refusal


def test_websocket_compression_is_declined(shared_server, shared_cookie):
    """Per-message deflate would compress every broadcast once per recipient: it is declined."""
    offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"
    socket = websocket.create_connection(
        engineio_url(shared_server.url, "websocket"),
        origin=shared_server.url,
        cookie=shared_cookie,
        header=[offer],
        timeout=10,
    )
    try:
        assert socket.getstatus() == 101
        answered = {k.lower(): v for k, v in (socket.getheaders() or {}).items()}
        assert "sec-websocket-extensions" not in answered, answered
        assert socket.recv().startswith("0{"), "an uncompressed Engine.IO open packet"
    finally:
        with contextlib.suppress(Exception):
            socket.close()
