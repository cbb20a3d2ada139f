"""Coalesced `presence` broadcasts: at most one per room per window, and the last one is current.

Every join, leave, disconnect and eviction changes who is in a room, and `presence {members}`
carries the whole list. Broadcasting it on every change costs O(n) bytes to each of n sockets,
so a room filling up with n people costs O(n²): at about 150 people joins stalled. Instead a
change only *announces* the room; one background runner per room and process then:

1. waits a short lead (folding changes that arrive together, e.g. a room rejoining at once),
2. reads the current list from the room state and broadcasts it unless it is the list that was
   broadcast last (the first one after a quiet spell always goes out),
3. waits a window that grows with the room (0.1 s small, 1 s from 250 people),
4. repeats from 2 while anything changed; stops after a window in which nothing did.

So a burst of changes costs one broadcast per window, and the last broadcast is read after the
last change.

Several processes (Redis): each announces the changes it made, and they take turns through the
room state's `presence_gate` (`shared_rooms.PresenceGate`): a turn is a lease held while reading and
publishing, so publishes never overlap and land in the order they were read; each broadcast
leaves a cooldown of one window for every process, and its digest, so a process whose list is
already out sends nothing. A process stops only after a turn in which the list it read was the
last one broadcast and nothing changed here since; a change elsewhere is that process's runner's
to announce. Without a gate (one process) the runner compares with what it sent itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

LEAD_SECONDS = 0.05
MIN_WINDOW_SECONDS = 0.1
MAX_WINDOW_SECONDS = 1.0
PEOPLE_PER_SECOND = 250  # the window reaches MAX_WINDOW_SECONDS at this many people
MAX_FAILURES = 3
RETRY_SECONDS = 1.0


def window_seconds(people: int) -> float:
    """Quiet time after a broadcast: 0.1 s up to 25 people, growing to 1 s at 250 and more."""
    return min(MAX_WINDOW_SECONDS, max(MIN_WINDOW_SECONDS, people / PEOPLE_PER_SECOND))


def digest(members: list[dict]) -> str:
    """A short fingerprint of a member list, to tell whether it was already broadcast."""
    text = json.dumps(members, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class _Room:
    """A room with a runner: changed since the last read? what went out last? failures."""

    dirty: bool = False
    sent: str | None = None  # digest of the last list this process broadcast
    failures: int = 0


class PresenceAnnouncer:
    """One runner per room with pending changes; see the module docstring for the rhythm.

    `read(session_id)` gives the current member list and `emit(session_id, members)` broadcasts
    it; both run inside `context()` (an app context, opened per step so no database connection is
    held while waiting). `spawn(fn, *args)` and `sleep(seconds)` come from Socket.IO, so runners
    are green threads under eventlet and gevent, and plain threads under the test client.
    `gate()` gives the room state's `PresenceGate` (None for a single process). With a gate,
    the turn ends after the emit, which publishes to the queue before it returns, so another
    process's newer list cannot overtake it.
    """

    def __init__(
        self,
        read: Callable[[int], list[dict]],
        emit: Callable[[int, list[dict]], None],
        spawn: Callable,
        sleep: Callable[[float], None],
        context: Callable = contextlib.nullcontext,
        gate: Callable = lambda: None,
        lead: float = LEAD_SECONDS,
        window: Callable[[int], float] = window_seconds,
    ) -> None:
        self._read, self._emit = read, emit
        self._spawn, self._sleep, self._context, self._gate = spawn, sleep, context, gate
        self._lead, self._window = lead, window
        self._token = uuid.uuid4().hex  # this process's name when taking turns
        self._lock = threading.Lock()
        self._rooms: dict[int, _Room] = {}

    def announce(self, session_id: int) -> None:
        """Who is in this room changed: make sure a broadcast read after now will follow."""
        with self._lock:
            room = self._rooms.get(session_id)
            if room is not None:
                room.dirty = True
                return
            self._rooms[session_id] = _Room()
        self._spawn(self._run, session_id)

    def busy(self) -> bool:
        """Is any room still waiting for (or inside) a broadcast?"""
        with self._lock:
            return bool(self._rooms)

    def _run(self, session_id: int) -> None:
        """The runner of one room: lead, then steps a window apart until one finds no change."""
        delay: float | None = self._lead
        while delay is not None:
            self._sleep(delay)
            delay = self.step(session_id)

    def step(self, session_id: int) -> float | None:
        """Read the room and broadcast if needed; seconds until the next step, or None (done)."""
        with self._lock:
            room = self._rooms[session_id]
        gate = self._gate()
        try:
            if gate is not None and (wait := gate.take_turn(session_id, self._token)) > 0:
                return wait  # another process's turn, or its cooldown: ask again then
        except Exception as exc:
            return self._failed(session_id, room, exc)
        with self._lock:
            room.dirty = False
        try:
            members, changed = self._read_and_emit(session_id, room, gate)
        except Exception as exc:
            if gate is not None:
                with contextlib.suppress(Exception):
                    gate.end_turn(session_id, self._token)
            return self._failed(session_id, room, exc)
        room.failures = 0
        if changed:
            return self._window(len(members))
        with self._lock:
            if room.dirty:  # changed meanwhile, back to the same list: look once more
                return self._window(len(members))
            del self._rooms[session_id]
            return None

    def _read_and_emit(self, session_id: int, room: _Room, gate) -> tuple[list[dict], bool]:
        """One turn: read, broadcast unless that very list went out last, end the turn."""
        with self._context():
            members = self._read(session_id)
            current = digest(members)
            last = room.sent if gate is None else gate.last_sent(session_id)
            changed = current != last
            if changed:
                self._emit(session_id, members)
                room.sent = current
        if gate is not None:
            window = self._window(len(members))
            gate.end_turn(session_id, self._token, current if changed else None, window)
        return members, changed

    def _failed(self, session_id: int, room: _Room, exc: Exception) -> float | None:
        """Try again a little later; after a few failures give the room up (logged by type)."""
        room.failures += 1
        log.warning("presence broadcast failed (%s), attempt %d", type(exc).__name__, room.failures)
        if room.failures < MAX_FAILURES:
            return RETRY_SECONDS
        with self._lock:
            del self._rooms[session_id]
        return None
