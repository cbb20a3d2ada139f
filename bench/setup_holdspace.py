"""Fill a fresh Holdspace database for a benchmark run: members, circles, live sessions.

Writes straight to DATABASE_URL with the app's own models and services (migrating first), then
prints JSON: {"password", "members": [{"username", "room"}], "circles", "sessions", "http_user"}.
Members share one password hashed once with the test-strength Argon2 parameters, so that thousands
of accounts are made and logged in within seconds: the benchmark measures the live room, not
password hashing.
usage: DATABASE_URL=... python bench/setup_holdspace.py --clients 500 --room-size 10
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password-0123"  # noqa: S105 (throwaway benchmark accounts)


def build(clients: int, room_size: int, prefix: str) -> dict:
    """Create the people, circles and live sessions; return what the generator needs."""
    from flask_migrate import upgrade

    from app import create_app
    from app.auth import services
    from app.circles.models import (
        Circle,
        CircleSession,
        Membership,
        MembershipRole,
        MembershipStatus,
        Phase,
        SessionState,
    )
    from app.core.database import utcnow
    from app.extensions import db

    # Light hashing: one cheap hash for every member, and cheap journal keys (as before TESTING
    # stopped implying it); the figures measure the room, not Argon2.
    app = create_app({"TESTING": True, "LIGHT_HASHING": True, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade()
        shared_hash = services.hash_password(PASSWORD)
        services.hash_password = lambda password: shared_hash  # one hash for every member
        now = utcnow()
        members, circles, sessions = [], [], []
        rooms = (clients + room_size - 1) // room_size
        for room in range(rooms):
            people = []
            for seat in range(min(room_size, clients - room * room_size)):
                name = f"{prefix}{room:04d}_{seat:03d}"
                people.append(services.register_user(name, f"Bench {room}.{seat}", PASSWORD))
            circle = Circle(
                name=f"Bench circle {room}",
                description="Benchmark circle.",
                created_by_id=people[0].id,
                agreements=["Listen with care."],
            )
            db.session.add(circle)
            db.session.flush()
            for seat, person in enumerate(people):
                role = MembershipRole.FACILITATOR if seat == 0 else MembershipRole.MEMBER
                db.session.add(
                    Membership(
                        circle_id=circle.id,
                        user_id=person.id,
                        role=role.value,
                        status=MembershipStatus.APPROVED.value,
                        agreements_accepted_at=now,
                        decided_at=now,
                    )
                )
            session = CircleSession(
                circle_id=circle.id,
                title=f"Bench evening {room}",
                starts_at=now,
                state=SessionState.LIVE.value,
                phase=Phase.ARRIVAL.value,
                started_at=now,
                created_by_id=people[0].id,
            )
            db.session.add(session)
            db.session.commit()
            circles.append(circle.id)
            sessions.append(session.id)
            members.extend({"username": p.username, "room": session.id} for p in people)
        return {
            "password": PASSWORD,
            "members": members,
            "circles": circles,
            "sessions": sessions,
            "http_user": members[0]["username"] if members else None,
        }


def main() -> None:
    """Parse arguments, build, print JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--room-size", type=int, required=True)
    parser.add_argument("--prefix", default="bench_")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL must name the (fresh) database to fill.")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    result = build(args.clients, args.room_size, args.prefix)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
