"""axe-core in the test browser: installed from npm (package.json, a dev dependency), injected by
the tests through the DevTools protocol (the page's CSP stays as it is), never served to users."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
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


def run_axe(page) -> list[dict]:
    """Every WCAG 2.2 A/AA violation axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN, WCAG_22_AA)


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
