"""Real Socket.IO clients for the transport tests: open, refuse, and wait for a disconnect."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
import socketio

from tests.support.live_server import CSRF_PATTERN

TRANSPORTS = ("websocket", "polling")
FOREIGN_ORIGIN = "http://evil.example"
PASSWORD = "a long and gentle passphrase"
# "Within 1 s" is the contract; polling a little past it only gives a clearer failure message.
DISCONNECT_DEADLINE = 1.0


@dataclass
class Attempt:
    """One connection attempt: the client, whether it got in, and why not if it did not."""

    client: socketio.Client
    transport: str
    error: str | None = None
    refusal: dict | str | None = None
    disconnected_at: list[float] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        """True while the server keeps this socket."""
        return self.client.connected

    def close(self) -> None:
        """Disconnect if still connected, without waiting on a pending long-poll.

        A polling client's clean disconnect can lose its CLOSE packet in a race inside
        python-engineio and then wait for the server's next ping (20 s) to end the long-poll.
        """
        if not self.client.connected:
            return
        if self.transport == "polling":
            self.client.eio.disconnect(abort=True)
        else:
            self.client.disconnect()


def open_socket(
    url: str,
    *,
    cookie: str | None = None,
    transport: str = "websocket",
    origin: str | None = None,
) -> Attempt:
    """Connect one real client over exactly one transport; never raises on refusal.

    `origin=None` sends no Origin header at all, like a non-browser client. websocket-client
    would otherwise add its own, so for websockets the origin goes through
    `websocket_extra_options` (an extra header would be sent twice).
    """
    extra = {"origin": origin} if origin else {"suppress_origin": True}
    client = socketio.Client(reconnection=False, websocket_extra_options=extra)
    attempt = Attempt(client=client, transport=transport)
    client.on("connect_error", lambda data=None: setattr(attempt, "refusal", data))
    client.on("disconnect", lambda *args: attempt.disconnected_at.append(time.monotonic()))
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if origin and transport == "polling":
        headers["Origin"] = origin
    try:
        client.connect(url, headers=headers, transports=[transport], wait_timeout=10)
    except socketio.exceptions.ConnectionError as error:
        attempt.error = str(error)
    return attempt


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.005) -> float | None:
    """Poll `predicate` until true; seconds it took, or None if it never became true."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(step)


def engineio_url(base: str, transport: str) -> str:
    """The raw Engine.IO v4 endpoint for one transport."""
    scheme_base = base.replace("http://", "ws://", 1) if transport == "websocket" else base
    return f"{scheme_base}/socket.io/?EIO=4&transport={transport}"


def post_form(server, http: requests.Session, path: str, data: dict) -> requests.Response:
    """POST a form on the live server with the CSRF token from its page; no redirects followed."""
    page = http.get(f"{server.url}{path}", timeout=10)
    match = CSRF_PATTERN.search(page.text)
    assert match, f"no CSRF token on {path}"
    return http.post(
        f"{server.url}{path}",
        data={"csrf_token": match.group(1), **data},
        allow_redirects=False,
        timeout=10,
    )


def page_status(server, path: str, cookie: str) -> tuple[int, str]:
    """Status and redirect target of a GET made with nothing but this Cookie header."""
    response = requests.get(
        f"{server.url}{path}", headers={"Cookie": cookie}, allow_redirects=False, timeout=10
    )
    return response.status_code, response.headers.get("Location", "")
