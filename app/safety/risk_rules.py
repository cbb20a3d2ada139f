"""The phrase rules of the risk detector, written in plain words (see docs/safety.md).

Patterns match whole words of the normalised text: lower case, no apostrophes ("dont", "im"),
letter runs squeezed ("kill" and "killl" both read "kil"; the rule compiler squeezes the
patterns the same way). Write every word form out in full ("cut|cuts|cutting"), never as a
stem plus suffix, so squeezing treats pattern and text alike.
"""

from __future__ import annotations

from app.safety.risk import Rule, rule

SUICIDE = "suicide"
SELF_HARM = "self_harm"

ME = r"(?:myself|my self|meself|me self)"
LIVING = (
    r"(?:live|living|be alive|being alive|exist|existing|keep living|go on living|go on|going on|"
    r"carry on|carrying on|keep going|stay alive|staying alive|be here anymore|be here any more|"
    r"be here any longer|wake up|be on this earth|be in this world)"
)
# "I don't want to live in this city", "no point going on the trip", "wake up early".
LIVING_EXEMPT = (
    r"in|at|with|near|there|on|by|together|abroad|alone|close|far|next|somewhere|anywhere|"
    r"under|above|downstairs|upstairs|like (?:that|them|him|her|my parents)|out of|off|early|"
    r"so early|late|for (?:work|school|ever)|forever|a|an|the|this|that|about|holiday|trip|"
    r"vacation|tour|date|stage|air|tv|ride|rides|and on|to (?:the|a|work|school)|paycheck"
)
DIE_EXEMPT = (
    r"of|from|laughing|laughin|for|than|old|happy|peacefully|in peace at|my hair|her hair|"
    r"his hair|hair|your hair|it (?:red|blue|black|pink|purple|green)|my (?:beard|clothes|shirt)|"
    r"at (?:a|an) old age|when (?:i|im) (?:old|ready|ninety|a hundred)|on (?:this|that|a) hill"
)
ACCIDENT = (
    r"playing|at (?:the|work|football|practice|soccer|gym|rugby|training)|while|during|lifting|"
    r"running|exercising|skiing|climbing|cooking|baking|ironing|shaving|gardening|on (?:the|a|an|"
    r"my|some|broken|paper)|falling|tripping|in (?:the|a) (?:kitchen|gym|garden|fall|accident)|"
    r"by accident|accidentally|when i (?:fell|tripped|slipped)|opening|trying to open"
)
ACCIDENT_BEFORE = r"accident|accidentally|accidently|didnt mean to|did not mean to"

RULES: tuple[Rule, ...] = (
    rule(
        "suicide.kill_myself",
        SUICIDE,
        rf"(?:kill|kills|killed|killing) {ME}",
        keys="kill kills killed killing",
        # Overwork and laughter idioms: "killing myself at work", "could kill myself for that".
        unless_after=r"for|laughing|at work|at the (?:gym|office)|working|trying|with work|"
        r"to (?:finish|get|meet|make|keep|please|impress|earn|pay|save|prove|be)",
    ),
    rule(
        "suicide.end_my_life",
        SUICIDE,
        r"(?:end|ends|ended|ending|take|takes|took|taking|taken) my (?:own )?life|"
        r"end my (?:own )?(?:existence|suffering)|ending my (?:existence|suffering)",
        keys="life existence suffering",
        unless_after=r"back|in (?:a|another|my own|new|my hands)|into|to (?:a|the|new)|seriously|"
        r"more seriously|for granted|one day at a time|in stride|apart|as it comes",
    ),
    rule(
        "suicide.end_it_all",
        SUICIDE,
        r"(?:end|ends|ended|ending) (?:it all|everything)|"
        r"(?:want|going|ready|plan|planning|decided|time|need|try|trying) to end (?:it|things)"
        r"(?= \|| tonight| today| now| soon| for good| forever| once and for all)|"
        r"(?:end|ending) (?:it|things) (?:tonight|for good|forever|once and for all)",
        keys="end ends ended ending",
        needs_subject=True,
        unless_after=r"with|between|for (?:now|today|the day)|on (?:a|this) (?:high|good)",
    ),
    rule(
        "suicide.suicide_act",
        SUICIDE,
        r"(?:commit|commits|committed|committing|attempt|attempts|attempted|attempting|try|"
        r"tried|trying|consider|considered|considering|contemplate|contemplated|contemplating|"
        r"think about|thinking about|thought about|thinking of|thought of|planning|plan|planned|"
        r"plans for|plan for) (?:about |of )?suicide|"
        r"my (?:suicide|suicidal) (?:plan|plans|note|letter|letters)",
        keys="suicide",
        needs_subject=True,
        unless_after=r"prevention|awareness|loss|bereavement|survivor|survivors|squat|squats|"
        r"sprint|sprints|door|doors|run|runs|drill|drills|lane|mission|squad|watch|rate|rates|"
        r"statistics|hotline|line|research|help|training|risk",
    ),
    rule(
        "suicide.suicidal",
        SUICIDE,
        r"suicidal",
        keys="suicidal",
        needs_subject=True,
        unless_after=r"mission|move|idea for|pace|driving|driver|squat|friend|friends|"
        r"patients|clients|people|teens",
    ),
    rule(
        "suicide.want_to_die",
        SUICIDE,
        r"(?:want|wants|wanted|wanting|want to|would like|d like|wish|wishing|need|ready|"
        r"deserve|deserves|deserved|longing|long|should|should just|"
        r"might as well) (?:to )?(?:just |simply |literally |finally |honestly )?"
        r"(?:die|be dead)|feel like dying|felt like dying",
        keys="die dead dying",
        needs_subject=True,
        unless_after=DIE_EXEMPT,
    ),
    rule(
        "suicide.wish_dead",
        SUICIDE,
        r"wish (?:i|id) (?:was|were|could be|d be|had been|would be) (?:dead|never born)|"
        r"wish (?:i|id) (?:had |d )?never (?:been born|existed|woken up|woke up)|"
        r"wish (?:i|id) could (?:just )?(?:die|not exist|stop existing|disappear forever)|"
        r"hope (?:i|that i) (?:die|dont wake up|never wake up|do not wake up|wont wake up)|"
        r"(?:rather|sooner) (?:be dead|die)|let me die|"
        r"wish (?:i|id) (?:hadnt|had not|didnt|did not) (?:survive|survived|make it|made it|"
        r"woken up|wake up)|(?:if|in case) (?:im|i am) (?:gone|dead|not here|not around) "
        r"(?:tomorrow|tonight|by (?:morning|tomorrow|monday))|if i dont make it through "
        r"(?:the night|tonight)|if i (?:just |simply )?(?:didnt|did not|never|wouldnt|would not) "
        r"wake up",
        keys="dead die born existed exist existing wake disappear survive survived gone here "
        "around make made",
        unless_after=DIE_EXEMPT + r"|late|too late|in time|on time|hungover|grumpy|again late",
    ),
    rule(
        "suicide.not_want_to_live",
        SUICIDE,
        rf"(?:dont|do not|didnt|did not|no longer|not|never) (?:really |even |actually |"
        rf"honestly |just |want to )?(?:want to|wanna|wish to|feel like|care to) {LIVING}|"
        rf"not sure (?:if |whether |that )?i (?:want to|still want to|wanna) {LIVING}|"
        rf"why (?:am i|do i|should i|am i even|am i still) (?:even |still )?(?:alive|"
        rf"bother living|keep living|exist|go on|here at all)|"
        rf"(?:rather|prefer to) (?:not exist|not be alive|not be here anymore|stop existing)|"
        rf"(?:want to|wish i could|wish to) (?:not exist|stop existing|stop living|cease to exist|"
        rf"not be alive|stop being alive|not be here anymore|disappear forever|disappear for good)",
        keys="dont not never didnt longer want wish why rather prefer",
        negatable=False,
        needs_subject=True,
        unless_after=LIVING_EXEMPT,
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
        "suicide.method",
        SUICIDE,
        rf"(?:hang|hanging|hanged|shoot|shooting|drown|drowning|poison|poisoning|suffocate|"
        rf"suffocating|stab|stabbing|gas|gassing|electrocute|electrocuting|throw|throwing) {ME}",
        keys="myself meself self",
        unless_after=r"in the foot|in (?:work|coffee|tea|chocolate|wine|books|tv|netflix|music|"
        r"paperwork|tasks|emails|the project|my work|my studies)|with (?:junk|fast|bad) food|"
        r"with (?:sugar|caffeine)|into (?:work|my work|it|the|a|this)|at (?:the|my) (?:work|"
        r"project|problem)|out there|on the (?:couch|sofa|bed)",
    ),
    rule(
        "suicide.jump_or_overdose",
        SUICIDE,
        r"(?:jump|jumping|jumped) (?:off|from|of) (?:a|the|this|that|my) (?:bridge|roof|rooftop|"
        r"building|cliff|balcony|tower|ledge|window|overpass|car park|parking garage)|"
        r"(?:jump|jumping|step|stepping|walk|walking|lie down|lay down) in front of (?:a|the|an|"
        r"some) (?:train|bus|car|truck|lorry|tram|subway)|"
        r"(?:overdose|overdosing|od|take an overdose|taking an overdose) (?:on )?(?:my |the |"
        r"all my |all the |all of my |these |those |some |a bunch of |a bottle of )?(?:pills|"
        r"meds|medication|medications|tablets|sleeping pills|painkillers|insulin)|"
        r"(?:swallow|swallowing|take|taking) (?:all|every single one|the whole bottle|"
        r"a whole bottle|a bottle|the rest) (?:of )?(?:my |the |these |those )?(?:pills|meds|"
        r"medication|tablets|sleeping pills|painkillers)|(?:overdose|take an overdose)(?= \|)|"
        r"(?:saved|saving|stockpiled|stockpiling|hoarded|hoarding) (?:up )?(?:my |some |all my "
        r"|enough )?(?:pills|meds|medication|tablets|painkillers)|(?:pills|meds|tablets|"
        r"painkillers) (?:saved|stockpiled|hoarded)(?: up)?",
        keys="jump jumping jumped front overdose overdosing od pills meds medication tablets "
        "painkillers",
        needs_subject=True,
        unless_after=r"into (?:the|a) (?:pool|lake|water|sea|river|snow)|for fun|with (?:food|"
        r"water|breakfast|dinner|lunch)|today|this morning|on time|as prescribed|in (?:a|my) "
        r"dream",
        unless_before=r"forgot to|forget to|remember to|remembered to|supposed to|have to|dream",
    ),
    rule(
        "suicide.method_planning",
        SUICIDE,
        r"(?:researching|research|looking up|looked up|googling|googled|searching|searched|"
        r"reading about) (?:for )?(?:ways|methods|how) to (?:die|kill myself|end my life|end it)|"
        r"(?:painless|easy|easiest|quick|quickest|best|surest) (?:way|ways|method|methods) to "
        r"(?:die|kill myself|end my life|end it)|(?:a|the|my) noose|"
        r"(?:planning|planned|plan|figuring out|figured out|worked out|working out|thinking about)"
        r" (?:how|when|where) (?:i|id|ill|im going to|to) (?:do it|die|kill myself|end it|"
        r"end my life)(?! differently| better| again| next)",
        keys="ways way methods method how when where noose",
        needs_subject=True,
    ),
    rule(
        "suicide.wrists",
        SUICIDE,
        r"(?:slit|slitting|slash|slashing|slice|slicing|cut|cutting|open|opening) (?:my|both my|"
        r"both of my) (?:wrist|wrists)",
        keys="wrist wrists",
        unless_after=ACCIDENT,
        unless_before=ACCIDENT_BEFORE,
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
    rule(
        "self_harm.self_harm",
        SELF_HARM,
        r"self (?:harm|harms|harming|harmed|injury|injuries|injure|injures|injuring|injured|"
        r"mutilate|mutilating|mutilation|hurt|hurting)",
        keys="self",
        needs_subject=True,
        unless_after=r"awareness|prevention|support group|resources|training|course|class|"
        r"research|statistics|in (?:teens|young|adolescents)|among|policy|module|article|book|"
        r"documentary|scars|scar",
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
