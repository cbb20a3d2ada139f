"""Every registered socket event, fuzzed: no server exception, the socket stays, acks keep shape.

Events are discovered from the Socket.IO server itself (handlers of namespace "/"), so events
added by any module are fuzzed without touching this file. The sender is the demo circle's
facilitator, joined to its session (so facilitator-only code paths are reached too).
HOLDSPACE_FUZZ_EXAMPLES sets the examples per event (100 by default; `make fuzz`: 1,000).
"""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.circles.models import CircleSession
from app.extensions import db, socketio
from tests.security.world import login, seed_demo
from tests.support.hostile import json_values, near_misses

EXAMPLES = int(os.environ.get("HOLDSPACE_FUZZ_EXAMPLES") or 100)
LIFECYCLE = {"connect", "disconnect"}


def registered_events(app) -> list[str]:
    """Every event name with a handler on the default namespace."""
    del app  # the server is rebuilt per app; this one's handlers are current
    return sorted(set(socketio.server.handlers.get("/", {})) - LIFECYCLE)


def _collect_events() -> list[str]:
    """The events of a throwaway app, for parametrisation at collection time."""
    create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://", "REDIS_URL": None})
    return registered_events(None)


EVENTS = _collect_events()

KEYS = [
    "session_id",
    "circle_id",
    "message_id",
    "user_id",
    "after_id",
    "client_id",
    "body",
    "content_warning",
    "kind",
    "reason",
    "typing",
    "phase",
    "minutes",
    "seconds",
    "locked",
    "moment",
    "score",
    "feelings",
    "note",
    "inhale_s",
    "hold_s",
    "exhale_s",
    "rounds",
    "changes",
    "share_typing",
]
near_miss = near_misses(KEYS)
payloads = st.one_of(json_values, near_miss)


@pytest.fixture
def joined(app):
    """The facilitator's socket, joined to the demo's session; and the session id."""
    seed_demo(app)
    http = app.test_client()
    login(http, "river")
    with app.app_context():
        session_id = db.session.scalar(db.select(CircleSession.id).order_by(CircleSession.id))
    sock = socketio.test_client(app, flask_test_client=http)
    answer = sock.emit("session:join", {"session_id": session_id}, callback=True)
    assert answer["ok"], answer
    yield sock, session_id
    if sock.is_connected():
        sock.disconnect()


def assert_ack_shape(answer) -> None:
    """{ok: true, ...} or {ok: false, error: {code, message}} with a known kind of code."""
    assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool), answer
    if not answer["ok"]:
        error = answer.get("error")
        assert isinstance(error, dict), answer
        assert isinstance(error.get("code"), str) and error["code"], answer
        assert isinstance(error.get("message"), str) and error["message"], answer
        assert error["code"] != "server_error", answer


def test_every_event_is_fuzzed():
    assert {"session:join", "message:send"} <= set(EVENTS)


@pytest.mark.parametrize("event", EVENTS)
def test_hostile_payloads_never_raise_or_drop_the_socket(joined, event, caplog, figures):
    sock, session_id = joined
    caplog.set_level(logging.ERROR)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=payloads, aimed=st.booleans())
    def check(payload, aimed):
        if aimed and isinstance(payload, dict):
            payload = {**payload, "session_id": session_id}  # reach past the "which session"
        answer = sock.emit(event, payload, callback=True)
        assert_ack_shape(answer)
        assert sock.is_connected(), (event, payload)
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, (event, payload, errors)

    check()
    figures["socket fuzz: events"] = len(EVENTS)
    figures["socket fuzz: examples per event"] = EXAMPLES
    sock.get_received()  # drop the broadcasts the fuzzing caused
