"""Two people in two browsers share a live room: chat, a reaction, and a content note."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.support.live_room import RoomClient, make_live_room
from tests.support.live_server import cookie_header
from tests.transport.support import open_socket


def open_room(new_page, server, http, session_id):
    """A fresh browser context carrying this person's login cookie, on the room page."""
    page = new_page()
    page.context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in http.cookies]
    )
    page.goto(f"{server.url}/sessions/{session_id}")
    expect(page.locator("#room-status")).to_have_text("Connected")
    return page


def test_two_people_chat_react_and_respect_content_notes(live_server, new_page, screenshot):
    room = make_live_room(live_server, ["alice", "bob"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    bob = open_room(new_page, live_server, room.people["bob"], room.session_id)
    expect(alice.locator("#room-members")).to_contain_text("Bob")

    # Alice writes with the keyboard alone; Bob sees it in real time.
    alice.get_by_label("Your message", exact=True).fill("Hello everyone, <b>I'm</b> here.")
    alice.keyboard.press("Enter")
    bob_message = bob.locator(".msg", has_text="Hello everyone")
    expect(bob_message).to_be_visible()
    expect(bob_message.locator(".msg-body")).to_have_text("Hello everyone, <b>I'm</b> here.")
    expect(alice.locator(".msg-pending")).to_have_count(0)

    # Bob reacts with a hug; Alice sees the count.
    bob_message.get_by_role("button", name="Hug").click()
    expect(bob_message.get_by_role("button", name="Hug")).to_have_attribute("aria-pressed", "true")
    alice_message = alice.locator(".msg", has_text="Hello everyone")
    expect(alice_message.get_by_role("button", name="Hug")).to_contain_text("1")

    # Bob shares something heavy behind a content note; Alice opens it only if she chooses to.
    bob.get_by_role("button", name="Add a content note").click()
    bob.get_by_label("Content note", exact=False).fill("loss")
    bob.get_by_label("Your message", exact=True).fill("Today is a year since my dad died.")
    bob.get_by_role("button", name="Send", exact=True).click()
    noted = alice.locator(".msg", has_text="Content note: loss")
    expect(noted).to_be_visible()
    expect(noted.locator(".msg-body")).to_be_hidden()
    toggle = noted.get_by_role("button", name="Show message")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    screenshot(alice, "content-note-collapsed")
    toggle.focus()
    alice.keyboard.press("Enter")
    expect(noted.locator(".msg-body")).to_have_text("Today is a year since my dad died.")
    expect(noted.get_by_role("button", name="Hide message")).to_have_attribute(
        "aria-expanded", "true"
    )

    # Bob raises his hand; both see the queue.
    bob.get_by_role("button", name="Raise my hand").click()
    expect(alice.locator("#room-hands")).to_contain_text("Bob")
    expect(bob.get_by_role("button", name="Lower my hand")).to_have_attribute(
        "aria-pressed", "true"
    )

    # The live region carried the new messages for screen readers.
    expect(alice.locator("#room-announcer")).to_contain_text("Bob (content note: loss)")
    screenshot(alice, "alice")
    screenshot(bob, "bob")
    bob.set_viewport_size({"width": 390, "height": 844})
    screenshot(bob, "bob-phone")
    assert alice.js_errors == [] and bob.js_errors == []


def test_typing_is_shown_to_others(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    bob = open_room(new_page, live_server, room.people["bob"], room.session_id)
    bob.get_by_label("Your message", exact=True).press_sequentially("thinking")
    expect(alice.locator("#room-typing")).to_have_text("Bob is typing…")
    expect(bob.locator("#room-typing")).to_have_text("")


def test_a_name_that_arrives_after_its_typing_replaces_someone(live_server, new_page):
    """`presence` is sent in batches: after one goes out, the room's next waits out a 0.1 s
    window. A newcomer who joins inside that window and types at once reaches the others'
    pages before their name does. The typing line must then turn from "Someone is typing…"
    into the name, not wait for the next typing event."""
    room = make_live_room(live_server, ["alice", "bob", "carol"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    carol, bob = (
        open_socket(live_server.url, cookie=cookie_header(room.people[name]))
        for name in ("carol", "bob")
    )
    try:
        assert carol.connected and bob.connected, (carol.error, bob.error)
        time.sleep(0.5)  # Alice's own presence window is over
        join = {"session_id": room.session_id}
        assert carol.client.call("session:join", join, timeout=10)["ok"]  # presence goes out
        assert bob.client.call("session:join", join, timeout=10)["ok"]  # inside its window
        bob.client.emit("typing", {"session_id": room.session_id, "typing": True})
        # Well inside the 6 s after which a silent typist is dropped.
        expect(alice.locator("#room-typing")).to_have_text("Bob is typing…", timeout=3000)
    finally:
        carol.close()
        bob.close()
    assert alice.js_errors == []


def test_a_presence_that_beats_the_join_answer_is_the_list_kept(live_server, new_page):
    """With several server processes a newer `presence` can reach the page before the answer
    to its own `session:join`: the page keeps the newer list. Here the page's connection holds
    the join answer back until Bob has arrived and his `presence` has been drawn."""
    room = make_live_room(live_server, ["alice", "bob"])
    page = new_page()
    page.context.add_cookies(
        [
            {"name": c.name, "value": c.value, "url": live_server.url}
            for c in room.people["alice"].cookies
        ]
    )
    held: list[tuple] = []

    def relay(ws):
        server = ws.connect_to_server()

        def from_server(message):
            is_join_answer = isinstance(message, str) and message.startswith("43")
            if is_join_answer and '"members"' in message and not held:
                held.append((ws, message))  # Alice's join answer: only Alice is there yet
                return
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(server.send)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)
    page.goto(f"{live_server.url}/sessions/{room.session_id}")
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the page sent session:join"
    members = page.locator("#room-members")
    expect(page.locator("#room-status")).not_to_have_text("Connected")

    bob = RoomClient(live_server.url, room.people["bob"], room.session_id, "bob")
    try:
        bob.connect()
        expect(members).to_contain_text("Bob")  # his presence, drawn while the answer waits
        ws, answer = held[0]
        assert '"Bob"' not in answer
        ws.send(answer)
        expect(page.locator("#room-status")).to_have_text("Connected")
        expect(members).to_contain_text("Bob")
        expect(members).to_contain_text("Alice")
    finally:
        bob.close()


def test_not_sharing_typing_is_kept_and_a_failed_change_is_undone_and_said(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    bob = open_room(new_page, live_server, room.people["bob"], room.session_id)
    share = bob.get_by_label("Let others see when I'm typing")
    bob.context.set_offline(True)  # the change cannot reach the server
    expect(bob.locator("#room-status")).not_to_have_text("Connected")
    share.click()
    expect(share).to_be_checked()  # undone: others would still see Bob typing
    expect(bob.locator("#room-share-typing-status")).to_contain_text("couldn't change that")
    bob.context.set_offline(False)
    expect(bob.locator("#room-status")).to_have_text("Connected")
    expect(bob.locator("#room-share-typing-status")).to_have_text("")  # back in: nothing failed
    share.uncheck()
    expect(bob.locator("#room-share-typing-status")).to_have_text("")
    bob.reload()
    expect(bob.locator("#room-status")).to_have_text("Connected")
    expect(share).not_to_be_checked()  # kept by the server
    bob.get_by_label("Your message", exact=True).press_sequentially("thinking")
    alice.wait_for_timeout(1000)
    expect(alice.locator("#room-typing")).to_have_text("")
    assert alice.js_errors == [] and bob.js_errors == []
