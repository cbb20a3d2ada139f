"""My data in a real browser: settings, export download, and deleting the account."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"


def log_in(page, server, username: str, password: str = PASSWORD) -> None:
    """Log in through the form."""
    page.goto(server.url + "/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_settings_export_and_delete_my_account(live_server, page, screenshot):
    live_server.register("heron", PASSWORD)
    log_in(page, live_server, "heron")
    expect(page.get_by_role("heading", name="Hello, Heron.")).to_be_visible()

    page.get_by_role("link", name="Write from this prompt").click()
    page.get_by_label("Title (optional)").fill("heron-private-words")
    page.get_by_label("What would you like to write?").fill("Something only I should read.")
    page.get_by_role("button", name="Save").first.click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_label("Display name").fill("Grey Heron")
    page.get_by_label("Reduce motion").check()
    page.get_by_role("button", name="Save my settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    assert "reduce-motion" in (page.locator("body").get_attribute("class") or "")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export everything (JSON)").click()
    document = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert document["profile"]["display_name"] == "Grey Heron"
    assert [e["title"] for e in document["journal"]] == ["heron-private-words"]

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    screenshot(page, "confirm-delete")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type your username to confirm").fill("heron")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()

    log_in(page, live_server, "heron")
    expect(page.locator("#error-summary")).to_contain_text("don't match an account")
    assert page.js_errors == []
