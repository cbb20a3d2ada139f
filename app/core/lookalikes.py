"""Names that read the same: Unicode TR39 skeletons, case-folded, spacing and punctuation
ignored. Only for comparing names; a key is never shown to anyone."""

from __future__ import annotations

import unicodedata

import disarm

# Separators, punctuation, symbols and invisible characters do not tell two names apart:
# "R i v e r", "r.i.v.e.r" and "River ✨" all read as "River".
_IGNORED_CATEGORIES = ("Z", "P", "S", "C")


def _skeleton(text: str) -> str:
    """disarm's TR39 skeleton (its confusables data, `1`/`l` and `0`/`O` merged, lowercased),
    with everything that is not a letter, a digit or a mark taken out."""
    try:
        folded = disarm.skeleton_key(text, digit_policy="tr39")
    except disarm.DisarmError:
        folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch for ch in folded if not unicodedata.category(ch).startswith(_IGNORED_CATEGORIES)
    )


def name_keys(name: str) -> frozenset[str]:
    """The keys a name reads as. Two: TR39 skeletons are case-sensitive (a capital I is an l),
    so the name is also folded to lower case first; "RIVER" then meets "River"."""
    return frozenset(key for key in (_skeleton(name), _skeleton(name.casefold())) if key)


def looks_alike(name: str, other: str) -> bool:
    """Could one of these names pass for the other at a glance?"""
    return bool(name_keys(name) & name_keys(other))
