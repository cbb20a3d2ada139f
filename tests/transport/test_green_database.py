"""The database driver stays green under eventlet: a slow query does not freeze the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.live_server import TemporaryPostgresDatabase

PROBE = Path(__file__).with_name("green_probe.py")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLEEP_SECONDS = 1.5
# A frozen loop would show a gap as long as the query; a green one ticks every ~10 ms.
LARGEST_ACCEPTABLE_GAP = 0.5


def run_probe(database_url: str, tmp_path: Path, *extra: str) -> dict:
    """Run green_probe.py in its own process (it must patch before anything imports socket)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEST_", "PYTEST", "DATABASE_URL", "REDIS_URL"))
    }
    env["HOLDSPACE_INSTANCE"] = str(tmp_path / "instance")
    result = subprocess.run(
        [sys.executable, str(PROBE), database_url, "--seconds", str(SLEEP_SECONDS), *extra],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database, or a skip when TEST_DATABASE_URL is unset."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set (the green driver check needs PostgreSQL)")
    temporary = TemporaryPostgresDatabase(base)
    yield temporary.create()
    temporary.drop()


def test_postgres_query_does_not_block_the_event_loop(postgres_url, tmp_path):
    report = run_probe(postgres_url, tmp_path, "--control")
    assert report["driver"] == "psycopg2"
    assert report["wait_callback"] and report["wait_callback"].startswith("eventlet.")
    assert report["query_seconds"] >= SLEEP_SECONDS * 0.9, "pg_sleep did not really run"
    assert report["max_gap"] < LARGEST_ACCEPTABLE_GAP, report
    # Control: without the green wait callback the same query freezes the loop, so the probe
    # really can tell a blocking driver from a green one.
    control = report["control"]
    assert control["wait_callback"] is None
    assert control["max_gap"] >= SLEEP_SECONDS * 0.9, control


def test_probe_runs_on_sqlite(tmp_path):
    report = run_probe(f"sqlite:///{tmp_path / 'probe.db'}", tmp_path)
    assert report["driver"] == "pysqlite"
    assert report["ticks"] > 0
