"""Someone in distress finds help from the footer without an account, and grounds by keyboard."""

from __future__ import annotations

from playwright.sync_api import expect

STEPS = [
    "5 things you can see",
    "4 things you can feel",
    "3 things you can hear",
    "2 things you can smell",
    "1 thing you can taste",
]


def _tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text is `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"could not reach {name!r} with the Tab key")


def test_footer_leads_to_crisis_help_and_grounding_works_by_keyboard(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Need help right now?").click()
    expect(
        page.get_by_role("heading", name="If things feel like too much right now")
    ).to_be_visible()
    us_line = page.locator(".crisis-resource", has_text="988 Suicide & Crisis Lifeline")
    expect(us_line).to_contain_text("Call or text 988")
    uk_line = page.locator(".crisis-resource", has_text="Samaritans GB")
    expect(uk_line).to_contain_text("Call 116 123")
    screenshot(page, "crisis")

    _tab_to(page, "Try the guided grounding exercise")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Come back to the present")).to_be_visible()

    progress = page.locator("[data-grounding-progress]")
    _tab_to(page, "Next step")
    for number, step in enumerate(STEPS, start=1):
        expect(progress).to_have_text(f"Step {number} of 5: {step}")
        expect(page.get_by_role("heading", name=step)).to_be_visible()
        for other in STEPS:
            if other != step:
                expect(page.get_by_role("heading", name=other)).to_be_hidden()
        page.keyboard.press("Enter")  # focus stays on the Next / Finish button
    expect(page.get_by_text("Well done.")).to_be_visible()
    expect(page.get_by_role("button", name="Finish")).to_be_hidden()
    expect(page.get_by_role("button", name="Back")).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Start again"

    _tab_to(page, "Start breathing together")
    page.keyboard.press("Enter")
    expect(page.locator("[data-breath-cue]")).to_have_text("Breathe in gently")
    expect(page.locator("[data-breath-circle]")).to_have_class("breath-circle is-inhale")
    screenshot(page, "grounding")
    page.keyboard.press("Enter")
    expect(page.locator("[data-breath-cue]")).to_have_text(
        "Resting. Start again whenever you like."
    )
    assert page.js_errors == []


def test_breathing_cue_stays_still_for_reduced_motion(live_server, new_page):
    page = new_page(reduced_motion="reduce")
    page.goto(live_server.url + "/help/grounding")
    page.get_by_role("button", name="Start breathing together").click()
    expect(page.locator("[data-breath]")).to_have_attribute("data-motion", "reduced")
    transform = page.locator("[data-breath-circle]").evaluate(
        "el => getComputedStyle(el).transform"
    )
    assert transform in ("none", "matrix(1, 0, 0, 1, 0, 0)")
    expect(page.locator("[data-breath-cue]")).to_have_text("Breathe in gently")
    assert page.js_errors == []


def test_without_javascript_every_step_is_readable(live_server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + "/help/grounding")
    for step in STEPS:
        expect(page.get_by_role("heading", name=step)).to_be_visible()
    expect(page.get_by_role("button", name="Next step")).to_be_hidden()
    expect(page.get_by_role("button", name="Start breathing together")).to_be_hidden()
