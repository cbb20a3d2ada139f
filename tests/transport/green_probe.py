"""Probe: does a slow database query leave the eventlet hub free? Prints one JSON line.

Run as a script (never imported by pytest):
    python green_probe.py DATABASE_URL [--seconds 1.5] [--control]
It patches like `holdspace serve` does, builds the real app, runs one query in a greenlet through
`db.session` while another greenlet ticks every 10 ms, and reports the longest gap between ticks.
`--control` then removes psycopg2's green wait callback and runs the query again: that run must
show a frozen loop, proving the probe can see one.
"""

# isort: off
import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

eventlet.monkey_patch()
# isort: on

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

TICK_SECONDS = 0.01


def run(database_url: str, sleep_seconds: float) -> dict:
    """Run the slow query beside a ticker and measure how long the ticker was starved."""
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    postgres = database_url.startswith("postgresql")
    statement = "SELECT pg_sleep(:seconds)" if postgres else "SELECT :seconds"
    state = {"running": True, "ticks": 0, "max_gap": 0.0}

    def ticker() -> None:
        last = time.monotonic()
        while state["running"]:
            eventlet.sleep(TICK_SECONDS)
            now = time.monotonic()
            state["max_gap"] = max(state["max_gap"], now - last)
            state["ticks"] += 1
            last = now

    def query() -> tuple[float, str]:
        with app.app_context():
            started = time.monotonic()
            db.session.execute(text(statement), {"seconds": sleep_seconds}).all()
            took = time.monotonic() - started
            driver = db.engine.dialect.driver
            db.session.remove()
            db.engine.dispose()
            return took, driver

    tick_thread = eventlet.spawn(ticker)
    eventlet.sleep(0.05)
    query_seconds, driver = eventlet.spawn(query).wait()
    state["running"] = False
    tick_thread.wait()
    return {
        "driver": driver,
        "wait_callback": _psycopg2_wait_callback(),
        "query_seconds": round(query_seconds, 4),
        "max_gap": round(state["max_gap"], 4),
        "ticks": state["ticks"],
    }


def _psycopg2_wait_callback() -> str | None:
    """The wait callback eventlet installed into psycopg2, if any."""
    try:
        import psycopg2.extensions
    except ImportError:
        return None
    callback = psycopg2.extensions.get_wait_callback()
    return None if callback is None else f"{callback.__module__}.{callback.__qualname__}"


def main() -> None:
    """Parse the arguments, run the probe, print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--control", action="store_true")
    args = parser.parse_args()
    report = run(args.database_url, args.seconds)
    if args.control:
        import psycopg2.extensions

        psycopg2.extensions.set_wait_callback(None)
        report["control"] = run(args.database_url, args.seconds)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
