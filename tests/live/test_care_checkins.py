"""Check-ins: kept in the member's own journal; facilitators see only an anonymous summary."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlalchemy import func, select

from app.extensions import db
from app.journal.forms import FEELINGS
from app.journal.models import JournalEntry
from app.live import tallies
from app.live.care.noticing import CHECKIN_CONCERN_WORDS
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
    assert tallies.tallies.totals(room.session.id, "arrival") == (1, 4)


def _three_members(app, room, make_user):
    """Alice, Bob and Carol: three answers, the fewest a summary shows."""
    carol = make_user("carol")
    from tests.live.test_care_support import add_member

    add_member(app, room, carol)
    return [room.alice, room.bob, carol]


def test_below_three_answers_the_facilitator_sees_neither_count_nor_average(
    app, make_user, room, socket_client, logged_in_client
):
    """Issue 23 and 25: with one answer, the facilitator saw that person's score."""
    holder = room.join(room.facilitator)
    people = _three_members(app, room, make_user)
    for user, score in zip(people, (2, 3, 5), strict=True):
        _, sock = _member(room, socket_client, logged_in_client, user)
        assert _checkin(sock, room, score)["ok"]
    summaries = received(holder, "checkin:summary")
    assert summaries == [
        {"moment": "arrival", "count": None, "average": None},
        {"moment": "arrival", "count": None, "average": None},
        {"moment": "arrival", "count": 3, "average": 3.3},
    ]
    text = json.dumps(summaries)
    for person in people:
        assert person.display_name not in text and person.username not in text


def test_the_minimum_never_goes_below_three_whatever_the_environment_says(
    app, room, socket_client, logged_in_client
):
    app.config["CHECKIN_SUMMARY_MIN_COUNT"] = 1
    holder = room.join(room.facilitator)
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2)["ok"]
    assert received(holder, "checkin:summary") == [
        {"moment": "arrival", "count": None, "average": None}
    ]
    state = ack(holder, "care:state", {"session_id": room.session.id})
    assert state["checkins"][0] == {"moment": "arrival", "count": None, "average": None}


def test_a_higher_minimum_from_the_environment_is_kept(
    app, make_user, room, socket_client, logged_in_client
):
    app.config["CHECKIN_SUMMARY_MIN_COUNT"] = 4
    holder = room.join(room.facilitator)
    for user, score in zip(_three_members(app, room, make_user), (2, 3, 5), strict=True):
        _, sock = _member(room, socket_client, logged_in_client, user)
        assert _checkin(sock, room, score)["ok"]
    assert received(holder, "checkin:summary")[-1]["count"] is None


def test_a_second_checkin_for_the_same_moment_counts_once(
    app, room, socket_client, logged_in_client
):
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2)["ok"]
    assert _checkin(alice, room, 4)["ok"]
    assert tallies.tallies.totals(room.session.id, "arrival") == (1, 2)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JournalEntry)) == 2


def test_nothing_in_the_database_ties_a_score_to_a_person(
    app, room, socket_client, logged_in_client
):
    """Issue 27: receipts were HMAC(SECRET_KEY, user | session | moment) and the tallies were
    stored in clear, so the database and SECRET_KEY named the member and her score."""
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2)["ok"]
    with app.app_context():
        tables = set(db.metadata.tables)
        assert not {"checkin_tallies", "checkin_receipts"} & tables
        dump = "\n".join(
            str(row)
            for table in db.metadata.sorted_tables
            if table.name != "journal_entries"
            for row in db.session.execute(table.select())
        )
    secret = app.config["SECRET_KEY"].encode()
    for user_id in range(1, 50):  # every id tried, with the server's own secret
        digest = hmac.new(
            secret, f"checkin:{user_id}:{room.session.id}:arrival".encode(), hashlib.sha256
        ).hexdigest()
        assert digest not in dump


def test_the_tallies_go_when_the_session_ends(app, room, socket_client, logged_in_client):
    holder = room.join(room.facilitator)
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2)["ok"]
    assert ack(holder, "session:end", {"session_id": room.session.id})["ok"]
    assert tallies.tallies.totals(room.session.id, "arrival") == (0, 0)


def test_the_console_catches_up_with_summaries(app, room, socket_client, logged_in_client):
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    _checkin(alice, room, 3, moment="closing")
    holder = room.join(room.facilitator)
    state = ack(holder, "care:state", {"session_id": room.session.id})
    assert state["checkins"] == [
        {"moment": "arrival", "count": None, "average": None},
        {"moment": "closing", "count": None, "average": None},
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
    assert tallies.tallies.totals(room.session.id, "arrival") == (0, 0)


def test_outsiders_cannot_check_in(app, make_user, room, socket_client):
    stranger = socket_client(make_user("stranger"))
    answer = _checkin(stranger, room, 3)
    assert answer["error"]["code"] == "not_found"


def test_feelings_must_come_from_the_list(room):
    alice = room.join(room.alice)
    answer = _checkin(alice, room, 3, feelings=["<b>bold</b>"])
    assert answer["error"]["code"] == "invalid"


def test_every_hopeful_word_of_the_list_passes_without_an_alert(
    room, socket_client, logged_in_client
):
    """A member who felt "relieved" or "lighter" once brought the facilitators a risk alert:
    the words come from a fixed list, and none of them says someone is unsafe."""
    holder = room.join(room.facilitator)
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    calm = [word for word in FEELINGS if word not in CHECKIN_CONCERN_WORDS]
    assert _checkin(alice, room, 4, feelings=calm)["ok"]
    assert received(alice, "safety:resources") == [] and received(alice, "safety:nudge") == []
    assert received(holder, "support:alert") == []


def test_numb_in_a_checkin_nudges_the_member_and_tells_the_facilitators(
    room, socket_client, logged_in_client
):
    holder, bob = room.join(room.facilitator), room.join(room.bob)
    _, alice = _member(room, socket_client, logged_in_client, room.alice)
    assert _checkin(alice, room, 2, feelings=["tired", "numb"])["ok"]
    [nudge] = received(alice, "safety:nudge")
    assert nudge["level"] == "concern"
    [alert] = received(holder, "support:alert")
    assert alert["kind"] == "concern" and alert["source"] == "checkin"
    assert alert["user_id"] == room.alice.id and alert["note"] is None  # never the words or score
    assert received(bob, "support:alert") == []
