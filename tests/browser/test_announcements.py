"""New messages reach screen readers without flooding them: one announcement every few seconds
at most (several messages become one summary), and nothing while the person is typing."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.room_helpers import open_room
from tests.support.live_room import RoomClient, make_live_room

# The driver runs in the page with a fake clock: Bob at 0 s; Sam and Carol at 1 s; Dan at 5 s while
# the person types until 20 s.
DRIVE = (Path(__file__).with_name("announce_driver.js")).read_text()


def test_announcements_are_throttled_summarised_and_held_while_typing(live_server, page):
    page.goto(live_server.url + "/help/grounding")
    result = page.evaluate(DRIVE)
    heard = result["heard"]
    assert heard[0] == [0, "Bob: one"]  # the first is said at once
    assert result["before"] == 1  # the next two wait out the 4 s...
    assert heard[1] == [4000, "2 new messages. The latest, from Carol: three"]  # ...as one
    assert result["whileTyping"] == 2  # nothing at all for 15 s of typing
    assert heard[2] == [21500, "Dan (content note: grief)"]  # said once they pause
    assert result["lines"] == 1  # one fresh line, never a pile to be read again
    assert page.js_errors == []


def test_a_message_that_arrives_while_i_type_is_said_when_i_pause(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    announcer = alice.locator("#room-announcer")
    box = alice.locator("#room-body")
    box.focus()
    bob = RoomClient(live_server.url, room.people["bob"], room.session_id, "bob")
    try:
        bob.connect()
        alice.keyboard.type("I think")  # she is typing when it arrives
        bob.send("Is anyone else finding today hard?", "hard-today")
        arrived = alice.locator(".msg", has_text="finding today hard")
        for _ in range(60):  # Alice keeps typing until the message is on her screen
            alice.keyboard.type("a")
            if arrived.is_visible():
                break
            alice.wait_for_timeout(300)
        expect(arrived).to_be_visible()
        for _ in range(3):  # ...and a little longer: nothing is said over her typing
            alice.keyboard.type("b")
            alice.wait_for_timeout(300)
            assert announcer.text_content() == ""
        # Said once she has paused for a few seconds (the quiet it waits for, plus one look).
        expect(announcer).to_have_text("Bob: Is anyone else finding today hard?", timeout=15_000)
    finally:
        bob.close()
    assert alice.js_errors == []
