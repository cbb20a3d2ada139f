"""Admins manage site roles on the web; everyone else gets 404; every change is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User


@pytest.fixture
def admin_client(make_user, logged_in_client):
    """An admin, logged in."""
    admin = make_user("keeper", role="admin")
    return admin, logged_in_client(admin)


@pytest.mark.parametrize("role", ["member", "facilitator", "moderator"])
def test_people_page_is_404_for_everyone_but_admins(make_user, logged_in_client, role):
    person = make_user(f"not_admin_{role}", role=role)
    http = logged_in_client(person)
    assert http.get("/admin/users").status_code == 404
    assert http.post(f"/admin/users/{person.id}/role", data={"role": "admin"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_finds_people_and_changes_a_role_with_an_audit_entry(
    app, db, make_user, admin_client
):
    admin, http = admin_client
    river = make_user("river", display_name="<b>River</b>")
    page = http.get("/admin/users?q=RIV").get_data(as_text=True)
    assert "&lt;b&gt;River&lt;/b&gt;" in page and "keeper" not in page.split("<tbody>")[1]
    response = http.post(f"/admin/users/{river.id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, river.id).role == "moderator"
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.actor_id, entry.action, entry.target_user_id) == (
            admin.id,
            "user:set-role",
            river.id,
        )
        assert entry.detail == "member -> moderator"


def test_the_last_admin_cannot_step_down(app, db, admin_client):
    admin, http = admin_client
    http.post(f"/admin/users/{admin.id}/role", data={"role": "member"})
    with app.app_context():
        assert db.session.get(User, admin.id).role == "admin"
        assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/users/{id}/role", {"role": "overlord"}),
        ("/admin/users/{id}/role", {}),
        ("/admin/users/999999/role", {"role": "member"}),
    ],
)
def test_bad_role_changes_change_nothing(app, db, make_user, admin_client, path, data):
    _, http = admin_client
    person = make_user("someone")
    response = http.post(path.format(id=person.id), data=data)
    assert response.status_code in (302, 303, 404)
    with app.app_context():
        assert db.session.get(User, person.id).role == "member"


@pytest.mark.parametrize("query", ["x" * 41, "%", "_", "a\\b"])
def test_odd_searches_never_break(admin_client, query):
    _, http = admin_client
    assert http.get("/admin/users", query_string={"q": query}).status_code in (200, 400)
