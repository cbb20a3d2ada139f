"""The sends' group commit keeps its own connections between batches (app/core/prepared.py,
`KeptConnections`), on both databases: reused while fit, given back when not, never leaving a
transaction open or a wrong write behind."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import database
from app.core.group_commit import Pending
from app.core.prepared import KeptConnections, hot_transaction
from app.extensions import db
from app.live import services, writes
from app.live.models import Message
from app.live.standing import read_standing
from tests.live.conftest import ack


def _send(author, session, body):
    return Pending(services._Send(author.id, session.id, body, body, ""))


def _bodies() -> list[str]:
    return db.session.scalars(select(Message.body).order_by(Message.id)).all()


def test_batches_one_after_another_use_one_connection(app, room, checkouts):
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        for body in ("one", "two", "three"):
            services._write_sends([_send(room.alice, room.session, body)], kept=kept)
            assert db.engine.pool.checkedout() == 0  # kept outside the pool, taking no place
        assert _bodies() == ["one", "two", "three"]
    assert len(checkouts) == 1


def test_the_apps_sends_keep_their_connection(app, room, checkouts):
    alice = room.join(room.alice)
    for n in range(3):
        payload = {"session_id": room.session.id, "client_id": f"k-{n}", "body": f"line {n}"}
        assert ack(alice, "message:send", payload)["ok"]
    assert len(checkouts) == 1


def test_a_failed_batch_gives_its_connection_back(app, room, checkouts, monkeypatch):
    real = services._insert_messages

    def breaks_once(hot, batch):
        monkeypatch.setattr(services, "_insert_messages", real)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_insert_messages", breaks_once)
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        with pytest.raises(RuntimeError):  # a batch of one: its error is the send's answer
            services._write_sends([_send(room.alice, room.session, "lost")], kept=kept)
        services._write_sends([_send(room.alice, room.session, "next")], kept=kept)
        assert _bodies() == ["next"]
    assert len(checkouts) == 2
    with pytest.raises(Exception, match="closed"):
        checkouts[0].cursor()  # not kept: really closed


@pytest.mark.parametrize("answers", [True, False])
def test_a_connection_kept_idle_too_long_is_pinged_first(app, monkeypatch, answers):
    """As the pool pings its own idle connections (app/core/database.py)."""
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        hot = kept.take()
        connection = hot.pooled.dbapi_connection
        kept.keep(hot)
        pinged = []

        def answers_ping(other) -> bool:  # the pool's own pings answer (they use it too)
            if other is not connection:
                return True
            pinged.append(other)
            return answers

        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # everything is "idle"
        monkeypatch.setattr(database, "answers_ping", answers_ping)
        again = kept.take()
        again.pooled.close()
    assert pinged == [connection]
    assert (again is hot) is answers, "a silent one is replaced"


def test_a_replaced_pool_is_not_used_again(app, room, checkouts):
    """A lost connection disposes of the pool; a connection kept from the old one is dropped."""
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        services._write_sends([_send(room.alice, room.session, "one")], kept=kept)
        db.engine.dispose(close=False)
        services._write_sends([_send(room.alice, room.session, "two")], kept=kept)
        assert _bodies() == ["one", "two"]
    assert len(checkouts) == 2


def test_a_kept_transaction_left_uncommitted_is_rolled_back(app, room, checkouts):
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        with hot_transaction(kept) as hot:
            sender = read_standing(hot, room.alice.id, room.session.id)
            writes.insert_message(hot, sender, room.session.id, "unsaid", "u-1", "")
        assert _bodies() == []
        db.session.rollback()
        with hot_transaction(kept) as hot:  # the same connection, starting clean
            sender = read_standing(hot, room.alice.id, room.session.id)
            writes.insert_message(hot, sender, room.session.id, "said", "u-2", "")
            hot.commit()
        assert _bodies() == ["said"]
    assert len(checkouts) == 1


def test_no_more_are_kept_than_batches_run_at_once(app, room, checkouts):
    with app.app_context():
        kept = KeptConnections(db.engine, 2)
        open_at_once = [kept.take() for _ in range(3)]
        for hot in open_at_once:
            kept.keep(hot)
        assert {kept.take().pooled.dbapi_connection for _ in range(2)} == set(checkouts[:2])
        kept.take()
    assert len(checkouts) == 4, "the third was closed, not kept"
    with pytest.raises(Exception, match="closed"):
        checkouts[2].cursor()


def test_a_kept_connection_that_is_lost_is_replaced(app, room, checkouts, monkeypatch):
    """A disconnect on a kept connection: that batch fails, the next gets a new connection."""
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        services._write_sends([_send(room.alice, room.session, "one")], kept=kept)
        checkouts[0].close()  # the server side went away
        with monkeypatch.context() as patched, pytest.raises(Exception, match="closed"):
            patched.setattr(db.engine.dialect, "is_disconnect", lambda *args: True)
            services._write_sends([_send(room.alice, room.session, "lost")], kept=kept)
        services._write_sends([_send(room.alice, room.session, "two")], kept=kept)
        assert _bodies() == ["one", "two"]
    assert len(checkouts) == 2


def test_disposing_of_the_engine_closes_the_kept_connections(app, room, checkouts):
    """The pool's dispose knows nothing of detached connections; left open, every test's app
    would leave one behind and PostgreSQL would run out of connection slots."""
    with app.app_context():
        kept = KeptConnections(db.engine, 1)
        services._write_sends([_send(room.alice, room.session, "one")], kept=kept)
        db.engine.dispose()
        with pytest.raises(Exception, match="closed"):
            checkouts[0].cursor()
        services._write_sends([_send(room.alice, room.session, "two")], kept=kept)
        assert _bodies() == ["one", "two"]
    assert len(checkouts) == 2
