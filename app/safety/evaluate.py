"""Score the detector on labelled TSV files: `python -m app.safety.evaluate PATH.tsv [...]`.

Prints recall and precision for risk and for concern, recall per guide category, the confusion
table (true label x predicted level), and every missed line and false alarm. A line holding a
` || ` sequence is assessed at its last message, with the earlier ones as `previous`.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.safety.corpus import CATEGORIES, LABELS, Example, load
from app.safety.risk import RiskAssessment, assess

Assess = Callable[[str, Sequence[str]], RiskAssessment]


@dataclass
class Report:
    """Counts from one scoring run, and the lines that went wrong."""

    total: int = 0
    confusion: Counter = field(default_factory=Counter)  # (true label, predicted level)
    by_category: Counter = field(default_factory=Counter)  # (category, predicted level)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, label: str) -> float:
        """Share of the lines with this label that were predicted as it."""
        actual = sum(n for (truth, _), n in self.confusion.items() if truth == label)
        return self.confusion[(label, label)] / actual if actual else float("nan")

    def precision(self, label: str) -> float:
        """Share of the predictions of this level whose line has this label."""
        predicted = sum(n for (_, guess), n in self.confusion.items() if guess == label)
        return self.confusion[(label, label)] / predicted if predicted else float("nan")


def score(examples: Sequence[Example], assess_fn: Assess = assess) -> Report:
    """Assess every example (a sequence at its last message) and count the outcomes."""
    report = Report()
    for example in examples:
        *previous, last = example.messages
        result = assess_fn(last, previous)
        report.total += 1
        report.confusion[(example.label, result.level)] += 1
        report.by_category[(example.category, result.level)] += 1
        if example.label == "risk" and not result.is_risk:
            report.missed.append((example.category, result.level, example.text))
        elif example.label != "risk" and result.is_risk:
            reason = ",".join(result.matched)
            report.false_alarms.append((example.category, reason, example.text))
        elif example.label == "concern" and result.level == "none":
            report.missed.append((example.category, result.level, example.text))
    return report


def summary_lines(report: Report, title: str = "") -> list[str]:
    """The figures as printable lines (no line text)."""
    lines = [f"{title}: {report.total} lines" if title else f"{report.total} lines"]
    for label in ("risk", "concern"):
        recall, precision = report.recall(label), report.precision(label)
        lines.append(f"  {label:8s} recall {recall:.3f}  precision {precision:.3f}")
    lines.append("  confusion (rows: label, columns: predicted)")
    lines.append("    " + " " * 9 + "".join(f"{level:>9s}" for level in LABELS))
    for truth in LABELS:
        cells = "".join(f"{report.confusion[(truth, level)]:9d}" for level in LABELS)
        lines.append(f"    {truth:9s}{cells}")
    lines.append("  per category (lines: risk / concern / none predicted)")
    for label, categories in CATEGORIES.items():
        for category in categories:
            counts = [report.by_category[(category, level)] for level in LABELS]
            if sum(counts):
                lines.append(
                    f"    {label:8s}{category:18s}{sum(counts):5d}  "
                    + " / ".join(f"{count:4d}" for count in counts)
                )
    return lines


def detail_lines(report: Report) -> list[str]:
    """The missed lines and the false alarms, with their category."""
    lines = [f"  missed ({len(report.missed)}):"]
    lines += [f"    [{cat} -> {level}] {text}" for cat, level, text in report.missed]
    lines.append(f"  false alarms ({len(report.false_alarms)}):")
    lines += [f"    [{cat}: {why}] {text}" for cat, why, text in report.false_alarms]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Score each file given, then all of them together."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--quiet", action="store_true", help="figures only, no lines")
    args = parser.parse_args(argv)
    for path in args.paths:
        report = score(load([path]))
        print("\n".join(summary_lines(report, path)))
        if not args.quiet:
            print("\n".join(detail_lines(report)))


if __name__ == "__main__":
    main()
