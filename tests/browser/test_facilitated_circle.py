"""A facilitator runs a whole circle from the browser with two members."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.room_helpers import composer_closed, composer_open, person_actions, state_line
from tests.browser.test_live_room import open_room
from tests.support.live_room import make_live_room, post_form


def _session_with_talking_piece(server, room) -> int:
    """Schedule a second session of the circle with the talking piece on."""
    starts = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    location = post_form(
        server,
        room.people["holder"],
        f"/circles/{room.circle_id}/sessions/new",
        {"title": "Sunday circle", "starts_at": starts, "timezone": "UTC", "talking_piece": "y"},
    )
    return int(re.search(r"/sessions/(\d+)", location).group(1))


def _check_in(page, score: int, feeling: str) -> None:
    """Accept the offered check-in with the keyboard-friendly form."""
    page.get_by_role("button", name="Check in", exact=True).click()
    dialog = page.locator("#checkin-dialog")
    expect(dialog).to_be_visible()
    dialog.locator(f"input[name=score][value='{score}']").check()
    dialog.get_by_label(feeling, exact=True).check()
    dialog.get_by_role("button", name="Keep it in my journal").click()
    expect(page.locator("#checkin-thanks")).to_contain_text("in your journal")


def _phase(holder, name: str) -> None:
    """Move the circle to a phase from the console."""
    holder.locator("#console-phases").get_by_role("button", name=name).click()
    expect(holder.locator("#console-phases").get_by_role("button", name=name)).to_have_attribute(
        "aria-pressed", "true"
    )


def _say(page, text: str) -> None:
    """Type a message and press Enter."""
    page.get_by_label("Your message", exact=True).fill(text)
    page.keyboard.press("Enter")


def test_a_facilitator_runs_a_whole_circle(live_server, new_page, screenshot):
    room = make_live_room(live_server, ["alice", "bob"])
    session_id = _session_with_talking_piece(live_server, room)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id)
    bob_page = new_page(reduced_motion="reduce")
    bob_page.context.add_cookies(
        [
            {"name": c.name, "value": c.value, "url": live_server.url}
            for c in room.people["bob"].cookies
        ]
    )
    bob_page.goto(f"{live_server.url}/sessions/{session_id}")
    bob = bob_page
    expect(bob.locator("#room-status")).to_have_text("Connected")
    expect(alice.locator("#console")).to_have_count(0)

    holder.get_by_role("button", name="Start the session").click()
    expect(holder.locator("#console-state")).to_have_text("live")

    # Arrival: both members check in; with fewer than three answers the console shows no
    # figures at all, so neither score can be read from it.
    expect(alice.locator("#phase-banner-title")).to_have_text("Arriving")
    _check_in(alice, 4, "calmer")
    _check_in(bob, 2, "heavy")
    expect(holder.locator("#console-checkin-arrival")).to_have_text(
        "shown once 3 people have checked in"
    )

    # Intention.
    _phase(holder, "Intention")
    expect(alice.locator("#phase-banner-title")).to_have_text("Setting an intention")
    _say(alice, "To listen more than I talk.")
    expect(bob.locator(".msg", has_text="To listen more")).to_be_visible()

    # Breathing: the pacer starts for everyone; Bob prefers reduced motion.
    _phase(holder, "Breathing")
    expect(state_line(bob)).to_have_text("Breathing together — chat opens after")
    composer_closed(bob, "Breathing together — chat opens after")
    holder.get_by_label("In (s)").fill("2")
    holder.get_by_label("Hold (s)").fill("0")
    holder.get_by_label("Out (s)").fill("2")
    holder.get_by_label("Rounds").fill("3")
    holder.get_by_role("button", name="Start breathing").click()
    for member in (alice, bob):
        expect(member.locator("#pacer")).to_be_visible()
        expect(member.locator("#pacer-cue")).to_have_text(re.compile("Breathe (in|out)…"))
    expect(alice.locator("#pacer-visual")).to_be_visible()
    expect(bob.locator("#pacer-visual")).to_be_hidden()
    expect(bob.locator("#pacer-count")).to_have_text(re.compile(r"^\d$"))
    screenshot(alice, "member-pacer")
    screenshot(bob, "member-pacer-reduced-motion")
    holder.get_by_role("button", name="Stop", exact=True).click()
    expect(alice.locator("#pacer-cue")).to_have_text("The breathing practice has ended.")

    # Sharing with the talking piece: Bob raises his hand and is given the piece.
    _phase(holder, "Sharing")
    expect(state_line(alice)).to_have_text("Nobody holds the piece — the facilitator will pass it")
    bob.get_by_role("button", name="Raise my hand").click()
    expect(holder.locator("#console-next")).to_have_text("Next: Bob")
    holder.get_by_role("button", name="Give to the next hand").click()
    expect(holder.locator("#console-holder")).to_have_text("Bob")
    expect(state_line(bob)).to_have_text("You have the talking piece")
    composer_open(bob)
    _say(bob, "It has been a long week, and I'm glad to be here.")
    expect(alice.locator(".msg", has_text="a long week")).to_be_visible()
    composer_closed(alice, "Bob has the talking piece — raise your hand to share next")

    # Quiet, then closing with its check-in.
    _phase(holder, "Quiet")
    expect(alice.locator("#phase-banner-title")).to_have_text("Quiet")
    _phase(holder, "Closing")
    expect(alice.locator("#checkin-offer-title")).to_have_text("How are you leaving?")
    _check_in(alice, 5, "lighter")
    expect(holder.locator("#console-checkin-closing")).to_have_text(
        "shown once 3 people have checked in"
    )

    # Alice asks for support: help at once for her, a quiet alert for the facilitator only.
    alice.get_by_role("button", name="I need support").click()
    expect(alice.locator("#support-panel")).to_be_visible()
    expect(alice.locator("#support-status")).to_contain_text("facilitators know")
    expect(holder.locator("#console-alerts")).to_contain_text("Alice asked for support")
    expect(holder.locator("#console-alert")).to_be_visible()
    expect(bob.locator("#support-panel")).to_be_hidden()

    # The facilitator mutes Bob for five minutes; his next message is refused kindly.
    bob_row = person_actions(holder, "Bob")
    bob_row.get_by_label("Mute Bob for").select_option("5")
    bob_row.get_by_role("button", name="Mute", exact=True).click()
    expect(bob_row).to_contain_text("muted")
    composer_closed(bob, "You're muted for 5 more minutes")
    expect(bob.locator(".msg-failed")).to_have_count(0)

    screenshot(holder, "facilitator-console")
    screenshot(alice, "member-view")
    alice.set_viewport_size({"width": 390, "height": 844})
    screenshot(alice, "member-view-phone")
    assert holder.js_errors == [] and alice.js_errors == [] and bob.js_errors == []
