"""Sends that arrive together are written as one batch (`services._write_sends`), on both
databases: one transaction, each send its own answer, the room told in the order stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import prepared
from app.core.group_commit import Pending
from app.extensions import db
from app.live import services
from app.live.errors import LiveError
from app.live.models import Message


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


@pytest.fixture
def transactions(monkeypatch):
    """How many hot transactions were opened."""
    opened = []
    real = prepared.HotConnection.__init__

    def counting(self, engine):
        opened.append(1)
        real(self, engine)

    monkeypatch.setattr(prepared.HotConnection, "__init__", counting)
    return opened


def _send(author, session, body, client_id=None):
    return Pending(services._Send(author.id, session.id, body, client_id or body, ""))


def test_a_batch_is_one_transaction_and_the_rooms_hear_in_stored_order(
    app, room, make_session, broadcasts, transactions
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
    assert len(transactions) == 1
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
    app, room, make_user, broadcasts, transactions
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
    assert len(transactions) == 2


def test_a_failing_send_costs_the_rest_of_its_batch_nothing(
    app, room, monkeypatch, broadcasts, transactions
):
    """Anything but a refusal rolls the batch back; then each send is written on its own."""
    real = services._insert_message

    def flaky(hot, sender, session_id, body, client_id, warning):
        if body == "breaks":
            raise RuntimeError("disk full")
        return real(hot, sender, session_id, body, client_id, warning)

    monkeypatch.setattr(services, "_insert_message", flaky)
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
    assert len(transactions) == 4, "the batch, then each send alone"


def test_the_send_window_counts_a_rewritten_send_once(app, room, monkeypatch, broadcasts):
    counted = []
    monkeypatch.setattr(services, "_check_send_rate", lambda *args: counted.append(args))
    real = services._insert_message
    failures = iter([RuntimeError("once")])

    def fails_first(*args):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(*args)

    monkeypatch.setattr(services, "_insert_message", fails_first)
    batch = [_send(room.alice, room.session, "one"), _send(room.bob, room.session, "two")]
    with app.app_context():
        services._write_sends(batch)
    assert [item.result.message["body"] for item in batch] == ["one", "two"]
    assert len(counted) == 2
