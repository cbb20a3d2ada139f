"""Sends that arrive together are written as one batch (`services._write_sends`), on both
databases: one transaction, each send its own answer, the room told in the order stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.group_commit import Pending
from app.core.prepared import hot_transaction
from app.extensions import db
from app.live import services, writes
from app.live.errors import LiveError
from app.live.models import Message
from app.live.standing import read_standing, read_standings
from tests.support.factories import store_unannounced


@pytest.fixture
def broadcasts(monkeypatch):
    """What `message:new` would carry, in the order it went out."""
    sent = []
    monkeypatch.setattr(
        services,
        "_broadcast",
        lambda payload, previous_id=None: sent.append(
            (payload["session_id"], payload["body"], previous_id)
        ),
    )
    return sent


def _send(author, session, body, client_id=None):
    return Pending(services._Send(author.id, session.id, body, client_id or body, ""))


def test_a_batch_is_one_transaction_and_the_rooms_hear_in_stored_order(
    app, room, make_session, broadcasts, checkouts
):
    later = make_session(room.circle, title="Later")
    batch = [
        _send(room.bob, later, "b1"),
        _send(room.alice, room.session, "a1"),
        _send(room.bob, later, "b2"),
        _send(room.alice, room.session, "a2"),
    ]
    with app.app_context():
        services._write_sends(batch)
        stored = db.session.execute(select(Message.id, Message.body).order_by(Message.id)).all()
    assert len(checkouts) == 1
    assert all(item.done and item.error is None for item in batch)
    ids = {body: message_id for message_id, body in stored}
    # sessions in id order (the PostgreSQL lock order), each room in the order its sends came
    assert [body for _, body in stored] == ["a1", "a2", "b1", "b2"]
    assert broadcasts == [
        (room.session.id, "a1", None),
        (room.session.id, "a2", ids["a1"]),
        (later.id, "b1", None),
        (later.id, "b2", ids["b1"]),
    ]
    assert batch[0].result.message["id"] == ids["b1"]
    assert batch[3].result.previous_id == ids["a1"]


def test_a_refusal_or_a_retry_is_that_sends_answer_alone(
    app, room, make_user, broadcasts, checkouts
):
    stranger = make_user("stranger")
    with app.app_context():
        services._write_sends([_send(room.alice, room.session, "first", "same")])
    broadcasts.clear()
    batch = [
        _send(room.alice, room.session, "retry", "same"),
        _send(stranger, room.session, "not a member"),
        _send(room.bob, room.session, "welcome"),
    ]
    with app.app_context():
        services._write_sends(batch)
        bodies = db.session.scalars(select(Message.body).order_by(Message.id)).all()
    retry, outsider, welcome = batch
    assert retry.error is None and retry.result is None, "answered from the first message"
    assert isinstance(outsider.error, LiveError) and outsider.error.code == "not_found"
    assert welcome.result.message["body"] == "welcome"
    assert bodies == ["first", "welcome"]
    assert [body for _, body, _ in broadcasts] == ["welcome"]
    assert len(checkouts) == 2


def test_a_failing_send_costs_the_rest_of_its_batch_nothing(
    app, room, monkeypatch, broadcasts, checkouts
):
    """Anything but a refusal rolls the batch back; then each send is written on its own."""
    real = services._insert_messages

    def flaky(hot, batch):
        if any(outgoing.body == "breaks" for outgoing in batch):
            raise RuntimeError("disk full")
        return real(hot, batch)

    monkeypatch.setattr(services, "_insert_messages", flaky)
    batch = [
        _send(room.alice, room.session, "before"),
        _send(room.bob, room.session, "breaks"),
        _send(room.alice, room.session, "after"),
    ]
    with app.app_context():
        services._write_sends(batch)
        bodies = db.session.scalars(select(Message.body).order_by(Message.id)).all()
    assert bodies == ["before", "after"], "stored once each, in order"
    assert isinstance(batch[1].error, RuntimeError)
    assert batch[0].result.message["body"] == "before" and batch[2].error is None
    assert [body for _, body, _ in broadcasts] == ["before", "after"]
    assert len(checkouts) == 4, "the batch, then each send alone"


def test_the_send_window_counts_a_rewritten_send_once(app, room, monkeypatch, broadcasts):
    counted = []
    monkeypatch.setattr(services, "_check_send_rate", lambda *args: counted.append(args))
    real = services._insert_messages
    failures = iter([RuntimeError("once")])

    def fails_first(*args):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(*args)

    monkeypatch.setattr(services, "_insert_messages", fails_first)
    batch = [_send(room.alice, room.session, "one"), _send(room.bob, room.session, "two")]
    with app.app_context():
        services._write_sends(batch)
    assert [item.result.message["body"] for item in batch] == ["one", "two"]
    assert len(counted) == 2


def test_a_batchs_reads_answer_as_one_read_each_would(app, room, make_user, update_session):
    """`read_standings` (one query on PostgreSQL) gives each pair what `read_standing` gives,
    in the batch's order, refusals included."""
    stranger = make_user("stranger")
    update_session(room.session, phase="sharing")
    asked = [
        (room.bob.id, room.session.id),
        (stranger.id, room.session.id),
        (room.alice.id, 99_999),
        (room.alice.id, room.session.id),
    ]
    with app.app_context(), hot_transaction() as hot:
        together = read_standings(hot, asked)
        alone = []
        for user_id, session_id in asked:
            try:
                alone.append(read_standing(hot, user_id, session_id))
            except LiveError as refusal:
                alone.append(refusal)
    assert [getattr(j, "code", None) for j in together] == [None, "not_found", "not_found", None]
    assert together[0] == alone[0] and together[3] == alone[3]
    assert together[0].access.session.phase == "sharing"
    assert together[3].display_name == "Alice" and together[3].access.room_role == "member"


def test_a_batchs_inserts_name_each_ones_previous_message(app, room, make_session):
    """Within one batch each session's messages chain (`previous_id`), a client_id repeated in
    the batch is stored once, and one sent before is not stored again."""
    later = make_session(room.circle)
    with app.app_context():
        before = store_unannounced(room.alice.id, room.session.id, "earlier", "sent-before")
        with hot_transaction() as hot:
            alice, bob = read_standings(
                hot, [(room.alice.id, room.session.id), (room.bob.id, later.id)]
            )
            batch = [
                writes.Outgoing(alice, room.session.id, "one", "x-1", ""),
                writes.Outgoing(bob, later.id, "elsewhere", "y-1", ""),
                writes.Outgoing(alice, room.session.id, "again?", "x-1", ""),
                writes.Outgoing(alice, room.session.id, "retry", "sent-before", ""),
                writes.Outgoing(alice, room.session.id, "two", "x-2", ""),
            ]
            one, elsewhere, repeat, retry, two = writes.insert_messages(hot, batch)
            hot.commit()
        stored = db.session.scalars(
            select(Message.body).where(Message.session_id == room.session.id).order_by(Message.id)
        ).all()
    assert repeat is None and retry is None
    assert one.previous_id == before["id"]
    assert two.previous_id == one.message["id"]
    assert elsewhere.previous_id is None
    assert one.message["body"] == "one" and two.message["author"]["display_name"] == "Alice"
    assert stored == ["earlier", "one", "two"]
