"""Time the risk detector per message (p50, p99, max): `python bench/detector_bench.py`.

Three workloads: every line of the training corpus as a chat message on its own; the same
lines with the author's three previous messages as context (what the room sends); and
2,000-character messages (the longest a message may be). Each message is timed on its own
with a monotonic clock, after one warm-up pass, so the percentiles are per message.
"""

from __future__ import annotations

import random
import string
import time
from collections.abc import Sequence

from app.safety.corpus import load_training
from app.safety.features import message_features
from app.safety.model import load_model
from app.safety.risk import assess
from app.safety.rules import read_message
from app.safety.rules.matcher import message_past

SHARING = (
    "Today I sat with my grief for a while, and the tears came when I wasn't expecting them. "
    "It felt like a wave, and I let it pass. My chest loosened afterwards and I could breathe. "
)
TRICKY = (
    "I don't know, I can't, I won't, never again, my life, myself, suicide squats, killing it, "
    "to die for, dying to see you, I'm not going to hurt myself. "
)


def sample_messages(length: int = 2000) -> dict[str, str]:
    """Typical, risky, idiom-dense and random 2,000-character messages."""
    rng = random.Random(5)
    noise = "".join(rng.choice(string.ascii_letters + "   ,.!'") for _ in range(length))
    return {
        "everyday sharing": (SHARING * 40)[:length],
        "sharing ending in risk": (SHARING * 40)[: length - 30] + " I don't want to live anymore.",
        "idioms and negations": (TRICKY * 40)[:length],
        "random letters": noise,
    }


def workloads() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """(message, previous) pairs for each workload."""
    lines = [example.messages[-1] for example in load_training()]
    rng = random.Random(7)
    with_context = [(line, tuple(rng.sample(lines, 3))) for line in lines]
    long_messages = [(text, ()) for text in sample_messages().values()] * 25
    return {
        "corpus lines": [(line, ()) for line in lines],
        "corpus lines + 3 previous": with_context,
        "2,000-character messages": long_messages,
    }


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def _forget_messages() -> None:
    """Empty the per-message caches, so each timed message is read as if new."""
    read_message.cache_clear()
    message_features.cache_clear()
    message_past.cache_clear()
    model = load_model()
    if model is not None:
        model.forget_messages()


def time_one(text: str, previous: tuple[str, ...], repeat: int) -> float:
    """Best of `repeat` cold calls (previous messages warm, as the room assessed them before)."""
    best = float("inf")
    for _ in range(repeat):
        _forget_messages()
        for earlier in previous:
            assess(earlier)  # the room read each of them when it was sent
        start = time.perf_counter()
        assess(text, previous)
        best = min(best, time.perf_counter() - start)
    return best


def time_each(pairs: Sequence[tuple[str, tuple[str, ...]]], repeat: int = 5) -> list[float]:
    """Seconds per message (best of `repeat`, which filters out other processes' noise)."""
    for text, previous in pairs:
        assess(text, previous)  # warm-up: word caches as a running server has them
    return sorted(time_one(text, previous, repeat) for text, previous in pairs)


def main() -> None:
    """Print p50, p99 and max per message for each workload."""
    started = time.perf_counter()
    model = load_model()
    print(f"model {model.version if model else 'missing'} loaded in "
          f"{(time.perf_counter() - started) * 1e3:.0f} ms")  # fmt: skip
    for name, pairs in workloads().items():
        timings = time_each(pairs)
        p50, p99 = percentile(timings, 0.50), percentile(timings, 0.99)
        print(
            f"{name:28s} {len(timings):6d} calls  p50 {p50 * 1e3:6.3f} ms  "
            f"p99 {p99 * 1e3:6.3f} ms  max {timings[-1] * 1e3:6.3f} ms"
        )


if __name__ == "__main__":
    main()
