"""The detector's phrase rules in reporting order, and the cached reading of one message."""

from __future__ import annotations

from functools import lru_cache

from app.safety.normalise import normalise
from app.safety.rules.concern import CONCERN, CONCERN_RULES
from app.safety.rules.explicit import EXPLICIT_RULES
from app.safety.rules.indirect import INDIRECT_RULES
from app.safety.rules.matcher import Matcher
from app.safety.rules.self_harm import SELF_HARM_RULES
from app.safety.rules.veiled import VEILED_RULES

RISK_RULES = EXPLICIT_RULES + INDIRECT_RULES + VEILED_RULES + SELF_HARM_RULES
RULES = RISK_RULES + CONCERN_RULES
MATCHER = Matcher(RULES)


@lru_cache(maxsize=1024)
def read_message(message: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A message's normalised text and its rule readings as (rule id, category) pairs.

    Rules that matched but were switched off come last, as ("<id>!<why>", "off").

    Cached because the room sends each message again as context for the author's next ones,
    and the model's features and the rules read the same hits.
    """
    normalised = normalise(message)
    return normalised, tuple(MATCHER.read(normalised).items())


__all__ = ["CONCERN", "CONCERN_RULES", "MATCHER", "RISK_RULES", "RULES", "read_message"]
