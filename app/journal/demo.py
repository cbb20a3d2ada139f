"""Demo journal entries for the demo member, written with their own unlocked key."""

from __future__ import annotations

from datetime import timedelta

from app.core.database import utcnow
from app.extensions import db
from app.journal import keys, services

DEMO_ENTRIES = [
    (
        20,
        "Before my first circle",
        "I'm nervous about crying in front of people.",
        2,
        ["restless", "tender"],
        ["circle"],
        "before-2",
    ),
    (
        16,
        "After the circle",
        "I didn't expect to cry so soon. Afterwards my shoulders dropped.",
        4,
        ["lighter", "calmer"],
        ["circle", "shoulders"],
        "after-1",
    ),
    (
        11,
        "A song on the bus",
        "An old song came on and I let my eyes fill. Nobody noticed.",
        3,
        ["tender"],
        ["music"],
        None,
    ),
    (
        6,
        "Heavy week",
        "Work has been a lot. I couldn't cry even though I wanted to.",
        2,
        ["heavy", "numb"],
        ["work"],
        "patterns-3",
    ),
    (
        2,
        "Small things",
        "Warm tea, a friend's message, the rain on the window.",
        4,
        ["grateful", "grounded"],
        ["gratitude"],
        "gratitude-1",
    ),
]
DEMO_CHECKINS = [(16, 901, 2, 4), (9, 902, 3, 3), (2, 903, 2, 4)]


def seed_journal(user, password: str) -> None:
    """A few weeks of entries and check-ins, so the journal and insights have something to show."""
    vault = keys.open_vault(user.id, password) if keys.load_key(user.id) else None
    if vault is None:
        return
    now = utcnow()
    for days, title, body, mood, feelings, tags, prompt in DEMO_ENTRIES:
        services.create_entry(
            vault,
            title=title,
            body=body,
            mood=mood,
            feelings=feelings,
            tags=tags,
            prompt=prompt,
            created_at=now - timedelta(days=days, hours=3),
            commit=False,
        )
    for days, session_id, before, after in DEMO_CHECKINS:
        for moment, score, hours in (("arrival", before, 2), ("closing", after, 0)):
            services.create_entry(
                vault,
                mood=score,
                feelings=[],
                context={"kind": "checkin", "session_id": session_id, "moment": moment},
                created_at=now - timedelta(days=days, hours=hours),
                commit=False,
            )
    db.session.commit()
