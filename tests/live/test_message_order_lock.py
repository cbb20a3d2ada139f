"""PostgreSQL: the message-order lock travels with the sender's standing in one round trip.

Each statement of a multi-statement query takes its own snapshot, so a send that waited for the
lock still reads every message committed by the send that held it: slow mode sees the holder's
message. (Were the lock taken inside the standing's own statement, that statement's snapshot
would predate the wait, and two tabs of one person could both pass slow mode.)
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import text

from app.core.database import utcnow
from app.extensions import db
from app.live.access import send_refusal
from app.live.messages import services

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)
WAITING = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"


def _wait_for_a_waiter(engine) -> None:
    deadline = time.monotonic() + 10
    with engine.connect() as watcher:
        while watcher.execute(text(WAITING)).scalar_one() == 0:
            assert time.monotonic() < deadline, "the second send never waited for the lock"
            watcher.rollback()
            time.sleep(0.02)


def test_a_send_that_waited_for_the_lock_sees_the_holders_message(
    app, make_user, make_circle, make_session
):
    holder, alice = make_user("holder"), make_user("alice")
    session = make_session(make_circle(holder, [alice]), slow_mode_seconds=60)
    seen = {}

    def second_tab():
        with app.app_context(), db.engine.connect() as connection:
            seen["standing"] = services.lock_and_read(connection, alice.id, session.id)
            connection.rollback()

    with app.app_context():
        engine = db.engine
        with engine.connect() as first_tab:
            assert services.lock_and_read(first_tab, alice.id, session.id).last_sent_at is None
            values = {
                "session_id": session.id,
                "author_id": alice.id,
                "client_id": "first-tab",
                "body": "hello from the first tab",
                "content_warning": "",
                "created_at": utcnow(),
            }
            first_tab.execute(services.PREPARED_INSERT.call(first_tab), values).one()
            waiter = threading.Thread(target=second_tab)
            waiter.start()
            _wait_for_a_waiter(engine)  # the second tab is blocked on the lock, not done
            first_tab.commit()
        waiter.join(10)

    standing = seen["standing"]
    assert standing.last_sent_at == values["created_at"]
    assert send_refusal(standing, utcnow()) == "slow_mode"
