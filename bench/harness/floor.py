"""The issue's performance floor, judged from one run: each line for every Holdspace target,
before and after, as a ratio to the bare server as the library ships it ((b), same mode)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from harness.report import dig, fmt


@dataclass(frozen=True)
class Line:
    """One line of the floor: which workload, which targets, what is read, the bound."""

    title: str
    workload: str
    kind: str  # "a" (one process) or "c" (two processes + Redis)
    figure: str  # "capacity", "sunday_fanout_p99" or "rss"
    bound: float
    at_most: bool  # True: the figure must be <= bound; False: >= bound


FLOOR = [
    Line("capacity ≥ 0.8x (b), rooms of 10", "rooms10", "a", "capacity", 0.8, False),
    Line("capacity ≥ 0.8x (b), rooms of 25", "rooms25", "a", "capacity", 0.8, False),
    Line("Sunday fan-out p99 ≤ 50 ms, one process", "sunday", "a", "sunday_fanout_p99", 50, True),
    Line(
        "Sunday fan-out p99 ≤ 50 ms, two processes + Redis",
        "sunday",
        "c",
        "sunday_fanout_p99",
        50,
        True,
    ),
    Line("2,000 idle: RSS per connection ≤ 1.2x (b)", "idle", "a", "rss", 1.2, True),
]


def pairs(targets: dict) -> list[tuple[str, str | None, str | None]]:
    """(where, this checkout's key, the `--before` checkout's key) per Holdspace target."""
    found: dict[str, dict[str, str]] = {}
    for key, target in targets.items():
        if target.get("kind") not in ("a", "c"):
            continue
        database = target.get("database")
        where = f"{target['kind']}|{target.get('mode')}|{database}"
        found.setdefault(where, {})[target.get("version") or "after"] = key
    return [(w, v.get("after"), v.get("before")) for w, v in found.items()]


def _where(where: str) -> str:
    kind, mode, database = where.split("|")
    return f"{'one process' if kind == 'a' else 'two processes + Redis'}, {mode}, {database}"


def sunday_p99s(runs: list[dict], target: str) -> list[float]:
    """Each repeat's Sunday fan-out p99 in ms; a repeat that lost a message or failed is inf."""
    values = []
    for run in runs:
        if run.get("workload") != "sunday" or run.get("target") != target:
            continue
        steps = dig(run, ("result", "steps")) or []
        p99 = dig(steps[0], ("fanout_ms", "p99")) if steps else None
        values.append(math.inf if p99 is None else float(p99))
    return values


def judge(line: Line, document: dict, key: str | None) -> tuple[str, bool | None]:
    """The figure of one target as a table cell, and whether it holds (None: not measured)."""
    if key is None:
        return "—", None
    summary = document["summary"].get(line.workload, {})
    target = summary.get(key)
    if line.figure == "sunday_fanout_p99":
        each = sunday_p99s(document.get("runs", []), key)
        if not each:
            return "—", None
        value = statistics.median(each)
        bare = f"b-{document['meta']['targets'][key]['mode']}"
        share = _share(value, dig(summary, (bare, "at_reference", "fanout_p99_ms")))
        cell = f"{_ms(value)} ms{share} (each {', '.join(_ms(v) for v in each)})"
        return cell, value <= line.bound
    if not target:
        return "—", None
    name = "capacity" if line.figure == "capacity" else "rss_per_connection_kib"
    ratio = dig(target, ("vs_bare", name))
    errors = len(target.get("errors", []))
    unit, digits = ("msg/s", 0) if name == "capacity" else ("KiB", 1)
    cell = f"{fmt(ratio, 2)}x ({fmt(target.get(name), digits)} {unit})"
    if name == "capacity":
        cell += f" (each {', '.join(fmt(c, 0) for c in target.get('capacity_each', []))})"
    if errors:
        cell += f", {errors} failed repeat(s)"
    if ratio is None:
        return cell, False if target.get(name) is not None or errors else None
    holds = ratio <= line.bound if line.at_most else ratio >= line.bound
    return cell, holds and not errors


def _ms(value: float) -> str:
    return "never" if math.isinf(value) else f"{value:.1f}"


def _share(value: float, base) -> str:
    if base in (None, 0) or math.isinf(value):
        return ""
    return f", {value / base:.2f}x (b)"


def _yes(holds: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[holds]


def render(document: dict) -> list[str]:
    """The floor as a Markdown table: before and after side by side, with a verdict each."""
    meta = document["meta"]
    paired = pairs(meta["targets"])
    with_before = any(before for _, _, before in paired)
    checkouts = meta.get("checkouts", {})
    after_name = f"after ({dig(checkouts, ('this', 'commit')) or 'this checkout'})"
    before_name = f"before ({dig(checkouts, ('before', 'commit')) or '--before'})"
    lines = [
        "## The floor (issue 22)",
        "",
        "Ratios are to (b), the bare python-socketio server as the library ships it, in the "
        "same async mode and the same run; medians over the repeats.",
        "",
    ]
    if with_before:
        lines += [
            f"| floor | target | {before_name} | holds? | {after_name} | holds? |",
            "|---|---|---|---|---|---|",
        ]
    else:
        lines += ["| floor | target | figure | holds? |", "|---|---|---|---|"]
    for line in FLOOR:
        for where, after, before in paired:
            if not where.startswith(f"{line.kind}|"):
                continue
            now, now_holds = judge(line, document, after)
            then, then_holds = judge(line, document, before)
            if now == then == "—":
                continue  # this workload did not run for this target
            row = f"| {line.title} | {_where(where)} |"
            if with_before:
                row += f" {then} | {_yes(then_holds)} |"
            lines.append(f"{row} {now} | {_yes(now_holds)} |")
    lines.append("")
    return lines
