"""Rules for indirect risk: not wanting to live, being a burden, goodbyes, giving things away."""

from __future__ import annotations

from app.safety.rules.common import LIVING, LIVING_EXEMPT, SUICIDE
from app.safety.rules.compiler import Rule, rule

INDIRECT_RULES: tuple[Rule, ...] = (
    rule(
        "suicide.not_want_to_live",
        SUICIDE,
        rf"(?:dont|do not|didnt|did not|no longer|not|never) (?:really |even |actually |"
        rf"honestly |just |want to )?(?:want to|wanna|wish to|feel like|care to) {LIVING}|"
        rf"not sure (?:if |whether |that )?i (?:want to|still want to|wanna) {LIVING}|"
        rf"why (?:am i|do i|should i|am i even|am i still) (?:even |still )?(?:alive|"
        rf"bother living|keep living|exist|go on|here at all)|"
        rf"(?:rather|prefer to) (?:not exist|not be alive|not be here anymore|stop existing)",
        keys="dont not never didnt longer want wish why rather prefer",
        negatable=False,
        needs_subject=True,
        unless_after=LIVING_EXEMPT,
    ),
    rule(
        "suicide.stop_existing",
        SUICIDE,
        r"(?:want to|wish i could|wish to) (?:not exist|stop existing|stop living|cease to exist|"
        r"not be alive|stop being alive|not be here anymore|disappear forever|disappear for good)",
        keys="want wish",
        needs_subject=True,  # negatable: "I don't want to stop living, I want to stop hurting"
    ),
    rule(
        "suicide.cant_go_on",
        SUICIDE,
        r"(?:cant|cannot|can not|couldnt|unable to|not able to|dont know if i can|"
        r"dont know how much longer i can|dont know how long i can|dont think i can) "
        r"(?:go on|keep going|carry on|keep living|continue living|live like this|"
        r"live with this|live anymore|live any more|live any longer|do this anymore|"
        r"do this any more|do this any longer|do it anymore|take it anymore|take this anymore|"
        r"take it any more|take this any more|take it any longer|take this any longer|"
        r"keep doing this|hold on|hold on much longer|survive this|cope anymore)",
        keys="cant cannot couldnt unable able dont",
        negatable=False,
        needs_subject=True,
        unless_after=LIVING_EXEMPT + r"|to|with (?:the|my|our)|for|holidays",
    ),
    rule(
        "suicide.no_reason_to_live",
        SUICIDE,
        rf"(?:no|nothing|not any|zero|not a single|not one) (?:left )?(?:reason|reasons|point|"
        rf"purpose) (?:in |to |for )?{LIVING}|nothing (?:left )?to live for|"
        rf"(?:whats|what is) the point (?:of|in) (?:living|being alive|going on|carrying on|"
        rf"life|existing|even living|me being here|staying alive)|"
        rf"(?:life|living|my life|it) (?:is not|isnt|is no longer|no longer|not|is not really|"
        rf"isnt really|aint) worth (?:living|it anymore|it any more|it any longer)|"
        rf"not worth living",
        keys="reason reasons point purpose worth live",
        negatable=False,
        unless_after=LIVING_EXEMPT,
    ),
    rule(
        "suicide.better_off_without_me",
        SUICIDE,
        r"(?:better|happier|easier) (?:off )?without me|better off (?:dead|gone)|"
        r"(?:better|easier|happier|simpler) (?:off |for (?:everyone|everybody|them|all of you|"
        r"you all|my family|the world) )?if i (?:wasnt|werent|was not|were not|never|had never|"
        r"died|disappeared|"
        r"wasnt here|wasnt around|was gone|were gone|was dead|were dead|didnt exist)|"
        r"(?:no one|nobody|none|no body)(?: would| will| is going to| gonna| d| even| really| "
        r"ever)* (?:care|notice|miss me|mind|cry)(?: at all)? (?:if|when|once|after) i "
        r"(?:died|die|disappeared|disappear|was gone|am gone|were gone|m gone|killed myself|"
        r"kill myself|vanished|wasnt here|wasnt around|stopped existing|ended it|end it|"
        r"wasnt alive|was dead|were dead)|"
        r"(?:no one|nobody|none) (?:would|will|is going to|gonna)(?: even| really)? miss me|"
        r"(?:everyone|everybody|they|people|my family|the world) (?:would|will|d)(?: be)? "
        r"(?:relieved|glad|happy|happier|better|fine) (?:if|when|once) i (?:died|was gone|"
        r"were gone|disappeared|wasnt here|wasnt around|killed myself|was dead)",
        keys="without better easier happier simpler miss care notice mind cry relieved glad happy "
        "fine",
        unless_after=r"at|on (?:the|my) (?:team|dance floor|stage)|in (?:the|this|my) (?:team|"
        r"band|kitchen|group|project|choir)",
    ),
    rule(
        "suicide.make_it_stop",
        SUICIDE,
        r"(?:want|need|wish|wanna|pray|praying) (?:for )?(?:the pain|it|it all|everything|this|"
        r"all of this|all this|the hurt|the hurting|my pain|my life) (?:all )?to (?:stop|end|"
        r"be over) (?:forever|for good|permanently|once and for all)|"
        r"(?:want|need|wish|wanna) (?:for )?(?:it all|everything|all of this|all this|my life) "
        r"(?:all )?to (?:end|be over|stop)(?= \|)",
        keys="forever permanently good end over stop",
        needs_subject=True,
    ),
    rule(
        "suicide.wont_be_around",
        SUICIDE,
        r"(?:wont|will not|not going to|not gonna) be (?:around|alive) (?:much longer|"
        r"for much longer|to see (?:it|that|you|christmas|my birthday|the|next|another|summer|"
        r"spring|the new year))|(?:wont|will not|not going to|not gonna) be alive",
        keys="around alive",
        negatable=False,
        needs_subject=True,
    ),
    rule(
        "suicide.burden",
        SUICIDE,
        r"(?:nothing but|just|only|such) a (?:huge |big |massive |total )?burden|"
        r"a (?:huge |big |massive |total )?burden (?:to|on|for) (?:everyone|everybody|all of you|"
        r"all of them|everyone around me|the world|my whole family)",
        keys="burden",
        needs_subject=True,
    ),
    rule(
        "suicide.giving_things_away",
        SUICIDE,
        r"(?:give|gives|gave|giving|given) away (?:all )?(?:of )?my (?:things|stuff|belongings|"
        r"possessions|pets|pet|cat|dog)|(?:give|gives|gave|giving|given) (?:all )?(?:of )?my "
        r"(?:things|stuff|belongings|possessions|pets|pet|cat|dog) away|"
        r"(?:give|gave|giving|given) everything away",
        keys="away",
        needs_subject=True,
        unless_after=r"because (?:i|im|we|were) (?:moving|downsizing|leaving)|before (?:i|we) "
        r"move|before the move|for the move|to (?:a |the )?(?:charity|library|shelter|thrift|"
        r"goodwill|shop)|since (?:i|we) (?:m|are|re) moving|as (?:i|we) (?:m|are) moving",
    ),
    rule(
        "suicide.goodbye_note",
        SUICIDE,
        r"(?:wrote|written|writing|write|left|leave|leaving|finished|drafted|drafting|started) "
        r"(?:a |my |the |some |all )?(?:suicide|goodbye|farewell|last|final) (?:note|notes|"
        r"letter|letters)",
        keys="note notes letter letters",
        needs_subject=True,
        unless_after=r"to my (?:old|younger|past|former) self|to (?:my )?(?:anxiety|depression|"
        r"grief|addiction|fear|shame|the past|old job)|as (?:an|a) (?:exercise|ritual)|for "
        r"(?:therapy|my therapist|an exercise|the exercise|class|work)",
    ),
    rule(
        "suicide.sleep_forever",
        SUICIDE,
        r"(?:sleep|go to sleep|fall asleep|rest) (?:forever|permanently|for good|and (?:never|"
        r"not) (?:ever )?wake up)|never wake up again|"
        r"(?:want|wish|hope) (?:to )?(?:just )?(?:never|not) (?:to )?wake up",
        keys="forever permanently good wake",
        needs_subject=True,
        unless_after=r"early|late|at|in time|on time|so early|for",
    ),
    rule(
        "suicide.thoughts_of_dying",
        SUICIDE,
        r"(?:think|thinks|thinking|thought|thoughts|dream|dreaming|fantasise|fantasize|"
        r"fantasising|fantasizing|obsessing|obsessed) (?:about|of) (?:dying|ending it|"
        r"ending it all|ending things|ending my life|killing myself|not being here|"
        r"not waking up|not being alive|not existing|no longer existing|no longer being here)",
        keys="dying ending killing not longer",
        needs_subject=True,
        unless_after=r"with|between|and how|in a|peacefully at|when (?:i|im) old|of old age|"
        r"one day|someday",
    ),
    rule(
        "suicide.tired_of_living",
        SUICIDE,
        r"(?:tired|sick|exhausted|done|finished|fed up) (?:of |with )?(?:living|life|"
        r"being alive|existing)",
        keys="living life alive existing",
        needs_subject=True,
        unless_after=LIVING_EXEMPT + r"|insurance|admin|coaching|lessons|lesson|skills|"
        r"expectations|alone|like that|on my own|with (?:roommates|flatmates|my parents)",
    ),
)
