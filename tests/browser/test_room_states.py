"""The room's state drives the composer: one line everybody sees (announced politely), the
composer closed with the reason when sending would be refused, a refused send kept in the box,
the talking piece visible to all, and the waiting room as a calm screen of its own."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.room_helpers import (
    composer_closed,
    composer_open,
    console,
    open_room,
    person_actions,
    say,
    schedule,
    set_phase,
    start_session,
    state_line,
)
from tests.support.live_room import make_live_room


def said(page):
    """The polite live region the state line is announced through."""
    return page.locator("#room-state-said")


def test_the_state_line_and_the_composer_follow_every_phase_and_state(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    session_id = schedule(live_server, room, talking_piece=True)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id)
    bob = open_room(new_page, live_server, room.people["bob"], session_id)
    expect(said(alice)).to_have_attribute("role", "status")

    expect(state_line(alice)).to_have_text(
        "The circle hasn't started yet — you're welcome to say hello"
    )
    composer_open(alice)
    start_session(holder)
    for phase, line in [("Arrival", "Arriving"), ("Intention", "Setting an intention")]:
        set_phase(holder, phase)
        expect(state_line(alice)).to_have_text(f"{line} — chat is open")
        expect(said(alice)).to_have_text(f"{line} — chat is open.")
        composer_open(alice)

    for phase, line in [("Breathing", "Breathing together"), ("Quiet", "Quiet time")]:
        set_phase(holder, phase)
        expect(state_line(alice)).to_have_text(f"{line} — chat opens after")
        expect(said(alice)).to_have_text(f"{line} — chat opens after.")
        composer_closed(alice, f"{line} — chat opens after")
        # Facilitators may always write; their line says what members can do.
        expect(state_line(holder)).to_have_text(f"{line} — members' chat opens after")
        composer_open(holder)

    set_phase(holder, "Sharing")
    nobody = "Nobody holds the piece — the facilitator will pass it"
    expect(state_line(alice)).to_have_text(nobody)
    composer_closed(alice, nobody)
    expect(state_line(holder)).to_have_text("Nobody holds the piece — pass it from the console")
    expect(console(holder).locator("#console-piece")).to_be_visible()  # this session uses one
    person_actions(holder, "Bob").get_by_role("button", name="Give the piece").click()
    expect(state_line(bob)).to_have_text("You have the talking piece")
    composer_open(bob)
    waiting_turn = "Bob has the talking piece — raise your hand to share next"
    expect(state_line(alice)).to_have_text(waiting_turn)
    composer_closed(alice, waiting_turn)

    set_phase(holder, "Closing")
    expect(state_line(alice)).to_have_text("Closing — chat is open")
    console(holder).get_by_label("Slow mode").select_option("30")
    expect(state_line(alice)).to_have_text("Closing — slow mode, one message every 30 s")
    say(alice, "Thank you, everyone.")
    expect(bob.locator(".msg", has_text="Thank you, everyone.")).to_be_visible()
    expect(state_line(alice)).to_have_text(re.compile(r"^Slow mode — you can send again in \d+ s$"))
    composer_closed(alice, re.compile(r"^Slow mode — you can send again in \d+ s$"))
    composer_open(bob)  # the window is Alice's own
    console(holder).get_by_label("Slow mode").select_option("0")

    person_actions(holder, "Bob").get_by_label("Mute Bob for").select_option("10")
    person_actions(holder, "Bob").get_by_role("button", name="Mute", exact=True).click()
    expect(state_line(bob)).to_have_text("You're muted for 10 more minutes")
    expect(said(bob)).to_have_text("You're muted for 10 more minutes.")
    composer_closed(bob, "You're muted for 10 more minutes")
    # The facilitator sees who is muted; the other members are not shown it.
    expect(holder.locator("#room-members li", has_text="Bob")).to_contain_text("muted")
    expect(alice.locator("#room-members li", has_text="Bob")).not_to_contain_text("muted")
    person_actions(holder, "Bob").get_by_role("button", name="Unmute").click()
    expect(state_line(bob)).to_have_text("Closing — chat is open")
    composer_open(bob)

    console(holder).get_by_role("button", name="End the session").click()
    for member in (alice, bob):
        expect(state_line(member)).to_have_text("This circle has ended")
        expect(said(member)).to_have_text(
            "This circle has ended. "
            "After the circle, a moment for yourself is below the conversation."
        )
        expect(member.locator("#room-compose-reason")).to_have_text("This circle has ended")
        expect(member.locator("#room-send")).to_be_disabled()
    expect(alice.locator(".msg-failed")).to_have_count(0)
    for page in (holder, alice, bob):
        assert page.js_errors == []


def test_the_talking_piece_is_visible_to_everyone(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    session_id = schedule(live_server, room, talking_piece=True)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id)
    bob = open_room(new_page, live_server, room.people["bob"], session_id)
    start_session(holder)
    set_phase(holder, "Sharing")
    bob.get_by_role("button", name="Raise my hand").click()
    expect(holder.locator("#console-next")).to_have_text("Next: Bob")
    holder.get_by_role("button", name="Give to the next hand").click()

    # Bob: a clear cue, and it is said to him.
    expect(bob.locator("#piece-cue")).to_be_visible()
    expect(bob.locator("#piece-cue")).to_contain_text("The room is listening")
    expect(said(bob)).to_have_text("You have the talking piece.")
    # Everyone: the holder is marked in the people list.
    for page in (holder, alice, bob):
        holder_row = page.locator("#room-members li", has_text="Bob")
        expect(holder_row.locator(".tag-piece")).to_have_text("has the talking piece")
        expect(page.locator("#room-members .tag-piece")).to_have_count(1)
    expect(alice.locator("#piece-cue")).to_be_hidden()
    expect(holder.locator("#console-holder")).to_have_text("Bob")

    # Bob passes it back himself.
    bob.get_by_role("button", name="I'm done — pass it back").click()
    expect(bob.locator("#piece-cue")).to_be_hidden()
    expect(state_line(alice)).to_have_text("Nobody holds the piece — the facilitator will pass it")
    expect(alice.locator("#room-members .tag-piece")).to_have_count(0)
    expect(holder.locator("#console-holder")).to_have_text("nobody")


def test_a_session_without_a_piece_offers_no_piece_controls(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id)
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    start_session(holder)
    set_phase(holder, "Sharing")
    expect(holder.locator("#console-piece")).to_have_count(0)
    expect(holder.get_by_role("button", name="Give to the next hand")).to_have_count(0)
    actions = person_actions(holder, "Alice")
    expect(actions.get_by_role("button", name="Give the piece")).to_be_hidden()
    expect(state_line(alice)).to_have_text("Sharing — chat is open")
    composer_open(alice)


def _drop_session_updates(page):
    """Route the page's socket so it never hears `session:updated` (the room moves on unseen)."""

    def relay(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if isinstance(message, str) and '"session:updated"' in message:
                return
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(server.send)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)


def test_a_send_refused_by_a_race_keeps_its_words_in_the_box(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id)
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id, connected=False)
    _drop_session_updates(alice)
    alice.reload()
    expect(alice.locator("#room-status")).to_have_text("Connected")
    start_session(holder)
    set_phase(holder, "Breathing")  # Alice's page does not hear of it
    composer_open(alice)
    say(alice, "I wanted to say this before we breathe.")
    note = alice.locator("#room-compose-note")
    expect(note).to_have_text(
        "Not sent: the chat is resting at the moment. Your words are still here."
    )
    expect(alice.locator("#room-body")).to_have_value("I wanted to say this before we breathe.")
    expect(alice.locator(".msg")).to_have_count(0)  # nothing piled up in the conversation
    expect(holder.locator(".msg")).to_have_count(0)
    alice.locator("#room-body").press("End")
    alice.keyboard.type(" ")
    expect(note).to_have_text("")  # the note goes once they carry on
    assert alice.js_errors == []


def test_the_waiting_room_is_a_calm_screen_until_someone_lets_you_in(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    session_id = schedule(live_server, room, title="Held circle", waiting_room=True)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id, connected=False)
    screen = alice.locator("#waiting-screen")
    expect(screen).to_be_visible()
    expect(screen.get_by_role("heading", name="You're in the waiting room")).to_be_visible()
    expect(state_line(alice)).to_have_text("Waiting for the facilitator to let you in")
    expect(screen.locator("#waiting-agreements-title")).to_have_text("Our agreements")
    expect(screen).to_contain_text("What is shared here stays here")
    for hidden in ("#room-body", "#room-messages", "#room-hand", ".room-tools"):
        expect(alice.locator(hidden)).to_be_hidden()  # no message box, no hand, no "not in"

    # A breathing pacer of her own, to settle with.
    breathe = screen.get_by_role("button", name="Breathe with me")
    breathe.click()
    expect(alice.locator("#waiting-pacer")).to_be_visible()
    expect(alice.locator("#waiting-pacer-cue")).to_have_text(re.compile("Get comfortable|Breathe"))
    expect(screen.get_by_role("button", name="Stop the breathing")).to_have_attribute(
        "aria-pressed", "true"
    )

    # "I need support" works from here, and reaches the facilitator quietly.
    screen.get_by_role("button", name="I need support").click()
    expect(alice.locator("#support-panel")).to_be_visible()
    expect(holder.locator("#console-alerts")).to_contain_text("Alice asked for support")
    alice.keyboard.press("Escape")
    expect(alice.locator("#waiting-support")).to_be_focused()

    holder.get_by_role("button", name="Let Alice in").click()
    expect(screen).to_be_hidden()
    expect(alice.locator("#room-status")).to_have_text("Connected")
    expect(state_line(alice)).to_have_text(
        "The circle hasn't started yet — you're welcome to say hello"
    )
    composer_open(alice)
    assert alice.js_errors == [] and holder.js_errors == []
