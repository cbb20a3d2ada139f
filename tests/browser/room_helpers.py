"""Shared steps for the live-room browser tests: open the room as someone, drive the console."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.support.live_room import post_form

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def as_person(new_page, server, http, viewport=None, **options):
    """A fresh browser context carrying this person's login cookie."""
    page = new_page(viewport=viewport or DESKTOP, **options)
    page.context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in http.cookies]
    )
    return page


def open_room(new_page, server, http, session_id, viewport=None, connected=True, **options):
    """This person on the room page; waits until they are in (unless `connected` is False)."""
    page = as_person(new_page, server, http, viewport, **options)
    page.goto(f"{server.url}/sessions/{session_id}")
    if connected:
        expect(page.locator("#room-status")).to_have_text("Connected")
    return page


def schedule(server, room, title="Sunday circle", **flags) -> int:
    """Schedule another session of the circle (`talking_piece=True`, `waiting_room=True`)."""
    starts = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": title, "starts_at": starts, "timezone": "UTC"}
    data.update({name: "y" for name, on in flags.items() if on})
    location = post_form(
        server, room.people["holder"], f"/circles/{room.circle_id}/sessions/new", data
    )
    return int(re.search(r"/sessions/(\d+)", location).group(1))


def console(page):
    """The console, opened as a drawer first on a narrow screen."""
    if not page.locator("#console").is_visible():
        page.locator("[data-drawer-open=console]").click()
    return page.locator("#console")


def start_session(holder) -> None:
    """Start the session from the console."""
    console(holder).get_by_role("button", name="Start the session").click()
    expect(holder.locator("#console-state")).to_have_text("live")


def set_phase(holder, name: str) -> None:
    """Move the circle to a phase from the console."""
    phases = console(holder).locator("#console-phases")
    phases.get_by_role("button", name=name).click()
    expect(phases.get_by_role("button", name=name)).to_have_attribute("aria-pressed", "true")


def person_actions(holder, name: str):
    """A facilitator's actions for one person in the people list, unfolded."""
    if not holder.locator("#room-members").is_visible():
        holder.locator("[data-drawer-open=people]").click()
    row = holder.locator("#room-members li", has_text=name)
    toggle = row.get_by_role("button", name=f"Actions for {name}")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return row


def say(page, text: str) -> None:
    """Type a message and press Enter."""
    page.get_by_label("Your message", exact=True).fill(text)
    page.keyboard.press("Enter")


def state_line(page):
    """The room's one line of state."""
    return page.locator("#room-state-line")


def composer_closed(page, reason: str | re.Pattern) -> None:
    """The message box is read-only with this reason beside it, and Send is off."""
    expect(page.locator("#room-body")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#room-body")).to_have_attribute("readonly", "")
    expect(page.locator("#room-send")).to_be_disabled()
    expect(page.locator("#room-compose-reason")).to_have_text(reason)


def composer_open(page) -> None:
    """The message box takes words and Send is on."""
    expect(page.locator("#room-body")).to_have_attribute("aria-disabled", "false")
    expect(page.locator("#room-send")).to_be_enabled()
    expect(page.locator("#room-compose-reason")).to_be_hidden()
