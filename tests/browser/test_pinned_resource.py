"""A facilitator pins a note for the circle; a member sees it in the live room's side panel."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.live_room import make_live_room


def browser_as(new_page, server, http):
    """A fresh browser context carrying this person's login cookie."""
    page = new_page()
    page.context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in http.cookies]
    )
    return page


def test_facilitator_pins_a_note_and_it_shows_in_the_live_room(live_server, new_page, screenshot):
    room = make_live_room(live_server, ["river"])
    holder = browser_as(new_page, live_server, room.people["holder"])
    holder.goto(f"{live_server.url}/circles/{room.circle_id}/resources")
    holder.get_by_label("What are you pinning?").select_option("note")
    holder.get_by_label("Title").fill("Before we begin")
    holder.get_by_label("Note (Markdown; for a link, an optional line about it)").fill(
        "Have a glass of **water** and some tissues close by."
    )
    holder.get_by_role("button", name="Pin it").click()
    expect(holder.locator(".circle-resource-title", has_text="Before we begin")).to_be_visible()

    member = browser_as(new_page, live_server, room.people["river"])
    member.goto(f"{live_server.url}/sessions/{room.session_id}")
    expect(member.locator("#room-status")).to_have_text("Connected")
    panel = member.locator("#room-resources")
    expect(panel.get_by_role("heading", name="Pinned for this circle")).to_be_visible()
    expect(panel.get_by_text("Before we begin")).to_be_visible()
    expect(panel.locator("strong", has_text="water")).to_be_visible()
    expect(panel.get_by_role("button", name="Unpin")).to_have_count(0)  # members only read
    screenshot(member, "room-side-panel")

    member.goto(f"{live_server.url}/circles/{room.circle_id}")
    expect(member.locator(".circle-resource-title", has_text="Before we begin")).to_be_visible()
    assert member.js_errors == []
