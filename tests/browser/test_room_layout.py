"""The room's layout as people use it: the composer always on screen with the latest message, the
console beside the conversation on a desktop, drawers on a phone, and the whole room by keyboard."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.room_helpers import (
    DESKTOP,
    PHONE,
    composer_closed,
    open_room,
    schedule,
    state_line,
)
from tests.browser.site_tour import save_screenshot
from tests.support.live_room import RoomClient, make_live_room

POSITIONS = ARTIFACTS / "composer-positions.json"


def _box(page, selector):
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


def _on_screen(page, selector) -> bool:
    """Wholly inside the viewport, without scrolling the page."""
    box, size = _box(page, selector), page.viewport_size
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def _record(key: str, page) -> None:
    """Keep the composer's place for the report (test-artifacts/composer-positions.json)."""
    ARTIFACTS.mkdir(exist_ok=True)
    found = json.loads(POSITIONS.read_text()) if POSITIONS.exists() else {}
    box = _box(page, "#room-body")
    found[key] = {
        "y": round(box["y"]),
        "bottom": round(box["y"] + box["height"]),
        "viewport_height": page.viewport_size["height"],
        "in_first_viewport": _on_screen(page, "#room-body"),
        "page_scroll_y": page.evaluate("window.scrollY"),
    }
    POSITIONS.write_text(json.dumps(found, indent=2, sort_keys=True))


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_the_composer_and_the_latest_message_are_on_screen_together(
    live_server, new_page, who, size
):
    room = make_live_room(live_server, ["alice", "bob"])
    viewport = DESKTOP if size == "desktop" else PHONE
    person = "alice" if who == "member" else "holder"
    page = open_room(new_page, live_server, room.people[person], room.session_id, viewport)
    bob = RoomClient(live_server.url, room.people["bob"], room.session_id, "bob")
    try:
        bob.connect()
        for number in range(1, 31):
            bob.send(f"Message number {number}, a few words to fill the room.", f"fill-{number}")
        latest = page.locator(".msg", has_text="Message number 30,")
        expect(latest).to_be_visible()
    finally:
        bob.close()
    assert page.evaluate("window.scrollY") == 0  # nothing pushed the page itself
    assert _on_screen(page, "#room-body") and _on_screen(page, "#room-send")
    assert _on_screen(page, ".msg:last-child")  # the newest message, beside the composer
    # The conversation follows the newest message: its end is in view (all of it, if it fits).
    stream = _box(page, "#room-stream")
    last = _box(page, ".msg:last-child")
    assert last["y"] + last["height"] <= stream["y"] + stream["height"] + 1
    assert last["y"] >= stream["y"] - 1 or last["height"] > stream["height"]
    save_screenshot(page, f"room-conversation-{who}", viewport["width"], full_page=False)
    if who == "facilitator" and size == "desktop":
        assert _on_screen(page, "#console-title")  # the console sits beside the conversation
        assert _box(page, "#console")["x"] > _box(page, "#room-stream")["x"]
    if size == "phone":
        expect(page.locator("#console")).to_be_hidden()  # a drawer, opened on demand
    _record(f"{who}@{viewport['width']}", page)
    assert page.js_errors == []


def test_on_a_phone_the_panels_are_drawers_that_close_with_escape(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id, PHONE)
    people = holder.get_by_role("button", name="People")
    expect(holder.locator("#room-members")).to_be_hidden()
    people.click()
    expect(people).to_have_attribute("aria-expanded", "true")
    expect(holder.locator("#room-members")).to_contain_text("Holder (you)")
    expect(holder.locator("#room-members-title")).to_be_focused()
    # The drawer covers the room, and what it covers cannot be reached until it closes.
    expect(holder.locator(".room-main")).to_have_attribute("inert", "")
    holder.keyboard.press("Escape")
    expect(holder.locator("#room-members")).to_be_hidden()
    expect(people).to_be_focused()
    expect(people).to_have_attribute("aria-expanded", "false")
    expect(holder.locator(".room-main")).not_to_have_attribute("inert", "")
    holder.get_by_role("button", name="Console").click()
    expect(holder.locator("#console-title")).to_be_focused()
    holder.locator("#room-layout").get_by_role("button", name="Close", exact=True).last.click()
    expect(holder.get_by_role("button", name="Console")).to_be_focused()
    assert holder.js_errors == []


def _tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "(document.activeElement.getAttribute('aria-label') || "
            "document.activeElement.textContent || '').trim()"
        )
        if text.startswith(name):
            return
    raise AssertionError(f"could not reach {name!r} with the Tab key")


def test_the_room_works_by_keyboard_alone_console_included(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    session_id = schedule(live_server, room, talking_piece=True)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id)

    # One Tab and Enter reach the message box from the top of the page.
    alice.keyboard.press("Tab")
    expect(alice.locator("#skip-composer")).to_be_focused()
    alice.keyboard.press("Enter")
    expect(alice.locator("#room-body")).to_be_focused()
    alice.keyboard.type("Hello, I'm here.")
    alice.keyboard.press("Enter")
    expect(holder.locator(".msg", has_text="Hello, I'm here.")).to_be_visible()

    # The facilitator skips straight to the console and runs the circle from the keyboard.
    holder.keyboard.press("Tab")
    holder.keyboard.press("Tab")
    expect(holder.get_by_role("link", name="Skip to the console")).to_be_focused()
    holder.keyboard.press("Enter")
    expect(holder.locator("#console-title")).to_be_focused()
    _tab_to(holder, "Start the session")
    holder.keyboard.press("Enter")
    expect(holder.locator("#console-state")).to_have_text("live")
    _tab_to(holder, "Sharing")
    holder.keyboard.press("Enter")
    expect(state_line(alice)).to_have_text("Nobody holds the piece — the facilitator will pass it")
    composer_closed(alice, "Nobody holds the piece — the facilitator will pass it")

    # A section of the console folds and unfolds with the keyboard.
    summary = holder.locator("#console summary", has_text="Session")
    summary.focus()
    holder.keyboard.press("Enter")
    expect(holder.get_by_role("button", name="End the session")).to_be_hidden()
    holder.keyboard.press("Enter")
    expect(holder.get_by_role("button", name="End the session")).to_be_visible()

    # Alice raises her hand with the keyboard; the facilitator gives her the piece the same way.
    alice.locator("#room-body").focus()
    _tab_to(alice, "Raise my hand")
    alice.keyboard.press("Enter")
    expect(holder.locator("#console-next")).to_have_text("Next: Alice")
    holder.locator("#console-title").focus()
    _tab_to(holder, "Give to the next hand")
    holder.keyboard.press("Enter")
    expect(state_line(alice)).to_have_text("You have the talking piece")
    expect(alice.locator("#piece-cue")).to_be_visible()

    # The facilitator mutes Alice from the people list, by keyboard.
    holder.locator("#room-members-title").focus()
    _tab_to(holder, "Actions for Alice")
    holder.keyboard.press("Enter")
    _tab_to(holder, "Mute Alice for")
    holder.keyboard.press("Tab")  # to the Mute button beside it
    holder.keyboard.press("Enter")
    expect(state_line(alice)).to_contain_text("You're muted for")
    assert holder.js_errors == [] and alice.js_errors == []
