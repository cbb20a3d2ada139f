"""The person behind a socket, for every event, without a users query each time.

Each socket event used to load its User by primary key: the one query every event paid before
doing anything. Here the user's columns are kept for SNAPSHOT_SECONDS after a load and turned
back into a session-attached User without SQL (make_transient_to_detached + add), so services
get an ordinary persistent object (relationships still lazy-load).

Freshness: any ORM update or delete of a User in this process drops its snapshot at once
(mapper events), so a role change or a new display name applies to the very next event. Changes
made by another process (two processes over Redis) apply within SNAPSHOT_SECONDS. Logins are not
cached here: ending a login disconnects its sockets (app/core/sockets.py:disconnect_logins).
The password hash is never kept. Each new app starts with no snapshots (ids repeat across
test databases): app/core/sockets.py:init_app clears them.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached, object_session

from app.auth.models import User
from app.extensions import db

SNAPSHOT_SECONDS = 5.0
LEFT_OUT = frozenset({"password_hash"})
PRUNE_AT = 10_000


class UserSnapshots:
    """user id → (taken at, column values), per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[int, tuple[float, dict]] = {}

    def get(self, user_id: int) -> dict | None:
        """The values of a snapshot younger than SNAPSHOT_SECONDS."""
        entry = self._rows.get(user_id)
        if entry is None or time.monotonic() - entry[0] > SNAPSHOT_SECONDS:
            return None
        return entry[1]

    def put(self, user: User) -> None:
        """Remember a freshly loaded user's columns (the password hash left out)."""
        columns = inspect(User).column_attrs
        values = {c.key: getattr(user, c.key) for c in columns if c.key not in LEFT_OUT}
        now = time.monotonic()
        with self._lock:
            if len(self._rows) >= PRUNE_AT:
                self._rows = {k: v for k, v in self._rows.items() if now - v[0] <= SNAPSHOT_SECONDS}
            self._rows[user.id] = (now, values)

    def forget(self, user_id: int | None) -> None:
        """Drop one user's snapshot (they changed)."""
        with self._lock:
            self._rows.pop(user_id, None)

    def clear(self) -> None:
        """Drop every snapshot (a new app starts afresh)."""
        with self._lock:
            self._rows.clear()


snapshots = UserSnapshots()


def socket_user(user_id: int) -> User | None:
    """The User behind a socket, attached to the current session; None if it is gone."""
    values = snapshots.get(user_id)
    if values is not None:
        existing = db.session.identity_map.get(db.session.identity_key(User, user_id))
        if existing is not None:
            return existing
        user = User(**values)
        make_transient_to_detached(user)  # unloaded columns (the hash) load on first access
        db.session.add(user)
        return user
    user = db.session.get(User, user_id)
    if user is not None:
        snapshots.put(user)
    return user


CHANGED = "holdspace_changed_users"


@event.listens_for(User, "after_update")
@event.listens_for(User, "after_delete")
def _user_changed(mapper, connection, target) -> None:
    """A changed or deleted user is read afresh by the next socket event (and after commit)."""
    snapshots.forget(target.id)
    session = object_session(target)
    if session is not None:
        session.info.setdefault(CHANGED, set()).add(target.id)


@event.listens_for(Session, "after_commit")
def _forget_committed(session) -> None:
    """Forget again at commit: an event between flush and commit may have re-read the old row."""
    for user_id in session.info.pop(CHANGED, ()):
        snapshots.forget(user_id)


@event.listens_for(Session, "after_rollback")
def _drop_changes(session) -> None:
    """Nothing changed after all."""
    session.info.pop(CHANGED, None)
