"""Measure key rotation: a password change on journals of 10 and 1,000 entries.

Usage: .venv/bin/python bench/rotation_bench.py [--sizes 10 1000] [--database-url URL]
Prints, per size: the password-change request (production Argon2 parameters) with the default
inline threshold, the time until the background re-seal has finished, and the same journal
re-sealed inline for comparison. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journal_bench import PASSWORD, build_app

from app.journal.reseal import DEFAULT_INLINE_LIMIT

OTHER_PASSWORD = "another long bench passphrase"  # noqa: S105 (a throwaway bench account)


def fill(app, username: str, entries: int) -> None:
    """A member with `entries` ordinary entries (one in ten a check-in)."""
    from app.auth import services as accounts
    from app.extensions import db
    from app.journal import keys, services

    with app.app_context():
        user = accounts.register_user(username, username.title(), PASSWORD)
        vault = keys.open_vault(user.id, PASSWORD)
        for number in range(entries):
            if number % 10 == 9:
                context = {"kind": "checkin", "session_id": number, "moment": "closing"}
                services.create_entry(vault, mood=3, context=context, commit=False)
            else:
                body = "breath rain kettle window quiet " * 24
                services.create_entry(vault, title=f"Entry {number}", body=body, commit=False)
        db.session.commit()


def change_password(app, username: str, old: str, new: str) -> float:
    """One password change over HTTP; returns its wall time in ms."""
    client = app.test_client()
    client.post("/auth/login", data={"username": username, "password": old})
    data = {"current_password": old, "new_password": new, "new_password_confirm": new}
    start = time.perf_counter()
    response = client.post("/auth/password", data=data)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def wait_until_resealed(app) -> float:
    """Seconds until no retiring key is left (the background task has finished)."""
    from app.extensions import db
    from app.journal.models import JournalRetiringKey

    start = time.perf_counter()
    while True:
        with app.app_context():
            left = db.session.query(JournalRetiringKey.id).first()
            db.session.remove()
        if left is None:
            return time.perf_counter() - start
        time.sleep(0.02)


def main() -> None:
    """Run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        app = build_app(url)
        fill(app, "warmup", 1)
        change_password(app, "warmup", PASSWORD, OTHER_PASSWORD)  # templates, zxcvbn's lists
        for size in args.sizes:
            username = f"rot{size}"
            fill(app, username, size)
            requests, finished, inline = [], [], []
            passwords = [PASSWORD, OTHER_PASSWORD]
            for _ in range(args.repeats):
                requests.append(change_password(app, username, *passwords))
                finished.append(wait_until_resealed(app) * 1000)
                passwords.reverse()
            app.config["JOURNAL_RESEAL_INLINE_LIMIT"] = 10**9
            for _ in range(args.repeats):
                inline.append(change_password(app, username, *passwords))
                passwords.reverse()
            app.config.pop("JOURNAL_RESEAL_INLINE_LIMIT")
            mode = "inline" if size <= DEFAULT_INLINE_LIMIT else "background"
            print(
                f"{size:>5} entries ({mode}): request median {median(requests):5.0f} ms, "
                f"re-seal done {median(finished):5.0f} ms after it; "
                f"forced inline: request median {median(inline):5.0f} ms"
            )


if __name__ == "__main__":
    main()
