"""Rules for self-harm: cutting, burning, hurting oneself, and urges to."""

from __future__ import annotations

from app.safety.rules.common import ACCIDENT, ACCIDENT_BEFORE, ME, SELF_HARM
from app.safety.rules.compiler import Rule, rule

SELF_HARM_RULES: tuple[Rule, ...] = (
    rule(
        "self_harm.self_harm",
        SELF_HARM,
        r"self (?:harm|harms|harming|harmed|injury|injuries|injure|injures|injuring|injured|"
        r"mutilate|mutilating|mutilation|hurt|hurting)",
        keys="self",
        needs_subject=True,
        unless_after=r"awareness|prevention|support group|resources|training|course|class|"
        r"research|statistics|in (?:teens|young|adolescents)|among|policy|module|article|book|"
        r"documentary|scars|scar|is|isnt|and suicide|or suicide|without judgement|exercise|"
        r"recovery|urges can|and healing",
        unless_before=r"(?:talk|talking|talked|speak|learn|learning|read|reading|teach|teaching|"
        r"covered|handle|handles|handling|researching|discuss|discussing) about|disclosures of|"
        r"difference between|first aid",
    ),
    rule(
        "self_harm.cut_myself",
        SELF_HARM,
        rf"(?:cut|cuts|cutting|slice|slicing|sliced|carve|carving|carved) (?:{ME}|my (?:arms|"
        rf"arm|legs|leg|thighs|thigh|skin|stomach|body))",
        keys="cut cuts cutting slice slicing sliced carve carving carved",
        # "cut myself some slack" / "cut myself off from everyone" are idioms.
        unless_after=ACCIDENT + r"|some slack|slack|free|off|out of|loose|with (?:a|the) "
        r"(?:kitchen|bread|paper)|making|hair",
        unless_before=ACCIDENT_BEFORE,
    ),
    rule(
        "self_harm.cutting_again",
        SELF_HARM,
        r"(?:been|started|start|starting|back to|went back to|relapsed into|still|urge to|urges to"
        r"|tempted to|craving to) (?:cutting|cut|harming|burning myself)"
        r"(?= \|| again| lately| recently| every| myself| so bad| is| are| tonight| today)|"
        r"(?:i|ive|relapsed and|and) (?:cut|cutting)(?= last night| yesterday| this morning| "
        r"again| tonight| today| \|)",
        keys="cutting cut harming burning",
        needs_subject=True,
    ),
    rule(
        "self_harm.hurt_myself",
        SELF_HARM,
        rf"(?:hurt|hurts|hurting|harm|harms|harming|harmed|injure|injuring|injured|punish|"
        rf"punishing|burn|burns|burning|burned|burnt|hit|hitting|punch|punching|bruise|bruising|"
        rf"starve|starving|starved|scratch|scratching|scratched) {ME}",
        keys="myself meself self",
        unless_after=ACCIDENT + r"|out|with (?:work|exercise)|for (?:forgetting|being|not|"
        r"saying|doing|that|it|this|every|my|the)|over (?:nothing|small things|mistakes|it)|"
        r"up about|too hard at|at (?:the|work)|on (?:the|a|an|my) (?:stove|oven|iron|pan|kettle)",
        unless_before=ACCIDENT_BEFORE,
    ),
    rule(
        "self_harm.blade",
        SELF_HARM,
        r"(?:feel|feeling|need|needing|want|wanting|crave|craving|miss|missing|pick up|picked up|"
        r"reach for|reached for|hid|hide|hiding) (?:the |a |my )?(?:blade|blades|razor|razors)"
        r"(?= again| on my| against my| \|| tonight| so bad)",
        keys="blade blades razor razors",
        needs_subject=True,
    ),
    rule(
        "self_harm.bleed",
        SELF_HARM,
        r"(?:until|till|til) (?:i|my skin|my arms|my legs) (?:bleed|bled|bleeding|bleeds)|"
        r"(?:make|made|making) (?:myself|my arms|my skin) bleed|"
        r"(?:hit|hitting|bang|banging|banged|slam|slammed|slamming) my head (?:against|on|into) "
        r"(?:the|a) (?:wall|floor|door|desk) (?:until (?:it|i) (?:bled|bleeds|bleed)|on purpose)",
        keys="bleed bled bleeding bleeds purpose",
    ),
)
