"""The detector against the hand-labelled corpus: recall first, then precision."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.safety.risk import assess

CORPUS = Path(__file__).with_name("risk_corpus.tsv")
MIN_RECALL = 0.95
MIN_PRECISION = 0.90


def load_corpus() -> list[tuple[bool, str, str]]:
    """(is_risk, category, text) for every labelled line."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, category, text = line.split("\t")
        rows.append((label == "1", category, text))
    return rows


def test_corpus_is_large_and_balanced_enough():
    rows = load_corpus()
    assert len(rows) >= 150
    assert sum(1 for is_risk, _, _ in rows if is_risk) >= 60
    assert sum(1 for is_risk, _, _ in rows if not is_risk) >= 60


def test_detector_meets_recall_and_precision_on_the_corpus(capsys):
    rows = load_corpus()
    true_pos = false_pos = false_neg = 0
    misses, false_alarms, wrong_category = [], [], []
    for is_risk, category, text in rows:
        result = assess(text)
        if is_risk and result.is_risk:
            true_pos += 1
            if result.category != category:
                wrong_category.append(text)
        elif is_risk:
            false_neg += 1
            misses.append(text)
        elif result.is_risk:
            false_pos += 1
            false_alarms.append(f"{text}  [{', '.join(result.matched)}]")
    recall = true_pos / (true_pos + false_neg)
    precision = true_pos / (true_pos + false_pos)
    with capsys.disabled():
        print(
            f"\nrisk corpus: {len(rows)} lines, recall {recall:.3f}, precision {precision:.3f}"
            f" (tp {true_pos}, fp {false_pos}, fn {false_neg})"
        )
        for text in misses:
            print(f"  missed: {text}")
        for text in false_alarms:
            print(f"  false alarm: {text}")
        for text in wrong_category:
            print(f"  wrong category: {text}")
    assert recall >= MIN_RECALL, misses
    assert precision >= MIN_PRECISION, false_alarms


@pytest.mark.parametrize(("is_risk", "category", "text"), load_corpus())
def test_risk_lines_get_their_category(is_risk, category, text):
    result = assess(text)
    if is_risk and result.is_risk:
        assert result.category == category
    if not result.is_risk:
        assert result.category is None and result.matched == ()
