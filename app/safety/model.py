"""The trained model as the server runs it: plain JSON weights and numpy, no pickle.

`make model` (app/safety/build.py) writes `detector_model.json`: the feature list, each
feature's weight (inverse document frequency times its block weight), and for each head (risk,
concern, self_harm) a linear weight per feature, an intercept and a sigmoid calibration.
Scoring is scikit-learn's TF-IDF (sublinear tf, l2 norm) followed by a dot product, written out
with numpy so that the server needs no scikit-learn.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.safety.corpus import SEPARATOR
from app.safety.features import MESSAGE_BREAK, message_features

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("detector_model.json")
HEADS = ("risk", "concern", "self_harm")
CHUNK_WORDS = 40
MESSAGE_COUNTS_KEPT = 4096
_SENTENCES = re.compile(r"(?<=[.!?\n;])\s+")


class Model:
    """Linear heads over TF-IDF features, read from the JSON artefact."""

    def __init__(self, data: dict):
        """Read the artefact's features, weights, intercepts, calibration and thresholds."""
        self.version: str = data["version"]
        self.thresholds: dict[str, float] = data["thresholds"]
        heads = [data["heads"][name] for name in HEADS]
        self._intercepts = [head["intercept"] for head in heads]
        self._calibration = [head["calibration"] for head in heads]
        self._index = {feature: index for index, feature in enumerate(data["features"])}
        self._idf = np.asarray(data["idf"], dtype=np.float64)
        coefs = np.asarray([head["coef"] for head in heads], dtype=np.float64).T
        self._weights = coefs * self._idf[:, None]  # idf x weight, one column per head
        self._break = self._index.get(MESSAGE_BREAK)
        # A message is counted once: it comes back as context with its author's next three.
        # Sized for the texts of about 1,300 people talking at once on one process (500 people
        # round-robin missed 3 in 4 with 1,024 entries): 1.2 KB for a short text, 20 KB at most.
        self._message_counts = lru_cache(maxsize=MESSAGE_COUNTS_KEPT)(self._count_message)

    def forget_messages(self) -> None:
        """Drop the kept counts, so every text is read as new (the detector's benchmark)."""
        self._message_counts.cache_clear()

    def decisions(self, text: str) -> tuple[float, ...] | None:
        """The raw linear score of each head, or None when no feature is known ("🙏")."""
        return self._decide(self._counts(text))

    def _counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Each known feature of a text and how often it occurs; a ` || ` sequence adds up the
        counts of its messages (each counted once and remembered: they come back as context)."""
        messages = text.split(SEPARATOR)
        if len(messages) == 1:
            return self._message_counts(text)
        parts = [self._message_counts(message) for message in messages]
        if self._break is not None:
            parts.append(([self._break], [len(messages) - 1]))
        features, inverse = np.unique(np.concatenate([f for f, _ in parts]), return_inverse=True)
        return features, np.bincount(inverse, np.concatenate([c for _, c in parts]))

    def _count_message(self, message: str) -> tuple[np.ndarray, np.ndarray]:
        """A message's known features and their counts, compact: a few thousand are kept."""
        known = map(self._index.get, message_features(message))
        counts = Counter(position for position in known if position is not None)
        return (
            np.fromiter(counts.keys(), dtype=np.int32, count=len(counts)),
            np.fromiter(counts.values(), dtype=np.uint16, count=len(counts)),
        )

    def _decide(self, counts: tuple[np.ndarray, np.ndarray]) -> tuple[float, ...] | None:
        """Sublinear TF-IDF, l2-normalised, times each head's weights, plus its intercept."""
        features, occurrences = counts
        if not len(features):
            return None
        tf = 1.0 + np.log(occurrences, dtype=np.float64)
        tfidf = tf * self._idf[features]  # idf > 0: a known feature never leaves this zero
        norm = math.sqrt(float(tfidf @ tfidf))
        totals = tf @ self._weights[features]
        return tuple(
            float(total) / norm + b for total, b in zip(totals, self._intercepts, strict=True)
        )

    def probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probability per head: risk, concern, and self-harm given risk.

        A long message is read in chunks of a few sentences and its most worrying chunk
        counts, so one risky clause in a long ramble is not averaged away. A text with no
        known feature gives no evidence: every head answers 0, not the base rate.
        """
        readings = [self._calibrated(self.decisions(chunk)) for chunk in split_long(text)]
        worst = max(readings, key=lambda reading: reading["risk"])
        return {**worst, "concern": max(reading["concern"] for reading in readings)}

    def _calibrated(self, decisions: tuple[float, ...] | None) -> dict[str, float]:
        """Calibrated probabilities from raw decisions (all 0 without evidence)."""
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
