"""Measure the journal's costs: Argon2id KEK and login time, and list/search/insights at scale.

Usage: .venv/bin/python bench/journal_bench.py [--entries 2000] [--database-url URL]
Prints figures; asserts nothing. Uses the production Argon2 parameters for the login figures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta

PASSWORD = "a long bench passphrase"  # noqa: S105 (a throwaway bench account)
WORDS = [
    "breath",
    "tears",
    "shoulders",
    "rain",
    "music",
    "mother",
    "work",
    "quiet",
    "lighter",
    "heavy",
    "morning",
    "evening",
    "circle",
    "kettle",
    "window",
    "tired",
    "grateful",
    "letter",
    "walk",
    "ocean",
    "forest",
    "chest",
    "throat",
    "warm",
    "cold",
    "song",
    "friend",
]


def timed(function, repeat: int = 5) -> tuple[float, float]:
    """Median and max wall time of `function` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def build_app(database_url: str):
    """A test-config app on its own database, with production Argon2 parameters."""
    from app import create_app
    from app.auth import passwords
    from app.extensions import db
    from app.journal import keys

    passwords.TEST_PARAMS = passwords.PRODUCTION_PARAMS
    keys.TEST_KDF = keys.PRODUCTION_KDF
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def measure_kdf(app) -> None:
    """The KEK derivation alone, and a whole login with and without the journal unlock."""
    from app.auth import services
    from app.auth.passwords import verify_password
    from app.journal import crypto, keys

    with app.app_context():
        user = services.register_user("bench", "Bench", PASSWORD)
        salt = crypto.new_salt()
        kek = timed(lambda: crypto.derive_password_kek(PASSWORD, salt, keys.PRODUCTION_KDF))
        verify = timed(lambda: verify_password(user.password_hash, PASSWORD))
    client = app.test_client()

    def login():
        client.post("/auth/login", data={"username": "bench", "password": PASSWORD})
        client.post("/auth/logout")

    login()  # warm up templates
    whole = timed(login)
    print(f"Argon2id KEK {keys.PRODUCTION_KDF.encode()}: median {kek[0]:.0f} ms (max {kek[1]:.0f})")
    print(f"Password hash verify alone: median {verify[0]:.0f} ms (max {verify[1]:.0f})")
    print(
        f"Login + logout over HTTP, journal unlocked: median {whole[0]:.0f} ms (max {whole[1]:.0f})"
    )


def fill_journal(app, entries: int) -> None:
    """Write `entries` records (one in ten a check-in) for the bench user."""
    from app.auth.services import find_user_by_username
    from app.core.database import utcnow
    from app.extensions import db
    from app.journal import keys, services

    rng = random.Random(4)
    with app.app_context():
        user = find_user_by_username("bench")
        vault = keys.open_vault(user.id, PASSWORD)
        now = utcnow()
        start = time.perf_counter()
        for number in range(entries):
            when = now - timedelta(hours=number * 5)
            if number % 10 == 9:
                context = {"kind": "checkin", "session_id": number // 20, "moment": "closing"}
                services.create_entry(
                    vault, mood=rng.randint(1, 5), context=context, created_at=when, commit=False
                )
                continue
            body = " ".join(rng.choice(WORDS) for _ in range(120))
            services.create_entry(
                vault,
                title=f"Entry {number} " + rng.choice(WORDS),
                body=body,
                mood=rng.randint(1, 5),
                feelings=rng.sample(["lighter", "heavy", "calmer"], 2),
                tags=rng.sample(WORDS[:8], 2),
                created_at=when,
                commit=False,
            )
            if number % 200 == 199:
                db.session.commit()
        db.session.commit()
        print(f"Wrote {entries} entries in {time.perf_counter() - start:.1f} s")


def measure_pages(app, entries: int) -> None:
    """List, search, tag filter, insights and export over HTTP."""
    client = app.test_client()
    client.post("/auth/login", data={"username": "bench", "password": PASSWORD})
    pages = {
        "list (page 1)": lambda: client.get("/journal/"),
        "list (page 50)": lambda: client.get("/journal/?page=50"),
        "search 'kettle window'": lambda: client.post(
            "/journal/search", data={"q": "kettle window"}
        ),
        "tag filter 'rain'": lambda: client.post("/journal/search", data={"tag": "rain"}),
        "insights": lambda: client.get("/journal/insights"),
        "export JSON": lambda: client.get("/journal/export"),
    }
    for name, call in pages.items():
        assert call().status_code == 200, name
        median, worst = timed(call)
        print(f"{name:<24} {entries} entries: median {median:6.0f} ms (max {worst:.0f})")


def main() -> None:
    """Run every measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        app = build_app(url)
        measure_kdf(app)
        fill_journal(app, args.entries)
        measure_pages(app, args.entries)


if __name__ == "__main__":
    main()
