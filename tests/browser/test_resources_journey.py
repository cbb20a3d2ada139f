"""A member opens the library, searches it, and reads an article in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "a gentle long passphrase"


def test_member_searches_the_library_and_reads_an_article(live_server, page, screenshot):
    page.goto(live_server.url + "/auth/register")
    page.get_by_label("Username").fill("meadow")
    page.get_by_label("Display name").fill("Meadow")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I understand how Holdspace keeps what I share").check()
    page.get_by_role("button", name="Create my account").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", name="Resources", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Breath and body")).to_be_visible()
    screenshot(page, "library")

    page.get_by_label("Search the library").fill("exhale")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="for “exhale”")).to_be_visible()
    article_link = page.get_by_role("link", name="Breathing with a longer out-breath")
    expect(article_link).to_be_visible()
    screenshot(page, "search")

    page.get_by_label("Category").select_option(label="Safety and support")
    page.get_by_label("Search the library").fill("")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="When to reach for more support")).to_be_visible()
    expect(page.get_by_role("link", name="A gentle week, if a shape helps")).to_have_count(0)

    page.get_by_label("Search the library").fill("exhale")
    page.get_by_label("Category").select_option(value="")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Breathing with a longer out-breath").click()
    expect(
        page.get_by_role("heading", level=1, name="Breathing with a longer out-breath")
    ).to_be_visible()
    expect(page.get_by_text("min read")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="A pattern to try")).to_be_visible()
    screenshot(page, "article")

    page.get_by_role("link", name="Healing tears, and when it's too much").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Healing tears, and when it's too much"
    )
    assert page.js_errors == []
