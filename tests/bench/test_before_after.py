"""`--before PATH`: the older checkout's Holdspace targets beside this one's, and the floor
judged for both (no load, no Node)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402
from harness import floor, markdown, report, servers, targets, workloads  # noqa: E402
from harness.checkouts import Checkout  # noqa: E402


@pytest.fixture
def old_checkout(tmp_path) -> Path:
    """A stand-in for an older checkout: its own .venv's Python and its bench scripts."""
    root = tmp_path / "before"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
    (root / "bench").mkdir()
    for name in ("serve_holdspace.py", "setup_holdspace.py"):
        (root / "bench" / name).write_text("")
    return root


def test_before_adds_every_holdspace_target_from_that_checkout(old_checkout, monkeypatch):
    """Each (a) and (c) target also runs from PATH, keyed `-before-`, right after its own;
    the bare servers run once."""
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_base")
    args = run.parse_args(["--before", str(old_checkout), "--modes", "eventlet"])
    _, chosen, _ = run.plan(args)
    assert [t.key for t in chosen] == [
        "b-eventlet",
        "b-plain-eventlet",
        "a-sqlite-eventlet",
        "a-before-sqlite-eventlet",
        "a-postgresql-eventlet",
        "a-before-postgresql-eventlet",
        "c-redis2-postgresql-eventlet",
        "c-before-redis2-postgresql-eventlet",
    ]
    by_key = {t.key: t for t in chosen}
    old = by_key["a-before-sqlite-eventlet"]
    assert (old.version, old.checkout) == ("before", str(old_checkout.resolve()))
    assert old.baseline_key == "b-eventlet" and old.plain_baseline_key == "b-plain-eventlet"
    assert (by_key["a-sqlite-eventlet"].version, by_key["a-sqlite-eventlet"].checkout) == ("", "")


def test_a_before_server_runs_that_checkouts_own_python_and_scripts(old_checkout, tmp_path):
    """`holdspace serve` of the old checkout: its .venv's Python, its serve_holdspace.py."""
    checkout = Checkout.of(str(old_checkout))
    server = servers.holdspace_server("x", {}, tmp_path, None, checkout)
    assert server.command[:2] == [
        str(old_checkout / ".venv" / "bin" / "python"),
        str(old_checkout / "bench" / "serve_holdspace.py"),
    ]
    assert checkout.script("setup_holdspace.py") == str(old_checkout / "bench/setup_holdspace.py")
    this = servers.holdspace_server("y", {}, tmp_path, None)
    assert this.command[:2] == [sys.executable, str(ROOT / "bench" / "serve_holdspace.py")]


def test_before_refuses_a_checkout_that_is_not_installed(old_checkout):
    """A checkout without its .venv stops the run before anything starts, saying what to do."""
    (old_checkout / ".venv" / "bin" / "python").unlink()
    with pytest.raises(SystemExit, match="make install"):
        run.plan(run.parse_args(["--before", str(old_checkout)]))


def test_the_versions_take_turns_going_first(old_checkout):
    """Every target once per repeat; the before/after pair swaps on even repeats."""
    chosen = targets.all_targets(["eventlet"], ["b", "a"], str(old_checkout))
    first, second = targets.run_order(chosen, 1), targets.run_order(chosen, 2)
    assert sorted(t.key for t in second) == sorted(t.key for t in chosen)
    keys = [t.key for t in first]
    assert keys.index("a-sqlite-eventlet") < keys.index("a-before-sqlite-eventlet")
    keys = [t.key for t in second]
    assert keys.index("a-before-sqlite-eventlet") < keys.index("a-sqlite-eventlet")


def test_two_processes_run_only_the_loads_and_a_failed_probe_skips_only_its_checkout(
    old_checkout, monkeypatch
):
    """(c) is measured under load (the memory floor is one process); a checkout whose live
    room did not answer loses its own targets, not the other version's."""
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)  # (c) on SQLite, whatever CI sets
    chosen = {t.key: t for t in targets.all_targets(["eventlet"], ["a", "c"], str(old_checkout))}
    loads = {w.key: w for w in workloads.full_workloads()}
    usable = {"": (True, ""), str(old_checkout.resolve()): (False, "no deliveries")}
    assert run.skip_reason(chosen["c-redis2-sqlite-eventlet"], loads["idle"], usable)
    assert run.skip_reason(chosen["c-redis2-sqlite-eventlet"], loads["sunday"], usable) is None
    assert run.skip_reason(chosen["a-sqlite-eventlet"], loads["rooms10"], usable) is None
    assert run.skip_reason(chosen["a-before-sqlite-eventlet"], loads["rooms10"], usable)


def _climb(workload, target, capacity, p99, rate=100):
    step = {
        "offered_rate": rate,
        "passed": p99 is not None,
        "delivery_ratio": 1.0 if p99 is not None else 0.9,
        "fanout_ms": {"p50": 1.0, "p99": p99},
    }
    result = {"steps": [step], "capacity": capacity}
    return {"workload": workload, "target": target, "baseline": "b-eventlet", "result": result}


def _idle(target, rss):
    result = {"rss_per_connection_kib": rss}
    return {"workload": "idle", "target": target, "baseline": "b-eventlet", "result": result}


def test_the_floor_is_judged_for_before_and_after_against_the_bare_server(old_checkout):
    """Capacity and memory as ratios to (b), the Sunday p99 in ms; a Sunday repeat that lost a
    message counts as never arriving, however fast the others were."""
    chosen = targets.all_targets(["eventlet"], ["b", "a"], str(old_checkout))
    runs = [
        _climb("rooms10", "b-eventlet", 1000, 20.0),
        _climb("rooms10", "a-sqlite-eventlet", 900, 30.0),
        _climb("rooms10", "a-before-sqlite-eventlet", 700, 30.0),
        _climb("sunday", "b-eventlet", None, 10.0, 25),
        *(_climb("sunday", "a-sqlite-eventlet", None, p99, 25) for p99 in (8.0, 9.0, 7.0)),
        *(_climb("sunday", "a-before-sqlite-eventlet", None, p, 25) for p in (8.0, None, None)),
        _idle("b-eventlet", 100.0),
        _idle("a-sqlite-eventlet", 110.0),
        _idle("a-before-sqlite-eventlet", 130.0),
    ]
    meta = {
        "targets": {t.key: vars(t) for t in chosen},
        "checkouts": {"this": {"commit": "new1"}, "before": {"commit": "old1"}},
    }
    document = {"meta": meta, "summary": report.summarise(runs), "runs": runs}
    table = "\n".join(floor.render(document))
    assert "before (old1)" in table and "after (new1)" in table
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    capacity = rows["capacity ≥ 0.8x (b), rooms of 10"]
    assert (
        "| 0.70x (700 msg/s) (each 700) | **no** | 0.90x (900 msg/s) (each 900) | yes |" in capacity
    )
    sunday = rows["Sunday fan-out p99 ≤ 50 ms, one process"]
    assert "never ms (each 8.0, never, never) | **no** |" in sunday
    assert "8.0 ms, 0.80x (b) (each 8.0, 9.0, 7.0) | yes |" in sunday
    idle = rows["2,000 idle: RSS per connection ≤ 1.2x (b)"]
    assert "| 1.30x (130.0 KiB) | **no** | 1.10x (110.0 KiB) | yes |" in idle
    assert "rooms of 25" not in table  # not run: no line, rather than a line of dashes


def test_the_report_labels_the_versions_and_puts_them_side_by_side(old_checkout):
    """The before target is named as such; the before/after table reads `before → after`."""
    chosen = targets.all_targets(["eventlet"], ["b", "a"], str(old_checkout))
    runs = [
        _climb("rooms10", "b-eventlet", 1000, 20.0),
        _climb("rooms10", "a-sqlite-eventlet", 900, 30.0),
        _climb("rooms10", "a-before-sqlite-eventlet", 700, 30.0),
    ]
    document = {
        "meta": {
            "started_at": "now",
            "profile": "full",
            "repeats": 1,
            "wall_s": 1.0,
            "json_name": "x.json",
            "machine": {"cpu_model": "cpu", "nproc": 2, "mem_total_gib": 1, "kernel": "k"}
            | {"python": "3.11", "node": "v20"},
            "pinning": {"description": "off"},
            "workloads": [{"key": "rooms10", "mode": "climb", "title": "rooms of 10"}],
            "targets": {t.key: vars(t) for t in chosen},
            "checkouts": {"this": {"commit": "new1"}, "before": {"commit": "old1", "root": "/o"}},
        },
        "summary": report.summarise(runs),
    }
    text = markdown.render(document)
    assert "(a) Holdspace before [eventlet, sqlite]" in text
    assert "| (a) Holdspace [eventlet, sqlite] | 700 → 900 | 0.70 → 0.90 |" in text
    assert text.index("## The floor") < text.index("## Before and after") < text.index("## rooms")
