"""The rule type and its compiler: plain-word patterns become whole-word regular expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.safety.vocabulary import squeeze


@dataclass(frozen=True)
class Rule:
    """One phrase rule: a compiled pattern and the guards that can switch a hit off."""

    id: str
    category: str
    pattern: re.Pattern
    keys: frozenset[str]
    negatable: bool = True
    needs_subject: bool = False
    unless_after: re.Pattern | None = None
    unless_before: re.Pattern | None = None


def rule(
    rule_id: str,
    category: str,
    pattern: str,
    *,
    keys: str,
    negatable: bool = True,
    needs_subject: bool = False,
    unless_after: str | None = None,
    unless_before: str | None = None,
) -> Rule:
    """Compile a rule written in plain words; `keys` are the words (any one) it needs."""
    return Rule(
        id=rule_id,
        category=category,
        pattern=re.compile(rf"(?<= )(?:{squeeze(pattern)})(?= )"),
        keys=frozenset(squeeze(key) for key in keys.split()),
        negatable=negatable,
        needs_subject=needs_subject,
        unless_after=re.compile(rf" (?:{squeeze(unless_after)})(?= )") if unless_after else None,
        unless_before=re.compile(rf"(?<= )(?:{squeeze(unless_before)})(?= )")
        if unless_before
        else None,
    )
