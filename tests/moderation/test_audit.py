"""The audit log is append-only, and only the people who keep a circle may read it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from app.audit.models import AuditEntry, AuditLogIsAppendOnly
from app.audit.services import record_audit
from app.extensions import db
from tests.live.conftest import ack
from tests.live.facilitation_support import audit_entries


def _one_entry(app, circle_room) -> int:
    """Write one audit entry the way the services do; returns its id."""
    with app.app_context():
        entry = record_audit(
            circle_room.facilitator.id, "session:lock", circle_id=circle_room.circle.id
        )
        db.session.commit()
        return entry.id


def test_an_audit_entry_cannot_be_edited(app, circle_room):
    entry_id = _one_entry(app, circle_room)
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        entry.reason = "rewritten history"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert audit_entries(app)[0].reason == ""


def test_an_audit_entry_cannot_be_deleted(app, circle_room):
    entry_id = _one_entry(app, circle_room)
    with app.app_context():
        db.session.delete(db.session.get(AuditEntry, entry_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert len(audit_entries(app)) == 1


@pytest.mark.parametrize(
    "statement",
    [delete(AuditEntry), update(AuditEntry).values(reason="x")],
    ids=["delete", "update"],
)
def test_bulk_statements_cannot_touch_the_audit_log(app, circle_room, statement):
    _one_entry(app, circle_room)
    with app.app_context():
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    assert len(audit_entries(app)) == 1


def test_an_action_records_who_did_what_to_whom_and_why(app, circle_room):
    keeper = circle_room.join(circle_room.facilitator)
    mute = {"session_id": circle_room.session.id, "user_id": circle_room.bob.id, "minutes": 15}
    ack(keeper, "member:mute", {**mute, "reason": "talking over people"})
    (entry,) = audit_entries(app)
    assert (entry.actor_id, entry.action, entry.target_user_id) == (
        circle_room.facilitator.id,
        "member:mute",
        circle_room.bob.id,
    )
    assert entry.session_id == circle_room.session.id
    assert entry.reason == "talking over people"
    assert entry.detail == "minutes=15"


WHO = ["member", "other_facilitator", "facilitator", "moderator", "admin"]


@pytest.mark.parametrize("who", WHO)
def test_the_circle_audit_page_is_for_its_keepers(circle_room, logged_in_client, who):
    keeper = circle_room.join(circle_room.facilitator)
    ack(keeper, "session:lock", {"session_id": circle_room.session.id, "locked": True})
    page = logged_in_client(circle_room.actor(who)).get(f"/circles/{circle_room.circle.id}/audit")
    if who in ("member", "other_facilitator"):
        assert page.status_code == 404
        return
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "session:lock" in html and "Keeper" in html


@pytest.mark.parametrize("who", WHO)
def test_the_site_audit_page_is_for_moderators_and_admins(circle_room, logged_in_client, who):
    _ = circle_room
    page = logged_in_client(circle_room.actor(who)).get("/moderation/audit")
    assert page.status_code == (200 if who in ("moderator", "admin") else 404)


def test_the_audit_pages_escape_what_people_wrote(app, circle_room, logged_in_client):
    keeper = circle_room.join(circle_room.facilitator)
    ban = {"circle_id": circle_room.circle.id, "user_id": circle_room.bob.id}
    ack(keeper, "member:ban", {**ban, "reason": "<script>alert(1)</script>"})
    html = logged_in_client(circle_room.moderator).get("/moderation/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_anonymous_visitors_are_sent_to_log_in(client, circle_room):
    assert client.get("/moderation/audit").status_code in (302, 401)


def test_crisis_resource_changes_are_audited(app, make_user):
    from app.safety import services

    admin = make_user("root", role="admin")
    with app.app_context():
        resource = services.add_resource(admin, "Night line", "0800 000", "", "Somewhere")
        services.set_resource_active(admin, resource, False)
    actions = [e.action for e in audit_entries(app)]
    assert actions == ["crisis:add", "crisis:hide"]
    assert all(e.actor_id == admin.id for e in audit_entries(app))
