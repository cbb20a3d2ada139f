"""bench/results/latest.md: the run's tables, readable without opening the JSON."""

from __future__ import annotations

from harness import compare, floor
from harness.report import fmt

KIND_NAMES = {
    "a": "(a) Holdspace",
    "b": "(b) bare python-socketio",
    "c": "(c) Holdspace x2 + Redis",
}


def render(document: dict) -> str:
    """The whole Markdown summary."""
    meta = document["meta"]
    lines = [
        "# Holdspace benchmark: latest run",
        "",
        f"Run {meta['started_at']} (profile `{meta['profile']}`, {meta['repeats']} repeat(s), "
        f"{meta['wall_s']:.0f} s). Medians over repeats. Raw data: `{meta['json_name']}`.",
        "",
        _machine(meta),
        "",
        *_checkouts(meta),
        *floor.render(document),
        *compare.render(document),
    ]
    summary = document["summary"]
    for workload in meta["workloads"]:
        if workload["key"] in summary:
            lines += _workload(workload, summary[workload["key"]], meta["targets"])
    if meta.get("skipped"):
        lines += ["## Not measured in this run", ""]
        lines += [f"- {note}" for note in meta["skipped"]]
        lines.append("")
    return "\n".join(lines)


def _machine(meta: dict) -> str:
    machine = meta["machine"]
    pin = meta["pinning"]
    return (
        f"Machine: {machine['cpu_model']}, {machine['nproc']} cores, "
        f"{machine['mem_total_gib']} GiB RAM, Linux {machine['kernel']}, "
        f"Python {machine['python']}, Node {machine['node']}. Pinning: {pin['description']}."
    )


def _checkouts(meta: dict) -> list[str]:
    """Which code each version ran (its commit) and whether the libraries were the same."""
    found = meta.get("checkouts", {})
    if "before" not in found:
        return []
    this, before = found.get("this", {}), found["before"]
    same = this.get("packages") == before.get("packages")
    return [
        f"Before: `{before.get('root')}` at {before.get('commit')}; after: this checkout at "
        f"{this.get('commit')}. Library versions "
        + ("identical in both environments." if same else "differ: see `meta.checkouts`."),
        "",
    ]


def _label(targets: dict, key: str) -> str:
    target = targets.get(key, {})
    kind = KIND_NAMES.get(target.get("kind"), key)
    if target.get("version"):
        kind += f" {target['version']}"
    database = target.get("database")
    database = f", {database}" if database and database != "none" else ""
    plain = ", no compression" if target.get("compression") is False else ""
    return f"{kind} [{target.get('mode')}{database}{plain}]"


def _workload(workload: dict, data: dict, targets: dict) -> list[str]:
    lines = [f"## {workload['title']}", ""]
    if workload["mode"] == "climb":
        lines += _climb(data, targets)
    elif workload["mode"] == "idle":
        lines += _idle(data, targets)
    else:
        lines += _http(data, targets)
    errors = [(k, e) for k, t in data.items() for e in t.get("errors", [])]
    if errors:
        lines += ["Errors:", ""] + [f"- {_label(targets, k)}: `{e[:200]}`" for k, e in errors]
        lines.append("")
    return lines


def _climb(data: dict, targets: dict) -> list[str]:
    reference = next((t.get("reference_rate") for t in data.values()), None)
    lines = [
        f"Capacity = highest offered rate with delivery ratio ≥ 0.999 and fan-out p99 ≤ 100 ms. "
        f"Figures at the reference rate {reference} msg/s (the highest rate every target met).",
        "",
        "| target | capacity msg/s (each) | deliveries/s | delivery ratio | latency p50/p99 ms "
        "| fan-out p50/p99 ms | ack p99 ms | server CPU µs/delivery | connect p50/p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines[0:0] = _noise(data)
    for key, t in data.items():
        at = t.get("at_reference") or {}
        lines.append(
            f"| {_label(targets, key)} | {fmt(t.get('capacity'), 0)} ({_each(t)}) "
            f"| {fmt(at.get('deliveries_per_s'), 0)} | {fmt(at.get('delivery_ratio'), 4)} "
            f"| {fmt(at.get('latency_p50_ms'))} / {fmt(at.get('latency_p99_ms'))} "
            f"| {fmt(at.get('fanout_p50_ms'))} / {fmt(at.get('fanout_p99_ms'))} "
            f"| {fmt(at.get('ack_p99_ms'))} | {fmt(at.get('cpu_us_per_delivery'), 0)} "
            f"| {fmt(t.get('connect_p50_ms'))} / {fmt(t.get('connect_p99_ms'))} |"
        )
    lines.append("")
    lines += _ratios(
        data,
        targets,
        [
            "capacity",
            "fanout_p99_ms@reference",
            "latency_p99_ms@reference",
            "ack_p99_ms@reference",
            "cpu_us_per_delivery@reference",
            "connect_p99_ms",
        ],
    )
    lines += [
        "Per offered rate (medians; passed = repeats meeting the capacity rule; gen lag = how late "
        "the generator sent, to show it kept up; core 0 busy vs the server's own share shows "
        "other work on the server's core):",
        "",
        "| target | rate | passed | deliveries/s | ratio | fan-out p50/p99 ms | ack p99 ms "
        "| CPU µs/delivery | gen lag p99 ms | server share / core 0 busy |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, t in data.items():
        for rate, s in t.get("per_rate", {}).items():
            lines.append(
                f"| {_label(targets, key)} | {rate} | {s['passed']}/{s['repeats']} "
                f"| {fmt(s['deliveries_per_s'], 0)} | {fmt(s['delivery_ratio'], 4)} "
                f"| {fmt(s['fanout_p50_ms'])} / {fmt(s['fanout_p99_ms'])} | {fmt(s['ack_p99_ms'])} "
                f"| {fmt(s['cpu_us_per_delivery'], 0)} | {fmt(s['generator_lag_p99_ms'])} "
                f"| {fmt(s['server_cpu_share'], 2)} / {fmt(s['server_core_busy'], 2)} |"
            )
    lines.append("")
    return lines


def _noise(data: dict) -> list[str]:
    """Warn when the server's core was busy with other work (figures then look worse)."""
    worst = 0.0
    for target in data.values():
        for step in target.get("per_rate", {}).values():
            busy, share = step.get("server_core_busy"), step.get("server_cpu_share")
            if busy is not None and share is not None:
                worst = max(worst, busy - share)
    if worst < 0.2:
        return []
    return [
        f"**Noisy machine**: core 0 was up to {worst:.0%} busy with work other than the "
        "server(s) during some steps; these figures are pessimistic. Re-run on a quiet machine.",
        "",
    ]


def _each(target: dict) -> str:
    return ", ".join(fmt(c, 0) for c in target.get("capacity_each", []))


RATIO_TITLES = {
    "vs_plain": "Holdspace ÷ bare server declining compression, as Holdspace serves "
    "(like for like; same async mode):",
    "vs_bare": "Holdspace ÷ bare server as it comes (compression negotiated; same async mode):",
}


def _ratios(data: dict, targets: dict, names: list[str]) -> list[str]:
    lines: list[str] = []
    for field, title in RATIO_TITLES.items():
        rows = [(k, t[field]) for k, t in data.items() if t.get(field)]
        if not rows:
            continue
        header = "| target | " + " | ".join(names) + " |"
        lines += [title, "", header, "|---|" + "---|" * len(names)]
        for key, ratios in rows:
            cells = " | ".join(fmt(ratios.get(n), 2) for n in names)
            lines.append(f"| {_label(targets, key)} | {cells} |")
        lines.append("")
    return lines


def _idle(data: dict, targets: dict) -> list[str]:
    lines = [
        "| target | RSS per connection KiB | connect p50/p99 ms | join p99 ms |",
        "|---|---|---|---|",
    ]
    for key, t in data.items():
        lines.append(
            f"| {_label(targets, key)} | {fmt(t.get('rss_per_connection_kib'))} "
            f"| {fmt(t.get('connect_p50_ms'))} / {fmt(t.get('connect_p99_ms'))} "
            f"| {fmt(t.get('join_p99_ms'))} |"
        )
    lines.append("")
    return lines + _ratios(data, targets, ["rss_per_connection_kib", "connect_p99_ms"])


def _http(data: dict, targets: dict) -> list[str]:
    lines = ["| target | page | p50 ms | p99 ms | requests/s | note |", "|---|---|---|---|---|---|"]
    for key, t in data.items():
        for name, page in t.get("pages", {}).items():
            if page.get("skipped"):
                lines.append(f"| {_label(targets, key)} | {name} | — | — | — | {page['skipped']} |")
            else:
                note = "; ".join(page.get("notes", []))
                lines.append(
                    f"| {_label(targets, key)} | {name} `{page['path']}` | {fmt(page['p50_ms'])} "
                    f"| {fmt(page['p99_ms'])} | {fmt(page['requests_per_s'])} | {note} |"
                )
    lines.append("")
    return lines
