"""`holdspace serve` for the benchmark: the same server, with the journal key wrap at test strength.

A member's first login re-wraps their journal key with the production Argon2id parameters
(64 MiB, 3 passes): on a busy core that made 500 logins take minutes and 2,000 logins most of
the time budget, all before the first message. Like the shared test-strength password hash of
bench/setup_holdspace.py, this keeps key derivation out of a benchmark of the live room.
Everything else is exactly `holdspace serve` (same CLI, same green runtime, same app).
usage: python bench/serve_holdspace.py --host 127.0.0.1 --port 5000
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# app/green.py monkey-patches only when the process looks like `holdspace serve`.
sys.argv = [str(Path(sys.executable).with_name("holdspace")), "serve", *sys.argv[1:]]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app  # noqa: E402,F401 (patches the runtime first)
from app.journal import keys  # noqa: E402

keys.PRODUCTION_KDF = keys.TEST_KDF


def watch_stalls(path: str) -> None:
    """Diagnostics (BENCH_STALLS=FILE): log garbage-collection pauses and event-loop stalls.

    A greenlet that wakes every 5 ms notes how late it woke; anything that blocks the whole
    process (a collection, a synchronous SQLite call) shows as lateness. Every 5 s one line goes
    to FILE: the worst lateness, how many wakes were over 20 ms late, and the collections.
    """
    import gc
    import json
    import time

    from app.extensions import socketio

    pauses: list[tuple[int, float]] = []
    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            pauses.append((info["generation"], (time.perf_counter() - started.pop("t")) * 1e3))

    gc.callbacks.append(on_gc)

    def ticker() -> None:
        worst, late, window = 0.0, 0, time.monotonic()
        while True:
            before = time.monotonic()
            socketio.sleep(0.005)
            lateness = (time.monotonic() - before - 0.005) * 1e3
            worst = max(worst, lateness)
            late += lateness > 20
            if time.monotonic() - window >= 5:
                taken = list(pauses)
                pauses.clear()
                line = {
                    "at": round(time.time(), 1),
                    "worst_ms": round(worst, 1),
                    "late_over_20ms": late,
                    "gc": [sum(1 for g, _ in taken if g == n) for n in range(3)],
                    "gc_worst_ms": round(max((ms for _, ms in taken), default=0.0), 1),
                    "gc_total_ms": round(sum(ms for _, ms in taken), 1),
                }
                with open(path, "a") as out:
                    out.write(json.dumps(line) + "\n")
                worst, late, window = 0.0, 0, time.monotonic()

    socketio.start_background_task(ticker)


def refreeze_every(seconds: float) -> None:
    """Experiment (BENCH_REFREEZE=SECONDS, not the product): every SECONDS collect the young
    generations and freeze the survivors (tried and not kept; docs/performance.md, gc.freeze)."""
    import gc

    from app.extensions import socketio

    def refreeze() -> None:
        while True:
            socketio.sleep(seconds)
            gc.collect(1)
            gc.freeze()

    socketio.start_background_task(refreeze)


if os.environ.get("BENCH_STALLS") or os.environ.get("BENCH_REFREEZE"):
    from app.core import serving

    _serve = serving.serve

    def serve_with_diagnostics(*args, **kwargs):
        """Start the asked-for diagnostics inside the server process, then serve as usual."""
        if os.environ.get("BENCH_STALLS"):
            watch_stalls(os.environ["BENCH_STALLS"])
        if os.environ.get("BENCH_REFREEZE"):
            refreeze_every(float(os.environ["BENCH_REFREEZE"]))
        return _serve(*args, **kwargs)

    serving.serve = serve_with_diagnostics

from app.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
