""" "I think someone got in": a person locks everything again in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"
NEW_PASSWORD = "fresh moss under rain"


def test_someone_got_in_logs_everyone_out_and_keeps_the_journal(live_server, new_page, screenshot):
    other_device = live_server.register("heron", PASSWORD)  # a login elsewhere, e.g. the intruder
    assert other_device.get(f"{live_server.url}/journal/", timeout=10).url.endswith("/journal/")

    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Username").fill("heron")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/journal/new")
    page.get_by_label("Title (optional)").fill("Before the worry")
    page.get_by_label("What would you like to write?").fill("Words that must stay mine.")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("heading", name="Before the worry")).to_be_visible()

    page.goto(live_server.url + "/account")
    page.get_by_role("link", name="I think someone got in").click()
    expect(page.get_by_role("heading", name="I think someone got in")).to_be_visible()
    screenshot(page, "secure-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "secure-390")

    # Keyboard only: a weak password first, then a good one.
    page.get_by_label("Current password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type("password1234")
    page.keyboard.press("Tab")
    page.keyboard.type("password1234")
    page.keyboard.press("Enter")
    expect(page.locator("#new_password-error")).to_contain_text(
        "on the lists of passwords people use most"
    )
    screenshot(page, "secure-weak-390")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lock everything again").click()

    expect(page.get_by_text("Everything is locked again")).to_be_visible()
    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    screenshot(page, "secured-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "secured-1280")
    page.get_by_role("button", name="I've kept it safe").click()

    after = other_device.get(f"{live_server.url}/journal/", timeout=10)
    assert "/auth/login" in after.url  # the other device is logged out

    page.goto(live_server.url + "/journal/")
    page.get_by_role("link", name="Before the worry").click()
    expect(page.get_by_text("Words that must stay mine.")).to_be_visible()
    assert page.js_errors == []
