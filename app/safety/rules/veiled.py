"""Rules for risk said without the usual words: means at hand, goodbyes, veiled intent, not safe."""

from __future__ import annotations

from app.safety.rules.common import ME, SELF_HARM, SUICIDE
from app.safety.rules.compiler import Rule, rule

MEANS = r"(?:pills|meds|tablets|painkillers|sleeping pills|rope|noose|razor|razors|blade|blades)"
WHEN = r"(?:tonight|today|tomorrow|this weekend|this week|soon|after (?:everyone|they|the kids))"

VEILED_RULES: tuple[Rule, ...] = (
    rule(
        "suicide.means_at_hand",
        SUICIDE,
        rf"(?:have|got|holding|bought|buying|counted|counting|lined up|laid out|sorting) "
        rf"(?:all )?(?:the |my |a |some |enough |these |those )?{MEANS} (?:in front of me|"
        rf"in my hand|in my hands|next to me|beside me|on my desk|on the table|lined up|ready|"
        rf"counted out|right here|out|in my bag|in my car|in my pocket)|"
        rf"(?:engine|car) (?:running|on) in the (?:garage|closed garage)|"
        rf"how many (?:pills|tablets|paracetamol|tylenol|sleeping pills) (?:would it|does it|it) "
        rf"take|(?:most|least) painful way|(?:painless|quickest|easiest|quick) way (?:out|to go)|"
        rf"(?:tall|high) enough to (?:jump|die|not survive)|a rope (?:in|under|ready)",
        keys="front hand hands next beside desk table lined ready counted here out bag car pocket "
        "running garage many painful painless quickest easiest quick tall high rope",
        needs_subject=True,
    ),
    rule(
        "suicide.goodbye",
        SUICIDE,
        r"(?:wrote|written|writing|finished|left) (?:my|the|a) (?:note|letter|letters|notes) "
        r"(?:for (?:my|the|everyone)|to (?:everyone|my (?:family|kids|mum|mom|parents)))|"
        r"this is (?:my )?(?:goodbye|farewell)(?= \|)|(?:last|final) goodbye|"
        r"(?:goodbye|bye) (?:forever|for good)|thank you (?:all )?(?:for everything )?and goodbye|"
        r"wont need (?:to walk (?:him|her)|it|them|my (?:things|stuff|clothes)) (?:anymore|"
        r"any more|where im going)|(?:last|final) time (?:you|youll|anyone) (?:hear|see)s? "
        r"from me|see you (?:all )?on the other side|(?:take care of|look after) my "
        r"(?:dog|cat|kids|children|plants|pets) (?:for me|when im gone)|"
        r"(?:put|putting|got|getting|have) my affairs in order|affairs (?:are )?(?:settled|"
        r"in order)",
        keys="note letter letters notes goodbye farewell bye need last final hear side care "
        "after affairs",
        needs_subject=True,
    ),
    rule(
        "suicide.veiled_intent",
        SUICIDE,
        r"(?:tonight|today) (?:is|s|will be|feels like) the (?:night|day)(?= \|| i | its | im )|"
        r"(?:going to|gonna|will|finally) do it (?:this time|tonight|for real|soon)|"
        r"(?:it|this|everything) (?:ends|will end|all ends) (?:tonight|today|soon|now|here)|"
        r"(?:made|make|making) (?:my|the) (?:decision|choice) (?:to go|to leave|to end)|"
        r"no (?:more )?(?:turning back|way back)(?= \|)|"
        r"(?:last|final) (?:night|day|message|post) (?:on earth|alive|ever)",
        keys="night day it this everything decision choice turning way alive ever earth",
        needs_subject=True,
    ),
    rule(
        "suicide.passive_wish",
        SUICIDE,
        r"(?:wish|hope|pray|praying) (?:a|the|that a|some|that the) (?:car|bus|truck|train|"
        r"lorry|plane|someone|disease|illness|cancer|accident) (?:would |will |just |d )*"
        r"(?:hit|hits|kill|kills|take|takes|crash|crashes|end|ends|run me over)|"
        r"(?:rather|sooner) (?:be dead|die|not wake up) than (?:keep|keeping|feel|feeling|go|"
        r"going|live|living|wake|waking|be|spend|face|deal|carry|spending|another)|"
        r"(?:wont|wouldnt|will not|would not|nobody will|no one will|nobody would|no one would) "
        r"(?:even )?miss me (?:when|if|once|after) (?:im|i am|i was|i m|i) (?:gone|dead|not here)|"
        r"wouldnt mind (?:if|dying|not waking)|(?:wish|hope) (?:i|id) (?:could )?(?:just )?"
        r"(?:not wake up|fall asleep and not|never wake)|(?:easier|better) (?:if|when) i (?:was|"
        r"were|m|am) (?:gone|dead|not here|not around)",
        keys="hit hits kill kills take takes crash crashes end ends over than miss mind wake "
        "asleep gone dead here around",
        negatable=False,
    ),
    rule(
        "suicide.not_safe",
        SUICIDE,
        rf"(?:dont|do not|not|never) (?:feel |feeling )?safe (?:with|around|by) (?:{ME}|me)|"
        rf"(?:not|dont feel|no longer) safe (?:tonight|right now|rn|alone|at home)|"
        rf"(?:scared|afraid|terrified|frightened) (?:of )?what i (?:might|will|could|would|may) "
        rf"do|(?:dont|do not|cant|cannot) trust (?:{ME}|me) (?:tonight|right now|alone|anymore|"
        rf"to be alone|around)|(?:dont|do not|cant) trust {ME}(?= \||$)|"
        rf"(?:can|could) (?:someone|somebody|anyone) (?:please )?stay with me|"
        rf"(?:scared|afraid) (?:to be|of being) alone with {ME}",
        keys="safe might will could would may trust stay alone",
        negatable=False,
        needs_subject=True,  # "if you're not safe right now, please call"
    ),
    rule(
        "self_harm.fresh_wounds",
        SELF_HARM,
        r"fresh (?:cuts|cut|burns|burn|wounds|scars)|(?:cut|cuts|cutting|burned|burnt|burn|"
        r"burning|scratched|hit|punched|bruised) (?:my|myself|my own) (?:\w+ )?(?:\w+ )?"
        r"(?:on purpose|deliberately|again)|relapsed (?:last night|yesterday|today|again|tonight)"
        r"|(?:urge|urges|craving|cravings) to (?:cut|burn|hurt|harm|bleed|hit myself)|"
        r"(?:hid|hide|hiding|covering|cover) (?:the|my) (?:cuts|scars|marks|burns|wounds)",
        keys="fresh purpose deliberately again relapsed urge urges craving cravings hid hide "
        "hiding covering cover",
        needs_subject=True,
        unless_after=r"from (?:the|cooking|work)|in the kitchen",
        unless_before=r"accidentally|accident|by mistake",
    ),
)
