"""The detector on the frozen blind sets: the honest figures, and the issue's bar on the latest.

Blind sets are written by people who never saw the training data or the rules, frozen before
scoring, and never used for tuning. They live in tests/safety/blind/roundN.tsv (labelling guide
format). The figures of every round are printed. The latest round carries the bar of issue 23
(risk recall 0.90, precision 0.85); the rounds before it, already scored, guard against a model
that loses ground on them (recall 0.88: a few lines of slack between model versions).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.safety.corpus import load
from app.safety.evaluate import detail_lines, score, summary_lines

BLIND_DIR = Path(__file__).with_name("blind")
MIN_RECALL = 0.90
MIN_PRECISION = 0.85
EARLIER_MIN_RECALL = 0.88


def blind_rounds(folder: Path = BLIND_DIR) -> list[Path]:
    """The blind sets, oldest round first (round2 before round10)."""
    found = folder.glob("round*.tsv") if folder.is_dir() else []
    numbered = [(int(m.group(1)), path) for path in found if (m := re.search(r"(\d+)", path.stem))]
    return [path for _, path in sorted(numbered)]


def test_rounds_are_ordered_by_number(tmp_path):
    for name in ("round10.tsv", "round2.tsv", "round1.tsv", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [path.name for path in blind_rounds(tmp_path)] == [
        "round1.tsv",
        "round2.tsv",
        "round10.tsv",
    ]


def test_every_blind_set_meets_the_bar(record_property):
    rounds = blind_rounds()
    if not rounds:
        pytest.skip("no frozen blind set at tests/safety/blind/round*.tsv yet")
    reports = {path: score(load([path])) for path in rounds}
    lines = [
        line
        for path, report in reports.items()
        for line in summary_lines(report, f"blind {path.name}")
    ]
    record_property("summary", "\n".join([*lines, *detail_lines(reports[rounds[-1]])]))
    for path, report in reports.items():
        min_recall = MIN_RECALL if path == rounds[-1] else EARLIER_MIN_RECALL
        assert report.recall("risk") >= min_recall, (
            f"{path.name}: recall {report.recall('risk'):.3f}"
        )
        assert report.precision("risk") >= MIN_PRECISION, (
            f"{path.name}: precision {report.precision('risk'):.3f}"
        )
