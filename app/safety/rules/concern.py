"""Rules for the seek-more-help signs: hours of crying, numbness, panic, feeling flooded."""

from __future__ import annotations

from app.safety.rules.common import ME
from app.safety.rules.compiler import Rule, rule

CONCERN = "concern"
CRY = r"(?:cry|cried|crying|cries|sob|sobbed|sobbing|weep|weeping|wept|bawling|bawled)"

CONCERN_RULES: tuple[Rule, ...] = (
    rule(
        "concern.crying_hours",
        CONCERN,
        rf"{CRY} (?:for |non stop for |nonstop for |on and off for |on and off since )?"
        rf"(?:hours|days|two hours|three hours|four hours|five hours|an entire|the whole|"
        rf"all (?:day|night|morning|afternoon|evening|weekend|week)|since (?:friday|saturday|"
        rf"sunday|monday|tuesday|wednesday|thursday|yesterday|last night|this morning)|"
        rf"\w+ hours straight|\w+ days straight)|"
        rf"(?:cant|cannot|can not|unable to|wont) stop {CRY}|(?:tears|crying) (?:wont|dont|"
        rf"doesnt|do not|does not) (?:stop|let up)|{CRY} (?:non stop|nonstop)",
        keys="cry cried crying cries sob sobbed sobbing weep weeping wept bawling bawled stop "
        "tears",
        needs_subject=True,
    ),
    rule(
        "concern.numbness",
        CONCERN,
        r"(?:feel|feeling|felt|am|im|so|completely|totally|just|gone) numb|"
        r"(?:cant|cannot|can not|unable to) (?:cry|feel anything|feel a thing|feel)(?= \||"
        r" anymore| even| at all| no matter| though| when)|"
        r"(?:feel|feeling) (?:nothing|empty inside|dead inside)|behind glass|"
        r"nothing (?:touches|reaches|gets to) me",
        keys="numb cry feel nothing glass touches reaches",
        needs_subject=True,
    ),
    rule(
        "concern.panic",
        CONCERN,
        r"panic (?:attack|attacks)|panicking|(?:cant|cannot|can not|couldnt) breathe|"
        r"heart (?:is |keeps |wont stop )?(?:racing|pounding)|heart wont slow",
        keys="panic panicking breathe racing pounding slow",
        needs_subject=True,
    ),
    rule(
        "concern.flooded",
        CONCERN,
        rf"dissociat(?:e|ed|es|ing|ion)|zon(?:ed|ing) out (?:for|again|and)|lost (?:time|hours)|"
        rf"(?:dont|do not|didnt) know where i (?:am|was)|(?:feel|feeling|felt) worse after|"
        rf"spinning out|spiralling|spiraling|(?:out of|outside) (?:my|{ME}) body|"
        rf"(?:nothing|everything) (?:feels|seems) (?:real|unreal)|not (?:real|in my body)",
        keys="dissociate dissociated dissociates dissociating dissociation zoned zoning lost "
        "know worse spinning spiraling spiralling body real unreal",
        needs_subject=True,
    ),
)
