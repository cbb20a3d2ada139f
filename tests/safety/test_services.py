"""The safety services the live room calls: risk checks and the author's private payload."""

from __future__ import annotations

import logging

from app.extensions import db
from app.safety import services
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


def test_a_region_puts_its_own_resources_first_then_international(app):
    with app.app_context():
        uk = [r.name for r in services.resources_for("uk")]
        us = [r["name"] for r in services.safety_payload_for_author("US")["resources"]]
    assert uk == ["Samaritans", "Find A Helpline", "Befrienders Worldwide"]
    assert us == ["988 Suicide & Crisis Lifeline", "Find A Helpline", "Befrienders Worldwide"]


def test_without_a_region_the_admins_order_is_kept(app):
    with app.app_context():
        names = [r.name for r in services.resources_for()]
    assert names == ["Find A Helpline", "988 Suicide & Crisis Lifeline", "Samaritans"]


def test_when_every_resource_is_hidden_the_builtin_ones_still_reach_the_author(app):
    with app.app_context():
        services.ensure_default_resources()
        db.session.query(CrisisResource).update({"active": False})
        db.session.commit()
        payload = services.safety_payload_for_author()
    assert len(payload["resources"]) == 3


def test_a_single_active_resource_is_topped_up_to_two(app):
    with app.app_context():
        services.ensure_default_resources()
        db.session.query(CrisisResource).filter(CrisisResource.name != "Samaritans").update(
            {"active": False}
        )
        db.session.commit()
        names = [r["name"] for r in services.safety_payload_for_author()["resources"]]
    assert names == ["Samaritans", "Find A Helpline"]


def test_defaults_load_once(app):
    with app.app_context():
        services.ensure_default_resources()
        services.ensure_default_resources()
        services.resources_for()
        assert db.session.query(CrisisResource).count() == 5
