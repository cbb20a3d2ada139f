"""The real server runs in the async mode the suite asks for (HOLDSPACE_TEST_ASYNC_MODE)."""

from __future__ import annotations

import os


def test_the_server_runs_in_the_requested_async_mode(live_server):
    wanted = os.environ.get("HOLDSPACE_TEST_ASYNC_MODE") or "eventlet"
    assert f"({wanted})" in live_server.log()
