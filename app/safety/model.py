"""The trained model as the server runs it: plain JSON weights, pure Python, no pickle.

`make model` (app/safety/training.py) writes `detector_model.json`: the feature list, each
feature's inverse document frequency, and for each head (risk, concern, self_harm) a linear
weight per feature, an intercept and a sigmoid calibration. Scoring is scikit-learn's TF-IDF
(sublinear tf, l2 norm) followed by a dot product, written out by hand.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from app.safety.features import analyse

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("detector_model.json")
HEADS = ("risk", "concern", "self_harm")
CHUNK_WORDS = 40
_SENTENCES = re.compile(r"(?<=[.!?\n;])\s+")


class Model:
    """Linear heads over TF-IDF features, read from the JSON artefact."""

    def __init__(self, data: dict):
        self.version: str = data["version"]
        self.thresholds: dict[str, float] = data["thresholds"]
        heads = [data["heads"][name] for name in HEADS]
        self._intercepts = [head["intercept"] for head in heads]
        self._calibration = [head["calibration"] for head in heads]
        self._weights = {  # idf, then idf x weight for each head
            feature: (idf, *(idf * head["coef"][index] for head in heads))
            for index, (feature, idf) in enumerate(zip(data["features"], data["idf"], strict=True))
        }

    def decisions(self, text: str) -> tuple[float, ...] | None:
        """The raw linear score of each head, or None when no feature is known ("🙏")."""
        weights = self._weights
        risk = concern = self_harm = norm = 0.0
        for feature, count in Counter(analyse(text)).items():
            row = weights.get(feature)
            if row is None:
                continue
            tf = 1.0 + math.log(count) if count > 1 else 1.0  # sublinear term frequency
            norm += (tf * row[0]) ** 2
            risk += tf * row[1]
            concern += tf * row[2]
            self_harm += tf * row[3]
        if not norm:
            return None
        scale = 1.0 / math.sqrt(norm)
        totals = (risk, concern, self_harm)
        return tuple(total * scale + b for total, b in zip(totals, self._intercepts, strict=True))

    def probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probability per head: risk, concern, and self-harm given risk.

        A long message is read in chunks of a few sentences and its most worrying chunk
        counts, so one risky clause in a long ramble is not averaged away. A text with no
        known feature gives no evidence: every head answers 0, not the base rate.
        """
        chunks = split_long(text)
        if len(chunks) == 1:
            return self._chunk_probabilities(text)
        readings = [self._chunk_probabilities(chunk) for chunk in chunks]
        worst = max(readings, key=lambda reading: reading["risk"])
        return {**worst, "concern": max(reading["concern"] for reading in readings)}

    def _chunk_probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probabilities for one short text."""
        decisions = self.decisions(text)
        if decisions is None:
            return dict.fromkeys(HEADS, 0.0)
        return {
            name: _sigmoid(slope * decision + offset)
            for name, decision, (slope, offset) in zip(
                HEADS, decisions, self._calibration, strict=True
            )
        }


def split_long(text: str) -> list[str]:
    """A text of more than CHUNK_WORDS words as chunks of whole sentences (else itself)."""
    if len(text.split()) <= CHUNK_WORDS:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCES.split(text):
        words = sentence.split()
        if current and len(current) + len(words) > CHUNK_WORDS:
            chunks.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        chunks.append(" ".join(current))
    return chunks


def _sigmoid(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The committed model, read once; None (rules only, logged) if the file is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.error("risk model missing at %s: run `make model`; using the rules alone", path.name)
        return None
    model = Model(data)
    log.info("risk model version %s", model.version)
    return model
