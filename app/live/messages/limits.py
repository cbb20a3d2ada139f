"""How often one person may send, per process: a sliding window kept in memory."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict, deque

from flask import current_app

from app.live.errors import LiveError

RETRY_MEMORY = 64
RESENT_MEMORY = 4096
DEFAULT_SEND_LIMIT = (10, 5.0)


class SendLimiter:
    """A small in-memory sliding window of messages per person."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: dict[int, deque[float]] = defaultdict(deque)
        # client_ids recently let through: their retries must still get their ack
        self._accepted: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=RETRY_MEMORY))

    def allow(self, user_id: int, count: int, seconds: float, client_id: str = "") -> bool:
        """Record one send if the window has room for it."""
        now = time.monotonic()
        with self._lock:
            window = self._sent[user_id]
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= count:
                return False
            window.append(now)
            self._accepted[user_id].append(client_id)
            return True

    def full(self, user_id: int, count: int, seconds: float, client_id: str = "") -> bool:
        """Is the window full for a new message? (Looks only; a recent retry is never refused.)"""
        now = time.monotonic()
        with self._lock:
            window = self._sent.get(user_id)
            if not window or client_id in self._accepted.get(user_id, ()):
                return False
            return sum(1 for t in window if t > now - seconds) >= count

    def clear(self) -> None:
        """Forget every window (a new app starts afresh)."""
        with self._lock:
            self._sent.clear()
            self._accepted.clear()


class ResentMessages:
    """Ids of stored messages this process has announced again for a retry.

    A retry of a stored message is announced once per process, not once per retry: repeating
    the same client_id cannot make the server fan a message out to the room over and over.
    """

    def __init__(self, size: int = RESENT_MEMORY) -> None:
        self._lock = threading.Lock()
        self._ids: OrderedDict[int, None] = OrderedDict()
        self._size = size

    def first_time(self, message_id: int) -> bool:
        """Record the id; True only the first time this process sees it (while remembered)."""
        with self._lock:
            if message_id in self._ids:
                return False
            self._ids[message_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True

    def clear(self) -> None:
        """Forget every id (a new app starts afresh)."""
        with self._lock:
            self._ids.clear()


send_limiter = SendLimiter()
resent_messages = ResentMessages()


def send_limit() -> tuple[int, float] | None:
    """LIVE_SEND_LIMIT, or None when the rate limits are off."""
    config = current_app.config
    limit = config.get("LIVE_SEND_LIMIT", DEFAULT_SEND_LIMIT)
    return limit if config.get("RATELIMIT_ENABLED") and limit else None


def refuse_if_flooding(user_id: int, client_id: str) -> None:
    """Before any database work: refuse a send at once while the person's window is full, so
    that a flood costs the server next to nothing."""
    limit = send_limit()
    if limit and send_limiter.full(user_id, *limit, client_id):
        raise LiveError("rate_limited")


def counts_in_window(user_id: int, client_id: str) -> bool:
    """Count one new message in the person's window; False when it is full."""
    limit = send_limit()
    return not limit or send_limiter.allow(user_id, *limit, client_id)
