"""Medians over repeats, ratios to the bare server, and the Markdown summary."""

from __future__ import annotations

import statistics
from collections import defaultdict

STEP_FIGURES = {
    "deliveries_per_s": ("deliveries_per_s",),
    "delivery_ratio": ("delivery_ratio",),
    "latency_p50_ms": ("latency_ms", "p50"),
    "latency_p99_ms": ("latency_ms", "p99"),
    "fanout_p50_ms": ("fanout_ms", "p50"),
    "fanout_p99_ms": ("fanout_ms", "p99"),
    "ack_p99_ms": ("ack_ms", "p99"),
    "cpu_us_per_delivery": ("server_cpu_us_per_delivery",),
    "generator_lag_p99_ms": ("generator_lag_ms", "p99"),
    "generator_cpu_s": ("generator_cpu_s",),
    "server_cpu_share": ("server_cpu_share",),
    "server_core_busy": ("core_busy", "cpu0"),
    "generator_core_busy": ("core_busy", "cpu1"),
}
# Lower is better for these; a ratio above 1 means Holdspace costs more than the bare server.
RUN_FIGURES = {
    "connect_p50_ms": ("connect_ms", "p50"),
    "connect_p99_ms": ("connect_ms", "p99"),
    "join_p99_ms": ("join_ms", "p99"),
    "rss_per_connection_kib": ("rss_per_connection_kib",),
}


def dig(data, path):
    """data[path[0]][path[1]]..., or None."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def median(values):
    """Median of the values that exist, rounded; None when there are none."""
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def ratio(value, base):
    """value / base, or None."""
    if value is None or base in (None, 0):
        return None
    return round(value / base, 3)


def summarise(runs: list[dict]) -> dict:
    """Per workload and target: medians over repeats, and every Holdspace figure over (b)'s
    (`vs_bare`) and over the like-for-like (p)'s (`vs_plain`)."""
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for run in runs:
        if run.get("result") is not None and not run.get("skipped"):
            grouped[run["workload"]][run["target"]].append(run)
    summary: dict[str, dict] = {}
    for workload, by_target in grouped.items():
        summary[workload] = {t: _target_summary(rs) for t, rs in by_target.items()}
        _add_reference(summary[workload])
        for field, baseline in (
            ("vs_bare", "baseline"),
            ("vs_plain", "plain_baseline"),
        ):
            baselines = {t: rs[0].get(baseline) for t, rs in by_target.items()}
            _add_ratios(summary[workload], baselines, field)
    return summary


def _target_summary(runs: list[dict]) -> dict:
    """Medians of one target's repeats."""
    results = [r["result"] for r in runs]
    out = {
        "repeats": len(results),
        "errors": [r["result"]["error"][:300] for r in runs if r["result"].get("error")],
        "disconnects": [r["result"].get("disconnects", {}) for r in runs],
    }
    for name, path in RUN_FIGURES.items():
        out[name] = median([dig(r, path) for r in results])
    if any("steps" in r for r in results):
        out["capacity"] = median([r.get("capacity") for r in results])
        out["capacity_each"] = [r.get("capacity") for r in results]
        out["broke_at_each"] = [r.get("broke_at") for r in results]
        by_rate: dict[int, list[dict]] = defaultdict(list)
        for result in results:
            for step in result.get("steps", []):
                by_rate[step["offered_rate"]].append(step)
        out["per_rate"] = {
            rate: {
                "repeats": len(steps),
                "passed": sum(1 for s in steps if s["passed"]),
                **{name: median([dig(s, p) for s in steps]) for name, p in STEP_FIGURES.items()},
            }
            for rate, steps in sorted(by_rate.items())
        }
    if any("pages" in r for r in results):
        out["pages"] = _pages(results)
    return out


def _pages(results: list[dict]) -> dict:
    """HTTP figures per page, or the reason the page was skipped."""
    pages: dict[str, dict] = {}
    names = {name for r in results for name in r.get("pages", {})}
    for name in sorted(names):
        entries = [r["pages"][name] for r in results if name in r.get("pages", {})]
        measured = [e for e in entries if "latency_ms" in e]
        if not measured:
            pages[name] = {"path": entries[0]["path"], "skipped": entries[0].get("skipped")}
            continue
        pages[name] = {
            "path": measured[0]["path"],
            "p50_ms": median([e["latency_ms"]["p50"] for e in measured]),
            "p99_ms": median([e["latency_ms"]["p99"] for e in measured]),
            "requests_per_s": median([e["requests_per_s"] for e in measured]),
            "notes": sorted({e["note"] for e in measured if e.get("note")}),
        }
    return pages


def _add_reference(workload: dict) -> None:
    """The reference rate: the highest rate every target ran at and met the capacity rule."""
    climbing = [s for s in workload.values() if "per_rate" in s]
    if not climbing:
        return
    common = set.intersection(*(set(s["per_rate"]) for s in climbing))
    lowest = min((s.get("capacity") or 0) for s in climbing)
    stable = [rate for rate in common if rate <= lowest]
    reference = max(stable) if stable else min(common, default=None)
    for target in workload.values():
        if "per_rate" in target:
            target["reference_rate"] = reference
            target["at_reference"] = target["per_rate"].get(reference)
            top = target.get("capacity")
            target["at_capacity"] = target["per_rate"].get(top) if top else None


def _add_ratios(workload: dict, baselines: dict[str, str | None], field: str) -> None:
    """Holdspace figure / bare figure, same async mode, into each target's `field`."""
    for key, target in workload.items():
        base = workload.get(baselines.get(key) or "")
        if base is None or base is target:
            continue
        ratios = {name: ratio(target.get(name), base.get(name)) for name in RUN_FIGURES}
        ratios["capacity"] = ratio(target.get("capacity"), base.get("capacity"))
        mine, theirs = target.get("at_reference"), base.get("at_reference")
        if mine and theirs:
            for name in STEP_FIGURES:
                ratios[f"{name}@reference"] = ratio(mine.get(name), theirs.get(name))
        target[field] = ratios


def fmt(value, digits: int = 1) -> str:
    """A table cell."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if abs(value) < 1e5 else f"{value:.3g}"
    return str(value)
