"""Risk-language detection for self-harm and suicide intent in chat messages.

The detector is deliberately simple and explainable: the text is normalised (case, accents,
apostrophes, leetspeak, stretched letters, slang aliases), split into clauses, and a table of
phrase rules (app/safety/rules/) is matched on whole words. Each hit is then checked
against the words just before it: a negation ("I would never ...") or a subject who is someone
else ("she wants to die") switches it off, and per-rule idiom guards ("... of embarrassment",
"... for forgetting that") do the same. Only rule ids leave this module, never the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.safety.rules import RULES
from app.safety.rules.compiler import Rule
from app.safety.vocabulary import BRIDGE, FIRST_PERSON, NEGATORS, SLANG_ALIASES

CATEGORY_ORDER = ("suicide", "self_harm")  # the most serious category wins
MAX_LOOKBACK = 8

_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u2032\u0060\u00b4"))
_LEET_CHARS = re.compile(r"[0-9@$*!|+]")
_LEET_TOKEN = re.compile(r"[a-z0-9@$*!|+]+")
_LEET_EDGES = re.compile(r"^([!|+*]*)(.*?)([!|+*]*)$")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "+": "t", "*": "i"})  # fmt: skip
_ELLIPSIS = re.compile(r"\.\.+|\u2026")  # a pause, not the end of a thought
_CLAUSE_CHARS = '.!?;:,\n\r()[]"|'
_TO_WORDS = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalnum()}
    | dict.fromkeys(_CLAUSE_CHARS, "|")
    | {"\u2014": "|", "\u2013": "|"}
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SQUEEZE = re.compile(r"([a-z])\1+")
_CONJUNCTIONS = ("but", "though", "although", "however", "except")
# A conjunction starts a new clause, except in "nothing but a burden" ("all" is squeezed to "al").
_CONJUNCTION_BREAK = re.compile(
    r" (?<! nothing )(?<! anything )(?<! al )(?:but|though|although|however|except)(?= )"
)
_CACHED_TOKEN_LENGTH = 40
_REPEATED_BREAKS = re.compile(r"(?:\| )+")


@dataclass(frozen=True)
class RiskAssessment:
    """What the detector found: whether it is risk, its category, and which rules fired."""

    is_risk: bool
    category: str | None = None  # "self_harm" | "suicide" | None
    matched: tuple[str, ...] = ()


NO_RISK = RiskAssessment(is_risk=False)


def _fold(text: str) -> str:
    """Lower case without accents, compatibility forms or curly apostrophes."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.casefold().translate(_APOSTROPHES)


def _unleet(match: re.Match) -> str:
    """Read 'k1ll' as 'kill' and 'd!e' as 'die'; edge punctuation stays punctuation."""
    token = match.group(0)
    if token.isalpha() or not _LEET_CHARS.search(token) or not any(c.isalpha() for c in token):
        return token
    lead, core, trail = _LEET_EDGES.match(token).groups()
    return f"{lead}{core.translate(_LEET)}{trail}"


def _plain_words(raw: str) -> str:
    """One whitespace-free chunk of folded text as plain squeezed words and '|' breaks."""
    if _LEET_CHARS.search(raw):
        raw = _LEET_TOKEN.sub(_unleet, raw)
    if ".." in raw or "\u2026" in raw:
        raw = _ELLIPSIS.sub(" ", raw)
    raw = raw.translate(_TO_WORDS)
    if not raw.isascii():
        raw = _NON_ASCII.sub(" ", raw)
    return _SQUEEZE.sub(r"\1", raw.replace("|", " | "))


_cached_plain_words = lru_cache(maxsize=16_384)(_plain_words)


def normalise(text: str) -> str:
    """Clauses of plain squeezed words, ' | '-separated, with a space at each end."""
    pieces = [
        _cached_plain_words(raw) if len(raw) <= _CACHED_TOKEN_LENGTH else _plain_words(raw)
        for raw in _fold(text).split()
    ]
    joined = " " + " ".join(" ".join(pieces).split()) + " "
    if any(f" {word} " in joined for word in _CONJUNCTIONS):
        joined = _CONJUNCTION_BREAK.sub(" |", joined)
    joined = SLANG_ALIASES.sub(lambda m: SLANG_ALIASES.replacement(m.group(0)), joined)
    return _REPEATED_BREAKS.sub("| ", joined + "| ")


def _context_before(text: str, start: int) -> tuple[bool, bool]:
    """(negated, someone_else) from the bridge words just before a hit, within its clause."""
    clause_start = text.rfind("|", 0, start) + 1
    words = text[clause_start:start].split()
    first_person = False
    for position in range(len(words) - 1, max(-1, len(words) - 1 - MAX_LOOKBACK), -1):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in NEGATORS and not (word == "no" and following in FIRST_PERSON):
            return True, False
        if word == "used" and following == "to":
            return True, False  # "I used to want to die" speaks of the past
        if word in FIRST_PERSON:
            first_person = True
        elif word not in BRIDGE:
            return False, not first_person
    return False, False


def _hit_counts(rule_: Rule, text: str, match: re.Match) -> bool:
    """A pattern match counts unless an idiom, a negation or another subject explains it."""
    if rule_.unless_after and rule_.unless_after.match(text, match.end()):
        return False
    if rule_.unless_before:
        clause_start = text.rfind("|", 0, match.start()) + 1
        if rule_.unless_before.search(text, clause_start, match.start()):
            return False
    negated, someone_else = _context_before(text, match.start())
    if negated and rule_.negatable:
        return False
    return not (someone_else and rule_.needs_subject)


def _rules_by_key() -> dict[str, tuple[Rule, ...]]:
    """Each key word mapped to the rules it wakes up."""
    index: dict[str, list[Rule]] = {}
    for rule_ in RULES:
        for key in rule_.keys:
            index.setdefault(key, []).append(rule_)
    return {key: tuple(rules) for key, rules in index.items()}


_KEY_INDEX = _rules_by_key()
_RULE_ORDER = {rule_.id: position for position, rule_ in enumerate(RULES)}


def _candidate_rules(words: list[str]) -> list[Rule]:
    """The rules whose key words occur in this clause, in table order."""
    found: dict[str, Rule] = {}
    for word in words:
        for rule_ in _KEY_INDEX.get(word, ()):
            found[rule_.id] = rule_
    return sorted(found.values(), key=lambda rule_: _RULE_ORDER[rule_.id])


def assess(text: str | None) -> RiskAssessment:
    """Assess one message; returns rule ids only, never any of the text."""
    if not text:
        return NO_RISK
    matched: dict[str, str] = {}
    for clause in normalise(text).split("|"):
        words = clause.split()
        candidates = _candidate_rules(words) if words else ()
        if not candidates:
            continue
        clause_text = f" {' '.join(words)} | "
        for rule_ in candidates:
            if rule_.id in matched:
                continue
            for match in rule_.pattern.finditer(clause_text):
                if _hit_counts(rule_, clause_text, match):
                    matched[rule_.id] = rule_.category
                    break
    if not matched:
        return NO_RISK
    category = next(name for name in CATEGORY_ORDER if name in matched.values())
    ordered = sorted(matched, key=_RULE_ORDER.__getitem__)
    return RiskAssessment(is_risk=True, category=category, matched=tuple(ordered))
