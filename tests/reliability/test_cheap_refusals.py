"""Regression: a send refused by the rate limit costs no database work (and retries still pass)."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.live.conftest import ack, make_circle, make_session, room  # noqa: F401  (fixtures)
from tests.support.sql import statements_run


@pytest.fixture
def app_config(app_config):
    """The live room's own limit, small enough to reach in a test."""
    return {**app_config, "LIVE_SEND_LIMIT": (3, 60.0), "RATELIMIT_ENABLED": True}


def _send(sock, session_id, client_id):
    payload = {"session_id": session_id, "client_id": client_id, "body": "hello"}
    return ack(sock, "message:send", payload)


def test_a_refused_send_runs_no_sql_and_a_retry_still_gets_its_ack(app, room):  # noqa: F811
    alice = room.join(room.alice)
    assert all(_send(alice, room.session.id, f"r{n}")["ok"] for n in range(3))
    with app.app_context():
        engine = db.engine
    with statements_run(engine) as statements:
        refused = [_send(alice, room.session.id, f"flood{n}") for n in range(20)]
    assert {r["error"]["code"] for r in refused} == {"rate_limited"}
    assert statements == [], f"{len(statements)} statements for 20 refused sends"
    retry = _send(alice, room.session.id, "r0")
    assert retry["ok"], "a retry of a stored message is answered, not refused"
