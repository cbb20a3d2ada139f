"""Grouped cross-validation on the training corpus: calibration, thresholds and training figures.

Near-duplicate lines (cosine similarity of their features >= 0.7) share a group and so a fold,
so a line's twin never helps score it. The figures are *training* figures: the rules were
written by someone who had read this corpus. Only blind sets say how the detector generalises.
`python -m app.safety.crossval` prints them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from app.safety.corpus import Example, load_training
from app.safety.evaluate import Report, detail_lines, score, summary_lines
from app.safety.model import HEADS, Model
from app.safety.risk import assess_with
from app.safety.training import PARAMS, export, fit, head_targets, vectoriser

DUPLICATE_SIMILARITY = 0.7


def near_duplicate_groups(examples: Sequence[Example]) -> np.ndarray:
    """A group id per example; lines whose features are nearly the same share one."""
    matrix = vectoriser().fit_transform([example.text for example in examples])
    parent = list(range(len(examples)))

    def root(node: int) -> int:
        """The group a line belongs to (union-find with path halving)."""
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for start in range(0, len(examples), 500):
        block = (matrix[start : start + 500] @ matrix.T).tocoo()
        for row, column, value in zip(block.row, block.col, block.data, strict=True):
            if value >= DUPLICATE_SIMILARITY and row + start != column:
                parent[root(row + start)] = root(column)
    return np.array([root(node) for node in range(len(examples))])


@dataclass
class Folds:
    """Each fold's held-out rows, its fitted model, and the out-of-fold decisions."""

    splits: list[np.ndarray]
    fitted: list[tuple]
    decisions: dict[str, np.ndarray]  # head -> decision per example (whole line)


def out_of_fold(examples: Sequence[Example]) -> Folds:
    """Fit on four folds, score the fifth, five times over."""
    labels = [example.label for example in examples]
    splitter = StratifiedGroupKFold(
        n_splits=PARAMS["folds"], shuffle=True, random_state=PARAMS["heads"]["seed"]
    )
    groups = near_duplicate_groups(examples)
    decisions = {name: np.zeros(len(examples)) for name in HEADS}
    splits, fitted = [], []
    for train, held_out in splitter.split(np.zeros(len(labels)), labels, groups):
        vectorizer, heads = fit([examples[index] for index in train])
        matrix = vectorizer.transform([examples[index].text for index in held_out])
        for name in HEADS:
            decisions[name][held_out] = heads[name].decision_function(matrix)
        splits.append(held_out)
        fitted.append((vectorizer, heads))
    return Folds(splits, fitted, decisions)


def calibrate(examples: Sequence[Example], folds: Folds) -> dict[str, tuple[float, float]]:
    """Platt scaling per head, fitted on the out-of-fold decisions: (slope, offset)."""
    calibration = {}
    for name, (rows, target) in head_targets(examples).items():
        scores = folds.decisions[name][rows].reshape(-1, 1)
        platt = LogisticRegression(C=1e4, solver="lbfgs").fit(scores, target)
        calibration[name] = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
    return calibration


def cross_validated_report(
    examples: Sequence[Example], thresholds: dict[str, float] | None = None
) -> Report:
    """The full detector (rules + each fold's model + context) on its held-out folds."""
    folds = out_of_fold(examples)
    calibration = calibrate(examples, folds)
    thresholds = thresholds or PARAMS["thresholds"]
    report = Report()
    for held_out, (vectorizer, heads) in zip(folds.splits, folds.fitted, strict=True):
        model = Model(export(vectorizer, heads, calibration, thresholds, "fold"))
        part = score([examples[i] for i in held_out], lambda t, p, m=model: assess_with(m, t, p))
        report.total += part.total
        report.confusion.update(part.confusion)
        report.by_category.update(part.by_category)
        report.missed += part.missed
        report.false_alarms += part.false_alarms
    return report


def main(argv: Sequence[str] | None = None) -> None:
    """Print the cross-validated training figures (and, unless --quiet, the lines)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--risk-threshold", type=float)
    args = parser.parse_args(argv)
    thresholds = dict(PARAMS["thresholds"])
    if args.risk_threshold is not None:
        thresholds["risk"] = args.risk_threshold
    examples = load_training()
    report = cross_validated_report(examples, thresholds)
    print("\n".join(summary_lines(report, "cross-validated training figures")))
    if not args.quiet:
        print("\n".join(detail_lines(report)))


if __name__ == "__main__":
    main()
