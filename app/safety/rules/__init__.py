"""The risk detector's phrase rules, in the order they are reported."""

from __future__ import annotations

from app.safety.rules.explicit import EXPLICIT_RULES
from app.safety.rules.indirect import INDIRECT_RULES
from app.safety.rules.self_harm import SELF_HARM_RULES

RULES = EXPLICIT_RULES + INDIRECT_RULES + SELF_HARM_RULES

__all__ = ["RULES"]
