"""The detector against its own training corpus: a floor against regressions, not a claim.

These are training figures (the model was fitted on these lines and the rules were written
after reading them); the honest figures come from the blind sets (test_blind_sets.py).
"""

from __future__ import annotations

import pytest

from app.safety.corpus import (
    CATEGORIES,
    CorpusError,
    load,
    load_training,
    parse_line,
    training_files,
)
from app.safety.evaluate import score, summary_lines

MIN_RECALL = 0.95
MIN_PRECISION = 0.90


def test_training_corpus_is_large_and_covers_every_category():
    examples = load_training()
    assert len(examples) >= 1500
    seen = {(example.label, example.category) for example in examples}
    for label, categories in CATEGORIES.items():
        for category in categories:
            assert (label, category) in seen, (label, category)


def test_every_training_file_follows_the_guide_format():
    for path in training_files():
        assert load([path]), path.name  # parse_line raises CorpusError on any bad line


@pytest.mark.parametrize(
    "line",
    ["risk\tideation", "maybe\tidiom\thi", "risk\tidiom\thi", "none\teveryday\t  ", "a\tb\tc\td"],
)
def test_malformed_lines_are_refused(line):
    with pytest.raises(CorpusError):
        parse_line(line, "test")


def test_comments_and_sequences_parse():
    assert parse_line("# a comment") is None
    example = parse_line("risk\tplan\ti have pills saved up || tonight's the night")
    assert example.messages == ["i have pills saved up", "tonight's the night"]


def test_detector_fits_the_legacy_corpus(capsys):
    path = next(path for path in training_files() if path.name == "legacy.tsv")
    report = score(load([path]))
    with capsys.disabled():
        print("\n" + "\n".join(summary_lines(report, "legacy corpus (training figures)")))
    assert report.recall("risk") >= MIN_RECALL, report.missed
    assert report.precision("risk") >= MIN_PRECISION, report.false_alarms


def test_risk_lines_mostly_get_their_category():
    agree = total = 0
    from app.safety.risk import assess

    for example in load_training():
        if example.label != "risk" or len(example.messages) > 1:
            continue
        result = assess(example.text)
        if result.is_risk:
            total += 1
            expected = "self_harm" if example.category == "self_harm" else "suicide"
            agree += result.category == expected
    assert agree / total >= 0.9
