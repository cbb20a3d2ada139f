"""Rules for explicit suicidal intent: saying it, planning it, naming a method."""

from __future__ import annotations

from app.safety.rules.common import ACCIDENT, ACCIDENT_BEFORE, DIE_EXEMPT, ME, SUICIDE
from app.safety.rules.compiler import Rule, rule

EXPLICIT_RULES: tuple[Rule, ...] = (
    rule(
        "suicide.kill_myself",
        SUICIDE,
        rf"(?:kill|kills|killed|killing) {ME}",
        keys="kill kills killed killing",
        # Overwork and laughter idioms: "killing myself at work", "could kill myself for that".
        unless_after=r"for|laughing|at work|at the (?:gym|office)|working|trying|with work|"
        r"to (?:finish|get|meet|make|keep|please|impress|earn|pay|save|prove|be)",
        unless_before=r"could",  # "I could kill myself, I left the cake on the bus"
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
        r"patients|clients|people|teens|is|isnt|is not|doesnt|means|behaviour|behavior|"
        r"ideation mean|ideation means",
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
        unless_after=DIE_EXEMPT + r"|at (?:that|this|the|his|her|my)",
        unless_before=r"laughed|laughing|so embarrassed|embarrassing|cringe|cringing",
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
        unless_after=r"for (?:the |my |a )?(?:migraine|migraines|headache|headaches|pain|back|"
        r"trip|holiday|week|month|travel|emergencies)|"
        r"into (?:the|a) (?:pool|lake|water|sea|river|snow)|for fun|with (?:food|"
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
)
