"""The report queue and the audit log show who is staff, with badges from their roles."""

from __future__ import annotations

import re

from app.audit.services import record_audit
from app.extensions import db
from tests.live.conftest import ack

BADGE = r'\s*(?:<span class="tag tag-staff">(Facilitator|Moderator|Admin)</span>\s*)'


def badges_after(html: str, name: str) -> list[str]:
    """The staff badges directly after a name in the page."""
    match = re.search(re.escape(f">{name}</span>") + f"((?:{BADGE})*)", html)
    assert match, f"{name} is not on the page"
    return re.findall(r">(Facilitator|Moderator|Admin)<", match.group(1))


def test_the_report_queue_badges_staff_in_the_context(circle_room, logged_in_client):
    room = circle_room
    room.message_by(room.facilitator, "welcome, everyone")
    reported = room.message_by(room.bob, "nobody wants you here")
    room.message_by(room.moderator, "a moderator passing through")
    answer = ack(room.join(room.alice), "message:report", {"message_id": reported, "reason": "x"})
    assert answer["ok"], answer
    html = logged_in_client(room.moderator).get("/moderation").get_data(as_text=True)
    assert badges_after(html, "Keeper") == ["Facilitator"]
    assert badges_after(html, "Mod") == ["Moderator"]
    assert badges_after(html, "Bob") == []
    assert re.search(r"About a message from\s*<span[^>]*>Bob</span>", html)


def test_the_audit_log_badges_who_acted_and_about_whom(app, circle_room, logged_in_client):
    room = circle_room
    with app.app_context():
        record_audit(
            room.facilitator.id, "member:mute", circle_id=room.circle.id, target_user_id=room.bob.id
        )
        record_audit(room.admin.id, "user:set-role", target_user_id=room.moderator.id)
        db.session.commit()
    site = logged_in_client(room.admin).get("/moderation/audit").get_data(as_text=True)
    assert badges_after(site, "Keeper") == ["Facilitator"]
    assert badges_after(site, "Admin") == ["Admin"]
    assert badges_after(site, "Mod") == ["Moderator"]
    assert badges_after(site, "Bob") == []
    circle = logged_in_client(room.facilitator).get(f"/circles/{room.circle.id}/audit")
    assert badges_after(circle.get_data(as_text=True), "Keeper") == ["Facilitator"]
