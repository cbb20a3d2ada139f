"""Match the phrase rules on normalised text and read the context around each hit.

A hit is switched off by a negation among the bridge words just before it ("I would never
..."), by someone else named as its subject ("my friend wants to die"), by reported speech or a
quote ("my son said i want to die", "the song goes ..."), by a past that is over ("two years ago
i wanted to die, today ..."), or by a per-rule idiom guard. Unknown words before a hit are read
past, never taken as a reason to drop it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.safety.rules.compiler import Rule
from app.safety.vocabulary import (
    BRIDGE,
    FIRST_PERSON,
    NEGATORS,
    OTHER_SUBJECTS,
    OVER_PHRASES,
    PAST_PHRASES,
    QUOTE_CUES,
    RECOVERY,
    REPORTING,
    RETURN_CUES,
    squeeze,
)

MAX_LOOKBACK = 8
OFF = "off"  # the category of a rule that matched but was switched off
SPEAKER = frozenset(("i", "im", "ive", "id", "il"))  # squeezed: "ill" reads "il"
REPORT_LOOKBACK = 12
_PAST = re.compile(rf"(?<= )(?:{squeeze(PAST_PHRASES)})(?= )")
_OVER = re.compile(rf"(?<= )(?:{squeeze(OVER_PHRASES)})(?= )")
_RETURN = re.compile(rf"(?<= )(?<!havent )(?<!hasnt )(?<!never )(?:{squeeze(RETURN_CUES)})(?= )")
_PAST_TENSE = re.compile(
    squeeze(
        r"(?<= )(?:wanted|was|were|tried|attempted|used|did|had|felt|cut|harmed|hurt|thought|"
        r"would|went|planned|took|overdosed|relapsed|burned|burnt|wrote|killed|nearly|"
        r"struggled|stood|wished|couldnt|sat|spent|hid|kept)(?= )"
    )
)


def negated(words: list[str]) -> bool:
    """A negator among the bridge words right before a hit ("I'm really not going to ...")."""
    for position in range(len(words) - 1, max(-1, len(words) - 1 - MAX_LOOKBACK), -1):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in NEGATORS and not (word == "no" and following in FIRST_PERSON):
            return True
        if word == "used" and following == "to":
            return True  # "I used to want to die" speaks of the past
        if word not in BRIDGE and word not in FIRST_PERSON:
            return False
    return False


def someone_else(words: list[str]) -> bool:
    """The nearest subject before a hit names someone other than the author."""
    for word in reversed(words[-MAX_LOOKBACK:]):
        if word in FIRST_PERSON:
            return False
        if word in OTHER_SUBJECTS:
            return True
    return False


def reported(before: list[str]) -> bool:
    """Someone else's words or a quoted text lead up to the hit ("she said", "the song goes")."""
    window = before[-REPORT_LOOKBACK:]
    for position, word in enumerate(window):
        if word in QUOTE_CUES:
            return True
        if word in REPORTING and position > 0:
            lead = window[max(0, position - 4) : position]
            if not any(w in SPEAKER for w in lead):
                return True  # "my 6 year old said ...", "the host said ..."
    return False


@lru_cache(maxsize=256)
def message_past(message: str) -> tuple[bool, bool, bool]:
    """(coming back, sounds recovered, has a past phrase) for a whole message, read once."""
    return (
        bool(_RETURN.search(message)),
        any(word in RECOVERY for word in message.split()),
        bool(_PAST.search(message)),
    )


def past_and_over(clause: str, message: str) -> bool:
    """The hit's clause tells a past that is over, and nothing says it is coming back."""
    coming_back, recovered, past_in_message = message_past(message)
    if coming_back or not (past_in_message or _OVER.search(clause)):
        return False
    if _OVER.search(clause):
        return True
    past_tense = bool(_PAST_TENSE.search(clause))
    if _PAST.search(clause):
        return past_tense or recovered
    return past_tense and recovered


def _switched_off(rule_: Rule, clause: str, match: re.Match, before: list[str]) -> str | None:
    """Why a pattern match does not count (an idiom, a negation, ...), or None if it does."""
    if rule_.unless_after and rule_.unless_after.match(clause, match.end()):
        return "idiom"
    if rule_.unless_before and rule_.unless_before.search(clause, 0, match.start()):
        return "idiom"
    local = clause[: match.start()].split()
    if rule_.negatable and negated(local):
        return "negated"
    if rule_.needs_subject and someone_else(local):
        return "other"
    return "reported" if reported(before + local) else None


def _rules_by_key(rules: Iterable[Rule]) -> dict[str, tuple[Rule, ...]]:
    """Each key word mapped to the rules it wakes up."""
    index: dict[str, list[Rule]] = {}
    for rule_ in rules:
        for key in rule_.keys:
            index.setdefault(key, []).append(rule_)
    return {key: tuple(found) for key, found in index.items()}


class Matcher:
    """A table of rules, indexed by key word, applied clause by clause."""

    def __init__(self, rules: tuple[Rule, ...]):
        """Index the rules by key word and remember their table order."""
        self.rules = rules
        self._index = _rules_by_key(rules)
        self._order = {rule_.id: position for position, rule_ in enumerate(rules)}

    def _candidates(self, words: list[str]) -> list[Rule]:
        """The rules whose key words occur in this clause, in table order."""
        found: dict[str, Rule] = {}
        for word in words:
            for rule_ in self._index.get(word, ()):
                found[rule_.id] = rule_
        return sorted(found.values(), key=lambda rule_: self._order[rule_.id])

    def match(self, normalised: str) -> dict[str, str]:
        """Rule id -> category for every rule that fired, in table order."""
        return {rule_id: kind for rule_id, kind in self.read(normalised).items() if kind != OFF}

    def read(self, normalised: str) -> dict[str, str]:
        """Every rule that fired (id -> category), then every one switched off, in table order.

        A switched-off rule is reported as "<rule id>!<why>" with the category "off" (why:
        idiom, negated, other, reported, past), so the model can learn from the rules'
        readings of context as well as from their hits.
        """
        matched: dict[str, str] = {}
        switched_off: dict[str, str] = {}
        before: list[str] = []
        for clause in normalised.split("|"):
            words = clause.split()
            candidates = self._candidates(words) if words else ()
            clause_text = f" {' '.join(words)} | "
            for rule_ in candidates:
                if rule_.id in matched:
                    continue
                for hit in rule_.pattern.finditer(clause_text):
                    why = _switched_off(rule_, clause_text, hit, before)
                    if why is None:
                        matched[rule_.id] = rule_.category
                        break
                    switched_off[rule_.id] = why
            before.extend(words)
        if matched and (_PAST.search(normalised) or _OVER.search(normalised)):
            for rule_id in self._recovered_past(matched, normalised):
                del matched[rule_id]
                switched_off[rule_id] = "past"
        ordered = sorted(matched, key=self._order.__getitem__)
        off = sorted(set(switched_off) - set(matched), key=self._order.__getitem__)
        return {rule_id: matched[rule_id] for rule_id in ordered} | {
            f"{rule_id}!{switched_off[rule_id]}": OFF for rule_id in off
        }

    def _recovered_past(self, matched: dict[str, str], normalised: str) -> list[str]:
        """The hits that sit only in clauses about a past that is over."""
        clauses = normalised.split("|")
        gone = []
        for rule_id in matched:
            rule_ = self.rules[self._order[rule_id]]
            if not any(
                rule_.pattern.search(f" {' '.join(clause.split())} | ")
                and not past_and_over(clause, normalised)
                for clause in clauses
            ):
                gone.append(rule_id)
        return gone


def clause_context(clause: str, message: str) -> list[str]:
    """Context marks for the model: '#other', '#reported', '#past' when the clause shows them."""
    words = clause.split()
    marks = []
    if someone_else(words):
        marks.append("#other")
    if reported(words):
        marks.append("#reported")
    if past_and_over(clause, message):
        marks.append("#past")
    return marks
