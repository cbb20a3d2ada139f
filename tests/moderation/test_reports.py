"""The report queue: who may see it, what it shows (never the reporter), and its actions."""

from __future__ import annotations

import pytest

from app.circles.models import Membership
from app.extensions import db
from app.live.models import Message, Report, SessionParticipant
from tests.live.conftest import ack, received
from tests.live.facilitation_support import audit_entries

WHO = ["member", "other_facilitator", "facilitator", "moderator", "admin"]


@pytest.fixture
def reported(circle_room):
    """Bob said something hurtful between two harmless lines; Alice reported it."""
    room = circle_room
    room.message_by(room.facilitator, "welcome, everyone")
    message_id = room.message_by(room.bob, "nobody wants you here")
    room.message_by(room.facilitator, "let's keep this space kind")
    alice = room.join(room.alice)
    answer = ack(alice, "message:report", {"message_id": message_id, "reason": "unkind words"})
    assert answer["ok"], answer
    return message_id


def _report(app, message_id):
    with app.app_context():
        report = db.session.query(Report).filter_by(message_id=message_id).one()
        db.session.expunge(report)
        return report


@pytest.mark.parametrize("who", WHO)
def test_the_circle_queue_is_for_its_keepers(circle_room, reported, logged_in_client, who):
    page = logged_in_client(circle_room.actor(who)).get(f"/circles/{circle_room.circle.id}/reports")
    assert page.status_code == (404 if who in ("member", "other_facilitator") else 200)


@pytest.mark.parametrize("who", WHO)
def test_the_site_queue_is_for_moderators_and_admins(circle_room, reported, logged_in_client, who):
    page = logged_in_client(circle_room.actor(who)).get("/moderation")
    assert page.status_code == (200 if who in ("moderator", "admin") else 404)


def test_moderators_find_the_queue_in_the_navigation(circle_room, logged_in_client):
    assert 'href="/moderation"' in logged_in_client(circle_room.moderator).get("/").get_data(
        as_text=True
    )
    assert 'href="/moderation"' not in logged_in_client(circle_room.alice).get("/").get_data(
        as_text=True
    )


def test_the_queue_shows_the_message_in_context_but_never_the_reporter(
    circle_room, reported, logged_in_client
):
    html = logged_in_client(circle_room.facilitator).get(
        f"/circles/{circle_room.circle.id}/reports"
    )
    text = html.get_data(as_text=True)
    assert "nobody wants you here" in text and "unkind words" in text
    assert "welcome, everyone" in text and "let&#39;s keep this space kind" in text
    assert '<option value="60" selected>An hour</option>' in text
    assert "Alice" not in text  # the reporter is not named, not even to facilitators


def test_the_reported_person_hears_nothing_of_the_report(circle_room):
    room = circle_room
    bob, keeper = room.join(room.bob), room.join(room.facilitator)
    message_id = room.message_by(room.bob)
    ack(room.join(room.alice), "message:report", {"message_id": message_id, "reason": "hurtful"})
    assert received(bob, "report:new") == []
    (notice,) = received(keeper, "report:new")
    assert "reporter" not in str(notice).lower() and room.alice.display_name not in str(notice)


def _act(client, report_id, action, **fields):
    return client.post(f"/moderation/reports/{report_id}", data={"action": action, **fields})


@pytest.mark.parametrize("who", ["member", "other_facilitator"])
def test_people_who_do_not_keep_the_circle_cannot_act_on_reports(
    app, circle_room, reported, logged_in_client, who
):
    report = _report(app, reported)
    response = _act(logged_in_client(circle_room.actor(who)), report.id, "dismiss")
    assert response.status_code == 404
    assert _report(app, reported).status == "open"
    assert audit_entries(app) == []


def test_hiding_from_the_queue_hides_the_message_and_closes_the_report(
    app, circle_room, reported, logged_in_client
):
    report = _report(app, reported)
    response = _act(logged_in_client(circle_room.facilitator), report.id, "hide", back="circle")
    assert response.status_code == 302
    closed = _report(app, reported)
    assert (closed.status, closed.resolution) == ("closed", "hide")
    with app.app_context():
        assert db.session.get(Message, reported).hidden_at is not None
    (entry,) = audit_entries(app)
    assert (entry.action, entry.target_message_id, entry.detail) == (
        "message:hide",
        reported,
        f"report={report.id}",
    )


def test_muting_from_the_queue_mutes_the_author(app, circle_room, reported, logged_in_client):
    report = _report(app, reported)
    _act(logged_in_client(circle_room.moderator), report.id, "mute", minutes="15", back="global")
    assert _report(app, reported).resolution == "mute"
    with app.app_context():
        row = db.session.get(SessionParticipant, (circle_room.session.id, circle_room.bob.id))
        assert row.muted_until is not None
    assert [e.action for e in audit_entries(app)] == ["member:mute"]


def test_banning_from_the_queue_bans_the_author(app, circle_room, reported, logged_in_client):
    report = _report(app, reported)
    _act(logged_in_client(circle_room.admin), report.id, "ban", reason="threats")
    with app.app_context():
        membership = (
            db.session.query(Membership)
            .filter_by(circle_id=circle_room.circle.id, user_id=circle_room.bob.id)
            .one()
        )
        assert membership.status == "banned"
    assert [e.action for e in audit_entries(app)] == ["member:ban"]
    assert audit_entries(app)[0].reason == "threats"


def test_dismissing_closes_the_report_and_is_audited(app, circle_room, reported, logged_in_client):
    report = _report(app, reported)
    page = logged_in_client(circle_room.facilitator)
    _act(page, report.id, "dismiss")
    assert _report(app, reported).resolution == "dismiss"
    assert [e.action for e in audit_entries(app)] == ["report:dismiss"]
    _act(page, report.id, "dismiss")  # already closed: nothing more happens
    assert len(audit_entries(app)) == 1
    queue = page.get(f"/circles/{circle_room.circle.id}/reports").get_data(as_text=True)
    assert "nobody wants you here" not in queue


def test_an_unknown_action_changes_nothing(app, circle_room, reported, logged_in_client):
    report = _report(app, reported)
    _act(logged_in_client(circle_room.facilitator), report.id, "delete")
    assert _report(app, reported).status == "open"
    assert audit_entries(app) == []
