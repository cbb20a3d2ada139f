"""The breathing pacer's timing: when it starts, and whether it is still running."""

from __future__ import annotations

import time

# Long enough for the broadcast to reach every client before the first breath begins.
LEAD_MS = 1500


def server_ms() -> int:
    """The server's wall clock in milliseconds since the epoch (what clients sync to)."""
    return int(time.time() * 1000)


def new_breath(inhale_s: int, hold_s: int, exhale_s: int, rounds: int) -> dict:
    """The `breath` object of a pacer that starts a moment from now."""
    return {
        "starts_at_ms": server_ms() + LEAD_MS,
        "inhale_s": inhale_s,
        "hold_s": hold_s,
        "exhale_s": exhale_s,
        "rounds": rounds,
    }


def ends_at_ms(breath: dict) -> int:
    """When the last breath of this pacer ends."""
    cycle = breath["inhale_s"] + breath["hold_s"] + breath["exhale_s"]
    return breath["starts_at_ms"] + cycle * breath["rounds"] * 1000


def breath_in_progress(breath: dict | None, now_ms: int | None = None) -> dict | None:
    """The stored breath while it is still to come or running; None once it has finished."""
    if not breath:
        return None
    try:
        finished = ends_at_ms(breath) <= (server_ms() if now_ms is None else now_ms)
    except (KeyError, TypeError):
        return None
    return None if finished else dict(breath)
