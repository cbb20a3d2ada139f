"""Bad payloads for every facilitator event get `invalid`: never a crash, never a change."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live.conftest import ack
from tests.live.facilitation_support import audit_entries

not_an_id = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(max_value=0),
    st.integers(min_value=2**63),
    st.floats(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
not_a_string = st.one_of(st.booleans(), st.integers(), st.floats(), st.lists(st.text(), max_size=2))
bad_reason = st.one_of(not_a_string, st.text(min_size=501, max_size=600), st.just("a\x00b"))


def _range(low, high):
    """Anything that is not an integer within [low, high]."""
    outside = st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1))
    return st.one_of(outside, st.none(), st.booleans(), st.floats(), st.text(max_size=4))


# event -> (a valid payload builder, {field: strategy of bad values})
def _cases(room):
    session = {"session_id": room.session.id}
    member = {**session, "user_id": room.bob.id}
    return {
        "session:start": (session, {"session_id": not_an_id}),
        "session:end": (session, {"session_id": not_an_id}),
        "phase:set": (
            {**session, "phase": "quiet"},
            {"phase": st.one_of(not_a_string, st.text(max_size=8), st.just("Quiet"))},
        ),
        "stick:give": (member, {"user_id": not_an_id.filter(lambda v: v is not None)}),
        "member:admit": (member, {"user_id": not_an_id, "reason": bad_reason}),
        "member:mute": ({**member, "minutes": 5}, {"minutes": _range(1, 1440)}),
        "member:unmute": (member, {"user_id": not_an_id, "session_id": not_an_id}),
        "member:remove": (member, {"user_id": not_an_id, "reason": bad_reason}),
        "member:ban": (
            {"circle_id": room.circle.id, "user_id": room.bob.id, "reason": "threats"},
            {"circle_id": not_an_id, "reason": st.one_of(bad_reason, st.none(), st.just("  "))},
        ),
        "message:hide": ({"message_id": 1, "reason": "x"}, {"message_id": not_an_id}),
        "session:lock": (
            {**session, "locked": True},
            {"locked": st.one_of(st.none(), st.integers(0, 1), st.text(max_size=4))},
        ),
        "session:slowmode": ({**session, "seconds": 10}, {"seconds": _range(0, 300)}),
    }


EVENTS = [
    "session:start",
    "session:end",
    "phase:set",
    "stick:give",
    "member:admit",
    "member:mute",
    "member:unmute",
    "member:remove",
    "member:ban",
    "message:hide",
    "session:lock",
    "session:slowmode",
]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("event", EVENTS)
def test_bad_payloads_are_invalid_and_change_nothing(app, circle_room, event):
    keeper = circle_room.join(circle_room.facilitator)
    valid, bad_fields = _cases(circle_room)[event]

    @SETTINGS
    @given(data=st.data())
    def check(data):
        field = data.draw(st.sampled_from(sorted(bad_fields)))
        payload = {**valid, field: data.draw(bad_fields[field])}
        if data.draw(st.booleans()):
            payload = data.draw(st.sampled_from([None, [], "x", 3, [payload]]))
        answer = ack(keeper, event, payload)
        assert answer["ok"] is False, payload
        assert answer["error"]["code"] == "invalid", (payload, answer)
        assert keeper.is_connected()

    check()
    assert audit_entries(app) == []


@pytest.mark.parametrize("event", EVENTS)
def test_a_missing_field_is_invalid(circle_room, event):
    keeper = circle_room.connect(circle_room.facilitator)
    valid, _ = _cases(circle_room)[event]
    for key in valid:
        if key == "reason" and event != "member:ban":
            continue  # the reason is optional except for bans
        payload = {k: v for k, v in valid.items() if k != key}
        assert ack(keeper, event, payload)["error"]["code"] == "invalid", (event, key)
