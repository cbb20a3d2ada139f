"""WCAG 2.2 AA with axe-core: no serious or critical violation on any page, at 1280 and 390 px.

The live room's states have their own test (test_room_accessibility.py). With
HOLDSPACE_SCREENSHOTS=1 (`make screenshots`) every page is also saved under test-artifacts/.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_source, blocking, describe, run_axe, run_axe_dark
from tests.browser.conftest import ARTIFACTS
from tests.browser.room_helpers import as_person
from tests.browser.site_tour import (
    FAILED_FORMS,
    HEIGHTS,
    PAGES,
    WIDTHS,
    build_site,
    save_screenshot,
)
from tests.support.live_server import LiveServer

REPORT = ARTIFACTS / "axe-pages.json"
# One worker tours the site once, and writes the whole report (tests/test_suite_groups.py).
pytestmark = pytest.mark.xdist_group("site-tour")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One server with something on every page, for the whole module."""
    server = LiveServer(tmp_path_factory.mktemp("a11y")).start()
    try:
        yield build_site(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def report():
    """What axe found per page, written to test-artifacts/axe-pages.json at the end."""
    found: dict[str, dict] = {}
    yield found
    ARTIFACTS.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(found, indent=2, sort_keys=True))


def _open(new_page, site, who: str, width: int):
    viewport = {"width": width, "height": HEIGHTS[width]}
    http = site.person(who)
    return as_person(new_page, site.server, http, viewport) if http else new_page(viewport=viewport)


def _check(page, name: str, width: int, report: dict) -> list[dict]:
    """axe on the page as it is (and, at 1280 px, in the dark colour scheme too); the result is
    recorded, the screenshot saved if asked for."""
    violations = run_axe(page)
    report[f"{name}@{width}"] = {
        "impacts": sorted(v["impact"] for v in violations),
        "rules": sorted({v["id"] for v in violations}),
    }
    save_screenshot(page, name, width)
    if width == WIDTHS[0]:
        dark = run_axe_dark(page)
        report[f"{name}@{width}-dark"] = {
            "impacts": sorted(v["impact"] for v in dark),
            "rules": sorted({v["id"] for v in dark}),
        }
        violations = violations + dark
    return blocking(violations)


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(new_page, site, report, name, who, path):
    axe_source()
    failures = {}
    for width in WIDTHS:
        page = _open(new_page, site, who, width)
        response = page.goto(site.server.url + path.format(**site.ids))
        assert response.status == (404 if name == "not-found" else 200), path
        page.wait_for_load_state("load")  # module scripts have run by now
        if found := _check(page, name, width, report):
            failures[width] = describe(found)
        assert page.js_errors == []
    assert not failures, failures


@pytest.mark.parametrize(
    ("name", "who", "path", "button"), FAILED_FORMS, ids=[f[0] for f in FAILED_FORMS]
)
def test_a_failed_form_has_one_summary_that_takes_focus(
    new_page, site, report, name, who, path, button
):
    axe_source()
    for width in WIDTHS:
        page = _open(new_page, site, who, width)
        page.goto(site.server.url + path)
        form = page.locator("main form.stack").last if button is None else page.locator("main")
        submit = (
            form.locator("button[type=submit]").last
            if button is None
            else form.get_by_role("button", name=button)
        )
        submit.click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        assert page.locator(".error-summary").count() == 1
        assert page.locator("main [role=alert]").count() == 0  # nothing else shouts at once
        first = summary.get_by_role("link").first
        target = first.get_attribute("href")
        first.click()
        expect(page.locator(target)).to_be_focused()
        found = _check(page, name, width, report)
        assert not found, describe(found)


def _crisis_page_with_a_line(new_page, site, text: str, colour: str):
    """The crisis help page with one more line of text in `colour`."""
    axe_source()
    page = new_page()
    page.goto(site.server.url + "/help/crisis")
    page.evaluate(
        """([text, colour]) => {
          const line = document.createElement("p");
          line.textContent = text;
          line.style.color = colour;
          document.querySelector("main").append(line);
        }""",
        [text, colour],
    )
    return page


def test_axe_really_looks_and_the_old_terracotta_would_fail(new_page, site):
    """A canary: if axe were not running, every other test here would pass for nothing."""
    page = _crisis_page_with_a_line(new_page, site, "An error in the old terracotta", "#b5654a")
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert found.get("color-contrast") == "serious"


def test_the_dark_pass_really_looks_in_the_dark(new_page, site):
    """The light ink reads well on the light page and fails on the dark one: the dark pass
    must see that, and the page must be light again after it."""
    page = _crisis_page_with_a_line(new_page, site, "Ink that only suits the light page", "#2b2a33")
    assert "color-contrast" not in {v["id"] for v in run_axe(page)}
    assert {v["id"]: v["impact"] for v in run_axe_dark(page)}.get("color-contrast") == "serious"
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
