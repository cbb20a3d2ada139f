"""Workloads and profiles: what the generator is asked to do in each run."""

from __future__ import annotations

from dataclasses import dataclass, field

# No step more than 50 % above the last, and 25 % from 400 up: capacity is read off this grid,
# so its spacing is the resolution of every capacity ratio. The climb is 100 to 2,000;
# it goes on past 2,000 because on a fast machine the bare servers did not break by then (twelfth
# round: (p) and (d) passed 2,000 with their core 40-77 % busy), and a ratio to a limit that was
# never reached says nothing. Two misses in a row end a climb, so a slower target never pays for
# the steps above its limit.
CLIMB_RATES = [
    *(100, 150, 200, 250, 300, 400, 500, 600, 700, 850, 1000, 1250, 1500, 1750, 2000),
    *(2500, 3000, 3500, 4000, 5000, 6000),
]
CAPACITY = {"min_ratio": 0.999, "max_fanout_p99_ms": 100}


@dataclass
class Workload:
    """One kind of load: how many members, how big the rooms, what the generator does."""

    key: str
    mode: str  # generator mode: climb | idle | http
    clients: int
    room_size: int
    title: str
    generator: dict = field(default_factory=dict)
    holdspace_only: bool = False


def full_workloads(step_seconds: float = 4.0) -> list[Workload]:
    """`make bench`: the issue's workloads."""
    climb = {
        "rates": CLIMB_RATES,
        "step_seconds": step_seconds,
        "drain_seconds": 2,
        # Two misses in a row end the climb: one noisy step does not hide the real capacity.
        "stop_after_failures": 2,
        "capacity": CAPACITY,
    }
    return [
        Workload("rooms10", "climb", 500, 10, "500 members in rooms of 10, rate climb", climb),
        Workload("rooms25", "climb", 500, 25, "500 members in rooms of 25, rate climb", climb),
        Workload(
            "sunday",
            "climb",
            500,
            20,
            "Sunday evening: 25 rooms of 20, 1 message/s per room",
            {**climb, "rates": [25], "step_seconds": 10, "stop_after_failures": 1},
        ),
        Workload("idle", "idle", 2000, 25, "2,000 idle members (memory)", {"idle_hold_seconds": 3}),
        Workload(
            "http",
            "http",
            25,
            25,
            "pages under 20 concurrent requests",
            {"http": {"concurrency": 20, "total": 400, "warmup": 40}},
            holdspace_only=True,
        ),
    ]


def smoke_workloads() -> list[Workload]:
    """`make bench-smoke`: a tiny load that proves the harness end to end."""
    return [
        Workload(
            "smoke",
            "climb",
            20,
            10,
            "smoke: 20 members in 2 rooms, 50 messages/s for 3 s",
            {
                "rates": [50],
                "step_seconds": 3,
                "drain_seconds": 2,
                "stop_after_failures": 1,
                "capacity": CAPACITY,
            },
        )
    ]


def http_pages(deployment_extra: dict) -> list[dict]:
    """The pages the HTTP workload measures, for the run's first circle and session."""
    circle = deployment_extra["circles"][0]
    session = deployment_extra["sessions"][0]
    return [
        {"name": "circle", "path": f"/circles/{circle}"},
        {"name": "live_room", "path": f"/sessions/{session}"},
        {"name": "journal", "path": "/journal/", "journal_entries": 2000},
    ]
