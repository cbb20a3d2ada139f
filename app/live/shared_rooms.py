"""Room state shared by every process through Redis, and the watch that notices Redis outages.

Each presence entry names the process that holds the socket; entries of a process that stopped
heart-beating (killed) are dropped when read.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from app.live.serialize import distinct_people

log = logging.getLogger(__name__)

KEY = "holdspace:{}:room:{}:{}"
HOST_KEY = "holdspace:{}:live-host:{}"
KEY_TTL_SECONDS = 60 * 60 * 24 * 2
HOST_TTL_SECONDS = 45
HEARTBEAT_SECONDS = 15
PRESENCE_LEASE_MS = 10_000  # longest a process may take to read and publish one `presence`
PRESENCE_RETRY_MS = 50  # how soon to ask again while another process holds the lease


class RedisRooms:
    """Room state shared by every process through Redis."""

    def __init__(self, url: str, prefix: str = "flask-socketio") -> None:
        import redis

        self.prefix = prefix
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._redis = redis.Redis.from_url(url, socket_timeout=5, health_check_interval=30)
        # Asked without retries, so an outage shows (the room's own calls ride it out).
        self._probe = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
        )
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

    def remembers_us(self) -> bool:
        """Does Redis still hold this process's heartbeat? (Raises when Redis does not answer;
        False after a restart that lost everything, however short the outage was.)"""
        return bool(self._probe.exists(HOST_KEY.format(self.prefix, self.host)))

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
        return distinct_people(entries)

    def update_person(self, session_id: int, person: dict) -> bool:
        """Show a present person as they are now, on whichever process holds their sockets."""
        key = self._key(session_id, "presence")
        changed = {}
        for sid, raw in self._redis.hgetall(key).items():
            entry = json.loads(raw)
            if entry.get("user_id") == person["user_id"]:
                updated = {**person, "host": entry.get("host", "")}
                if updated != entry:
                    changed[sid] = json.dumps(updated)
        if changed:
            self._redis.hset(key, mapping=changed)
        return bool(changed)

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

    def stop_waiting(self, session_id: int, user_id: int) -> None:
        """Someone left the waiting room (let in, or gone)."""
        self._redis.zrem(self._key(session_id, "waiting"), str(user_id))

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


HEALTH_CHECK_SECONDS = 1.0


def heartbeat_forever(current_state, on_recovered) -> None:
    """Background task (with Redis): keep this process's presence alive, and notice outages.

    Broadcasts published while this process could not reach Redis never reach its sockets, and
    a restarted Redis has forgotten presence and the login map. When Redis answers again after
    failing, or answers without this process's heartbeat (it restarted in between two looks),
    `on_recovered()` runs: the room asks its sockets to catch up. `current_state()` gives the
    room state in use (tests may swap it).
    """
    from app.extensions import socketio

    failing = False
    beats = 0
    while True:
        current = current_state()
        if isinstance(current, RedisRooms):
            try:
                forgotten = not current.remembers_us()
                if forgotten or beats % int(HEARTBEAT_SECONDS / HEALTH_CHECK_SECONDS) == 0:
                    current.heartbeat()
                if failing or forgotten:
                    log.warning("room state: redis is back; asking sockets to catch up")
                    on_recovered()
                failing = False
            except Exception as exc:
                if not failing:
                    log.warning("room state: redis unavailable (%s)", type(exc).__name__)
                failing = True
        beats += 1
        socketio.sleep(HEALTH_CHECK_SECONDS)
