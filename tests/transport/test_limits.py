"""A packet over 64 KiB costs its sender the connection and nobody else anything."""

from __future__ import annotations

import pytest
import requests

from tests.support.live_server import cookie_header
from tests.transport.support import DISCONNECT_DEADLINE, PASSWORD, wait_until

OVERSIZED_TEXT = "x" * (70 * 1024)


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_oversized_packet_drops_only_its_sender(live_server, sockets, transport):
    sender_http = live_server.register("loud", PASSWORD)
    bystander_http = live_server.register("quiet", PASSWORD)
    sender = sockets(live_server.url, cookie=cookie_header(sender_http), transport=transport)
    bystander = sockets(live_server.url, cookie=cookie_header(bystander_http), transport=transport)
    assert sender.connected and bystander.connected

    sender.client.emit("anything", {"text": OVERSIZED_TEXT})
    assert wait_until(lambda: not sender.connected, timeout=15) is not None, (
        "the server kept a connection that sent more than 64 KiB"
    )

    # Everyone else is still served: the bystander's socket is alive and reachable, new sockets
    # open, and plain HTTP answers.
    assert bystander.connected
    assert requests.get(f"{live_server.url}/healthz", timeout=10).status_code == 200
    newcomer = sockets(live_server.url, cookie=cookie_header(bystander_http), transport=transport)
    assert newcomer.connected, newcomer.error
    again = sockets(live_server.url, cookie=cookie_header(sender_http), transport=transport)
    assert again.connected, "a refused packet does not ban the person"
    # The server still pushes to the bystander: ending that login reaches its socket at once.
    live_server.logout(bystander_http)
    gone = wait_until(
        lambda: not bystander.connected and not newcomer.connected, timeout=DISCONNECT_DEADLINE
    )
    assert gone is not None, "the bystander's sockets were no longer being served"
    assert again.connected
