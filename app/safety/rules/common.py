"""Categories and shared phrase fragments for the risk rules (see docs/safety.md).

Patterns match whole words of the normalised text: lower case, no apostrophes ("dont", "im"),
letter runs squeezed ("kill" and "killl" both read "kil"; the rule compiler squeezes the
patterns the same way). Write every word form out in full ("cut|cuts|cutting"), never as a
stem plus suffix, so squeezing treats pattern and text alike.
"""

from __future__ import annotations

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
