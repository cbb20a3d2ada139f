"""Text normalisation shared by the phrase rules and the model's features.

Case and accents are folded, apostrophes dropped, leetspeak inside words read ("k1ll"), runs of
one letter squeezed ("dieeee" -> "die"), punctuation and emoji become spaces, slang and common
misspellings become plain words, and clause breaks become " | ".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.safety.vocabulary import SLANG_ALIASES

_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u2032\u0060\u00b4"))
_LEET_CHARS = re.compile(r"[0-9@$*!|+]")
_LEET_TOKEN = re.compile(r"[a-z0-9@$*!|+]+")
_LEET_EDGES = re.compile(r"^([!|+*]*)(.*?)([!|+*]*)$")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "+": "t", "*": "i"})  # fmt: skip
_NUMBER = re.compile(r"\d+(?:s|st|nd|rd|th|am|pm|k|yo|y|yr|yrs|h|hr|hrs|mg|m|min|mins|x)")
_ELLIPSIS = re.compile(r"\.\.+|\u2026")  # a pause, not the end of a thought
_CLAUSE_CHARS = '.!?;:,\n\r()[]"|'
_TO_WORDS = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalnum()}
    | dict.fromkeys(_CLAUSE_CHARS, "|")
    | {"\u2014": "|", "\u2013": "|", "\u201c": "|", "\u201d": "|"}
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
# Letters spaced out or dotted ("k.m.s", "k m s", "s u i c i d e"): three or more single letters.
_SPACED = re.compile(r"(?<= )(?:[a-z] ){2,}[a-z](?= )")
_SPACED_WORDS = frozenset(("kms", "kys", "ctb", "suicide", "suicidal", "die", "kill", "cut"))


def fold(text: str) -> str:
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
    if _NUMBER.fullmatch(token):
        return token  # "30s", "18th", "5yrs", "2am" are numbers, not leetspeak
    lead, core, trail = _LEET_EDGES.match(token).groups()
    return f"{lead}{core.translate(_LEET)}{trail}"


def _plain_words(raw: str) -> str:
    """One whitespace-free chunk of folded text as plain squeezed words and '|' breaks."""
    if _LEET_CHARS.search(raw):
        raw = _LEET_TOKEN.sub(_unleet, raw)
    if ".." in raw or "\u2026" in raw:
        raw = _ELLIPSIS.sub(" ", raw)
    if raw.count(".") >= 2 and re.fullmatch(r"(?:[a-z]\.){2,}[a-z]?\.?", raw):
        raw = raw.replace(".", "")  # "k.m.s" is an abbreviation, not three sentences
    raw = raw.translate(_TO_WORDS)
    if not raw.isascii():
        raw = _NON_ASCII.sub(" ", raw)
    return _SQUEEZE.sub(r"\1", raw.replace("|", " | "))


_cached_plain_words = lru_cache(maxsize=16_384)(_plain_words)


def _join_spaced(match: re.Match) -> str:
    """'k m s' -> 'kms' when the letters spell one of the words people space out."""
    joined = match.group(0).replace(" ", "")
    return joined if joined in _SPACED_WORDS else match.group(0)


def normalise(text: str) -> str:
    """Clauses of plain squeezed words, ' | '-separated, with a space at each end."""
    pieces = [
        _cached_plain_words(raw) if len(raw) <= _CACHED_TOKEN_LENGTH else _plain_words(raw)
        for raw in fold(text).split()
    ]
    joined = " " + " ".join(" ".join(pieces).split()) + " "
    if any(f" {word} " in joined for word in _CONJUNCTIONS):
        joined = _CONJUNCTION_BREAK.sub(" |", joined)
    if _SPACED.search(joined):
        joined = _SPACED.sub(_join_spaced, joined)
    joined = SLANG_ALIASES.sub(lambda m: SLANG_ALIASES.replacement(m.group(0)), joined)
    return _REPEATED_BREAKS.sub("| ", joined + "| ")
