"""A facilitator checks in privately: from an alert or from the people list, the member answers
in a panel nobody else sees, a co-facilitator follows along, and the alert moves
open -> reached out -> resolved on both consoles. Also the gentler nudge, and the panel's lines
switched to another country."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.room_helpers import open_room, person_actions, say
from tests.support.live_room import make_live_room, post_form

NUMB = "I feel completely numb, I can't cry even though I want to"


def _co_facilitated_room(live_server):
    room = make_live_room(live_server, ["alice", "bob", "cora"])
    post_form(
        live_server,
        room.people["holder"],
        f"/circles/{room.circle_id}/facilitators",
        {"username": "cora"},
    )
    return room


def _alert(page, text):
    return page.locator("#console-alerts li", has_text=text)


def test_check_in_with_sky_round_trip_and_alert_states(live_server, new_page, screenshot):
    room = _co_facilitated_room(live_server)
    holder, cora, alice, bob = (
        open_room(new_page, live_server, room.people[name], room.session_id)
        for name in ("holder", "cora", "alice", "bob")
    )
    # A seek-help sign: a gentle word for Alice alone, and a concern alert for both keepers.
    say(alice, NUMB)
    panel = alice.locator("#support-panel")
    expect(panel.get_by_role("heading", name="A moment for you")).to_be_visible()
    expect(panel.get_by_role("link", name="When to reach for more support")).to_be_visible()
    alice.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    for keeper in (holder, cora):
        expect(_alert(keeper, "Alice may be struggling")).to_contain_text("Open since")
    expect(bob.locator("#support-panel")).to_be_hidden()

    # The facilitator reaches out from the alert; the co-facilitator sees who did.
    alert = _alert(holder, "Alice may be struggling")
    alert.get_by_role("button", name="Check in with Alice").click()
    expect(_alert(holder, "Alice may be struggling")).to_contain_text("You reached out at")
    expect(_alert(cora, "Alice may be struggling")).to_contain_text("Holder reached out at")
    reply_box = holder.get_by_label("Write to Alice")
    expect(reply_box).to_be_focused()
    reply_box.fill("Hi Alice, I'm here. How are you doing right now?")
    holder.keyboard.press("Enter")

    # Alice sees it privately and answers; both keepers read the answer; Bob sees nothing.
    private = alice.locator("#followup-panel")
    expect(private).to_be_visible()
    expect(private).to_contain_text("How are you doing right now?")
    private.get_by_label("Your reply").fill("A bit better now, thank you for asking.")
    private.get_by_role("button", name="Send privately").click()
    for keeper in (holder, cora):
        thread = keeper.locator("#console-followups section", has_text="With Alice")
        expect(thread).to_contain_text("A bit better now")
    expect(bob.locator("#followup-panel")).to_be_hidden()
    expect(bob.locator("body")).not_to_contain_text("How are you doing right now?")
    screenshot(alice, "member-private-check-in")
    screenshot(holder, "facilitator-private-check-in")

    # The co-facilitator resolves the alert: it leaves both consoles.
    _alert(cora, "Alice may be struggling").get_by_role("button", name="Resolved").click()
    for keeper in (holder, cora):
        expect(_alert(keeper, "Alice may be struggling")).to_have_count(0)

    # After a reload the panel comes back with what was said.
    alice.reload()
    expect(alice.locator("#room-status")).to_have_text("Connected")
    expect(private).to_contain_text("A bit better now")
    assert alice.js_errors == [] and holder.js_errors == [] and cora.js_errors == []


def test_check_in_with_someone_from_the_people_list(live_server, new_page):
    room = make_live_room(live_server, ["bob"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id)
    bob = open_room(new_page, live_server, room.people["bob"], room.session_id)
    person_actions(holder, "Bob").get_by_role("button", name="Check in with Bob").click()
    holder.get_by_label("Write to Bob").fill("Just checking in, Bob.")
    holder.get_by_role("button", name="Send privately").click()
    expect(bob.locator("#followup-panel")).to_contain_text("Just checking in, Bob.")
    expect(bob.locator("#followup-panel")).to_contain_text("Holder")
    assert bob.js_errors == [] and holder.js_errors == []


def test_the_panel_shows_another_countrys_lines_and_remembers_the_choice(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    alice.locator("#room-side").get_by_role("button", name="I need support").click()
    panel = alice.locator("#support-panel")
    expect(panel.locator("#support-resources")).not_to_contain_text("Samaritans")
    panel.get_by_label("Lines for").select_option("GB")
    expect(panel.locator("#support-resources li").first).to_contain_text("Samaritans")
    expect(panel.locator("#support-resources")).to_contain_text("Find A Helpline")
    expect(panel.locator("#support-country-saved")).to_have_text("Kept for next time.")
    alice.reload()
    expect(alice.locator("#room-status")).to_have_text("Connected")
    expect(alice.locator("#support-country")).to_have_value("GB")
    expect(alice.locator("#support-resources li").first).to_contain_text("Samaritans")
    assert alice.js_errors == []
