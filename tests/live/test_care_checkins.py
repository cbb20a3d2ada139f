"""Check-ins: kept in the member's own journal; facilitators see only an anonymous summary."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.journal.models import JournalEntry
from app.live.models import CheckinReceipt, CheckinTally
from tests.live.conftest import ack, received


def _member(room, socket_client, logged_in_client, user):
    """A member whose HTTP client (journal pages) and socket share one login."""
    http = logged_in_client(user)
    sock = socket_client(user, http_client=http)
    assert ack(sock, "session:join", {"session_id": room.session.id})["ok"]
    sock.get_received()
    return http, sock


def _checkin(sock, room, score, moment="arrival", feelings=("calmer",)):
    """Submit one check-in and return the ack."""
    payload = {
        "session_id": room.session.id,
        "moment": moment,
        "score": score,
        "feelings": list(feelings),
    }
    return ack(sock, "checkin:submit", payload)


def test_a_checkin_is_kept_in_the_members_own_journal(app, room, socket_client, logged_in_client):
    http, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 4, feelings=["calmer", "tender"]) == {"ok": True}
    page = http.get("/journal/").get_data(as_text=True)
    assert "Arrival check-in" in page
    with app.app_context():
        owners = db.session.scalars(select(JournalEntry.user_id)).all()
        assert owners == [room.alice.id]
        # The journal row is sealed: the score is nowhere in clear.
        tally = db.session.get(CheckinTally, (room.session.id, "arrival"))
        assert (tally.count, tally.total) == (1, 4)


def test_the_facilitator_sees_only_count_and_average_never_who(
    app, room, socket_client, logged_in_client
):
    holder = room.join(room.facilitator)
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    _, bob = _member(room, socket_client, logged_in_client, room.bob)
    _checkin(alice, room, 2)
    _checkin(bob, room, 5, moment="closing")
    summaries = received(holder, "checkin:summary")
    assert summaries == [
        {"moment": "arrival", "count": 1, "average": 2.0},
        {"moment": "closing", "count": 1, "average": 5.0},
    ]
    for sock in (alice, bob):
        assert received(sock, "checkin:summary") == []
    text = json.dumps(summaries)
    for person in (room.alice, room.bob):
        assert person.display_name not in text and person.username not in text


def test_with_a_minimum_count_the_average_waits_for_three(
    app, make_user, room, socket_client, logged_in_client
):
    app.config["CHECKIN_SUMMARY_MIN_COUNT"] = 3
    holder = room.join(room.facilitator)
    carol = make_user("carol")
    from tests.live.test_care_support import add_member

    add_member(app, room, carol)
    for user, score in ((room.alice, 2), (room.bob, 3), (carol, 5)):
        _, sock = _member(room, socket_client, logged_in_client, user)
        assert _checkin(sock, room, score)["ok"]
    summaries = received(holder, "checkin:summary")
    assert [s["average"] for s in summaries] == [None, None, 3.3]
    last = summaries[-1]
    assert last == {"moment": "arrival", "count": 3, "average": 3.3}
    assert set(last) == {"moment", "count", "average"}


def test_a_second_checkin_for_the_same_moment_counts_once(
    app, room, socket_client, logged_in_client
):
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2)["ok"]
    assert _checkin(alice, room, 4)["ok"]
    with app.app_context():
        tally = db.session.get(CheckinTally, (room.session.id, "arrival"))
        assert (tally.count, tally.total) == (1, 2)
        assert db.session.scalar(select(func.count()).select_from(JournalEntry)) == 2
        receipt = db.session.scalar(select(CheckinReceipt))
        assert len(receipt.digest) == 64  # a keyed hash, not an id


def test_tallies_hold_no_user_ids(app):
    columns = set(CheckinTally.__table__.columns.keys()) | set(
        CheckinReceipt.__table__.columns.keys()
    )
    assert columns == {"session_id", "moment", "count", "total", "digest"}


def test_the_console_catches_up_with_summaries(app, room, socket_client, logged_in_client):
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    _checkin(alice, room, 3, moment="closing")
    holder = room.join(room.facilitator)
    state = ack(holder, "care:state", {"session_id": room.session.id})
    assert state["checkins"] == [
        {"moment": "arrival", "count": 0, "average": None},
        {"moment": "closing", "count": 1, "average": 3.0},
    ]
    assert ack(alice, "care:state", {"session_id": room.session.id})["error"]["code"] == (
        "forbidden"
    )


def test_a_locked_journal_is_said_kindly(app, room, socket_client):
    from app.journal.models import JournalSessionKey

    alice = room.join(room.alice)
    with app.app_context():
        db.session.execute(JournalSessionKey.__table__.delete())
        db.session.commit()
    answer = _checkin(alice, room, 3)
    assert answer["ok"] is False and answer["error"]["code"] == "journal_locked"
    with app.app_context():
        assert db.session.get(CheckinTally, (room.session.id, "arrival")) is None


def test_outsiders_cannot_check_in(app, make_user, room, socket_client):
    stranger = socket_client(make_user("stranger"))
    answer = _checkin(stranger, room, 3)
    assert answer["error"]["code"] == "not_found"


def test_feelings_must_come_from_the_list(room):
    alice = room.join(room.alice)
    answer = _checkin(alice, room, 3, feelings=["<b>bold</b>"])
    assert answer["error"]["code"] == "invalid"
