"""Property tests: random and hostile JSON never raises on the server or drops the connection."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live.conftest import ack
from tests.support.hostile import json_values, near_misses

EVENTS = [
    "hand:lower",
    "hand:raise",
    "message:react",
    "message:report",
    "message:send",
    "messages:since",
    "preferences:set",
    "session:join",
    "session:leave",
    "typing",
]

KEYS = [
    "session_id",
    "message_id",
    "after_id",
    "client_id",
    "body",
    "content_warning",
    "kind",
    "reason",
    "typing",
    "share_typing",
    "reduce_motion",
]
# Objects that look nearly right (the known keys with hostile values) reach deeper code paths.
near_miss = near_misses(KEYS)
payloads = st.one_of(json_values, near_miss)

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("event", EVENTS)
def test_hostile_payloads_get_an_answer_and_keep_the_connection(room, event):
    alice = room.join(room.alice)

    @PROPERTY_SETTINGS
    @given(payload=payloads)
    def check(payload):
        answer = ack(alice, event, payload)
        assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool)
        if not answer["ok"]:
            assert answer["error"]["code"] != "server_error", payload
            assert answer["error"]["message"]
        assert alice.is_connected()

    check()


@pytest.mark.parametrize("event", EVENTS)
def test_missing_and_extra_arguments_are_invalid(room, event):
    alice = room.join(room.alice)
    assert alice.emit(event, callback=True)["error"]["code"] == "invalid"
    assert alice.emit(event, {"a": 1}, [2], "three", callback=True)["ok"] is False
    assert alice.is_connected()
