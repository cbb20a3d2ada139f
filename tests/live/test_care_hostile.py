"""Property tests: hostile payloads to the care events get an answer and keep the connection."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live.conftest import ack
from tests.support.hostile import json_values, near_misses

CARE_EVENTS = (
    "breath:start",
    "breath:stop",
    "time:sync",
    "checkin:submit",
    "support:request",
    "safety:dismiss",
    "care:state",
)
KEYS = [
    "session_id",
    "message_id",
    "alert_id",
    "inhale_s",
    "hold_s",
    "exhale_s",
    "rounds",
    "moment",
    "score",
    "feelings",
    "note",
    "client_ms",
]
near_miss = near_misses(KEYS, max_size=7)
payloads = st.one_of(json_values, near_miss)

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("event", CARE_EVENTS)
@pytest.mark.parametrize("who", ["alice", "facilitator"])
def test_hostile_care_payloads_never_break_anything(room, event, who):
    sock = room.join(getattr(room, who))

    @PROPERTY_SETTINGS
    @given(payload=payloads)
    def check(payload):
        answer = ack(sock, event, payload)
        assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool)
        if not answer["ok"]:
            assert answer["error"]["code"] != "server_error", payload
            assert answer["error"]["message"]
        assert sock.is_connected()

    check()
