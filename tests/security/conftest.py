"""Fixtures for the security suite: real Socket.IO clients with extra headers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import socketio

from tests.transport.support import Attempt

FIGURES: dict[str, object] = {}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def figures():
    """Record a figure (responses crawled, cells checked...) for the end-of-run summary."""
    return FIGURES


def pytest_terminal_summary(terminalreporter):
    """Print the security suite's figures and keep them in test-artifacts/."""
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for name, value in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {value}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "security-figures.json").write_text(json.dumps(FIGURES, indent=2, default=str))


def open_client(url: str, cookie: str, headers: dict | None = None) -> Attempt:
    """One real websocket client; never raises on refusal (the reason lands in `refusal`)."""
    client = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
    attempt = Attempt(client=client, transport="websocket")
    client.on("connect_error", lambda data=None: setattr(attempt, "refusal", data))
    client.on("disconnect", lambda *args: attempt.disconnected_at.append(time.monotonic()))
    try:
        client.connect(
            url,
            headers={"Cookie": cookie, **(headers or {})},
            transports=["websocket"],
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError as error:
        attempt.error = str(error)
    return attempt


@pytest.fixture
def sockets():
    """Factory: open_client(url, cookie=..., headers=...), all closed after the test."""
    opened: list[Attempt] = []

    def factory(url: str, cookie: str, headers: dict | None = None) -> Attempt:
        attempt = open_client(url, cookie, headers)
        opened.append(attempt)
        return attempt

    yield factory
    for attempt in opened:
        attempt.close()
