"""Socket connections are for logged-in people only, and die with their login."""

from __future__ import annotations

from app.core.sockets import registry
from app.extensions import socketio
from tests.live.conftest import ack, received


def test_anonymous_socket_is_refused(app, client):
    sock = socketio.test_client(app, flask_test_client=client)
    assert not sock.is_connected()


def test_logged_in_socket_is_accepted_and_registered(app, make_user, socket_client):
    user = make_user("present")
    sock = socket_client(user)
    assert sock.is_connected()
    assert registry.local_sids_for_user(user.id)


def test_logout_disconnects_every_socket_of_that_login(app, make_user, logged_in_client):
    user = make_user("leaver")
    http = logged_in_client(user)
    first = socketio.test_client(app, flask_test_client=http)
    second = socketio.test_client(app, flask_test_client=http)
    other_device = socketio.test_client(app, flask_test_client=logged_in_client(user))
    assert first.is_connected() and second.is_connected()
    http.post("/auth/logout")
    assert not first.is_connected()
    assert not second.is_connected()
    assert other_device.is_connected(), "another device's login is not this login"
    other_device.disconnect()


def test_password_change_disconnects_other_logins_sockets(app, make_user, logged_in_client):
    user = make_user("rotator")
    here = logged_in_client(user)
    elsewhere = socketio.test_client(app, flask_test_client=logged_in_client(user))
    mine = socketio.test_client(app, flask_test_client=here)
    here.post(
        "/auth/password",
        data={
            "current_password": "correct horse battery",
            "new_password": "another long passphrase",
            "new_password_confirm": "another long passphrase",
        },
    )
    assert not elsewhere.is_connected()
    assert mine.is_connected()
    mine.disconnect()


def test_revoked_cookie_cannot_open_a_socket(app, make_user, logged_in_client):
    user = make_user("ghost")
    http = logged_in_client(user)
    cookie = http.get_cookie("holdspace_session").value
    http.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("holdspace_session", cookie)
    sock = socketio.test_client(app, flask_test_client=thief)
    assert not sock.is_connected()


def test_a_logged_out_login_hears_nothing_more_from_its_rooms(app, room, logged_in_client):
    """Regression: ending a login disconnected its tabs one by one, so the presence update sent
    for the first tab reached the second tab (and the first, after its own disconnect)."""
    alice_http = logged_in_client(room.alice)
    tabs = [socketio.test_client(app, flask_test_client=alice_http) for _ in range(2)]
    for tab in tabs:
        assert ack(tab, "session:join", {"session_id": room.session.id})["ok"]
    bob = room.join(room.bob)
    for tab in tabs:
        tab.get_received()
    alice_http.post("/auth/logout")
    assert not any(tab.is_connected() for tab in tabs)
    assert [tab.queue for tab in tabs] == [[], []], "an ended tab was sent a room event"
    last = received(bob, "presence")[-1]
    assert [m["user_id"] for m in last["members"]] == [room.bob.id], "the room saw them go"
