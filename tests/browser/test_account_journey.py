"""A person registers, logs out, logs back in and changes their password in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"
NEW_PASSWORD = "another gentle passphrase"


def test_register_logout_login_change_password(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Join").first.click()
    page.get_by_label("Username").fill("brook")
    page.get_by_label("Display name").fill("Brook")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I understand how Holdspace keeps what I share").check()
    screenshot(page, "register")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    page.get_by_role("button", name="I've kept it safe").click()
    expect(page.get_by_role("heading", name="Hello, Brook.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You're logged out")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("brook")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Brook.")).to_be_visible()

    page.get_by_role("link", name="Change my password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    screenshot(page, "password-changed")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("brook")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Said once in the focused summary at the top, and beside the field.
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("don't match an account")
    expect(page.locator("#password-error")).to_contain_text("don't match an account")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Brook.")).to_be_visible()
    assert page.js_errors == []


def test_skip_link_is_first_in_tab_order(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
