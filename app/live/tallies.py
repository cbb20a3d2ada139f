"""Anonymous check-in tallies: a count and a sum per session and moment, never who said what.

Kept out of the database altogether: in this process's memory, or in Redis with a time limit
when several processes serve, and forgotten when the session ends. "Counted once" is remembered
as a keyed hash under a random key that lives only beside the tally, so neither a copy of the
database (with or without SECRET_KEY) nor the tally alone can tie a score to a person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import defaultdict

TTL_SECONDS = 60 * 60 * 24  # a session's tallies outlive no session


def receipt(key: bytes, user_id: int, session_id: int, moment: str) -> str:
    """The keyed hash saying this person counted for this moment."""
    return hmac.new(key, f"{user_id}:{session_id}:{moment}".encode(), hashlib.sha256).hexdigest()


class MemoryTallies:
    """Tallies of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[int, bytes] = {}
        self._counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        self._receipts: dict[tuple[int, str], set[str]] = defaultdict(set)

    def count_once(self, user_id: int, session_id: int, moment: str, score: int) -> bool:
        """Add a score unless this person already counted for this moment; True when added."""
        with self._lock:
            key = self._keys.setdefault(session_id, secrets.token_bytes(32))
            digest = receipt(key, user_id, session_id, moment)
            if digest in self._receipts[(session_id, moment)]:
                return False
            self._receipts[(session_id, moment)].add(digest)
            tally = self._counts[(session_id, moment)]
            tally[0] += 1
            tally[1] += score
            return True

    def totals(self, session_id: int, moment: str) -> tuple[int, int]:
        """(count, sum) of a moment's scores."""
        with self._lock:
            count, total = self._counts.get((session_id, moment), (0, 0))
            return count, total

    def forget(self, session_id: int) -> None:
        """The session ended: nothing of its check-ins stays."""
        with self._lock:
            self._keys.pop(session_id, None)
            for store in (self._counts, self._receipts):
                for key in [k for k in store if k[0] == session_id]:
                    del store[key]


_COUNT_ONCE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'count', 1)
redis.call('HINCRBY', KEYS[2], 'total', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
"""


class RedisTallies:
    """Tallies shared by every process, each key expiring with the day."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=5)
        self._prefix = prefix
        self._count_once = self._redis.register_script(_COUNT_ONCE)

    def _key(self, session_id: int, what: str) -> str:
        return f"holdspace:{self._prefix}:checkins:{session_id}:{what}"

    def _session_key(self, session_id: int) -> bytes:
        """The session's receipt key: random, made by whichever process needs it first."""
        name = self._key(session_id, "key")
        self._redis.set(name, secrets.token_bytes(32), nx=True, ex=TTL_SECONDS)
        return self._redis.get(name)

    def count_once(self, user_id: int, session_id: int, moment: str, score: int) -> bool:
        """As MemoryTallies.count_once, atomically in Redis."""
        digest = receipt(self._session_key(session_id), user_id, session_id, moment)
        keys = [self._key(session_id, f"{moment}:receipts"), self._key(session_id, moment)]
        return bool(self._count_once(keys=keys, args=[digest, score, TTL_SECONDS]))

    def totals(self, session_id: int, moment: str) -> tuple[int, int]:
        """(count, sum) of a moment's scores."""
        values = self._redis.hgetall(self._key(session_id, moment))
        return int(values.get(b"count", 0)), int(values.get(b"total", 0))

    def forget(self, session_id: int) -> None:
        """The session ended: nothing of its check-ins stays."""
        pattern = self._key(session_id, "*")
        keys = list(self._redis.scan_iter(match=pattern, count=100))
        if keys:
            self._redis.delete(*keys)


tallies: MemoryTallies | RedisTallies = MemoryTallies()


def configure(redis_url: str | None, prefix: str) -> None:
    """Keep this app's tallies in Redis when it has one, in memory otherwise."""
    global tallies
    tallies = RedisTallies(redis_url, prefix) if redis_url else MemoryTallies()
