"""Abuse: a 1,000-message flood is refused cheaply, and hostile packets leave memory flat."""

from __future__ import annotations

import json
import statistics
import threading
import time
from dataclasses import dataclass

import pytest
import websocket

from tests.reliability.clients import FailoverClient
from tests.support.live_room import LiveRoom, make_live_room
from tests.support.live_server import LiveServer, cookie_header

FLOOD = 1000
SAMPLES = 10
SAMPLE_GAP = 0.55  # the talker stays under 10 messages in any 5 s, all along
HOSTILE_ROUNDS = 200
RSS_BOUND_KIB = 8 * 1024
# A flood that gets through costs every other sender seconds (4.1 s measured before the limits).
# The suite shares 2 cores with a browser on the other worker, and with 10-15 samples the p95 is
# one sample, so one scheduling hiccup (up to ~350 ms seen) would decide it: the typical send
# must stay within 2x of quiet, and the slowest under half a second.
MEDIAN_SLACK = 0.05
SLOWEST_CEILING = 0.5
# One worker runs the whole module, so its one server and quiet baseline serve every test.
pytestmark = pytest.mark.xdist_group("abuse")


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


@dataclass
class AbuseRoom:
    """One server with its live rate limits on, a room on it, and its quiet send figures."""

    server: LiveServer
    room: LiveRoom
    quiet: list[float]

    def client(self, name: str) -> FailoverClient:
        """A room client for one of its people, connected."""
        return FailoverClient(
            [self.server.url], cookie_header(self.room.people[name]), self.room.session_id, name
        ).connect()

    def log_since(self, mark: int) -> str:
        """What the shared server printed after `mark` (len of its log when a test began), so
        one test's failure is not every later test's too."""
        return self.server.log()[mark:]

    def clients(self, made: list[FailoverClient], *names: str) -> list[FailoverClient]:
        """Connected clients for `names`, added to `made` (the test's room_clients)."""
        connected = [self.client(name) for name in names]
        made.extend(connected)
        return connected


@pytest.fixture(scope="module")
def abuse_room(tmp_path_factory):
    """Built once for the module (one xdist worker runs it all): people registered with the
    limits off, the server restarted with them on, and the talker's quiet fan-out measured."""
    workdir = tmp_path_factory.mktemp("abuse")
    server = LiveServer(workdir, database_url=f"sqlite:///{workdir / 'abuse.db'}").start()
    try:
        room = make_live_room(server, ["flood", "talker", "listener"], facilitator="keeper")
        server.extra_env["HOLDSPACE_RATE_LIMITS"] = "on"
        server.restart()
        abuse = AbuseRoom(server, room, [])
        talker, listener = abuse.client("talker"), abuse.client("listener")
        try:
            _fan_out(talker, listener, "warm", 3)  # first-use costs out of the way
            abuse.quiet = _fan_out(talker, listener, "quiet")
        finally:
            talker.close()
            listener.close()
        yield abuse
    finally:
        server.stop()


def assert_sends_stay_fast(quiet: list[float], burst: list[float]) -> None:
    """The flood leaves others' sends near their quiet figures (see SLOWEST_CEILING)."""
    quiet_median, burst_median = statistics.median(quiet), statistics.median(burst)
    assert burst_median <= max(2 * quiet_median, quiet_median + MEDIAN_SLACK)
    assert p95(burst) <= max(2 * p95(quiet), SLOWEST_CEILING)


def _report(quiet: list[float], burst: list[float]) -> str:
    """Quiet and flood latencies, for the test's output."""
    return (
        f"send fan-out median/p95 quiet {statistics.median(quiet) * 1000:.1f}/"
        f"{p95(quiet) * 1000:.1f} ms, during the flood {statistics.median(burst) * 1000:.1f}/"
        f"{p95(burst) * 1000:.1f} ms"
    )


def _fan_out(
    talker: FailoverClient, listener: FailoverClient, tag: str, samples: int = SAMPLES
) -> list[float]:
    """Seconds from the talker's send to the listener's delivery, one message per SAMPLE_GAP."""
    latencies = []
    for n in range(samples):
        started = time.monotonic()
        answer = talker.send(f"{tag}:{n}", f"{tag}-{n}")
        assert answer.get("ok"), answer
        message_id = answer["message"]["id"]
        assert listener.wait_for(lambda c, i=message_id: i in c.arrived_at, 15)
        latencies.append(listener.arrived_at[message_id] - started)
        time.sleep(max(0.0, SAMPLE_GAP - (time.monotonic() - started)))
    return latencies


def _flood_while_sampling(
    flood: FailoverClient,
    talker: FailoverClient,
    listener: FailoverClient,
    event: str,
    payload,
    count: int,
) -> tuple[dict[str, int], list[float]]:
    """`count` events from the flooder, spread over the talker's burst samples; returns the
    flood's answers by code (every one answered) and the talker's fan-out meanwhile."""
    acks: list[dict] = []

    def flood_room() -> None:
        pace = SAMPLES * SAMPLE_GAP / count  # spread over the whole measurement
        for n in range(count):
            flood.sio.emit(event, payload(n), callback=acks.append)
            time.sleep(pace)

    flooder = threading.Thread(target=flood_room)
    flooder.start()
    burst = _fan_out(talker, listener, f"burst-{event}")  # client ids of this test's own
    flooder.join(120)
    deadline = time.monotonic() + 60
    while len(acks) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # broadcasts still on their way
    assert len(acks) == count
    codes: dict[str, int] = {}
    for ack in acks:
        code = "ok" if ack.get("ok") else ack["error"]["code"]
        codes[code] = codes.get(code, 0) + 1
    return codes, burst


def test_a_flood_is_rate_limited_while_fan_out_stays_fast(abuse_room, room_clients):
    mark = len(abuse_room.server.log())
    session_id = abuse_room.room.session_id
    codes, burst = _flood_while_sampling(
        *abuse_room.clients(room_clients, "flood", "talker", "listener"),
        "message:send",
        lambda n: {"session_id": session_id, "client_id": f"f-{n}", "body": f"f:{n}"},
        FLOOD,
    )
    print(f"\nflood: {FLOOD} acks {codes}; {_report(abuse_room.quiet, burst)}")
    assert set(codes) <= {"ok", "rate_limited"}
    assert codes.get("rate_limited", 0) >= FLOOD - 50
    assert_sends_stay_fast(abuse_room.quiet, burst)
    assert "Traceback" not in abuse_room.log_since(mark)


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _hostile_round(url: str, cookie: str, n: int) -> None:
    """One new connection: a binary event whose attachment never comes, or an oversized packet."""
    ws = websocket.create_connection(
        url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: {cookie}"],
        origin=url,
        timeout=10,
    )
    try:
        assert ws.recv().startswith("0")  # Engine.IO open
        ws.send("40")
        assert ws.recv().startswith("40")  # Socket.IO connect accepted
        if n % 2 == 0:
            header = ["message:send", {"_placeholder": True, "num": 0}]
            ws.send("451-" + json.dumps(header))
        else:
            body = "x" * (100 * 1024)
            ws.send("42" + json.dumps(["message:send", {"session_id": 1, "body": body}]))
        time.sleep(0.01)
    except (websocket.WebSocketException, ConnectionError):
        pass
    finally:
        ws.close()


def test_oversized_and_dangling_binary_packets_leave_memory_flat(abuse_room):
    server = abuse_room.server
    mark = len(server.log())
    cookie = cookie_header(abuse_room.room.people["flood"])
    pid = server.process.pid
    for n in range(40):  # warm up: let allocators and caches reach their working size
        _hostile_round(server.url, cookie, n)
    time.sleep(1)
    before = _rss_kib(pid)
    for n in range(HOSTILE_ROUNDS):
        _hostile_round(server.url, cookie, n)
    time.sleep(2)
    after = _rss_kib(pid)
    print(
        f"\nhostile packets: {HOSTILE_ROUNDS} connections ({HOSTILE_ROUNDS // 2} dangling binary, "
        f"{HOSTILE_ROUNDS // 2} of 100 KiB): server RSS {before / 1024:.1f} MiB → "
        f"{after / 1024:.1f} MiB ({(after - before) / 1024:+.1f} MiB)"
    )
    assert server.process.poll() is None
    assert after - before < RSS_BOUND_KIB
    assert "Traceback" not in abuse_room.log_since(mark)


# Issue 25: only `message:send` had a limit; 3,000 reactions from one member were all
# broadcast and slowed everyone's sends from 4 ms to about 4 s.
FLOODS = {
    "message:react": (
        "message:reactions",
        30,
        lambda room, msg, n: {"message_id": msg, "kind": "heart"},
    ),
    "typing": ("typing", 20, lambda room, msg, n: {"session_id": room, "typing": n % 2 == 0}),
    "hand:raise": ("hands", 10, lambda room, msg, n: {"session_id": room}),
    "message:report": ("report:new", 1, lambda room, msg, n: {"message_id": msg, "reason": "x"}),
    "support:request": (
        "support:alert_updated",
        5,
        lambda room, msg, n: {"session_id": room, "note": f"note {n}"},
    ),
}
EVENT_FLOOD = 600


@pytest.mark.parametrize("event", sorted(FLOODS))
def test_a_flood_of_any_broadcasting_event_is_cut_while_sends_stay_fast(
    abuse_room, room_clients, event
):
    mark = len(abuse_room.server.log())
    session_id = abuse_room.room.session_id
    flood, talker, listener, keeper = abuse_room.clients(
        room_clients, "flood", "talker", "listener", "keeper"
    )
    heard_event, budget, payload = FLOODS[event]
    heard = {"count": 0}
    for client in (listener, keeper):
        client.sio.on(heard_event, lambda data=None: heard.__setitem__("count", heard["count"] + 1))
    # The listener posts the target, so the talker's own send window (10 in 5 s) is untouched.
    message_id = listener.send("react to me", f"target-{event}")["message"]["id"]
    time.sleep(0.2)
    heard["count"] = 0
    codes, burst = _flood_while_sampling(
        flood, talker, listener, event, lambda n: payload(session_id, message_id, n), EVENT_FLOOD
    )
    print(
        f"\n{event} flood: {EVENT_FLOOD} acks {codes}; {heard['count']} broadcasts heard; "
        f"{_report(abuse_room.quiet, burst)}"
    )
    assert codes.get("rate_limited", 0) >= EVENT_FLOOD - budget - 5
    assert heard["count"] <= 2 * budget, "the flood's broadcasts are cut"
    assert_sends_stay_fast(abuse_room.quiet, burst)
    assert "Traceback" not in abuse_room.log_since(mark)
