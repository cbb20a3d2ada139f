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
    werent aint nor neither havent hasnt hadnt mustnt nope nah zero
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
    considering considered contemplating contemplated wondering
    """
)

_ALIASES = {
    "kms": "kill myself",
    "kmsl": "kill myself",
    "k m s": "kill myself",
    "unalive": "kill",
    "unalived": "killed",
    "unaliving": "killing",
    "unalive myself": "kill myself",
    "sewerslide": "suicide",
    "sewer slide": "suicide",
    "sewerslidal": "suicidal",
    "suicde": "suicide",
    "sucide": "suicide",
    "sicide": "suicide",
    "suiside": "suicide",
    "suicid": "suicide",
    "sucidal": "suicidal",
    "sicidal": "suicidal",
    "suicdal": "suicidal",
    "suisidal": "suicidal",
    "suicidel": "suicidal",
    "ctb": "kill myself",
    "self delete": "kill myself",
    "self deleting": "killing myself",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "sh again": "self harm again",
    "myslef": "myself",
    "mysef": "myself",
    "myselfe": "myself",
    "meself": "myself",
    "wana": "want to",
    "wanna": "want to",
    "gona": "going to",
    "gonna": "going to",
    "want 2": "want to",
    "wanna 2": "want to",
    "going 2": "going to",
    "wan to": "want to",
    "wnt to": "want to",
    "want too": "want to",
    "dye": "die",
    "kill my self": "kill myself",
    "hurt my self": "hurt myself",
    "cut my self": "cut myself",
    "wanna die": "want to die",
    "want die": "want to die",
    "want kill me": "want to kill myself",
    "want kill myself": "want to kill myself",
    "kill me self": "kill myself",
    "no want live": "dont want to live",
    "not want live": "dont want to live",
    "no want to live": "dont want to live",
    "dont want live": "dont want to live",
    "dont wanna live": "dont want to live",
    "dnt": "dont",
    "cnt": "cant",
    "idk": "i dont know",
    "rn": "right now",
    "tn": "tonight",
    "2nite": "tonight",
    "tonite": "tonight",
    "2night": "tonight",
    "u": "you",
    "ur": "your",
    "r": "are",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "abt": "about",
    "thru": "through",
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

# Someone other than the author as the subject of a hit: "she wants to die", "my son is
# suicidal", "do you ever feel suicidal". Only these switch a hit off; unknown words are read
# past, so "at this point want to die" still counts.
OTHER_SUBJECTS = _words(
    """
    he she they him her his them their you your youre u ur yall someone somebody anyone
    anybody people person persons friend friends bestie bf gf boyfriend girlfriend husband wife
    partner ex son sons daughter daughters kid kids child children teen teens mum mom mother
    mama dad father papa brother bro sister sis sibling siblings cousin aunt uncle grandma
    grandpa grandmother grandfather nan nana granny niece nephew client clients patient patients
    student students pupil pupils character characters singer rapper band narrator protagonist
    hero heroine villain author poet coworker colleague classmate roommate flatmate neighbour
    neighbor stepdad stepmom stepmum hes shes theyre hed shed theyd
    """
)

# Words that report someone else's speech or a text: what follows is not the author speaking.
REPORTING = _words(
    """
    said says told tells asked asks texted texts wrote writes posted posts sang sings
    singing goes went yelled yells screamed screams whispered whispers shouted shouts joked jokes
    """
)
QUOTE_CUES = _words(
    """
    song songs lyric lyrics quote quotes quoted poem poems poetry book novel film movie episode
    meme memes chorus verse album title titled memoir script tiktok podcast exhibition comedian
    sketch sitcom
    """
)

# A past that is over: "two years ago I wanted to die; today I'm grateful".
PAST_PHRASES = (
    r"(?:years|months|decades|a (?:long )?time|long|ages|a while) ago|back (?:in|when|then)|"
    r"(?:a few|some|many) years back|when i was (?:a |in |younger|little|small|\d+|[a-z]+teen)|"
    r"as a (?:teen|teenager|kid|child|student|young)|in (?:my )?(?:early |late |mid )?(?:\d+s|"
    r"teens|twenties|thirties|forties|fifties)|in (?:high school|college|uni|university|school|"
    r"lockdown|the past)|used to|(?:at|in) (?:my|that) (?:worst|lowest)|long ago|"
    r"before \d+ years|that was (?:in )?\d+|in \d{4}|those (?:years|days|times)|"
    r"the (?:darkest|worst) (?:time|year|years|period)|for a long time after|at \d+"
)
# Said on their own, these put a hit in the past: "three years clean from self harm".
OVER_PHRASES = (
    r"(?:years|months|weeks|days|year|month) (?:clean|free|sober|without)|clean (?:from|of|for)|"
    r"free (?:from|of)|since i last|recovery (?:from|started)|my recovery|survived|behind me|"
    r"(?:havent|hadnt|have not) (?:had|felt|self|cut|hurt|harmed|thought)"
)
# Signs the author speaks from the other side of that past.
RECOVERY = _words(
    """
    now today glad grateful thankful proud better happy healed stable recovered alive helped
    therapy changed gone faded anymore since survived survivor volunteer clean sober free
    """
)
# ... unless it is coming back: "I used to cut, and tonight I want to again".
RETURN_CUES = (
    r"again|(?:its|is|are|came|coming|come|creeping) back|creeping|returning|returned|tonight|"
    r"lately|currently|these days|right now|still (?:want|think|feel|have|get)"
)
