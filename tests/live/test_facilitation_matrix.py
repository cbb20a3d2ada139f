"""Who may run and moderate a room: every facilitator event against every kind of person."""

from __future__ import annotations

import pytest

from tests.live.conftest import ack
from tests.live.facilitation_support import audit_entries


def _payloads(room):
    """A valid payload for every facilitator event, aimed at Bob (a member)."""
    session = {"session_id": room.session.id}
    bob = {**session, "user_id": room.bob.id}
    return {
        "session:start": session,
        "session:end": session,
        "phase:set": {**session, "phase": "sharing"},
        "stick:give": bob,
        "member:admit": bob,
        "member:mute": {**bob, "minutes": 5},
        "member:unmute": bob,
        "member:remove": bob,
        "member:ban": {"circle_id": room.circle.id, "user_id": room.bob.id, "reason": "threats"},
        "message:hide": {"message_id": room.message_by(room.bob), "reason": "personal details"},
        "session:lock": {**session, "locked": True},
        "session:slowmode": {**session, "seconds": 30},
    }


FACILITATOR_EVENTS = [
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
REFUSED = {"member": "forbidden", "other_facilitator": "not_found"}
ALLOWED = ("facilitator", "moderator", "admin")


@pytest.mark.parametrize("who", [*REFUSED, *ALLOWED])
@pytest.mark.parametrize("event", FACILITATOR_EVENTS)
def test_only_the_circles_keepers_may_use_facilitator_events(app, circle_room, event, who):
    actor = circle_room.actor(who)
    payload = _payloads(circle_room)[event]
    answer = ack(circle_room.connect(actor), event, payload)
    entries = audit_entries(app)
    if who in REFUSED:
        assert answer["ok"] is False
        assert answer["error"]["code"] == REFUSED[who]
        assert entries == []
        return
    assert answer["ok"] is True, answer
    assert len(entries) == 1
    (entry,) = entries
    assert entry.action == event
    assert entry.actor_id == actor.id
    assert entry.circle_id == circle_room.circle.id
    assert entry.created_at is not None


@pytest.mark.parametrize("who", [*REFUSED, *ALLOWED])
def test_the_waiting_list_is_for_keepers_and_is_not_audited(app, circle_room, who):
    answer = ack(circle_room.connect(circle_room.actor(who)), "waiting:list",
                 {"session_id": circle_room.session.id})  # fmt: skip
    if who in REFUSED:
        assert answer["error"]["code"] == REFUSED[who]
    else:
        assert answer == {"ok": True, "waiting": []}
    assert audit_entries(app) == []


@pytest.mark.parametrize("event", ["member:mute", "member:remove", "member:ban", "member:unmute"])
def test_keepers_cannot_be_moderated_themselves(circle_room, event):
    payload = _payloads(circle_room)[event]
    payload["user_id"] = circle_room.facilitator.id
    answer = ack(circle_room.connect(circle_room.moderator), event, payload)
    assert answer["error"]["code"] == "forbidden"


@pytest.mark.parametrize("event", ["member:mute", "member:remove", "member:admit", "stick:give"])
def test_people_outside_the_circle_are_not_found_as_targets(circle_room, event):
    payload = _payloads(circle_room)[event]
    payload["user_id"] = circle_room.elsewhere.id
    answer = ack(circle_room.connect(circle_room.facilitator), event, payload)
    assert answer["error"]["code"] == "not_found"


def test_an_unknown_session_is_not_found_even_for_an_admin(circle_room):
    answer = ack(circle_room.connect(circle_room.admin), "session:start", {"session_id": 999999})
    assert answer["error"]["code"] == "not_found"
