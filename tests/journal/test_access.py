"""Nobody but the owner reads a journal: every route for every kind of person."""

from __future__ import annotations

import pytest

from tests.journal.conftest import write_entry

MARKER = "owl-feather-7d1c"
ACTORS = ["owner", "member", "facilitator", "moderator", "admin", "anonymous"]
ENTRY_ROUTES = [
    ("GET", "/journal/{id}"),
    ("GET", "/journal/{id}/edit"),
    ("POST", "/journal/{id}/edit"),
    ("GET", "/journal/{id}/delete"),
    ("POST", "/journal/{id}/delete"),
    ("GET", "/journal/{id}/share"),
    ("POST", "/journal/{id}/share"),
]
OWN_JOURNAL_ROUTES = [
    ("GET", "/journal/"),
    ("GET", "/journal/export"),
    ("GET", "/journal/export.md"),
    ("GET", "/journal/insights"),
    ("GET", "/journal/search"),
    ("POST", "/journal/search"),
    ("GET", "/journal/new"),
    ("GET", "/journal/prompts"),
    ("GET", "/journal/recovery-code"),
]


@pytest.fixture
def world(app, make_user, logged_in_client, make_circle):
    """An owner with a marked entry, a circle they share with a facilitator, and onlookers."""
    owner = make_user("owner")
    facilitator = make_user("facil", role="facilitator")
    make_circle(facilitator, members=[owner])
    people = {
        "owner": owner,
        "member": make_user("other"),
        "facilitator": facilitator,
        "moderator": make_user("moder", role="moderator"),
        "admin": make_user("boss", role="admin"),
    }
    clients = {name: logged_in_client(user) for name, user in people.items()}
    clients["anonymous"] = app.test_client()
    entry_id = write_entry(
        clients["owner"], title=f"Title {MARKER}", body=f"Body {MARKER}", tags=f"tag-{MARKER}"
    )
    return clients, entry_id


def _call(http, method, path):
    data = {"title": "overwrite", "body": "overwrite", "excerpt": "x", "q": "Body", "tag": ""}
    if method == "GET":
        return http.get(path)
    return http.post(path, data=data)


@pytest.mark.parametrize("actor", ACTORS)
def test_entry_routes_answer_only_the_owner(world, actor):
    clients, entry_id = world
    for method, template in ENTRY_ROUTES:
        if actor == "owner" and template.endswith("/delete") and method == "POST":
            continue  # the owner deleting is tested elsewhere; keep the entry for the others
        route = f"{method} {template}"
        response = _call(clients[actor], method, template.format(id=entry_id))
        body = response.get_data(as_text=True)
        if actor == "anonymous":
            assert response.status_code == 302, route
            assert "/auth/login" in response.headers["Location"], route
        elif actor == "owner":
            assert response.status_code in (200, 302, 400), route  # 400: junk form data
        else:
            assert response.status_code == 404, route
            assert MARKER not in body, route
    if actor != "owner":
        page = clients["owner"].get(f"/journal/{entry_id}").get_data(as_text=True)
        assert f"Body {MARKER}" in page, "someone else changed or deleted the entry"


@pytest.mark.parametrize("actor", ACTORS)
def test_journal_wide_routes_show_only_my_own_journal(world, actor):
    clients, _ = world
    for method, path in OWN_JOURNAL_ROUTES:
        route = f"{method} {path}"
        response = _call(clients[actor], method, path)
        body = response.get_data(as_text=True)
        if actor == "anonymous":
            assert response.status_code == 302, route
            assert "/auth/login" in response.headers["Location"], route
            continue
        assert response.status_code == 200, route
        if actor != "owner":
            assert MARKER not in body, route
        elif path in ("/journal/", "/journal/export", "/journal/export.md", "/journal/search"):
            assert MARKER in body, route


def test_export_for_someone_else_is_their_own_empty_journal(world):
    clients, _ = world
    document = clients["admin"].get("/journal/export").get_json()
    assert document["entries"] == []
    assert document["username"] == "boss"
