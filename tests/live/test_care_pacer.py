"""The breathing pacer: facilitators start it for everyone, from one server time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.circles.models import CircleSession
from app.extensions import db
from app.live import pacer
from tests.live.conftest import ack, received

RHYTHM = {"inhale_s": 4, "hold_s": 2, "exhale_s": 6, "rounds": 3}


def _start(sock, room, **changes):
    """Ask to start the pacer with the usual rhythm and any changes."""
    return ack(sock, "breath:start", {"session_id": room.session.id, **RHYTHM, **changes})


def test_the_facilitator_starts_the_pacer_for_everyone_at_one_time(app, room):
    holder, alice, bob = (room.join(p) for p in (room.facilitator, room.alice, room.bob))
    for sock in (holder, alice, bob):
        sock.get_received()
    before = pacer.server_ms()
    answer = _start(holder, room)
    assert answer["ok"] is True
    started = [received(sock, "breath:started") for sock in (holder, alice, bob)]
    assert started[0] == started[1] == started[2] and len(started[0]) == 1
    breath = started[0][0]
    assert {k: breath[k] for k in RHYTHM} == RHYTHM
    assert before + pacer.LEAD_MS <= breath["starts_at_ms"] <= pacer.server_ms() + pacer.LEAD_MS
    with app.app_context():
        assert db.session.get(CircleSession, room.session.id).breath == breath
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.actor_id, entry.session_id) == (
            "breath:start",
            room.facilitator.id,
            room.session.id,
        )


def test_a_late_joiner_finds_the_breath_in_the_session(room):
    holder = room.join(room.facilitator)
    breath = _start(holder, room)["breath"]
    late = ack(room.join(room.bob), "session:join", {"session_id": room.session.id})
    assert late["session"]["breath"] == breath


def test_a_finished_pacer_is_no_longer_offered(update_session, room):
    update_session(
        room.session,
        breath={"starts_at_ms": 1000, "inhale_s": 2, "hold_s": 0, "exhale_s": 2, "rounds": 1},
    )
    alice = room.join(room.alice)
    assert ack(alice, "session:join", {"session_id": room.session.id})["session"]["breath"] is None


def test_stopping_the_pacer_tells_everyone_and_clears_it(app, room):
    holder, alice = room.join(room.facilitator), room.join(room.alice)
    _start(holder, room)
    alice.get_received()
    assert ack(holder, "breath:stop", {"session_id": room.session.id}) == {"ok": True}
    assert received(alice, "breath:stopped") == [{"session_id": room.session.id}]
    with app.app_context():
        assert db.session.get(CircleSession, room.session.id).breath is None
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["breath:start", "breath:stop"]


@pytest.mark.parametrize("event", ["breath:start", "breath:stop"])
def test_members_may_not_run_the_pacer(app, room, event):
    alice, bob = room.join(room.alice), room.join(room.bob)
    bob.get_received()
    answer = ack(alice, event, {"session_id": room.session.id, **RHYTHM})
    assert answer["error"]["code"] == "forbidden"
    assert bob.get_received() == []
    with app.app_context():
        assert db.session.scalar(select(AuditEntry)) is None


def test_facilitators_of_another_circle_see_nothing(make_user, make_circle, room, socket_client):
    other = make_user("other_holder", role="facilitator")
    make_circle(other, name="Another circle")
    answer = _start(socket_client(other), room)
    assert answer["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_site_moderators_may_run_the_pacer(make_user, room, role):
    keeper = room.join(make_user(f"site_{role}", role=role))
    assert _start(keeper, room)["ok"] is True


@pytest.mark.parametrize(
    "field, good, bad",
    [
        ("inhale_s", [2, 8], [1, 9, 4.5, "4", True, None]),
        ("hold_s", [0, 8], [-1, 9, 1.0, False]),
        ("exhale_s", [2, 12], [1, 13, "6"]),
        ("rounds", [1, 20], [0, 21, 2**64, [3]]),
    ],
)
def test_breath_bounds(room, field, good, bad):
    holder = room.join(room.facilitator)
    for value in good:
        assert _start(holder, room, **{field: value})["ok"] is True, value
    for value in bad:
        assert _start(holder, room, **{field: value})["error"]["code"] == "invalid", value


def test_time_sync_answers_with_the_server_clock(room, socket_client):
    alice = socket_client(room.alice)
    before = pacer.server_ms()
    answer = ack(alice, "time:sync", {"client_ms": 12.5})
    assert answer["ok"] is True and before <= answer["server_ms"] <= pacer.server_ms()
    assert answer["client_ms"] == 12.5
    assert ack(alice, "time:sync", {})["ok"] is True
    for bad in (
        None,
        [],
        "now",
        {"client_ms": "1"},
        {"client_ms": float("inf")},
        {"client_ms": True},
    ):
        assert ack(alice, "time:sync", bad)["error"]["code"] == "invalid"
