"""Detector v2: levels, context, concern, fresh language, hard negatives and the model file."""

from __future__ import annotations

import json
import logging

import pytest

from app.safety import services
from app.safety.model import MODEL_PATH, Model, load_model
from app.safety.risk import RiskAssessment, assess


@pytest.mark.parametrize(
    "text",
    [
        "i have the pills in front of me",
        "engine running in the garage",
        "what's the most painless way",
        "i wrote my note",
        "gave my dog to my neighbour, won't need to walk him anymore",
        "they won't miss me when i'm gone",
        "i wish a car would hit me",
        "i'd rather be dead than keep feeling this",
        "tonight is the night",
        "i'm gonna do it this time",
        "i don't feel safe with myself tonight",
        "thinking about unaliving myself",
        "ctb tonight",
        "been having sewerslide thoughts",
        "feeling s*icidal again",
        "i want 2 die",
        "sucidal again tonight",
        "i want kill me",
        "me no want live anymore",
        "fresh cuts tonight",
        "burned my arm with the iron on purpose",
        "at this point want to die",
    ],
)
def test_the_families_the_old_rules_missed_are_risk(text):
    assert assess(text).is_risk, text


@pytest.mark.parametrize(
    "text",
    [
        "two years ago i wanted to die; today i'm grateful",
        "my son said 'i want to die' about his homework",
        "i laughed so hard i wanted to die at that cat video",
        "this traffic is killing me",
        "i'd kill for a coffee",
        "dying to see you all on thursday",
        "my dad died last month and i miss him",
        "if anyone is having thoughts of suicide, please tell me privately",
        "i'm not suicidal, just very sad",
        "i sobbed in the car and felt lighter after",
        "hi all, glad to be here",
        "i have pills saved up for the migraines",
    ],
)
def test_hard_negatives_are_not_risk(text):
    assert not assess(text).is_risk, text


@pytest.mark.parametrize(
    "text",
    [
        "i cried for three hours and i can't stop",
        "i feel completely numb, i can't cry even though i want to",
        "i'm having a panic attack right now",
        "every time i let it out i feel worse, not lighter",
    ],
)
def test_seek_help_signs_are_concern(text):
    result = assess(text)
    assert result.level == "concern" and result.is_concern and not result.is_risk
    assert result.category == "concern"


def test_risk_wins_over_concern():
    result = assess("i cried for hours and i just want to die")
    assert result.is_risk and not result.is_concern


def test_self_harm_and_suicide_categories():
    assert assess("fresh cuts on my arm again tonight").category == "self_harm"
    assert assess("i keep thinking about ending my life").category == "suicide"


def test_risk_spread_over_two_messages_is_caught_with_context():
    result = assess("tonight's the night", previous=["i have pills saved up"])
    assert result.is_risk
    assert "context" in result.matched or "model" in result.matched or result.matched


def test_context_does_not_turn_everyday_messages_into_risk():
    previous = ["i have pills saved up for the migraines"]
    assert not assess("going to bed early tonight", previous=previous).is_risk


@pytest.mark.parametrize(
    "text",
    ["done", "bye", "ready", "relieved", "peaceful", "so relieved", "hb 10 3 11 7 2544.586"],
)
def test_a_lone_everyday_word_is_not_risk_on_its_own(text):
    """The model alone scored these as risk (0.35-0.96): in a room, "done" or "bye" brought
    the author the crisis panel and the facilitators an alert. Numbers are not words (the
    benchmark's bodies, one word and five numbers, were read as risk one time in six)."""
    assert assess(text).level == "none"


def test_a_lone_word_after_risky_words_is_still_risk():
    assert assess("done", ["i have pills saved up"]).is_risk
    assert assess("kms").is_risk  # a rule still fires on one word


def test_only_the_last_three_previous_messages_count():
    old = ["i have the pills in front of me"] + ["lovely weather"] * 3
    assert assess("see you thursday", previous=old) == assess("see you thursday", previous=old[-3:])


def test_empty_previous_messages_are_ignored():
    assert assess("hi all", previous=["", "   "]).level == "none"


def test_assessment_fields_and_back_compatible_is_risk():
    result = assess("i want to die")
    assert isinstance(result, RiskAssessment)
    assert result.level == "risk" and result.is_risk is True
    assert result.category == "suicide"
    assert 0.0 <= result.score <= 1.0
    assert all(isinstance(item, str) for item in result.matched)
    calm = assess("thank you for sharing that")
    assert calm.level == "none" and calm.category is None and calm.matched == ()


def test_the_model_loads_from_plain_json_and_has_a_version():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(data) >= {"version", "features", "idf", "heads", "thresholds", "params"}
    model = load_model()
    assert isinstance(model, Model)
    assert model.version == data["version"] and len(model.version) == 12
    assert 0 < model.thresholds["risk"] < 1


def test_model_probabilities_are_calibrated_into_zero_one():
    probabilities = load_model().probabilities("i want to die")
    assert set(probabilities) == {"risk", "concern", "self_harm"}
    assert all(0.0 <= value <= 1.0 for value in probabilities.values())
    assert probabilities["risk"] > load_model().probabilities("my tea went cold")["risk"]


def test_a_missing_model_falls_back_to_the_rules(tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        assert load_model.__wrapped__(tmp_path / "absent.json") is None
    assert "make model" in caplog.text


def test_services_pass_previous_messages_and_log_no_text(caplog):
    with caplog.at_level(logging.INFO):
        result = services.check_message_for_risk(
            "tonight's the night", previous=["i have pills saved up, Jordan doesn't know"]
        )
    assert result.is_risk
    assert "level=risk" in caplog.text
    assert "Jordan" not in caplog.text and "pills" not in caplog.text
    assert "tonight" not in caplog.text


def test_services_log_concern_without_text(caplog):
    with caplog.at_level(logging.INFO):
        result = services.check_message_for_risk("i can't stop crying, it's been hours, Sam")
    assert result.is_concern
    assert "level=concern" in caplog.text and "Sam" not in caplog.text


def test_the_detector_version_is_logged_once_at_app_start(caplog):
    load_model.cache_clear()
    with caplog.at_level(logging.INFO, logger="app.safety.model"):
        assert services.load_detector() == load_model().version
        services.load_detector()
    assert caplog.text.count("risk model version") == 1
