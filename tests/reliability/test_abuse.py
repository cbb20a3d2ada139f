"""Abuse: a 1,000-message flood is refused cheaply, and hostile packets leave memory flat."""

from __future__ import annotations

import json
import statistics
import threading
import time

import pytest
import websocket

from tests.reliability.clients import FailoverClient
from tests.support.live_room import make_live_room
from tests.support.live_server import cookie_header

FLOOD = 1000
SAMPLES = 15
SAMPLE_GAP = 0.55  # the talker stays under 10 messages in any 5 s, all along
HOSTILE_ROUNDS = 200
RSS_BOUND_KIB = 8 * 1024
# A flood that gets through costs every other sender seconds (4.1 s measured before the limits).
# The suite shares 2 cores with a browser on the other worker, and with 10-15 samples the p95 is
# one sample, so one scheduling hiccup (up to ~350 ms seen) would decide it: the typical send
# must stay within 2x of quiet, and the slowest under half a second.
MEDIAN_SLACK = 0.05
SLOWEST_CEILING = 0.5


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


@pytest.fixture
def limited_room(live_server_factory, tmp_path):
    """A room on a server whose live rate limits are on (people registered with them off)."""
    server = live_server_factory(database_url=f"sqlite:///{tmp_path / 'abuse.db'}")
    room = make_live_room(server, ["flood", "talker", "listener"])
    server.extra_env["HOLDSPACE_RATE_LIMITS"] = "on"
    server.restart()
    return server, room


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


def test_a_flood_is_rate_limited_while_fan_out_stays_fast(limited_room, room_clients):
    server, room = limited_room
    flood, talker, listener = (
        FailoverClient([server.url], cookie_header(room.people[n]), room.session_id, n).connect()
        for n in ("flood", "talker", "listener")
    )
    room_clients.extend([flood, talker, listener])
    _fan_out(talker, listener, "warm", 4)  # first-use costs out of the way
    quiet = _fan_out(talker, listener, "quiet")

    acks: list[dict] = []

    def flood_room() -> None:
        pace = SAMPLES * SAMPLE_GAP / FLOOD  # spread over the whole measurement
        for n in range(FLOOD):
            payload = {"session_id": room.session_id, "client_id": f"f-{n}", "body": f"f:{n}"}
            flood.sio.emit("message:send", payload, callback=acks.append)
            time.sleep(pace)

    flooder = threading.Thread(target=flood_room)
    flooder.start()
    burst = _fan_out(talker, listener, "burst")
    flooder.join(120)
    deadline = time.monotonic() + 60
    while len(acks) < FLOOD and time.monotonic() < deadline:
        time.sleep(0.1)

    codes: dict[str, int] = {}
    for ack in acks:
        code = "ok" if ack.get("ok") else ack["error"]["code"]
        codes[code] = codes.get(code, 0) + 1
    print(f"\nflood: {len(acks)} acks {codes}; {_report(quiet, burst)}")
    assert len(acks) == FLOOD
    assert set(codes) <= {"ok", "rate_limited"}
    assert codes.get("rate_limited", 0) >= FLOOD - 50
    assert_sends_stay_fast(quiet, burst)
    assert "Traceback" not in server.log()


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


def test_oversized_and_dangling_binary_packets_leave_memory_flat(limited_room):
    server, room = limited_room
    cookie = cookie_header(room.people["flood"])
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
    assert "Traceback" not in server.log()


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


@pytest.fixture
def keeper_room(live_server_factory, tmp_path):
    """A room with its facilitator present, on a server whose live rate limits are on."""
    server = live_server_factory(database_url=f"sqlite:///{tmp_path / 'floods.db'}")
    room = make_live_room(server, ["flood", "talker", "listener"], facilitator="keeper")
    server.extra_env["HOLDSPACE_RATE_LIMITS"] = "on"
    server.restart()
    return server, room


@pytest.mark.parametrize("event", sorted(FLOODS))
def test_a_flood_of_any_broadcasting_event_is_cut_while_sends_stay_fast(
    keeper_room, room_clients, event
):
    server, room = keeper_room
    flood, talker, listener, keeper = (
        FailoverClient([server.url], cookie_header(room.people[n]), room.session_id, n).connect()
        for n in ("flood", "talker", "listener", "keeper")
    )
    room_clients.extend([flood, talker, listener, keeper])
    heard_event, budget, payload = FLOODS[event]
    heard = {"count": 0}
    for client in (listener, keeper):
        client.sio.on(heard_event, lambda data=None: heard.__setitem__("count", heard["count"] + 1))
    # The listener posts the target, so the talker's own send window (10 in 5 s) is untouched.
    message_id = listener.send("react to me", "target")["message"]["id"]
    _fan_out(talker, listener, "warm", 3)
    quiet = _fan_out(talker, listener, "quiet", 10)
    heard["count"] = 0
    acks: list[dict] = []

    def flood_room() -> None:
        pace = 10 * SAMPLE_GAP / EVENT_FLOOD
        for n in range(EVENT_FLOOD):
            flood.sio.emit(event, payload(room.session_id, message_id, n), callback=acks.append)
            time.sleep(pace)

    flooder = threading.Thread(target=flood_room)
    flooder.start()
    burst = _fan_out(talker, listener, "burst", 10)
    flooder.join(120)
    deadline = time.monotonic() + 60
    while len(acks) < EVENT_FLOOD and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    codes: dict[str, int] = {}
    for ack in acks:
        code = "ok" if ack.get("ok") else ack["error"]["code"]
        codes[code] = codes.get(code, 0) + 1
    print(
        f"\n{event} flood: {len(acks)} acks {codes}; {heard['count']} broadcasts heard; "
        f"{_report(quiet, burst)}"
    )
    assert len(acks) == EVENT_FLOOD
    assert codes.get("rate_limited", 0) >= EVENT_FLOOD - budget - 5
    assert heard["count"] <= 2 * budget, "the flood's broadcasts are cut"
    assert_sends_stay_fast(quiet, burst)
    assert "Traceback" not in server.log()
