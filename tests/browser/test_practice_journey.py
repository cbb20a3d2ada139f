"""A solo practice in a real browser: intention to saved reflection, keyboard and reduced motion."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"


def log_in(live_server, page, username: str) -> None:
    """Register over HTTP, then log in through the browser (which opens the journal)."""
    live_server.register(username, PASSWORD)
    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Hello, {username.title()}.")).to_be_visible()


def test_solo_practice_from_intention_to_saved_reflection(live_server, page, screenshot):
    log_in(live_server, page, "willow")
    page.get_by_role("link", name="Begin a solo practice").click()
    expect(page.get_by_role("heading", name="A practice of your own")).to_be_visible()
    expect(page.get_by_text("Step 1 of 6: Set an intention")).to_be_visible()
    page.get_by_label("In my own words").check()
    page.get_by_label("My own intention").fill("I let this evening be soft.")
    page.get_by_label("Before I began, I felt").select_option("heavy")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Ground yourself")).to_be_focused()
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Breathing rhythm").select_option("4-0-8")
    page.get_by_role("button", name="Start breathing").click()
    expect(page.locator("[data-pacer-cue]")).to_have_text("Breathe in gently")
    screenshot(page, "pacer")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("A playlist or piece of music (optional)").fill(
        "https://music.example.org/l/1"
    )
    expect(page.get_by_role("link", name="Open my music")).to_have_attribute(
        "href", "https://music.example.org/l/1"
    )
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Start the quiet timer").click()
    expect(page.locator("[data-release-time]")).not_to_have_text("0:00", timeout=5_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="How do you feel now?")).to_be_visible()
    expect(page.locator("[data-practice-support]")).to_be_hidden()
    page.get_by_role("radio", name="Numb").check()
    expect(page.locator("[data-practice-support]")).to_be_visible()
    page.get_by_role("radio", name="Calmer").check()
    expect(page.locator("[data-practice-support]")).to_be_hidden()
    page.get_by_label("Anything you'd like to remember (optional)").fill("Tears came at the end.")
    screenshot(page, "reflection")
    page.get_by_role("button", name="Save to my journal").click()

    expect(page.get_by_role("heading", name="Your reflection is saved")).to_be_visible()
    page.get_by_role("link", name="Read it in my journal").click()
    expect(page.get_by_text("I let this evening be soft.")).to_be_visible()
    expect(page.get_by_text("Tears came at the end.")).to_be_visible()
    assert page.js_errors == []


def test_keyboard_only_with_reduced_motion(live_server, new_page):
    page = new_page(reduced_motion="reduce")
    log_in(live_server, page, "fern")
    page.goto(live_server.url + "/practice")
    page.get_by_label("I give myself permission to feel whatever arises.").focus()
    page.keyboard.press("Enter")  # Enter in a field moves on instead of submitting early
    expect(page.get_by_role("heading", name="Ground yourself")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Back, then Next
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Breathe, with a longer out-breath")).to_be_focused()
    assert page.locator("[data-pacer]").get_attribute("data-motion") == "reduced"
    page.get_by_role("button", name="Start breathing").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-pacer-cue]")).to_have_text("Breathe in gently")
    transform = page.locator("[data-pacer-circle]").evaluate("e => getComputedStyle(e).transform")
    assert transform in ("none", "matrix(1, 0, 0, 1, 0, 0)")
    for _ in range(3):
        page.get_by_role("button", name="Next").focus()
        page.keyboard.press("Enter")
    page.get_by_role("radio", name="Grounded").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save to my journal").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your reflection is saved")).to_be_visible()
    assert page.js_errors == []


def test_without_javascript_the_reflection_is_a_plain_form(live_server, new_page):
    page = new_page(java_script_enabled=False)
    log_in(live_server, page, "moss")
    page.goto(live_server.url + "/practice")
    page.get_by_role("radio", name="Grounded").check()
    page.get_by_label("About how many minutes did you give yourself?").fill("15")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("heading", name="Your reflection is saved")).to_be_visible()
