"""Time the risk detector on 2,000-character messages: `python -m app.safety.benchmark`."""

from __future__ import annotations

import random
import string
import timeit

from app.safety.risk import assess

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


def time_per_message(text: str, number: int = 300, repeat: int = 5) -> float:
    """Best-of-`repeat` seconds per call (the minimum is the least noisy estimate)."""
    return min(timeit.repeat(lambda: assess(text), number=number, repeat=repeat)) / number


def main() -> None:
    """Print the time per message for each sample."""
    for name, text in sample_messages().items():
        seconds = time_per_message(text)
        print(f"{name:24s} {len(text):5d} chars  {seconds * 1e6:7.0f} µs/message")


if __name__ == "__main__":
    main()
