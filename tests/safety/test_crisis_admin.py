"""Admins configure crisis resources; nobody else can even see that the page exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.safety import services
from app.safety.models import CrisisResource

GOOD = {
    "name": "Lifeline Australia",
    "contact": "Call 13 11 14, any time",
    "url": "https://www.lifeline.org.au",
    "region": "AU",
}


def _resources(app, db) -> list[CrisisResource]:
    with app.app_context():
        services.ensure_default_resources()
        rows = list(db.session.scalars(select(CrisisResource).order_by(CrisisResource.position)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/crisis-resources")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.post("/admin/crisis-resources", data=GOOD).status_code == 302


@pytest.mark.parametrize("role", ["member", "facilitator", "moderator"])
def test_everyone_but_admins_gets_404(make_user, logged_in_client, app, db, role):
    person = make_user(f"not_admin_{role}", role=role)
    http = logged_in_client(person)
    before = _resources(app, db)
    first = before[0]
    base = f"/admin/crisis-resources/{first.id}"
    assert http.get("/admin/crisis-resources").status_code == 404
    assert http.post("/admin/crisis-resources", data=GOOD).status_code == 404
    assert http.get(base).status_code == 404
    assert http.post(base, data={**GOOD, "active": "y"}).status_code == 404
    assert http.post(f"{base}/move", data={"direction": "down"}).status_code == 404
    assert http.post(f"{base}/visibility", data={"active": "0"}).status_code == 404
    after = _resources(app, db)
    assert [(r.name, r.position, r.active) for r in after] == [
        (r.name, r.position, r.active) for r in before
    ]


def test_services_refuse_non_admins_too(make_user, app, db):
    member = make_user("sky")
    with app.app_context():
        with pytest.raises(NotFound):
            services.add_resource(member, "X", "Y", "", "UK")
        with pytest.raises(NotFound):
            services.resource_for_admin(member, 1)


def test_services_refuse_unsafe_links_even_without_the_form(make_user, app, db):
    admin = make_user("root", role="admin")
    with app.app_context(), pytest.raises(services.ResourceError):
        services.add_resource(admin, "X", "Y", "javascript:alert(1)", "UK")


@pytest.fixture
def admin_http(make_user, logged_in_client):
    """A client logged in as an admin."""
    return logged_in_client(make_user("root", role="admin"))


def test_admin_sees_the_list(admin_http):
    response = admin_http.get("/admin/crisis-resources")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "988 Suicide &amp; Crisis Lifeline" in html
    assert "Add a resource" in html


def test_admin_adds_a_resource_at_the_end(admin_http, app, db, client):
    response = admin_http.post("/admin/crisis-resources", data=GOOD)
    assert response.status_code == 302
    rows = _resources(app, db)
    assert rows[-1].name == "Lifeline Australia"
    assert rows[-1].region == "AU" and rows[-1].active
    assert "13 11 14" in client.get("/help/crisis").get_data(as_text=True)


def test_admin_edits_a_resource(admin_http, app, db):
    first = _resources(app, db)[0]
    data = {**GOOD, "name": "Find A Helpline (directory)", "active": "y"}
    assert admin_http.post(f"/admin/crisis-resources/{first.id}", data=data).status_code == 302
    assert _resources(app, db)[0].name == "Find A Helpline (directory)"


def test_admin_hides_and_shows_a_resource(admin_http, app, db, client):
    samaritans = next(r for r in _resources(app, db) if r.name == "Samaritans")
    path = f"/admin/crisis-resources/{samaritans.id}/visibility"
    assert admin_http.post(path, data={"active": "0"}).status_code == 302
    assert 'https://www.samaritans.org"' not in client.get("/help/crisis").get_data(as_text=True)
    assert admin_http.post(path, data={"active": "1"}).status_code == 302
    assert 'https://www.samaritans.org"' in client.get("/help/crisis").get_data(as_text=True)


def test_admin_reorders_resources(admin_http, app, db):
    names = [r.name for r in _resources(app, db)]
    second = _resources(app, db)[1]
    path = f"/admin/crisis-resources/{second.id}/move"
    assert admin_http.post(path, data={"direction": "up"}).status_code == 302
    assert [r.name for r in _resources(app, db)][:2] == [names[1], names[0]]
    assert admin_http.post(path, data={"direction": "up"}).status_code == 302  # already first
    assert admin_http.post(path, data={"direction": "down"}).status_code == 302
    assert [r.name for r in _resources(app, db)] == names
    assert [r.position for r in _resources(app, db)] == list(range(1, len(names) + 1))


def test_unknown_resource_and_bad_actions_are_refused(admin_http, app, db):
    first = _resources(app, db)[0]
    assert admin_http.get("/admin/crisis-resources/99999").status_code == 404
    move = f"/admin/crisis-resources/{first.id}/move"
    assert admin_http.post(move, data={"direction": "sideways"}).status_code == 400
    visibility = f"/admin/crisis-resources/{first.id}/visibility"
    assert admin_http.post(visibility, data={"active": "maybe"}).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org",
        "//example.org",
        "example.org",
        "https://",
        "https://user:pass@example.org",
        "https://example.org/ path",
        "https://exa\u0000mple.org",
        "https://" + "a" * 300 + ".org",
    ],
)
def test_unsafe_links_are_refused(admin_http, app, db, url):
    before = len(_resources(app, db))
    response = admin_http.post("/admin/crisis-resources", data={**GOOD, "url": url})
    assert response.status_code == 400
    assert len(_resources(app, db)) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 81),
        ("contact", "y" * 161),
        ("region", "z" * 41),
        ("name", "bad\u202ename"),
        ("contact", "two\nlines"),
    ],
)
def test_missing_oversized_and_control_character_values_are_refused(
    admin_http, app, db, field, value
):
    before = len(_resources(app, db))
    response = admin_http.post("/admin/crisis-resources", data={**GOOD, field: value})
    assert response.status_code == 400
    assert len(_resources(app, db)) == before


def test_an_empty_link_is_allowed(admin_http, app, db):
    assert admin_http.post("/admin/crisis-resources", data={**GOOD, "url": ""}).status_code == 302
    assert _resources(app, db)[-1].url == ""


def test_a_duplicate_name_in_one_region_is_a_form_error(admin_http, app, db):
    assert admin_http.post("/admin/crisis-resources", data=GOOD).status_code == 302
    response = admin_http.post("/admin/crisis-resources", data=GOOD)
    assert response.status_code == 400
    assert "already a resource" in response.get_data(as_text=True)


def test_markup_typed_by_an_admin_is_escaped_everywhere(admin_http, client):
    data = {**GOOD, "name": "<script>alert(1)</script>", "contact": "<b>bold</b>"}
    assert admin_http.post("/admin/crisis-resources", data=data).status_code == 302
    for http, path in [(admin_http, "/admin/crisis-resources"), (client, "/help/crisis")]:
        html = http.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html
