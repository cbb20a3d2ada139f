"""WCAG 2.2 AA with axe-core on the live room in each of its states, at 1280 and 390 px (and in
the dark colour scheme):
member, facilitator, waiting, muted, breathing, the talking piece, the drawers, the safety panel,
a private check-in, ended with aftercare. With HOLDSPACE_SCREENSHOTS=1 each state is also saved
as a picture."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.axe import axe_source, blocking, describe, run_axe, run_axe_dark
from tests.browser.conftest import ARTIFACTS
from tests.browser.room_helpers import (
    open_room,
    person_actions,
    schedule,
    set_phase,
    start_session,
    state_line,
)
from tests.browser.site_tour import HEIGHTS, WIDTHS, save_screenshot
from tests.support.live_room import make_live_room

REPORT = ARTIFACTS / "axe-room.json"


class Looker:
    """Runs axe on a page in a state at both widths, and keeps what it found."""

    def __init__(self):
        self.found: dict[str, dict] = {}
        self.failures: dict[str, str] = {}

    def look(self, page, state: str, widths=WIDTHS) -> None:
        before = page.viewport_size
        for width in widths:
            page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            page.wait_for_timeout(150)  # let the layout settle at the new width
            violations = run_axe(page)
            self.found[f"{state}@{width}"] = {
                "impacts": sorted(v["impact"] for v in violations),
                "rules": sorted({v["id"] for v in violations}),
            }
            if serious := blocking(violations):
                self.failures[f"{state}@{width}"] = describe(serious)
            save_screenshot(page, f"room-{state}", width, full_page=False)
        # The dark colour scheme, once per state, at the last width looked at.
        dark = run_axe_dark(page)
        self.found[f"{state}@{widths[-1]}-dark"] = {
            "impacts": sorted(v["impact"] for v in dark),
            "rules": sorted({v["id"] for v in dark}),
        }
        if serious := blocking(dark):
            self.failures[f"{state}@{widths[-1]}-dark"] = describe(serious)
        page.set_viewport_size(before)

    def write(self) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        REPORT.write_text(json.dumps(self.found, indent=2, sort_keys=True))


def test_every_room_state_has_no_serious_accessibility_violation(live_server, new_page):
    axe_source()
    looker = Looker()
    room = make_live_room(live_server, ["alice", "bob"])
    session_id = schedule(live_server, room, talking_piece=True)
    holder = open_room(new_page, live_server, room.people["holder"], session_id)
    alice = open_room(new_page, live_server, room.people["alice"], session_id)
    bob = open_room(new_page, live_server, room.people["bob"], session_id)
    looker.look(alice, "member-before-start")
    looker.look(holder, "facilitator-before-start")

    start_session(holder)
    expect(alice.locator("#checkin-offer")).to_be_visible()
    looker.look(alice, "member-arrival")
    alice.get_by_role("button", name="Check in", exact=True).click()
    looker.look(alice, "member-checkin-dialog")
    alice.locator("#checkin-dialog").get_by_role("button", name="Not now").click()

    set_phase(holder, "Breathing")
    holder.get_by_label("Rounds").fill("20")
    holder.get_by_role("button", name="Start breathing").click()
    expect(alice.locator("#pacer")).to_be_visible()
    looker.look(alice, "member-breathing")
    looker.look(holder, "facilitator-breathing")
    holder.get_by_role("button", name="Stop", exact=True).click()

    set_phase(holder, "Sharing")
    bob.get_by_role("button", name="Raise my hand").click()
    expect(holder.locator("#console-next")).to_have_text("Next: Bob")
    holder.get_by_role("button", name="Give to the next hand").click()
    expect(bob.locator("#piece-cue")).to_be_visible()
    looker.look(bob, "member-holding-the-piece")
    looker.look(alice, "member-waiting-for-the-piece")
    looker.look(holder, "facilitator-sharing")

    person_actions(holder, "Alice").get_by_role("button", name="Mute", exact=True).click()
    expect(state_line(alice)).to_contain_text("You're muted")
    looker.look(alice, "member-muted")

    alice.set_viewport_size({"width": 390, "height": 844})
    alice.locator("[data-drawer-open=people]").click()
    looker.look(alice, "member-people-drawer", widths=(390,))
    alice.get_by_role("button", name="Close", exact=True).click()
    holder.set_viewport_size({"width": 390, "height": 844})
    holder.locator("[data-drawer-open=console]").click()
    looker.look(holder, "facilitator-console-drawer", widths=(390,))
    holder.keyboard.press("Escape")
    holder.set_viewport_size({"width": 1280, "height": 800})
    alice.set_viewport_size({"width": 1280, "height": 800})

    bob.locator("#room-side").get_by_role("button", name="I need support").click()
    expect(bob.locator("#support-panel")).to_be_visible()
    looker.look(bob, "member-safety-panel")
    bob.keyboard.press("Escape")
    expect(holder.locator("#console-alert")).to_be_visible()
    looker.look(holder, "facilitator-alert")
    alert = holder.locator("#console-alerts li", has_text="Bob asked for support")
    alert.get_by_role("button", name="Check in with Bob").click()
    holder.get_by_label("Write to Bob").fill("I'm here, Bob. Would a few minutes together help?")
    holder.get_by_role("button", name="Send privately").click()
    expect(bob.locator("#followup-panel")).to_contain_text("Would a few minutes")
    looker.look(bob, "member-private-check-in")
    looker.look(holder, "facilitator-private-check-in")

    waiting_id = schedule(live_server, room, title="Waiting circle", waiting_room=True)
    waiting = open_room(new_page, live_server, room.people["alice"], waiting_id, connected=False)
    expect(waiting.locator("#waiting-screen")).to_be_visible()
    looker.look(waiting, "member-waiting-room")

    set_phase(holder, "Closing")
    holder.get_by_role("button", name="End the session").click()
    expect(bob.locator("#aftercare")).to_be_visible()
    looker.look(bob, "member-ended-aftercare")
    looker.look(holder, "facilitator-ended")

    looker.write()
    assert not looker.failures, "\n".join(f"{k}:\n{v}" for k, v in looker.failures.items())
    for page in (holder, alice, bob, waiting):
        assert page.js_errors == []
