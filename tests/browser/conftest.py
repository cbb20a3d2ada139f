"""Playwright for Python driving Debian's chromium against a real server."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Debian's headless shell (package chromium-headless-shell: the same Chromium build, without the
# desktop browser's windows) when it is installed, as Playwright itself runs headless Chromium:
# the full browser builds a window with its toolbar's WebUI pages for every context, which made
# each new context cost about 1 s instead of 0.2 s. HOLDSPACE_CHROMIUM picks another binary
# (CI also runs the browser journeys in the full /usr/bin/chromium).
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = os.environ.get("HOLDSPACE_CHROMIUM") or (
    HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; skipped with a reason when none exists."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: chromium-headless-shell or chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, request):
    """Factory: a page in a fresh browser context (its own cookies), closed after the test."""
    contexts = []

    def factory(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """One page in a fresh context."""
    return new_page()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-artifacts/ (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{request.node.name}-{name}")
        path = ARTIFACTS / f"{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
