"""axe-core in the test browser: installed from npm (package.json, a dev dependency), injected by
the tests through the DevTools protocol (the page's CSP stays as it is), never served to users."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
# The dark scheme changes only colour custom properties (static/css/holdspace.css), so only the
# rules that read colours can answer differently there.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# resultTypes: axe still runs every rule, but builds selectors only for what we read (the
# violations), which is most of its time on a long page.
RUN = """async (only) => {
  const result = await axe.run(document, { runOnly: only, resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""


@cache
def axe_source() -> str:
    """axe-core's browser bundle, or a skip with the reason when npm has not installed it."""
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is not installed: `npm ci` (run by `make test` when npm exists)")
    return AXE_SCRIPT.read_text()


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """Every WCAG 2.2 A/AA violation axe finds on the page as it is now (of `rules`, if given)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_22_AA}
    return page.evaluate(RUN, only)


def run_axe_dark(page) -> list[dict]:
    """The colour rules' violations in the dark colour scheme; the page is light again after."""
    page.emulate_media(color_scheme="dark")
    try:
        return run_axe(page, COLOUR_RULES)
    finally:
        page.emulate_media(color_scheme="light")


def blocking(violations: list[dict]) -> list[dict]:
    """The serious and critical ones."""
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """A readable list for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']})")
        lines += [f"    {node['target']}: {node['summary']}" for node in v["nodes"][:5]]
    return "\n".join(lines)
