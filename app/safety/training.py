"""Fitting the risk model's heads on the training corpus, and exporting them (scikit-learn).

Reproducible: the corpus is read in file order, every estimator has a fixed seed, and the
weights are written rounded. The server never imports this module; it reads the JSON that
app/safety/build.py writes (app/safety/model.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import diags
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from app.safety.corpus import Example
from app.safety.features import CHAR_SIZES, analyse, is_char_gram
from app.safety.model import HEADS

PARAMS = {
    "features": {
        "chars": list(CHAR_SIZES),
        "words": [1, 2],
        "min_df": 1,
        "sublinear_tf": True,
        "char_weight": 0.5,
    },
    "heads": {"C": 16.0, "class_weight": "balanced", "solver": "liblinear", "seed": 0},
    "folds": 5,
    "thresholds": {"risk": 0.3, "idiom": 0.6, "concern": 0.5, "rule_veto": 0.1},
}
DIGITS = 6
_SAFETY = Path(__file__).parent
# The features read the rules, so a rule change is a new model too.
FEATURE_CODE = sorted(
    [
        _SAFETY / "features.py",
        _SAFETY / "normalise.py",
        _SAFETY / "vocabulary.py",
        *(_SAFETY / "rules").glob("*.py"),
    ]
)


class Vectoriser(TfidfVectorizer):
    """TF-IDF over app.safety.features.analyse, character n-grams weighted down, rows l2-normed.

    The weight is folded into `weights_` (idf x block weight), which is what the server scores
    with, so training and serving compute the same vector.
    """

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and idf, then return the weighted, normalised matrix."""
        super().fit_transform(raw_documents, y)
        return self.transform(raw_documents)

    @property
    def weights_(self) -> np.ndarray:
        """Per-feature weight: idf, times the character weight for character n-grams."""
        block = np.ones(len(self.idf_))
        for feature, index in self.vocabulary_.items():
            if is_char_gram(feature):
                block[index] = PARAMS["features"]["char_weight"]
        return self.idf_ * block

    def transform(self, raw_documents):
        """Sublinear tf x weights, each row scaled to unit length."""
        counts = CountVectorizer(analyzer=analyse, vocabulary=self.vocabulary_).transform(
            raw_documents
        )
        matrix = counts.astype(np.float64)
        matrix.data = 1.0 + np.log(matrix.data)
        matrix = matrix @ diags(self.weights_)
        return normalize(matrix, norm="l2", copy=False)


def vectoriser() -> Vectoriser:
    """The vectoriser the model is trained with."""
    return Vectoriser(
        analyzer=analyse,
        min_df=PARAMS["features"]["min_df"],
        sublinear_tf=PARAMS["features"]["sublinear_tf"],
        norm=None,
        dtype=np.float64,
    )


def head_targets(examples: Sequence[Example]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each head: the rows it learns from and their 0/1 targets."""
    labels = np.array([example.label for example in examples])
    categories = np.array([example.category for example in examples])
    every = np.arange(len(examples))
    risky = np.flatnonzero(labels == "risk")
    return {
        "risk": (every, (labels == "risk").astype(int)),
        "concern": (every, (labels == "concern").astype(int)),
        "self_harm": (risky, (categories[risky] == "self_harm").astype(int)),
    }


def fit_head(matrix, target: np.ndarray) -> LogisticRegression:
    """One calibrated-later linear head with a fixed seed."""
    params = PARAMS["heads"]
    classifier = LogisticRegression(
        C=params["C"],
        class_weight=params["class_weight"],
        solver=params["solver"],
        random_state=params["seed"],
        max_iter=1000,
    )
    return classifier.fit(matrix, target)


def fit(examples: Sequence[Example]) -> tuple[Vectoriser, dict[str, LogisticRegression]]:
    """The vectoriser and the three heads, trained on every example."""
    vectorizer = vectoriser()
    matrix = vectorizer.fit_transform([example.text for example in examples])
    heads = {}
    for name, (rows, target) in head_targets(examples).items():
        heads[name] = fit_head(matrix[rows], target)
    return vectorizer, heads


def _round(value: float) -> float:
    """Rounded to a fixed number of significant digits so the JSON is stable."""
    return float(f"{value:.{DIGITS}g}")


def export(
    vectorizer: Vectoriser,
    heads: dict[str, LogisticRegression],
    calibration: dict[str, tuple[float, float]],
    thresholds: dict[str, float],
    version: str,
) -> dict:
    """The plain-data artefact the server loads."""
    vocabulary = vectorizer.vocabulary_
    features = sorted(vocabulary, key=vocabulary.__getitem__)
    return {
        "version": version,
        "params": PARAMS,
        "thresholds": {name: _round(value) for name, value in thresholds.items()},
        "features": features,
        "idf": [_round(value) for value in vectorizer.weights_],
        "heads": {
            name: {
                "intercept": _round(heads[name].intercept_[0]),
                "calibration": [_round(value) for value in calibration[name]],
                "coef": [_round(value) for value in heads[name].coef_[0]],
            }
            for name in HEADS
        },
    }


def data_version(examples: Sequence[Example]) -> str:
    """A short hash of the data, the parameters and the feature code: the model's version."""
    digest = hashlib.sha256(json.dumps(PARAMS, sort_keys=True).encode())
    for path in FEATURE_CODE:
        digest.update(path.read_bytes())
    for example in examples:
        digest.update(f"{example.label}\t{example.category}\t{example.text}\n".encode())
    return digest.hexdigest()[:12]
