"""Long-lived sockets obey the login: idle and absolute timeouts, revocation, per-address caps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.auth import sockets as socket_guard
from app.auth.models import LoginSession
from app.core.database import utcnow
from app.core.sockets import registry
from app.extensions import db as _db
from app.extensions import socketio
from tests.support.live_server import cookie_header
from tests.support.sql import statements_run
from tests.transport.support import PASSWORD, wait_until

ANY_EVENT = "hand:raise"  # any registered event will do: the guard runs before every handler


@pytest.fixture
def clock(monkeypatch):
    """Freeze "now" for the login checks; `clock.advance(...)` moves it."""

    class Clock:
        now = utcnow()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr("app.auth.sockets.utcnow", lambda: frozen.now)
    monkeypatch.setattr("app.auth.services.utcnow", lambda: frozen.now)
    return frozen


@pytest.fixture
def app_config(app_config):
    """Re-read the login at most once a minute, like a quiet production setting."""
    return {**app_config, "SOCKET_LOGIN_CHECK_SECONDS": 60}


def login_row(app, user_id):
    """The user's only login, detached."""
    with app.app_context():
        row = _db.session.scalar(_db.select(LoginSession).where(LoginSession.user_id == user_id))
        _db.session.expunge(row)
        return row


def emit(sock, event=ANY_EVENT):
    """An event with a well-formed payload and its ack."""
    return sock.emit(event, {"session_id": 1}, callback=True)


def test_idle_timeout_ends_a_silent_socket_on_its_next_event(app, make_user, socket_client, clock):
    person = make_user("willow")
    sock = socket_client(person)
    assert emit(sock)["error"]["code"] == "not_found"  # alive: the handler answered
    clock.advance(days=3, minutes=1)
    answer = emit(sock)
    assert answer["error"]["code"] == "unauthorized"
    assert not sock.is_connected()
    assert login_row(app, person.id).revoked_at is not None


def test_socket_activity_keeps_the_login_alive_until_the_absolute_timeout(
    app, make_user, socket_client, clock
):
    person = make_user("aspen")
    sock = socket_client(person)
    for _ in range(6):  # 12 active days: never idle for three
        clock.advance(days=2)
        assert emit(sock)["error"]["code"] == "not_found"
    clock.advance(days=2, minutes=1)  # 14 days after login: absolute timeout
    assert emit(sock)["error"]["code"] == "unauthorized"
    assert not sock.is_connected()


def test_revoked_login_is_noticed_within_the_check_interval(app, make_user, socket_client, clock):
    person = make_user("birch")
    sock = socket_client(person)
    assert emit(sock)["ok"] is False and sock.is_connected()
    with app.app_context():  # revoked behind the app's back (another process, an admin's SQL)
        _db.session.execute(update(LoginSession).values(revoked_at=utcnow()))
        _db.session.commit()
    assert emit(sock)["error"]["code"] == "not_found"  # cached answer: at most 60 s stale
    clock.advance(seconds=61)
    assert emit(sock)["error"]["code"] == "unauthorized"
    assert not sock.is_connected()


def test_the_sweep_ends_sockets_that_never_send(app, make_user, socket_client, clock):
    quiet, busy = make_user("quiet"), make_user("busy")
    quiet_sock, busy_sock = socket_client(quiet), socket_client(busy)
    clock.advance(days=2, hours=23)
    emit(busy_sock)  # activity pushes busy's idle deadline on
    assert socket_guard.sweep(app) == 0
    clock.advance(hours=2)
    assert socket_guard.sweep(app) == 1
    assert not quiet_sock.is_connected()
    assert busy_sock.is_connected()


def test_the_sweep_reads_logins_a_chunk_at_a_time(
    app, make_user, socket_client, clock, monkeypatch
):
    """Sockets that connected together come due together: one query per chunk, not per socket,
    and a revoked login among them is still found and ended."""
    monkeypatch.setattr(socket_guard, "SWEEP_CHUNK", 2)
    people = [make_user(f"member{n}") for n in range(5)]
    socks = [socket_client(person) for person in people]
    with app.app_context():
        _db.session.execute(
            update(LoginSession)
            .where(LoginSession.user_id == people[3].id)
            .values(revoked_at=clock.now)
        )
        _db.session.commit()
        engine = _db.engine
    clock.advance(seconds=61)  # every socket is due
    with statements_run(engine) as seen:
        assert socket_guard.sweep(app) == 1
    reads = [statement for statement in seen if "FROM login_sessions" in statement]
    assert len(reads) == 3  # 5 sockets in chunks of 2
    assert [sock.is_connected() for sock in socks] == [True, True, True, False, True]
    assert socket_guard.sweep(app) == 0  # the others were re-checked and are trusted again


def test_one_socket_failing_in_the_sweep_does_not_spare_the_rest_of_its_chunk(
    app, make_user, socket_client, clock, monkeypatch
):
    people = [make_user(f"pine{n}") for n in range(3)]
    socks = [socket_client(person) for person in people]
    with app.app_context():
        _db.session.execute(update(LoginSession).values(revoked_at=clock.now))
        _db.session.commit()
    real = socket_guard._judge
    first = registry.local_sids()[0]

    def judge(sid, *args):
        if sid == first:
            raise RuntimeError("this one socket fails")
        return real(sid, *args)

    monkeypatch.setattr(socket_guard, "_judge", judge)
    clock.advance(seconds=61)
    assert socket_guard.sweep(app) == 2  # the other two revoked logins are still ended
    assert sum(sock.is_connected() for sock in socks) == 1


def test_events_read_the_login_row_at_most_once_per_interval(
    app, make_user, socket_client, clock, monkeypatch
):
    person = make_user("elm")
    sock = socket_client(person)
    reads = []
    real = socket_guard.login_expires_at
    monkeypatch.setattr(
        socket_guard, "login_expires_at", lambda login: reads.append(1) or real(login)
    )
    for _ in range(20):
        emit(sock)
    assert len(reads) == 1
    clock.advance(seconds=61)
    emit(sock)
    assert len(reads) == 2


def test_sockets_per_address_are_capped(app, make_user, logged_in_client):
    app.config["SOCKET_MAX_PER_IP"] = 3
    http = logged_in_client(make_user("rowan"))
    socks = [socketio.test_client(app, flask_test_client=http) for _ in range(4)]
    assert [s.is_connected() for s in socks] == [True, True, True, False]

    elsewhere = logged_in_client(make_user("hazel"))
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    other = socketio.test_client(app, flask_test_client=elsewhere)
    assert other.is_connected(), "another address is not affected"

    socks[0].disconnect()
    again = socketio.test_client(app, flask_test_client=http)
    assert again.is_connected(), "a freed slot can be used again"
    for sock in [*socks[1:3], again, other]:
        sock.disconnect()
    assert registry.local_sids() == []


@pytest.mark.transport
def test_real_server_caps_sockets_per_forwarded_address(live_server_factory, sockets):
    server = live_server_factory(
        extra_env={"HOLDSPACE_MAX_SOCKETS_PER_IP": "3", "HOLDSPACE_TRUSTED_PROXIES": "1"}
    )
    cookie = cookie_header(server.register("juniper", PASSWORD))

    def open_from(address: str):
        return sockets(server.url, cookie=cookie, headers={"X-Forwarded-For": address})

    first = [open_from("203.0.113.7") for _ in range(3)]
    assert all(s.connected for s in first)
    refused = open_from("203.0.113.7")
    assert not refused.connected
    assert refused.refusal == {"message": "too_many_connections"}, refused.error
    assert open_from("203.0.113.8").connected, "the cap is per address"
    assert all(s.connected for s in first), "refusing the flood leaves the others alone"


@pytest.mark.transport
def test_real_server_ends_sockets_of_a_login_revoked_behind_its_back(live_server_factory, sockets):
    server = live_server_factory(extra_env={"HOLDSPACE_SOCKET_LOGIN_CHECK_SECONDS": "1"})
    cookie = cookie_header(server.register("laurel", PASSWORD))
    quiet = sockets(server.url, cookie=cookie)
    assert quiet.connected
    server_revokes_every_login(server)
    assert wait_until(lambda: not quiet.connected, timeout=10) is not None, server.log()[-2000:]
    assert quiet.disconnected_at, "the server ended it"


def server_revokes_every_login(server) -> None:
    """Revoke logins straight in the server's database, as another process or an admin might."""
    from sqlalchemy import create_engine, text

    from app.config import normalise_database_url

    engine = create_engine(normalise_database_url(server.database_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE login_sessions SET revoked_at = created_at"))
    engine.dispose()


def test_the_hot_message_path_checks_the_login_like_every_event(
    app, make_user, socket_client, clock
):
    """message:send skips Flask's request context, never the login check."""
    person = make_user("rowan")
    sock = socket_client(person)
    send = {"session_id": 1, "client_id": "c1", "body": "hello"}
    assert sock.emit("message:send", send, callback=True)["error"]["code"] == "not_found"
    clock.advance(days=3, minutes=1)
    assert sock.emit("message:send", send, callback=True)["error"]["code"] == "unauthorized"
    assert not sock.is_connected()
    assert login_row(app, person.id).revoked_at is not None
