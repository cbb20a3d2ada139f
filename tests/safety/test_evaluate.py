"""`python -m app.safety.evaluate`: figures, confusion table, misses and false alarms."""

from __future__ import annotations

from app.safety.corpus import load
from app.safety.evaluate import main, score

LINES = (
    "# a comment\n"
    "risk\twish_dead\ti want to die\n"
    "risk\tplan\ti have pills saved up || tonight's the night\n"
    "concern\tpanic\ti'm having a panic attack right now\n"
    "none\teveryday\tmy tea went cold again\n"
    "none\tidiom\tthis traffic is killing me\n"
)


def test_score_counts_levels_per_label_and_category(tmp_path):
    path = tmp_path / "set.tsv"
    path.write_text(LINES, encoding="utf-8")
    report = score(load([path]))
    assert report.total == 5
    assert report.confusion[("risk", "risk")] == 2
    assert report.confusion[("concern", "concern")] == 1
    assert report.confusion[("none", "none")] == 2
    assert report.recall("risk") == 1.0 and report.precision("risk") == 1.0
    assert report.by_category[("plan", "risk")] == 1
    assert report.missed == [] and report.false_alarms == []


def test_a_miss_and_a_false_alarm_are_listed(tmp_path, capsys):
    path = tmp_path / "set.tsv"
    path.write_text("risk\tintent\tmy tea went cold\nnone\teveryday\ti want to die\n", "utf-8")
    main([str(path)])
    out = capsys.readouterr().out
    assert "risk     recall 0.000  precision 0.000" in out
    assert "missed (1):" in out and "[intent -> none] my tea went cold" in out
    assert "false alarms (1):" in out and "i want to die" in out
    assert "confusion" in out and "per category" in out
