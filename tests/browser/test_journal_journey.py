"""A member registers, keeps the recovery code, writes from a prompt, sees it, finds it, exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"
TITLE = "Letting the wave pass"


def _text(download) -> str:
    """The contents of a finished download."""
    return Path(download.path()).read_text(encoding="utf-8")


def test_register_write_from_prompt_insights_search_export(live_server, page, screenshot):
    page.goto(live_server.url + "/auth/register")
    page.get_by_label("Username").fill("meadow")
    page.get_by_label("Display name").fill("Meadow")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I understand how Holdspace keeps what I share").check()
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    code = page.locator("#recovery-code").inner_text().strip()
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code)
    screenshot(page, "recovery-code")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a text file").click()
    assert code in _text(download_info.value)
    page.get_by_role("button", name="I've kept it safe").click()
    expect(page.get_by_text("no longer stored anywhere")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", name="My journal")).to_be_visible()
    page.get_by_role("link", name="Start from a prompt").click()
    page.get_by_role("link", name="Write from this prompt").nth(4).click()  # the first "after"
    expect(page.get_by_text("How does my body feel now compared with before?")).to_be_visible()
    page.get_by_label("Title (optional)").fill(TITLE)
    page.get_by_label("What would you like to write?").fill(
        "My chest loosened after a while.\n\nI stayed with it, *gently*."
    )
    page.get_by_label("4", exact=True).check()
    page.get_by_label("lighter").check()
    page.get_by_label("Tags (separate with commas)").fill("release, evening")
    screenshot(page, "writing")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".journal-body em")).to_have_text("gently")

    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Insights").click()
    chart = page.locator("#mood-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("circle title").first).to_contain_text(TITLE)
    expect(chart.locator("circle title").first).to_contain_text("mood 4.0")
    screenshot(page, "insights")

    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Find").click()
    page.get_by_label("Words to look for").fill("chest loosened")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 entry found")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert "chest" not in page.url  # search words never travel in a URL

    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Entries").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON").click()
    document = json.loads(_text(download_info.value))
    [entry] = document["entries"]
    assert (
        entry["title"] == TITLE and entry["mood"] == 4 and entry["tags"] == ["release", "evening"]
    )
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown").click()
    assert f"## {TITLE}" in _text(download_info.value)
    assert page.js_errors == []


def test_forgotten_password_with_the_recovery_code(live_server, page):
    page.goto(live_server.url + "/auth/register")
    page.get_by_label("Username").fill("fern")
    page.get_by_label("Display name").fill("Fern")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I understand how Holdspace keeps what I share").check()
    page.get_by_role("button", name="Create my account").click()
    code = page.locator("#recovery-code").inner_text().strip()
    page.get_by_role("button", name="I've kept it safe").click()
    page.get_by_role("button", name="Log out").click()

    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Username").fill("fern")
    page.get_by_label("Recovery code").fill(code.lower())
    page.get_by_label("New password", exact=True).fill("a fresh new passphrase")
    page.get_by_label("New password again").fill("a fresh new passphrase")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("heading", name="Your new password is set")).to_be_visible()
    new_code = page.locator("#recovery-code").inner_text().strip()
    assert new_code != code
    page.get_by_role("link", name="I've kept it safe — log in").click()
    page.get_by_label("Username").fill("fern")
    page.get_by_label("Password").fill("a fresh new passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Fern.")).to_be_visible()
    assert page.js_errors == []
