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
from collections import Counter
from functools import lru_cache
from pathlib import Path

from app.safety.features import analyse

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("detector_model.json")
HEADS = ("risk", "concern", "self_harm")


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

    def decisions(self, text: str) -> tuple[float, ...]:
        """The raw linear score of each head (before calibration)."""
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
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        totals = (risk, concern, self_harm)
        return tuple(total * scale + b for total, b in zip(totals, self._intercepts, strict=True))

    def probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probability per head: risk, concern, and self-harm given risk."""
        return {
            name: _sigmoid(slope * decision + offset)
            for name, decision, (slope, offset) in zip(
                HEADS, self.decisions(text), self._calibration, strict=True
            )
        }


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
