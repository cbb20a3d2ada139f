"""The crisis and grounding pages: open to everyone, reachable from every page, calm."""

from __future__ import annotations

import re

import pytest

from app.safety import services
from app.safety.defaults import DEFAULT_RESOURCES
from app.safety.models import CrisisResource


def test_crisis_page_is_open_without_logging_in(client):
    response = client.get("/help/crisis")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "If you're in danger right now" in html
    assert "988" in html and "116 123" in html and "112" in html
    assert "findahelpline.com" in html


def test_crisis_page_is_open_when_logged_in(make_user, logged_in_client):
    member = make_user("sky")
    response = logged_in_client(member).get("/help/crisis")
    assert response.status_code == 200
    assert "People you can talk to" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/auth/login", "/about/privacy", "/help/grounding"])
def test_every_page_links_to_the_crisis_page(client, path):
    assert 'href="/help/crisis"' in client.get(path).get_data(as_text=True)


def test_grounding_page_is_open_and_uses_a_module_script_only(client):
    html = client.get("/help/grounding").get_data(as_text=True)
    assert "5 things you can see" in html
    assert re.search(
        r'<script type="module" src="/static/v/[0-9a-f]+/js/grounding\.js"></script>', html
    )
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_the_grounding_script_is_served(client):
    response = client.get("/static/js/grounding.js")
    assert response.status_code == 200
    assert b"prefers-reduced-motion" in response.data
    response.close()


def test_fresh_database_gets_the_default_resources(app, db):
    with app.app_context():
        assert db.session.query(CrisisResource).count() == 0
        resources = services.resources_for(limit=None)
        assert [r.name for r in resources] == [name for name, *_ in DEFAULT_RESOURCES]
        services.ensure_default_resources()
        assert db.session.query(CrisisResource).count() == len(DEFAULT_RESOURCES)


def test_hidden_resources_are_not_shown(app, db, client):
    with app.app_context():
        services.ensure_default_resources()
        samaritans = db.session.query(CrisisResource).filter_by(name="Samaritans").one()
        samaritans.active = False
        db.session.commit()
    html = client.get("/help/crisis").get_data(as_text=True)
    assert 'https://www.samaritans.org"' not in html
    assert "988" in html


def test_markup_in_a_resource_is_shown_as_text(app, db, client):
    with app.app_context():
        services.ensure_default_resources()
        db.session.add(
            CrisisResource(
                name="<script>alert(1)</script>",
                contact="<img src=x onerror=alert(1)>",
                url="https://example.org/?q=<b>",
                region="<i>UK</i>",
                position=99,
            )
        )
        db.session.commit()
    html = client.get("/help/crisis").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "<i>UK</i>" not in html


def test_admins_see_a_link_to_change_the_resources(make_user, logged_in_client):
    admin = make_user("root", role="admin")
    html = logged_in_client(admin).get("/help/crisis").get_data(as_text=True)
    assert 'href="/admin/crisis-resources"' in html


def test_members_do_not_see_the_admin_link(make_user, logged_in_client):
    member = make_user("sky")
    html = logged_in_client(member).get("/help/crisis").get_data(as_text=True)
    assert "/admin/crisis-resources" not in html


def test_the_lines_for_a_country_put_its_own_first(client):
    """The room's panel asks for these when someone picks another country."""
    answer = client.get("/help/lines?country=GB").get_json()
    assert answer["country"] == "GB"
    names = [line["name"] for line in answer["resources"]]
    assert names[0] == "Samaritans" and "Find A Helpline" in names


def test_unknown_countries_get_the_international_lines(client):
    answer = client.get("/help/lines?country=<b>").get_json()
    assert answer["country"] is None
    assert answer["resources"][0]["name"] == "Find A Helpline"
