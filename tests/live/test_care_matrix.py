"""Who may run the pacer and dismiss alerts: each event against every kind of person."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.safety.alerts import RISK_LANGUAGE, add_alert
from tests.live.conftest import ack
from tests.live.facilitation_support import audit_entries

REFUSED = {"member": "forbidden", "other_facilitator": "not_found"}
ALLOWED = ("facilitator", "moderator", "admin")
CARE_EVENTS = ["breath:start", "breath:stop", "safety:dismiss"]


def _flagged_message(app, circle_room) -> int:
    """A message of Bob's that raised a risk alert; returns the message id."""
    message_id = circle_room.message_by(circle_room.bob, "a message that was flagged")
    with app.app_context():
        add_alert(circle_room.session.id, circle_room.bob.id, RISK_LANGUAGE, message_id=message_id)
        db.session.commit()
    return message_id


def _payload(app, circle_room, event) -> dict:
    """A valid payload for the event."""
    session = {"session_id": circle_room.session.id}
    if event == "breath:start":
        return {**session, "inhale_s": 4, "hold_s": 0, "exhale_s": 6, "rounds": 3}
    if event == "safety:dismiss":
        return {"message_id": _flagged_message(app, circle_room)}
    return session


@pytest.mark.parametrize("who", [*REFUSED, *ALLOWED])
@pytest.mark.parametrize("event", CARE_EVENTS)
def test_only_the_circles_keepers_may_use_care_events(app, circle_room, event, who):
    actor = circle_room.actor(who)
    payload = _payload(app, circle_room, event)
    answer = ack(circle_room.connect(actor), event, payload)
    entries = audit_entries(app)
    if who in REFUSED:
        assert answer["ok"] is False and answer["error"]["code"] == REFUSED[who]
        assert entries == []
        return
    assert answer["ok"] is True, answer
    (entry,) = entries
    assert (entry.action, entry.actor_id, entry.circle_id) == (
        event,
        actor.id,
        circle_room.circle.id,
    )


@pytest.mark.parametrize("who", [*REFUSED, *ALLOWED])
def test_the_console_catch_up_is_for_keepers_and_is_not_audited(app, circle_room, who):
    sock = circle_room.connect(circle_room.actor(who))
    answer = ack(sock, "care:state", {"session_id": circle_room.session.id})
    if who in REFUSED:
        assert answer["error"]["code"] == REFUSED[who]
    else:
        assert answer["ok"] is True and answer["alerts"] == []
    assert audit_entries(app) == []
