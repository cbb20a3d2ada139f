"""Real server, real clients: every member starts the same breath within ~100 ms.

Each client estimates its clock offset NTP-style (several `time:sync` calls, keeping the one
with the shortest round trip), then converts the shared `starts_at_ms` into its own clock. One
client's clock is deliberately set 4.3 s fast to show the offset estimate absorbs it.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.live_room import RoomClient, make_live_room

pytestmark = pytest.mark.transport

SAMPLES = 8
FAST_CLOCK_MS = 4321.0
TARGET_SKEW_MS = 100.0


class PacerClient(RoomClient):
    """A room client with its own (possibly wrong) clock, listening for the pacer."""

    def __init__(self, *args, clock_error_ms: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.clock_error_ms = clock_error_ms
        self.breaths: list[dict] = []
        self.got_breath = threading.Event()
        self.sio.on("breath:started", self._on_breath)

    def clock_ms(self) -> float:
        """This client's idea of the time (true time plus its error)."""
        return time.time() * 1000 + self.clock_error_ms

    def _on_breath(self, breath: dict) -> None:
        self.breaths.append(breath)
        self.got_breath.set()

    def estimate_offset(self) -> tuple[float, float]:
        """(offset, round trip) of the sample with the shortest round trip."""
        best = None
        for _ in range(SAMPLES):
            sent = self.clock_ms()
            answer = self.sio.call("time:sync", {"client_ms": sent}, timeout=10)
            back = self.clock_ms()
            round_trip = back - sent
            offset = answer["server_ms"] - (sent + back) / 2
            if best is None or round_trip < best[1]:
                best = (offset, round_trip)
        return best


def test_two_members_start_the_same_breath_together(live_server, clients):
    room = make_live_room(live_server, ["alice", "bob"])
    holder = RoomClient(live_server.url, room.people["holder"], room.session_id, "holder")
    alice = PacerClient(live_server.url, room.people["alice"], room.session_id, "alice")
    bob = PacerClient(
        live_server.url,
        room.people["bob"],
        room.session_id,
        "bob",
        clock_error_ms=FAST_CLOCK_MS,
    )
    for client in (holder, alice, bob):
        clients.append(client.connect())
    estimates = {c.name: c.estimate_offset() for c in (alice, bob)}

    rhythm = {"inhale_s": 4, "hold_s": 2, "exhale_s": 6, "rounds": 2}
    answer = holder.sio.call("breath:start", {"session_id": room.session_id, **rhythm}, timeout=10)
    assert answer["ok"], answer
    assert alice.got_breath.wait(10) and bob.got_breath.wait(10)
    assert alice.breaths == bob.breaths == [answer["breath"]]
    starts_at = answer["breath"]["starts_at_ms"]

    # When each client will begin, in its own clock, then back in true time.
    true_starts = {}
    for client in (alice, bob):
        offset, _ = estimates[client.name]
        local_start = starts_at - offset
        true_starts[client.name] = local_start - client.clock_error_ms
    skew = abs(true_starts["alice"] - true_starts["bob"])
    print(
        f"\npacer sync: starts_at_ms identical ({starts_at}); "
        f"alice offset {estimates['alice'][0]:.1f} ms (rtt {estimates['alice'][1]:.1f} ms), "
        f"bob offset {estimates['bob'][0]:.1f} ms (rtt {estimates['bob'][1]:.1f} ms, "
        f"clock {FAST_CLOCK_MS:.0f} ms fast); skew between their breaths {skew:.1f} ms"
    )
    assert skew < TARGET_SKEW_MS
