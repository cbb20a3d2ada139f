"""Before and after: each Holdspace target of `--before` beside this checkout's, per workload."""

from __future__ import annotations

from harness.floor import pairs
from harness.report import dig, fmt

CLIMB = [
    ("capacity msg/s", ("capacity",), 0),
    ("÷ (b)", ("vs_bare", "capacity"), 2),
    ("÷ (p)", ("vs_plain", "capacity"), 2),
    ("fan-out p99 ms", ("at_reference", "fanout_p99_ms"), 1),
    ("ack p99 ms", ("at_reference", "ack_p99_ms"), 1),
    ("CPU µs/delivery", ("at_reference", "cpu_us_per_delivery"), 0),
]
IDLE = [
    ("RSS KiB/connection", ("rss_per_connection_kib",), 1),
    ("÷ (b)", ("vs_bare", "rss_per_connection_kib"), 2),
    ("÷ (p)", ("vs_plain", "rss_per_connection_kib"), 2),
    ("connect p99 ms", ("connect_p99_ms",), 1),
    ("join p99 ms", ("join_p99_ms",), 1),
]


def render(document: dict) -> list[str]:
    """One table per climb and idle workload, `before → after` in every cell; [] without
    `--before`."""
    meta = document["meta"]
    paired = [(w, a, b) for w, a, b in pairs(meta["targets"]) if a and b]
    if not paired:
        return []
    lines = [
        "## Before and after",
        "",
        "Each cell is `before → after`, the same run, the versions interleaved. Climbs: figures at "
        "the workload's reference rate (the highest every target met); ÷ (b) and ÷ (p) are "
        "ratios to the bare server as it ships and declining compression, same async mode.",
        "",
    ]
    for workload in meta["workloads"]:
        columns = {"climb": CLIMB, "idle": IDLE}.get(workload["mode"])
        data = document["summary"].get(workload["key"])
        if columns is None or not data:
            continue
        rows = [_row(where, data.get(b), data.get(a), columns) for where, a, b in paired]
        rows = [r for r in rows if r]
        if not rows:
            continue
        lines += [f"### {workload['title']}", ""]
        lines.append("| target | " + " | ".join(title for title, _, _ in columns) + " |")
        lines.append("|---|" + "---|" * len(columns))
        lines += [*rows, ""]
    return lines


def _row(where: str, before: dict | None, after: dict | None, columns) -> str | None:
    """`| target | before → after | ...`, or None when neither version ran this workload."""
    if before is None and after is None:
        return None
    kind, mode, database = where.split("|")
    name = {"a": "(a) Holdspace", "c": "(c) Holdspace x2 + Redis"}[kind]
    cells = [
        f"{fmt(dig(before or {}, path), digits)} → {fmt(dig(after or {}, path), digits)}"
        for _, path, digits in columns
    ]
    return f"| {name} [{mode}, {database}] | " + " | ".join(cells) + " |"
