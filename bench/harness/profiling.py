"""`--py-spy DIR`: record each Holdspace server with py-spy while the load runs."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from harness import servers


def start(deployment, workdir: Path, out_dir: str | None, core) -> list:
    """py-spy record (raw collapsed stacks) on each Holdspace server, when --py-spy asks."""
    if not out_dir or deployment.auth.get("kind") != "holdspace":
        return []
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    started = []
    for server in deployment.servers:
        path = Path(out_dir) / f"{workdir.name}-{server.name}.txt"
        command = [spy, "record", "--pid", str(server.pid), "--format", "raw", "--nonblocking"]
        command += ["--rate", "200", "-o", str(path)]
        log = (workdir / "py-spy.log").open("ab")
        started.append(subprocess.Popen(servers.pinned(command, core), stdout=log, stderr=log))
    return started


def stop(profilers: list) -> None:
    """Let each py-spy write its profile (SIGINT), then wait for it."""
    for process in profilers:
        process.send_signal(signal.SIGINT)
    for process in profilers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
