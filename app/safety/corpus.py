"""Labelled chat lines in the labelling guide's TSV format (docs/safety.md, "Labelling guide")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = {
    "risk": (
        "wish_dead",
        "ideation",
        "method",
        "intent",
        "plan",
        "preparatory",
        "self_harm",
        "not_safe",
    ),
    "concern": ("crying_hours", "numbness", "panic", "flooded"),
    "none": (
        "idiom",
        "grief_other",
        "recovered_past",
        "quote",
        "reported_speech",
        "facilitator_topic",
        "negation",
        "safe_crying",
        "everyday",
    ),
}
LABELS = tuple(CATEGORIES)
SEPARATOR = " || "  # consecutive messages from one author, oldest first
REPO = Path(__file__).resolve().parents[2]
TRAINING_DIR = REPO / "tests" / "safety" / "data"


class CorpusError(ValueError):
    """A line that does not follow the guide's format."""


@dataclass(frozen=True)
class Example:
    """One labelled line: the label, the guide category and the messages, oldest first."""

    label: str
    category: str
    text: str

    @property
    def messages(self) -> list[str]:
        """The messages of a ` || ` sequence (a single message is a list of one)."""
        return [part.strip() for part in self.text.split(SEPARATOR.strip())] or [""]


def parse_line(line: str, where: str = "") -> Example | None:
    """One TSV line as an Example; None for blank lines and comments."""
    if not line.strip() or line.startswith("#"):
        return None
    parts = line.split("\t")
    if len(parts) != 3:
        raise CorpusError(f"{where}: expected 3 tab-separated fields, got {len(parts)}")
    label, category, text = (part.strip() for part in parts)
    if label not in CATEGORIES:
        raise CorpusError(f"{where}: unknown label {label!r}")
    if category not in CATEGORIES[label]:
        raise CorpusError(f"{where}: category {category!r} does not belong to {label!r}")
    if not text:
        raise CorpusError(f"{where}: empty text")
    return Example(label, category, text)


def load(paths: Iterable[Path | str]) -> list[Example]:
    """Every example in the given files, in file order."""
    examples = []
    for path in paths:
        path = Path(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            example = parse_line(line, f"{path.name}:{number}")
            if example:
                examples.append(example)
    return examples


def training_files() -> list[Path]:
    """The training corpus: every TSV in tests/safety/data, sorted by name."""
    return sorted(TRAINING_DIR.glob("*.tsv"))


def load_training(dedupe: bool = True) -> list[Example]:
    """The training corpus; exact duplicate texts (case-folded) keep their first label."""
    examples = load(training_files())
    if not dedupe:
        return examples
    seen: set[str] = set()
    unique = []
    for example in examples:
        key = " ".join(example.text.casefold().split())
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique
