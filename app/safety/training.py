"""Build the risk model from the training corpus: `make model` (needs scikit-learn).

Reproducible: the corpus is read in file order, every estimator has a fixed seed, and the
weights are written rounded, so building twice gives the same bytes. The server never imports
this module; it reads the JSON this writes (app/safety/model.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from app.safety.corpus import Example, load_training
from app.safety.features import CHAR_SIZES, analyse
from app.safety.model import HEADS, MODEL_PATH

PARAMS = {
    "features": {"chars": list(CHAR_SIZES), "words": [1, 2], "min_df": 2, "sublinear_tf": True},
    "heads": {"C": 8.0, "class_weight": "balanced", "solver": "liblinear", "seed": 0},
    "folds": 5,
    "thresholds": {"risk": 0.35, "concern": 0.5},
}
DIGITS = 6


def vectoriser() -> TfidfVectorizer:
    """TF-IDF over app.safety.features.analyse, as the server computes it."""
    return TfidfVectorizer(
        analyzer=analyse,
        min_df=PARAMS["features"]["min_df"],
        sublinear_tf=PARAMS["features"]["sublinear_tf"],
        norm="l2",
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


def fit(examples: Sequence[Example]) -> tuple[TfidfVectorizer, dict[str, LogisticRegression]]:
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
    vectorizer: TfidfVectorizer,
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
        "idf": [_round(value) for value in vectorizer.idf_],
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
    """A short hash of the training data and the parameters: the model's version."""
    digest = hashlib.sha256(json.dumps(PARAMS, sort_keys=True).encode())
    for example in examples:
        digest.update(f"{example.label}\t{example.category}\t{example.text}\n".encode())
    return digest.hexdigest()[:12]


def build(examples: Sequence[Example] | None = None) -> dict:
    """Train on the whole corpus; calibrate and pick thresholds by grouped cross-validation."""
    from app.safety.crossval import calibrate, out_of_fold

    examples = list(load_training() if examples is None else examples)
    folds = out_of_fold(examples)
    calibration = calibrate(examples, folds)
    vectorizer, heads = fit(examples)
    return export(vectorizer, heads, calibration, PARAMS["thresholds"], data_version(examples))


def write(artefact: dict, path: Path = MODEL_PATH) -> str:
    """Write the artefact as compact, sorted JSON; returns its sha256."""
    text = json.dumps(artefact, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def main(argv: Sequence[str] | None = None) -> None:
    """Build the model from the repository's data and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    artefact = build()
    digest = write(artefact, args.output)
    print(f"model {artefact['version']}: {len(artefact['features'])} features, sha256 {digest}")


if __name__ == "__main__":
    main()
