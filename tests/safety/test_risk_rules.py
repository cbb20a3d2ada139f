"""The detector on the tricky cases: negation, idioms, other people, spelling and shape."""

from __future__ import annotations

import pytest

from app.safety.risk import assess, normalise


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I don't want to live anymore", "suicide"),
        ("I can't go on", "suicide"),
        ("I can't go on like this", "suicide"),
        ("I'm not okay and I want to die", "suicide"),
        ("No. I want to die.", "suicide"),
        ("I can't stop thinking about killing myself", "suicide"),
        ("everyone would be better off without me", "suicide"),
        ("I've been giving my things away", "suicide"),
        ("I just want the pain to stop forever", "suicide"),
        ("I'm nothing but a burden", "suicide"),
        ("I want to cut myself", "self_harm"),
        ("I relapsed and cut last night", "self_harm"),
    ],
)
def test_risk_language_is_caught(text, category):
    result = assess(text)
    assert result.is_risk
    assert result.category == category


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to hurt myself",
        "I would never kill myself",
        "I'd never ever hurt myself",
        "I don't want to die",
        "I'm not suicidal",
        "I have no intention of harming myself",
        "I don't think I'll ever hurt myself again",
        "I no longer want to die",
        "I haven't self harmed in a year",
    ],
)
def test_negated_statements_are_not_risk(text):
    assert not assess(text).is_risk


@pytest.mark.parametrize(
    "text",
    [
        "you're killing it",
        "she killed it on stage",
        "I'm so skilled at this",
        "the unskilled work is killing me slowly",
        "I'm dying to see you",
        "this traffic is killing me",
        "I could just die of embarrassment",
        "this cake is to die for",
        "let's kill time before circle",
        "dead tired",
        "suicide squats are brutal",
        "the Suicide Squad sequel",
        "I'd rather die than sing in public",
        "I've been killing myself at work",
        "I could kill myself for forgetting that",
        "cut myself some slack",
        "I'm burning myself out",
        "I shot myself in the foot there",
        "I want to die my hair blue",
        "killing it 🔥",
    ],
)
def test_idioms_are_not_risk(text):
    assert not assess(text).is_risk


@pytest.mark.parametrize(
    "text",
    [
        "I cried for an hour and felt lighter",
        "my grief is heavy today",
        "I feel numb",
        "I feel dead inside lately",
        "I lost my brother to suicide",
        "my friend is suicidal and I want to help",
        "she says she wants to die",
        "Do you ever feel suicidal?",
        "I used to self harm, it's been years",
    ],
)
def test_sadness_and_other_peoples_words_are_not_risk(text):
    assert not assess(text).is_risk


@pytest.mark.parametrize(
    "text",
    [
        "I WANT TO KILL MYSELF",
        "i want to kiiiiill myselfff",
        "i w4nt to k1ll mys3lf",
        "I want to k*ll myself",
        "kms",
        "I want to unalive myself",
        "thinking about sewerslide",
        "I don\u2019t want to live anymore",
        "I don\u2018t want to live anymore",
        "I dont want to live anymore",
        "I want to die 😭😭😭",
        "...I want to die...",
        "(I want to die)",
        '"I want to die"',
        "\uff29 \uff57\uff41\uff4e\uff54 \uff54\uff4f \uff44\uff49\uff45",  # full-width letters
        "I wánt to díe",
        "I feel self-harm urges",
    ],
)
def test_spelling_shape_and_punctuation_do_not_hide_risk(text):
    assert assess(text).is_risk


@pytest.mark.parametrize("text", [None, "", "   ", "\n\n", "😀", "|||", "." * 3000, "a" * 5000])
def test_empty_and_odd_input_is_calm(text):
    result = assess(text)
    assert result.level == "none" and result.category is None and result.matched == ()


def test_the_most_serious_category_wins():
    result = assess("I cut myself again and I want to die")
    assert result.category == "suicide"
    assert {"suicide.want_to_die", "self_harm.cut_myself"} <= set(result.matched)


def test_assessment_holds_rule_ids_only_never_the_text():
    secret = "I want to kill myself because of what happened with Alex"
    result = assess(secret)
    assert result.is_risk
    for rule_id in result.matched:
        assert rule_id.startswith(("suicide.", "self_harm.")) or rule_id in {"model", "context"}
        assert "alex" not in rule_id.lower()
    assert "Alex" not in repr(result)


def test_negation_does_not_cross_into_the_next_clause():
    assert assess("I'm not sure what to say. I want to die.").is_risk


def test_normalise_splits_clauses_and_squeezes_letters():
    assert normalise("Sooo tired... but OK!") == " so tired | ok | "


def test_a_long_message_is_assessed_whole():
    text = "I had a long day and cried on the bus. " * 60 + "I don't want to live anymore."
    assert len(text) > 2000
    assert assess(text).is_risk
