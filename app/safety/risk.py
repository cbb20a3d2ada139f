"""Risk detection for chat messages: phrase rules for precision, a trained model for recall.

`assess(text, previous)` reads one message, and then the author's last few messages together
with it, and answers a level: "risk" (suicide or self-harm: offer crisis resources, alert the
facilitators), "concern" (the seek-more-help signs: a gentle nudge) or "none". Rules are
explainable phrase matches with context guards (app/safety/rules/); the model is a linear
classifier over word and character n-grams (app/safety/model.py). Only rule ids, "model" and
"context" leave this module, never any of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.safety.corpus import SEPARATOR
from app.safety.model import Model, load_model, split_long
from app.safety.normalise import normalise
from app.safety.rules import CONCERN, read_message
from app.safety.rules.matcher import OFF

RISK, NONE = "risk", "none"
SUICIDE, SELF_HARM = "suicide", "self_harm"
MAX_PREVIOUS = 3
# A message of fewer words than this says too little for the model alone to raise risk on it
# ("done", "ready", "relieved" scored as risk in the room); a rule, or the author's messages
# before it, still can. Numbers are not words: "hb 10 3 11 7 2544.586" scored 0.67.
LONE_WORDS = 3


def _words(text: str) -> int:
    """How many words a message has: runs that hold a letter (numbers and emoji do not count)."""
    return sum(1 for token in text.split() if any(char.isalpha() for char in token))


__all__ = ["CONCERN", "NONE", "RISK", "RiskAssessment", "assess", "normalise"]


@dataclass(frozen=True)
class RiskAssessment:
    """What the detector found: the level, its category, what fired, and the model's score."""

    level: str = NONE  # "risk" | "concern" | "none"
    category: str | None = None  # risk: "suicide" | "self_harm"; concern: "concern"
    matched: tuple[str, ...] = ()  # rule ids, "model", "context"; never any text
    score: float = 0.0  # the model's calibrated risk probability

    @property
    def is_risk(self) -> bool:
        """True when the author should be offered crisis resources."""
        return self.level == RISK

    @property
    def is_concern(self) -> bool:
        """True for the seek-more-help signs (and not risk)."""
        return self.level == CONCERN


NO_RISK = RiskAssessment()


@dataclass(frozen=True)
class _Reading:
    """Rule hits and model probabilities for one text or one window of messages."""

    risk_rules: dict[str, str]
    concern_rules: dict[str, str]
    probabilities: dict[str, float]
    idiom: bool = False  # a risk rule matched but its idiom guard switched it off


def _read(text: str, model: Model | None, rules: bool = True) -> _Reading:
    """Apply the rules (to a single message) and the model (to a message or a window)."""
    # A long message is read in the same sentence chunks the model reads (cached once).
    hits = [hit for chunk in split_long(text) for hit in read_message(chunk)[1]] if rules else ()
    return _Reading(
        risk_rules={rule_id: kind for rule_id, kind in hits if kind not in (CONCERN, OFF)},
        concern_rules={rule_id: kind for rule_id, kind in hits if kind == CONCERN},
        probabilities=model.probabilities(text) if model else {},
        idiom=any(rule_id.endswith("!idiom") for rule_id, _ in hits),
    )


def _risk_category(rules: dict[str, str], probabilities: dict[str, float]) -> str:
    """Suicide over self-harm when a rule says so; otherwise the model's self-harm head."""
    if SUICIDE in rules.values():
        return SUICIDE
    if SELF_HARM in rules.values():
        return SELF_HARM
    return SELF_HARM if probabilities.get(SELF_HARM, 0.0) >= 0.5 else SUICIDE


def _decide(reading: _Reading, model: Model | None, extra: tuple[str, ...] = ()):
    """The assessment for one reading."""
    probabilities = reading.probabilities
    score = probabilities.get(RISK, 0.0)
    thresholds = model.thresholds if model else {}
    threshold = thresholds.get(RISK, 1.0)
    if reading.idiom and not reading.risk_rules:
        # A rule recognised a known idiom ("killing myself at work"): the model must be surer.
        threshold = max(threshold, thresholds.get("idiom", threshold))
    model_risk = model is not None and score >= threshold
    # A rule hit stands unless the model is all but sure the line is safe (a quote, a past
    # that is over): measured by cross-validation, this drops a third of the rules' false
    # alarms for a handful of their hits.
    rules_risk = bool(reading.risk_rules) and score >= thresholds.get("rule_veto", 0.0)
    if model_risk or rules_risk:
        matched = (*reading.risk_rules, *(("model",) if model_risk else ()), *extra)
        category = _risk_category(reading.risk_rules, probabilities)
        return RiskAssessment(RISK, category, matched, score)
    model_concern = model is not None and probabilities[CONCERN] >= thresholds[CONCERN]
    if reading.concern_rules or model_concern:
        matched = (*reading.concern_rules, *(("model",) if model_concern else ()), *extra)
        return RiskAssessment(CONCERN, CONCERN, matched, score)
    return RiskAssessment(NONE, None, (), score)


_RANK = {NONE: 0, CONCERN: 1, RISK: 2}


def assess(text: str | None, previous: Sequence[str] = ()) -> RiskAssessment:
    """Assess one message, then with the author's last few messages (oldest first) before it."""
    return assess_with(load_model(), text, previous)


def assess_with(model: Model | None, text: str | None, previous: Sequence[str] = ()):
    """`assess` with a given model (cross-validation scores each fold's own model)."""
    if not text or not text.strip():
        return NO_RISK
    current = _decide(_read(text, model), model)
    if current.is_risk and current.matched == ("model",) and _words(text) < LONE_WORDS:
        current = NO_RISK  # "done", "bye", "relieved": alone, only the texts before can say
    earlier = [message for message in previous[-MAX_PREVIOUS:] if message and message.strip()]
    if current.is_risk or not earlier or model is None:
        return current
    window = SEPARATOR.join([*earlier, text])
    together = _decide(_read(window, model, rules=False), model, extra=("context",))
    if _RANK[together.level] > _RANK[current.level]:
        return together
    return current
