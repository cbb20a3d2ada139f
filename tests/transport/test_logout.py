"""Ending a login ends its sockets within a second, and a copied cookie dies with it."""

from __future__ import annotations

from tests.support.live_server import cookie_header
from tests.transport.support import (
    DISCONNECT_DEADLINE,
    PASSWORD,
    TRANSPORTS,
    page_status,
    post_form,
    wait_until,
)

NEW_PASSWORD = "a brand new gentle passphrase"


def test_logout_disconnects_every_socket_of_that_login_within_a_second(live_server, sockets):
    laptop = live_server.register("river", PASSWORD)
    phone = live_server.login("river", PASSWORD)
    laptop_sockets = [
        sockets(live_server.url, cookie=cookie_header(laptop), transport=transport)
        for transport in TRANSPORTS
    ]
    phone_socket = sockets(live_server.url, cookie=cookie_header(phone))
    assert all(s.connected for s in [*laptop_sockets, phone_socket])

    live_server.logout(laptop)
    took = wait_until(
        lambda: not any(s.connected for s in laptop_sockets), timeout=DISCONNECT_DEADLINE
    )
    assert took is not None, "a socket outlived its login by more than a second"
    assert all(s.disconnected_at for s in laptop_sockets), "the server ended them, not a timeout"

    # The same person's other device is another login: it stays, and is still really logged in.
    assert phone_socket.connected
    assert page_status(live_server, "/auth/password", cookie_header(phone))[0] == 200


def test_copied_cookie_is_dead_after_logout(live_server, sockets):
    http = live_server.register("harbor", PASSWORD)
    copied = cookie_header(http)
    assert page_status(live_server, "/auth/password", copied)[0] == 200
    assert sockets(live_server.url, cookie=copied).connected

    live_server.logout(http)

    status, location = page_status(live_server, "/auth/password", copied)
    assert status == 302
    assert "/auth/login" in location
    for transport in TRANSPORTS:
        attempt = sockets(live_server.url, cookie=copied, transport=transport)
        assert not attempt.connected, f"{transport} accepted a logged-out cookie"
        assert attempt.refusal == {"message": "unauthorized"}, attempt.error


def test_password_change_disconnects_the_other_logins_within_a_second(live_server, sockets):
    here = live_server.register("meadow", PASSWORD)
    elsewhere = live_server.login("meadow", PASSWORD)
    mine = sockets(live_server.url, cookie=cookie_header(here))
    theirs = [
        sockets(live_server.url, cookie=cookie_header(elsewhere), transport=transport)
        for transport in TRANSPORTS
    ]
    assert mine.connected and all(s.connected for s in theirs)

    response = post_form(
        live_server,
        here,
        "/auth/password",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.text[:500]
    took = wait_until(lambda: not any(s.connected for s in theirs), timeout=DISCONNECT_DEADLINE)
    assert took is not None, "another login's socket survived the password change"

    assert mine.connected, "the login that changed the password keeps its socket"
    assert page_status(live_server, "/auth/password", cookie_header(here))[0] == 200
    assert page_status(live_server, "/auth/password", cookie_header(elsewhere))[0] == 302
