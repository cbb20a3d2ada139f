"""Who is in each room, whose hand is up, who waits to come in: in memory, or shared through Redis.

Presence is kept per socket (a person may have two tabs open) and read back as the distinct
people present. With Redis every process sees the same rooms (app/live/shared_rooms.py).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from app.live.serialize import distinct_people
from app.live.shared_rooms import RedisRooms


class MemoryRooms:
    """Room state for a single process."""

    presence_gate = None  # one process: its own runner per room is coordination enough

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._presence: dict[int, dict[str, dict]] = defaultdict(dict)
        self._hands: dict[int, dict[int, float]] = defaultdict(dict)
        self._waiting: dict[int, dict[int, float]] = defaultdict(dict)

    def join(self, session_id: int, sid: str, member: dict) -> None:
        """Record that this socket is in the room as this person."""
        with self._lock:
            self._presence[session_id][sid] = member

    def leave(self, session_id: int, sid: str) -> None:
        """Forget this socket's presence in the room."""
        with self._lock:
            self._presence[session_id].pop(sid, None)

    def members(self, session_id: int) -> list[dict]:
        """The distinct people present."""
        with self._lock:
            return distinct_people(list(self._presence[session_id].values()))

    def update_person(self, session_id: int, person: dict) -> bool:
        """Show a present person as they are now (name, role); True when anything changed."""
        changed = False
        with self._lock:
            for sid, entry in self._presence[session_id].items():
                if entry["user_id"] == person["user_id"] and entry != person:
                    self._presence[session_id][sid] = dict(person)
                    changed = True
        return changed

    def sids_of(self, session_id: int, user_id: int) -> list[str]:
        """Every socket of one person in the room (to take them out of it)."""
        with self._lock:
            entries = self._presence[session_id].items()
            return [sid for sid, entry in entries if entry["user_id"] == user_id]

    def raise_hand(self, session_id: int, user_id: int) -> list[int]:
        """Join the hand queue (keeping one's place if already there)."""
        with self._lock:
            self._hands[session_id].setdefault(user_id, time.time())
        return self.hands(session_id)

    def lower_hand(self, session_id: int, user_id: int) -> list[int]:
        """Leave the hand queue."""
        with self._lock:
            self._hands[session_id].pop(user_id, None)
        return self.hands(session_id)

    def hands(self, session_id: int) -> list[int]:
        """Raised hands, first raised first."""
        with self._lock:
            queue = self._hands[session_id]
            return sorted(queue, key=queue.__getitem__)

    def stop_waiting(self, session_id: int, user_id: int) -> None:
        """Someone left the waiting room (let in, or gone)."""
        with self._lock:
            self._waiting[session_id].pop(user_id, None)

    def wait(self, session_id: int, user_id: int) -> None:
        """Put someone in the waiting room (keeping their place)."""
        with self._lock:
            self._waiting[session_id].setdefault(user_id, time.time())

    def waiting(self, session_id: int) -> list[int]:
        """Who is waiting, first come first."""
        with self._lock:
            queue = self._waiting[session_id]
            return sorted(queue, key=queue.__getitem__)


class LocalSockets:
    """Which rooms each socket of this process joined, so a disconnect can leave them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, set[int]] = defaultdict(set)

    def add(self, sid: str, session_id: int) -> None:
        """Remember that this socket joined the room."""
        with self._lock:
            self._rooms[sid].add(session_id)

    def discard(self, sid: str, session_id: int) -> None:
        """Forget one room of this socket."""
        with self._lock:
            self._rooms[sid].discard(session_id)

    def pop(self, sid: str) -> set[int]:
        """Every room of a socket that has gone."""
        with self._lock:
            return self._rooms.pop(sid, set())

    def sessions(self) -> set[int]:
        """Every room some socket of this process is in."""
        with self._lock:
            return set().union(*self._rooms.values()) if self._rooms else set()

    def has(self, sid: str, session_id: int) -> bool:
        """Has this socket joined the room (and not left it)?"""
        with self._lock:
            return session_id in self._rooms.get(sid, ())


state: MemoryRooms | RedisRooms = MemoryRooms()
local_sockets = LocalSockets()


def configure(redis_url: str | None, prefix: str = "flask-socketio"):
    """Choose the backend for this app: Redis when a URL is configured, memory otherwise."""
    global state, local_sockets
    state = RedisRooms(redis_url, prefix) if redis_url else MemoryRooms()
    local_sockets = LocalSockets()
    return state


def room_name(session_id: int) -> str:
    """The Socket.IO room of a session; always built here, never taken from a client."""
    return f"session:{session_id}"


def user_room(user_id: int) -> str:
    """Every socket of one person joins this room at connect."""
    return f"user:{user_id}"
