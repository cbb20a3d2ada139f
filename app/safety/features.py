"""The model's features: words, word pairs, character n-grams and the rules' readings.

The same function feeds training (scikit-learn's vectoriser calls it) and the server, so the two
can never drift apart. Character n-grams are read per word and cached, which is what keeps a
2,000-character message fast; they let the model read typos and obfuscation. Words after a
negation in their clause are marked ("_!die"), and each message adds the ids of the phrase rules
that fired and the context the rules read (someone else, a past, a quote), so the model learns
how far to trust each rule.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from app.safety.corpus import SEPARATOR
from app.safety.rules import read_message
from app.safety.rules.matcher import clause_context
from app.safety.vocabulary import NEGATORS

CHAR_SIZES = (3, 4)
MESSAGE_BREAK = "\u2016"  # stands for SEPARATOR between an author's messages


@lru_cache(maxsize=32_768)
def word_ngrams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word, padded with spaces at both ends."""
    padded = f" {word} "
    grams = []
    for size in CHAR_SIZES:
        if len(padded) < size:
            break
        grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return tuple(grams)


def is_char_gram(feature: str) -> bool:
    """Character n-grams are the features that are neither words, word pairs nor marks."""
    return not feature.startswith(("_", "#", MESSAGE_BREAK)) and " " not in feature.strip()


def _clause_words(words: list[str]) -> list[str]:
    """Word features: '_word' before any negation in the clause, '_!word' after it."""
    marked, negated = [], False
    for word in words:
        marked.append(f"_!{word}" if negated else f"_{word}")
        negated = negated or word in NEGATORS
    return marked


@lru_cache(maxsize=1024)
def message_features(message: str) -> tuple[str, ...]:
    """The features of one message (cached: a message comes back as context)."""
    features: list[str] = []
    normalised, hits = read_message(message)
    for clause in normalised.split("|"):
        words = clause.split()
        if not words:
            continue
        features.extend(_clause_words(words))  # "_" keeps them apart from character n-grams
        features.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
        for word in words:
            features.extend(word_ngrams(word))
        features.extend(clause_context(clause, normalised))
    features.extend(f"#{rule_id}" for rule_id, _ in hits)
    return tuple(features)


def analyse(text: str) -> list[str]:
    """Every feature of a text (a ` || ` sequence is read as one), with repeats."""
    features: list[str] = []
    for position, message in enumerate(text.split(SEPARATOR)):
        if position:
            features.append(MESSAGE_BREAK)
        features.extend(message_features(message))
    return features
