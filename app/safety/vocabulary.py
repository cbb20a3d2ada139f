"""Word lists the risk detector reads context with: negations, bridge words, slang aliases."""

from __future__ import annotations

import re

_RUNS = re.compile(r"([a-z])\1+")


def squeeze(text: str) -> str:
    """Collapse runs of one letter ('killlll' and 'kill' both become 'kil')."""
    return _RUNS.sub(r"\1", text)


def _words(text: str) -> frozenset[str]:
    """A squeezed word set from a whitespace-separated list."""
    return frozenset(squeeze(word) for word in text.split())


# Apostrophes are removed before matching, so "don't" is "dont" and "I'll" is "ill" ("il").
NEGATORS = _words(
    """
    not never no dont doesnt didnt wont wouldnt cant cannot couldnt shouldnt isnt arent wasnt
    werent aint nor neither havent hasnt hadnt mustnt nope nah
    """
)

FIRST_PERSON = _words("i im ive id ill me my myself mine")

# Words that may stand between a subject or a negation and the phrase they govern:
# "I'm *really not going to* ...", "I *have been thinking about* ...". Any other word ends
# the look-back, so "I'm not okay and I want to die" is not read as a negation.
BRIDGE = _words(
    """
    i im ive id ill me my myself to going gonna goin want wanna wants wanted wanting really ever
    even actually seriously honestly truly just would will could can might may should shall must
    do does did be been being am is are was were have has had having plan plans planning planned
    intend intention intentions intending try trying tried about thinking think thought thoughts
    of feel feeling feels felt like any anything a an the so very pretty quite kind kinda sort
    sorta bit little too super extremely deeply again still always constantly sometimes often
    lately recently today tonight now currently anymore once also tbh literally probably
    definitely totally completely keep keeps kept start started starting with struggling
    battling dealing fighting urge urges desire wish wishing decided decide ready hope hoping
    need needing needed that it get got getting some longer genuinely lowkey legit fucking
    fking freaking effing bloody damn goddamn frankly lol relapsed relapse relapsing part half
    mostly secretly quietly privately sincerely already finally almost nearly imagine imagining
    picture picturing daydream daydreaming fantasise fantasize fantasising fantasizing consider
    considering contemplating wondering
    """
)

_ALIASES = {
    "kms": "kill myself",
    "unalive": "kill",
    "unaliving": "killing",
    "sewerslide": "suicide",
    "sewer slide": "suicide",
    "suicde": "suicide",
    "sucide": "suicide",
    "self delete": "kill myself",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "myslef": "myself",
    "wana": "want to",
    "gona": "going to",
}


class _Aliases:
    """Rewrites slang and common misspellings into the words the rules are written in."""

    def __init__(self, table: dict[str, str]):
        self._table = {squeeze(key): squeeze(value) for key, value in table.items()}
        keys = sorted(self._table, key=len, reverse=True)
        self._pattern = re.compile(r"(?<= )(?:" + "|".join(map(re.escape, keys)) + r")(?= )")

    def sub(self, replace, text: str) -> str:
        """Replace every alias in text (the callback receives each match)."""
        return self._pattern.sub(replace, text)

    def replacement(self, alias: str) -> str:
        """The plain words for one alias."""
        return self._table[alias]


SLANG_ALIASES = _Aliases(_ALIASES)
