"""The safety services the live room calls: risk checks and the author's private payload."""

from __future__ import annotations

import logging

from app.extensions import db
from app.safety import services
from app.safety.defaults import DEFAULT_RESOURCES
from app.safety.models import CrisisResource

SECRET = "I want to kill myself, nobody knows about Jordan and me"


def test_check_message_for_risk_returns_the_assessment():
    result = services.check_message_for_risk("I don't want to live anymore")
    assert result.is_risk and result.category == "suicide"
    assert not services.check_message_for_risk("I cried and felt lighter").is_risk


def test_risk_checks_log_rule_ids_never_the_message(caplog):
    with caplog.at_level(logging.DEBUG):
        result = services.check_message_for_risk(SECRET)
    assert result.is_risk
    assert "suicide.kill_myself" in caplog.text
    assert "Jordan" not in caplog.text and "kill myself" not in caplog.text


def test_author_payload_has_two_or_three_resources_in_the_protocol_shape(app):
    with app.app_context():
        payload = services.safety_payload_for_author()
    assert 2 <= len(payload["resources"]) <= 3
    for resource in payload["resources"]:
        assert set(resource) == {"name", "contact", "url"}
    assert payload["help_url"] == "/help/crisis"
    assert payload["message"]


def _offered(country=None) -> list[str]:
    return [r["name"] for r in services.safety_payload_for_author(country)["resources"]]


def test_a_country_puts_its_own_lines_first_and_the_directory_is_always_there(app):
    """Issue 23: the lines shown were the US, the UK and a directory, whatever the country."""
    with app.app_context():
        assert _offered("GB") == ["Samaritans", "Find A Helpline"]
        assert _offered("US") == ["988 Suicide & Crisis Lifeline", "Find A Helpline"]
        assert _offered("FR") == ["3114", "Emergency services", "Find A Helpline"]
        assert _offered("JP") == ["Find A Helpline", "Befrienders Worldwide"]


def test_without_a_country_the_global_directory_is_offered(app):
    with app.app_context():
        assert _offered() == ["Find A Helpline", "Befrienders Worldwide"]
        names = [r.name for r in services.resources_for(limit=None)]
    assert names[:2] == ["Find A Helpline", "Befrienders Worldwide"]
    assert "Samaritans" in names, "the crisis page still lists every country"


def test_when_every_resource_is_hidden_the_builtin_lines_still_reach_the_author(app):
    with app.app_context():
        services.ensure_default_resources()
        db.session.query(CrisisResource).update({"active": False})
        db.session.commit()
        assert _offered("GB") == ["Samaritans", "Find A Helpline"]
        assert _offered() == ["Find A Helpline", "Befrienders Worldwide"]


def test_the_directory_joins_a_country_line_even_if_hidden(app):
    with app.app_context():
        services.ensure_default_resources()
        db.session.query(CrisisResource).filter(CrisisResource.name != "Samaritans").update(
            {"active": False}
        )
        db.session.commit()
        assert _offered("GB") == ["Samaritans", "Find A Helpline"]


def test_every_seeded_line_says_when_it_was_checked(app):
    with app.app_context():
        services.ensure_default_resources()
        assert all(r.checked_on is not None for r in db.session.query(CrisisResource))


def test_defaults_load_once(app):
    with app.app_context():
        services.ensure_default_resources()
        services.ensure_default_resources()
        services.resources_for()
        assert db.session.query(CrisisResource).count() == len(DEFAULT_RESOURCES)
