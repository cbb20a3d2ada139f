"""The benchmark harness end to end on a tiny load against the bare server (target b)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

pytestmark = [pytest.mark.transport, pytest.mark.xdist_group("bench-smoke")]


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """bench/node_modules, installed from the committed lock when npm is there."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the load generator is a Node program")
    installed = BENCH / "node_modules" / "socket.io-client"
    if not installed.exists():
        if shutil.which("npm") is None:
            pytest.skip("bench/node_modules is missing and npm is not installed")
        answer = subprocess.run(
            ["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if answer.returncode != 0 or not installed.exists():
            pytest.skip(f"npm ci --prefix bench failed: {answer.stderr[-500:]}")
    return installed


def test_smoke_run_against_bare_server_is_well_formed(node_modules, tmp_path):
    """`bench/run.py --profile smoke --targets b` writes JSON + Markdown with every delivery."""
    command = [sys.executable, str(BENCH / "run.py"), "--profile", "smoke", "--targets", "b"]
    answer = subprocess.run(
        [*command, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    [written] = list(tmp_path.glob("smoke-*.json"))
    document = json.loads(written.read_text())

    meta = document["meta"]
    assert meta["profile"] == "smoke"
    assert meta["machine"]["nproc"] >= 1
    assert meta["machine"]["cpu_model"]
    assert "b-eventlet" in meta["targets"]

    [run] = document["runs"]
    result = run["result"]
    assert not result.get("error"), result.get("error")
    assert result["clients"] == result["connected"] == result["joined"] == 20
    assert result["rooms"] == 2
    assert result["connect_ms"]["n"] == 20
    [step] = result["steps"]
    assert step["sent"] == step["offered_rate"] * step["seconds"] == 150
    assert step["expected_deliveries"] == 150 * 10  # the sender receives its own broadcast
    assert step["delivered"] == step["expected_deliveries"]
    assert step["delivery_ratio"] == 1.0
    assert step["duplicates"] == 0
    assert step["acks"]["ok"] == 150
    assert step["latency_ms"]["n"] == 1500
    assert step["fanout_ms"]["p99"] is not None
    assert step["fanout_incomplete"] == 0

    summary = document["summary"]["smoke"]["b-eventlet"]
    assert summary["per_rate"]["50"]["delivery_ratio"] == 1.0
    markdown = (tmp_path / "smoke.md").read_text()
    assert "bare python-socketio" in markdown
    assert "Pinning:" in markdown


def _offered_extensions(server) -> str:
    """The Sec-WebSocket-Extensions a server answers to a client offering permessage-deflate."""
    import base64
    import os
    import socket

    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            assert chunk, head
            head += chunk
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 101"), lines[0]
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    found = {name.lower(): value.strip() for name, value in headers.items()}
    return found.get("sec-websocket-extensions", "")


def test_the_like_for_like_bare_server_really_declines_compression(tmp_path):
    """Target `p` serves as Holdspace does (no permessage-deflate); plain (b) negotiates it, so
    the two ratios in the report measure what their titles say."""
    sys.path.insert(0, str(BENCH))
    from harness import servers

    as_it_comes = servers.bare_server("eventlet", tmp_path, None).start()
    try:
        assert "permessage-deflate" in _offered_extensions(as_it_comes)
    finally:
        as_it_comes.stop()
    plain = servers.bare_server("eventlet", tmp_path, None, compression=False).start()
    try:
        assert _offered_extensions(plain) == ""
    finally:
        plain.stop()
