"""What the benchmark ran on: cores, CPU model, memory, kernel, runtimes and library versions."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = [
    "python-socketio",
    "python-engineio",
    "Flask-SocketIO",
    "eventlet",
    "gevent",
    "gevent-websocket",
    "simple-websocket",
    "SQLAlchemy",
    "redis",
]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _node_version() -> str:
    try:
        return subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "missing"


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _socketio_client_version() -> str | None:
    import json

    path = Path(__file__).resolve().parents[1] / "node_modules/socket.io-client/package.json"
    return json.loads(path.read_text())["version"] if path.exists() else None


def describe_machine() -> dict:
    """The machine and software the figures belong to."""
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "mem_total_gib": _mem_total_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": _node_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "packages": {name: _version(name) for name in PACKAGES},
        "socket.io-client": _socketio_client_version(),
    }
