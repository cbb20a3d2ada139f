"""Who is in each room, whose hand is up, who was admitted: in memory, or shared through Redis.

Presence is kept per socket (a person may have two tabs open) and read back as the distinct
people present. With Redis every process sees the same rooms; each entry names the process that
holds the socket, and entries of a process that stopped heart-beating (killed) are dropped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import defaultdict

log = logging.getLogger(__name__)

KEY = "holdspace:{}:room:{}:{}"
HOST_KEY = "holdspace:{}:live-host:{}"
KEY_TTL_SECONDS = 60 * 60 * 24 * 2
HOST_TTL_SECONDS = 45
HEARTBEAT_SECONDS = 15
PRESENCE_LEASE_MS = 10_000  # longest a process may take to read and publish one `presence`
PRESENCE_RETRY_MS = 50  # how soon to ask again while another process holds the lease


def _distinct_people(entries: list[dict]) -> list[dict]:
    """One entry per user, in a stable order (display name, then id)."""
    people = {}
    for entry in entries:
        people.setdefault(entry["user_id"], entry)
    return sorted(people.values(), key=lambda e: (e["display_name"].casefold(), e["user_id"]))


class MemoryRooms:
    """Room state for a single process."""

    presence_gate = None  # one process: its own runner per room is coordination enough

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._presence: dict[int, dict[str, dict]] = defaultdict(dict)
        self._hands: dict[int, dict[int, float]] = defaultdict(dict)
        self._admitted: dict[int, set[int]] = defaultdict(set)
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
            return _distinct_people(list(self._presence[session_id].values()))

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

    def admit(self, session_id: int, user_id: int) -> None:
        """Let someone in from the waiting room."""
        with self._lock:
            self._admitted[session_id].add(user_id)
            self._waiting[session_id].pop(user_id, None)

    def is_admitted(self, session_id: int, user_id: int) -> bool:
        """Was this person let in from the waiting room?"""
        with self._lock:
            return user_id in self._admitted[session_id]

    def wait(self, session_id: int, user_id: int) -> None:
        """Put someone in the waiting room (keeping their place)."""
        with self._lock:
            self._waiting[session_id].setdefault(user_id, time.time())

    def waiting(self, session_id: int) -> list[int]:
        """Who is waiting, first come first."""
        with self._lock:
            queue = self._waiting[session_id]
            return sorted(queue, key=queue.__getitem__)


class RedisRooms:
    """Room state shared by every process through Redis."""

    def __init__(self, url: str, prefix: str = "flask-socketio") -> None:
        import redis

        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=5, health_check_interval=30)
        self.host = uuid.uuid4().hex
        self.presence_gate = PresenceGate(self._redis, self._key)
        try:
            self.heartbeat()
        except Exception as exc:
            log.warning("room state: redis unavailable at start (%s)", type(exc).__name__)

    def _key(self, session_id: int, what: str) -> str:
        return KEY.format(self.prefix, session_id, what)

    def heartbeat(self) -> None:
        """Tell the other processes this one is alive (its presence entries are real)."""
        self._redis.set(HOST_KEY.format(self.prefix, self.host), "1", ex=HOST_TTL_SECONDS)

    def join(self, session_id: int, sid: str, member: dict) -> None:
        """Record that this socket (held by this process) is in the room."""
        key = self._key(session_id, "presence")
        pipe = self._redis.pipeline()
        pipe.hset(key, sid, json.dumps({**member, "host": self.host}))
        pipe.expire(key, KEY_TTL_SECONDS)
        # A restarted Redis has lost the heartbeat; without it this entry would read as stale.
        pipe.set(HOST_KEY.format(self.prefix, self.host), "1", ex=HOST_TTL_SECONDS)
        pipe.execute()

    def leave(self, session_id: int, sid: str) -> None:
        """Forget this socket's presence in the room."""
        self._redis.hdel(self._key(session_id, "presence"), sid)

    def members(self, session_id: int) -> list[dict]:
        """The distinct people present on live processes; entries of dead processes are dropped."""
        key = self._key(session_id, "presence")
        raw = {k.decode(): json.loads(v) for k, v in self._redis.hgetall(key).items()}
        hosts = sorted({entry.get("host", "") for entry in raw.values()})
        if not raw:
            return []
        host_keys = [HOST_KEY.format(self.prefix, h) for h in hosts]
        alive = dict(zip(hosts, self._redis.mget(host_keys), strict=True))
        stale = [sid for sid, entry in raw.items() if not alive.get(entry.get("host", ""))]
        if stale:
            self._redis.hdel(key, *stale)
        entries = [
            {k: v for k, v in entry.items() if k != "host"}
            for sid, entry in raw.items()
            if sid not in stale
        ]
        return _distinct_people(entries)

    def sids_of(self, session_id: int, user_id: int) -> list[str]:
        """Every socket of one person in the room, on any process (to take them out of it)."""
        raw = self._redis.hgetall(self._key(session_id, "presence"))
        return [k.decode() for k, v in raw.items() if json.loads(v).get("user_id") == user_id]

    def _zadd_once(self, key: str, user_id: int) -> None:
        pipe = self._redis.pipeline()
        pipe.zadd(key, {str(user_id): time.time()}, nx=True)
        pipe.expire(key, KEY_TTL_SECONDS)
        pipe.execute()

    def raise_hand(self, session_id: int, user_id: int) -> list[int]:
        """Join the hand queue (keeping one's place if already there)."""
        self._zadd_once(self._key(session_id, "hands"), user_id)
        return self.hands(session_id)

    def lower_hand(self, session_id: int, user_id: int) -> list[int]:
        """Leave the hand queue."""
        self._redis.zrem(self._key(session_id, "hands"), str(user_id))
        return self.hands(session_id)

    def hands(self, session_id: int) -> list[int]:
        """Raised hands, first raised first."""
        return [int(v) for v in self._redis.zrange(self._key(session_id, "hands"), 0, -1)]

    def admit(self, session_id: int, user_id: int) -> None:
        """Let someone in from the waiting room."""
        key = self._key(session_id, "admitted")
        pipe = self._redis.pipeline()
        pipe.sadd(key, str(user_id))
        pipe.expire(key, KEY_TTL_SECONDS)
        pipe.zrem(self._key(session_id, "waiting"), str(user_id))
        pipe.execute()

    def is_admitted(self, session_id: int, user_id: int) -> bool:
        """Was this person let in from the waiting room?"""
        return bool(self._redis.sismember(self._key(session_id, "admitted"), str(user_id)))

    def wait(self, session_id: int, user_id: int) -> None:
        """Put someone in the waiting room (keeping their place)."""
        self._zadd_once(self._key(session_id, "waiting"), user_id)

    def waiting(self, session_id: int) -> list[int]:
        """Who is waiting, first come first."""
        return [int(v) for v in self._redis.zrange(self._key(session_id, "waiting"), 0, -1)]


# Turn granted (0) or milliseconds to wait: what is left of the cooldown after the last
# broadcast, or a short retry while another process holds the lease (it is done in moments, and
# then leaves a cooldown to wait out).
_TAKE_TURN = """
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return wait end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
return tonumber(ARGV[3])
"""
# End a turn (only the holder's token may): after a broadcast remember its digest and start the
# cooldown; then free the lease.
_END_TURN = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
  if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
end
redis.call('DEL', KEYS[1])
return 1
"""


class PresenceGate:
    """Takes turns between processes at broadcasting one room's `presence` (see announce.py).

    A turn is a lease (`presence-lease`) held while reading the list and publishing it, so
    publishes of one room never overlap and land in the order they were read. A broadcast leaves
    a cooldown (`presence-cooldown`, the window) before the next turn, on any process, and the
    digest of what it sent (`presence-sent`), so a process whose list is already out sends
    nothing. Together: at most one `presence` per room per window however many processes.
    """

    def __init__(self, client, key) -> None:
        self._redis = client
        self._key = key
        self._take = client.register_script(_TAKE_TURN)
        self._end = client.register_script(_END_TURN)

    def _keys(self, session_id: int) -> list[str]:
        return [self._key(session_id, f"presence-{k}") for k in ("lease", "cooldown", "sent")]

    def take_turn(self, session_id: int, token: str) -> float:
        """0 when the turn is ours now; otherwise seconds to wait before asking again."""
        lease, cooldown, _ = self._keys(session_id)
        wait_ms = self._take(
            keys=[lease, cooldown], args=[token, PRESENCE_LEASE_MS, PRESENCE_RETRY_MS]
        )
        return int(wait_ms) / 1000

    def last_sent(self, session_id: int) -> str | None:
        """The digest of the list broadcast last, by whichever process."""
        value = self._redis.get(self._keys(session_id)[2])
        return value.decode() if value is not None else None

    def end_turn(
        self, session_id: int, token: str, sent: str | None = None, cooldown: float = 0
    ) -> None:
        """Give the turn back; after a broadcast, with its digest and the cooldown to keep."""
        self._end(
            keys=self._keys(session_id),
            args=[token, int(cooldown * 1000), sent or "", KEY_TTL_SECONDS],
        )


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

    def sids_in(self, session_id: int) -> list[str]:
        """This process's sockets in one room."""
        with self._lock:
            return [sid for sid, rooms in self._rooms.items() if session_id in rooms]


state: MemoryRooms | RedisRooms = MemoryRooms()
local_sockets = LocalSockets()


def configure(redis_url: str | None, prefix: str = "flask-socketio") -> MemoryRooms | RedisRooms:
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


def heartbeat_forever() -> None:
    """Background task: keep this process's presence entries alive in Redis."""
    from app.extensions import socketio

    while True:
        current = state
        if isinstance(current, RedisRooms):
            try:
                current.heartbeat()
            except Exception as exc:
                log.warning("room heartbeat failed: %s", type(exc).__name__)
        socketio.sleep(HEARTBEAT_SECONDS)
