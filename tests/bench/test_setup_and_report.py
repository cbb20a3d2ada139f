"""The Holdspace setup script and the report's medians and ratios (no load, no Node)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from harness import markdown, report, servers, targets  # noqa: E402


def test_setup_holdspace_makes_live_sessions_with_their_members(tmp_path):
    """Members, approved memberships and one live session per room, as JSON."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "DATABASE_URL"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.db'}",
        "HOLDSPACE_INSTANCE": str(tmp_path / "instance"),
        "SECRET_KEY": "setup-test-secret-key-0123456789",
    }
    command = [sys.executable, str(ROOT / "bench" / "setup_holdspace.py")]
    answer = subprocess.run(
        [*command, "--clients", "5", "--room-size", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr
    made = json.loads(answer.stdout)
    assert len(made["members"]) == 5
    assert len(made["sessions"]) == len(made["circles"]) == 3
    rooms = [m["room"] for m in made["members"]]
    assert rooms == [made["sessions"][i // 2] for i in range(5)]

    check = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**env, "HOLDSPACE_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout) == {"live": 3, "approved": 5, "facilitators": 3, "login": True}


CHECK = """
import json
from app import create_app
from app.auth import services
from app.circles.models import CircleSession, Membership
from app.extensions import db
app = create_app()
with app.app_context():
    sessions = db.session.query(CircleSession).all()
    members = db.session.query(Membership).all()
    print(json.dumps({
        "live": sum(s.state == "live" and s.phase == "arrival" for s in sessions),
        "approved": sum(m.status == "approved" for m in members),
        "facilitators": sum(m.role == "facilitator" for m in members),
        "login": services.authenticate("bench_0000_001", "bench-password-0123") is not None,
    }))
"""


def _run(target, baseline, capacity, fanout_p99, rss, plain_baseline=None):
    step = {
        "offered_rate": 100,
        "passed": True,
        "deliveries_per_s": 1000,
        "delivery_ratio": 1.0,
        "latency_ms": {"p50": 1.0, "p99": 2.0},
        "fanout_ms": {"p50": 2.0, "p99": fanout_p99},
        "ack_ms": {"p99": 3.0},
        "server_cpu_us_per_delivery": 50.0,
    }
    return {
        "workload": "rooms10",
        "target": target,
        "baseline": baseline,
        "plain_baseline": plain_baseline,
        "result": {
            "steps": [step],
            "capacity": capacity,
            "connect_ms": {"p50": 5.0, "p99": 10.0},
            "rss_per_connection_kib": rss,
        },
    }


def test_summary_takes_medians_and_divides_by_the_bare_server():
    """Medians over repeats; every Holdspace figure also as a ratio to (b) in the same mode."""
    runs = [
        _run("b-eventlet", None, 1000, 10.0, 20.0),
        _run("b-eventlet", None, 700, 12.0, 22.0),
        _run("b-eventlet", None, 1500, 14.0, 24.0),
        _run("a-sqlite-eventlet", "b-eventlet", 400, 30.0, 44.0),
    ]
    summary = report.summarise(runs)["rooms10"]
    bare, app = summary["b-eventlet"], summary["a-sqlite-eventlet"]
    assert bare["capacity"] == 1000
    assert bare["per_rate"][100]["fanout_p99_ms"] == 12.0
    assert bare["rss_per_connection_kib"] == 22.0
    assert app["vs_bare"]["capacity"] == 0.4
    assert app["vs_bare"]["rss_per_connection_kib"] == 2.0
    assert app["vs_bare"]["fanout_p99_ms@reference"] == 2.5
    assert "vs_bare" not in bare


def test_holdspace_is_also_divided_by_the_bare_server_declining_compression():
    """The like-for-like ratio: (b) serving as Holdspace does, without permessage-deflate."""
    runs = [
        _run("b-eventlet", None, 400, 10.0, 20.0),
        _run("b-plain-eventlet", None, 1000, 8.0, 16.0),
        _run("a-sqlite-eventlet", "b-eventlet", 500, 30.0, 40.0, "b-plain-eventlet"),
    ]
    summary = report.summarise(runs)["rooms10"]
    app = summary["a-sqlite-eventlet"]
    assert app["vs_bare"]["capacity"] == 1.25
    assert app["vs_plain"]["capacity"] == 0.5
    assert app["vs_plain"]["rss_per_connection_kib"] == 2.5
    assert "vs_plain" not in summary["b-plain-eventlet"]
    described = {
        "b-eventlet": {"kind": "b", "mode": "eventlet", "compression": True},
        "b-plain-eventlet": {"kind": "b", "mode": "eventlet", "compression": False},
        "a-sqlite-eventlet": {"kind": "a", "mode": "eventlet", "database": "sqlite"},
    }
    text = "\n".join(markdown._climb(summary, described))
    assert "(b) bare python-socketio [eventlet, no compression]" in text
    like, as_it_comes = text.index("like for like"), text.index("as it comes")
    assert like < as_it_comes  # the like-for-like ratios come first
    assert "| (a) Holdspace [eventlet, sqlite] | 0.50 |" in text[like:as_it_comes]
    assert "| (a) Holdspace [eventlet, sqlite] | 1.25 |" in text[as_it_comes:]


def test_the_like_for_like_bare_server_declines_compression(tmp_path, monkeypatch):
    """Target `p` is the bare server with BENCH_BARE_NO_DEFLATE; plain (b) never has it."""
    monkeypatch.setenv("BENCH_BARE_NO_DEFLATE", "1")
    chosen = targets.all_targets(["eventlet"], ["b", "p"])
    by_key = {t.key: t for t in chosen}
    assert set(by_key) == {"b-eventlet", "b-plain-eventlet"}
    assert by_key["b-eventlet"].compression and not by_key["b-plain-eventlet"].compression
    holdspace = targets.Target("a-sqlite-eventlet", "a", "eventlet", "sqlite")
    assert holdspace.plain_baseline_key in by_key and holdspace.baseline_key in by_key
    plain = servers.bare_server("eventlet", tmp_path, None, compression=False)
    as_it_comes = servers.bare_server("eventlet", tmp_path, None)
    assert plain.env["BENCH_BARE_NO_DEFLATE"] == "1"
    assert "BENCH_BARE_NO_DEFLATE" not in as_it_comes.env
    assert plain.name != as_it_comes.name


def test_markdown_renders_a_table_per_workload():
    """The summary renders without the JSON at hand."""
    runs = [_run("b-eventlet", None, 1000, 10.0, 20.0)]
    document = {
        "meta": {
            "started_at": "now",
            "profile": "full",
            "repeats": 1,
            "wall_s": 1.0,
            "json_name": "x.json",
            "machine": {
                "cpu_model": "cpu",
                "nproc": 2,
                "mem_total_gib": 1,
                "kernel": "k",
                "python": "3.11",
                "node": "v20",
            },
            "pinning": {"description": "off"},
            "workloads": [{"key": "rooms10", "mode": "climb", "title": "rooms of 10"}],
            "targets": {"b-eventlet": {"kind": "b", "mode": "eventlet", "database": "none"}},
            "skipped": ["targets (a): not here"],
        },
        "summary": report.summarise(runs),
    }
    text = markdown.render(document)
    assert "## rooms of 10" in text
    assert "(b) bare python-socketio [eventlet]" in text
    assert "targets (a): not here" in text


def test_fixed_rates_replace_the_climb_but_not_the_sunday_load():
    """`--rates` turns a climb into a short fixed-rate check; Sunday keeps its 25 msg/s."""
    import run

    chosen, _, _ = run.plan(run.parse_args(["--rates", "50,100", "--workloads", "rooms10,sunday"]))
    assert {w.key: w.generator["rates"] for w in chosen} == {"rooms10": [50, 100], "sunday": [25]}
    untouched, _, _ = run.plan(run.parse_args(["--workloads", "rooms10"]))
    assert untouched[0].generator["rates"][0] == 100 and len(untouched[0].generator["rates"]) > 2


def test_the_climb_covers_the_issues_range_and_goes_on_in_fine_enough_steps():
    """100 to 2,000 as the issue asks, then on until the fastest target breaks: a ratio to a
    limit the climb never reached says nothing. The grid is the resolution of every capacity
    ratio, so no step is more than 50 % above the last, nor 25 % from 400 up."""
    import itertools

    from harness.workloads import CLIMB_RATES, full_workloads

    assert CLIMB_RATES[0] == 100 and 2000 in CLIMB_RATES and CLIMB_RATES[-1] >= 5000
    for lower, upper in itertools.pairwise(CLIMB_RATES):
        assert upper > lower
        assert upper <= lower * (1.25 if lower >= 400 else 1.5), (lower, upper)
    climbs = {w.key: w.generator for w in full_workloads() if w.key in ("rooms10", "rooms25")}
    assert all(g["rates"] == CLIMB_RATES and g["stop_after_failures"] == 2 for g in climbs.values())
