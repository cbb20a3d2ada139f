"""A facilitator starts a circle and schedules a session; a member finds it, joins and sees it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.core.database import utcnow

PASSWORD = "a gentle long passphrase"
FACILITATOR_ZONE = "Europe/Berlin"
MEMBER_ZONE = "America/New_York"


def logged_in_page(new_page, live_server, http, timezone_id):
    """A browser page in its own context, carrying the cookies of a requests login."""
    page = new_page(timezone_id=timezone_id, locale="en-GB")
    page.context.add_cookies(
        [{"name": c.name, "value": c.value, "url": live_server.url} for c in http.cookies]
    )
    return page


def test_facilitator_schedules_and_member_joins(live_server, new_page, screenshot):
    river = live_server.register("river", PASSWORD, "River")
    sky = live_server.register("sky", PASSWORD, "Sky")
    start_local = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo(FACILITATOR_ZONE))
    start_local = start_local.replace(hour=19, minute=0, second=0, microsecond=0)
    member_sees = start_local.astimezone(ZoneInfo(MEMBER_ZONE)).strftime("%H:%M")

    page = logged_in_page(new_page, live_server, river, FACILITATOR_ZONE)
    page.goto(live_server.url + "/circles/")
    page.get_by_role("link", name="Start a circle").click()
    page.get_by_label("Name").fill("Tender evenings")
    page.get_by_label("Topic").fill("grief and letting go")
    page.get_by_label("What this circle is for").fill("A soft place to land at the end of the day.")
    page.get_by_role("button", name="Start the circle").click()
    expect(page.get_by_role("heading", name="Tender evenings")).to_be_visible()
    expect(page.get_by_text("Tears are welcome here")).to_be_visible()

    page.get_by_role("link", name="Schedule a session").click()
    expect(page.locator("input[name=timezone]")).to_have_value(FACILITATOR_ZONE)
    page.get_by_label("Title").fill("Thursday gathering")
    page.get_by_label("Starts at").fill(start_local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Use a talking piece while sharing").check()
    screenshot(page, "schedule")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", name="Thursday gathering")).to_be_visible()
    assert page.url.split("/sessions/")[1].isdigit()
    assert page.js_errors == []

    member = logged_in_page(new_page, live_server, sky, MEMBER_ZONE)
    member.goto(live_server.url + "/circles/")
    member.get_by_label("Search by name or topic").fill("GRIEF")
    member.get_by_role("button", name="Search").click()
    member.get_by_role("link", name="Tender evenings").click()
    expect(member.get_by_text("Thursday gathering")).to_be_visible()  # schedule, not the room
    expect(member.get_by_role("link", name="Thursday gathering")).to_have_count(0)
    member.get_by_role("link", name="Join this circle").click()
    join = member.get_by_role("button", name="Join the circle")
    join.click()
    expect(member.locator("#error-summary")).to_be_focused()
    expect(member.locator("#accept_agreements-error")).to_contain_text("Please read and accept")
    member.get_by_label("I've read these agreements and I'll keep them").check()
    screenshot(member, "agreements")
    member.get_by_role("button", name="Join the circle").click()
    expect(member.get_by_text("Welcome to Tender evenings")).to_be_visible()
    session_link = member.get_by_role("link", name="Thursday gathering")
    expect(session_link).to_be_visible()
    when = member.locator(".session-item time").first
    expect(when).to_contain_text(member_sees)
    datetime.fromisoformat(when.get_attribute("datetime").replace("Z", "+00:00"))
    screenshot(member, "circle-with-session")
    session_link.click()
    expect(member.get_by_role("heading", name="Thursday gathering")).to_be_visible()
    assert member.js_errors == []


def test_circle_pages_work_by_keyboard(live_server, new_page):
    river = live_server.register("river", PASSWORD, "River")
    page = logged_in_page(new_page, live_server, river, "UTC")
    page.goto(live_server.url + "/circles/new")
    page.get_by_label("Name").focus()
    page.keyboard.type("Keyboard circle")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Keyboard circle")).to_be_visible()
