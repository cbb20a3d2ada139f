"""The "You're not alone" panel: it closes with its Close button and with Escape, focus goes back
to the message box, and one press tells the facilitator the person would like to talk."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.room_helpers import PHONE, open_room, say
from tests.support.live_room import make_live_room


@pytest.mark.parametrize("how", ["escape", "close"])
def test_the_panel_closes_and_focus_returns_to_the_message_box(live_server, new_page, how):
    room = make_live_room(live_server, ["alice"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    alice.locator("#room-side").get_by_role("button", name="I need support").click()
    panel = alice.locator("#support-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="You're not alone")).to_be_visible()
    if how == "escape":
        alice.keyboard.press("Escape")
    else:
        panel.get_by_role("button", name="Close", exact=True).click()
    expect(panel).to_be_hidden()
    expect(alice.locator("#room-body")).to_be_focused()
    assert alice.js_errors == []


def test_on_a_phone_the_panel_opened_from_a_drawer_closes_back_to_the_message_box(
    live_server, new_page
):
    room = make_live_room(live_server, ["alice"])
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id, PHONE)
    alice.get_by_role("button", name="For you").click()
    alice.locator("#room-side").get_by_role("button", name="I need support").click()
    expect(alice.locator("#support-panel")).to_be_visible()
    alice.keyboard.press("Escape")
    expect(alice.locator("#room-body")).to_be_focused()  # the drawer closed with it
    expect(alice.locator(".room-main")).not_to_have_attribute("inert", "")


def test_tell_the_facilitator_i_would_like_to_talk_in_one_press(live_server, new_page):
    room = make_live_room(live_server, ["alice", "bob"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id)
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id)
    bob = open_room(new_page, live_server, room.people["bob"], room.session_id)
    # Risk language in her own words brings the panel, with nothing sent on her behalf yet.
    say(alice, "honestly i want to kill myself tonight")
    panel = alice.locator("#support-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("button", name="Close", exact=True)).to_be_visible()
    talk = panel.get_by_role("button", name="Tell the facilitator I'd like to talk")
    talk.click()
    expect(alice.locator("#support-status")).to_have_text(
        "The facilitator knows you'd like to talk. Only they can see this."
    )
    expect(alice.locator("#support-talk")).to_be_disabled()  # once is enough
    alerts = holder.locator("#console-alerts")
    expect(alerts.locator("li", has_text="Alice asked for support")).to_contain_text(
        "I'd like to talk."
    )
    expect(holder.locator("#console-alert")).to_be_visible()
    expect(bob.locator("#support-panel")).to_be_hidden()
    expect(bob.locator("#console-alerts")).to_have_count(0)
    alice.keyboard.press("Escape")
    expect(alice.locator("#room-body")).to_be_focused()
    assert alice.js_errors == [] and holder.js_errors == []
