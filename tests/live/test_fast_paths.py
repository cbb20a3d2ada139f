"""The hot path's shortcuts keep every guarantee: Core insert, insert-first, one access query."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.live.models import Message
from tests.live.conftest import ack
from tests.support.sql import statements_run


def _send(sock, room, client_id, body="hello"):
    payload = {"session_id": room.session.id, "client_id": client_id, "body": body}
    return ack(sock, "message:send", payload)


def test_a_new_display_name_shows_on_the_very_next_message(app, room):
    alice = room.join(room.alice)
    assert _send(alice, room, "before")["message"]["author"]["display_name"] == "Alice"
    with app.app_context():
        db.session.get(User, room.alice.id).display_name = "Alice R."
        db.session.commit()
    answer = _send(alice, room, "after")
    assert answer["message"]["author"]["display_name"] == "Alice R."


def test_a_demoted_moderator_loses_the_room_at_once(app, room, make_user, socket_client):
    moderator = make_user("mod", role=Role.MODERATOR.value)
    sock = socket_client(moderator)
    assert ack(sock, "session:join", {"session_id": room.session.id})["ok"]
    assert _send(sock, room, "m1")["ok"]
    with app.app_context():
        db.session.get(User, moderator.id).role = Role.MEMBER.value
        db.session.commit()
    assert _send(sock, room, "m2")["error"]["code"] == "not_found"


def test_the_stored_message_matches_what_was_broadcast(app, room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    sent = _send(alice, room, "cw-1", body="  a heavy day  ")
    noted = {"session_id": room.session.id, "client_id": "cw-2", "body": "x"}
    sent = ack(alice, "message:send", {**noted, "content_warning": "loss"})["message"]
    news = [e["args"][0]["message"] for e in bob.get_received() if e["name"] == "message:new"]
    assert news[-1] == sent
    with app.app_context():
        stored = db.session.scalar(select(Message).where(Message.client_id == "cw-2"))
        assert stored.id == sent["id"] and stored.content_warning == "loss"
    catch_up = ack(alice, "messages:since", {"session_id": room.session.id, "after_id": 0})
    assert catch_up["messages"][-1] == sent
    assert catch_up["messages"][0]["body"] == "a heavy day"
    assert catch_up["messages"][0]["content_warning"] is None


def test_a_retried_send_still_answers_with_the_first_message(room):
    alice = room.join(room.alice)
    first = _send(alice, room, "same", body="once")["message"]
    again = _send(alice, room, "same", body="twice")["message"]
    assert again == first


def test_a_retry_the_rules_would_now_refuse_still_gets_its_first_message(app, room):
    from app.circles.models import CircleSession, Phase

    alice = room.join(room.alice)
    first = _send(alice, room, "before-quiet", body="said in time")["message"]
    with app.app_context():
        db.session.get(CircleSession, room.session.id).phase = Phase.QUIET.value
        db.session.commit()
    assert _send(alice, room, "before-quiet", body="said in time")["message"] == first
    assert _send(alice, room, "during-quiet")["error"]["code"] == "phase_closed"


def test_one_query_decides_room_access(app, room):
    alice = room.join(room.alice)
    assert _send(alice, room, "warm")["ok"]
    with app.app_context():
        engine = db.engine
    with statements_run(engine) as statements:
        assert ack(alice, "typing", {"session_id": room.session.id, "typing": False})["ok"]
    seen = [s for s in statements if "circle_sessions" in s or "holdspace_standing" in s]
    assert len(seen) == 1


def test_a_send_makes_three_statements_in_one_transaction(app, room):
    """Pinned, as Zulip pins query counts: the message-order lock, the sender's standing in one
    query, and the INSERT that returns the id and the previous id. Nothing else touches the
    database on the way to the room (the login check reads only once a while). On PostgreSQL
    the lock travels with the read, and both reads are prepared once per connection."""
    alice = room.join(room.alice)
    assert _send(alice, room, "warm")["ok"]
    with app.app_context():
        engine = db.engine
    with statements_run(engine) as statements:
        assert _send(alice, room, "counted")["ok"]
    if engine.dialect.name == "postgresql":
        lock, read = statements[0].split("; ")
        assert lock.startswith("SELECT pg_advisory_xact_lock(")
        assert read.startswith("EXECUTE holdspace_send(")
        assert statements[1].startswith("EXECUTE holdspace_insert_message(")
        assert len(statements) == 2
        return
    kinds = [statement.lstrip().split()[0].upper() for statement in statements]
    assert kinds == ["BEGIN", "SELECT", "INSERT"]
    assert statements[0].strip().upper() == "BEGIN IMMEDIATE"
    assert "RETURNING" in statements[2].upper()


def test_every_change_to_the_sender_applies_to_the_very_next_send(app, room):
    """The one-query standing is read fresh each time: nothing about a person is cached."""
    from datetime import timedelta

    from app.circles.models import CircleSession, Membership, MembershipStatus
    from app.core.database import utcnow
    from app.live.models import SessionParticipant

    alice = room.join(room.alice)
    key = (room.session.id, room.alice.id)

    def change(fn):
        with app.app_context():
            fn()
            db.session.commit()

    def participant():
        row = db.session.get(SessionParticipant, key)
        if row is None:
            row = SessionParticipant(session_id=key[0], user_id=key[1])
            db.session.add(row)
        return row

    def membership():
        query = select(Membership).where(
            Membership.circle_id == room.circle.id, Membership.user_id == room.alice.id
        )
        return db.session.scalar(query)

    assert _send(alice, room, "c1")["ok"]
    change(lambda: setattr(participant(), "muted_until", utcnow() + timedelta(minutes=5)))
    assert _send(alice, room, "c2")["error"]["code"] == "muted"
    change(lambda: setattr(participant(), "muted_until", None))
    assert _send(alice, room, "c3")["ok"]
    change(lambda: setattr(participant(), "removed_at", utcnow()))
    assert _send(alice, room, "c4")["error"]["code"] == "removed"
    change(lambda: setattr(participant(), "removed_at", None))
    change(lambda: setattr(membership(), "status", MembershipStatus.BANNED.value))
    assert _send(alice, room, "c5")["error"]["code"] == "banned"
    change(lambda: setattr(membership(), "status", MembershipStatus.APPROVED.value))
    assert _send(alice, room, "c6")["ok"]
    change(lambda: setattr(db.session.get(User, room.alice.id), "role", Role.MODERATOR.value))
    change(lambda: db.session.delete(membership()))
    assert _send(alice, room, "c7")["ok"], "a site moderator needs no membership"
    change(lambda: setattr(db.session.get(User, room.alice.id), "role", Role.MEMBER.value))
    assert _send(alice, room, "c8")["error"]["code"] == "not_found"
    fac = room.join(room.facilitator)
    change(
        lambda: setattr(db.session.get(CircleSession, room.session.id), "cancelled_at", utcnow())
    )
    assert _send(fac, room, "c9")["error"]["code"] == "not_found"
