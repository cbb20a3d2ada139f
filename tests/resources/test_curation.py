"""Curating the global library: moderators and admins only, every form input handled calmly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.resources.models import Resource
from tests.resources.html_safety import XSS_CORPUS, assert_safe_page

GOOD = {
    "title": "Sitting with grief",
    "slug": "",
    "summary": "A few words for the weeks after a loss.",
    "category": "everyday",
    "kind": "article",
    "url": "",
    "body_markdown": "## Be gentle\n\nGrief comes in *waves*. " + "word " * 450,
    "position": "5",
}


def _resources(app, db) -> list[Resource]:
    with app.app_context():
        rows = db.session.scalars(select(Resource).order_by(Resource.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _count(app, db) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Resource.id)))


@pytest.fixture
def curator(make_user, logged_in_client):
    """A logged-in site moderator."""
    return logged_in_client(make_user("harbor", role="moderator"))


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_curation_pages_do_not_exist_for_others(app, db, make_user, logged_in_client, role):
    with app.app_context():
        db.session.add(Resource(slug="kept", title="Kept", body_markdown="x", category="everyday"))
        db.session.commit()
        resource_id = db.session.scalar(select(Resource.id))
    client = logged_in_client(make_user("sky", role=role))
    assert client.get("/resources/manage").status_code == 404
    assert client.post("/resources/manage", data=GOOD).status_code == 404
    assert client.get(f"/resources/manage/{resource_id}/edit").status_code == 404
    assert client.post(f"/resources/manage/{resource_id}/edit", data=GOOD).status_code == 404
    assert client.post(f"/resources/manage/{resource_id}/delete").status_code == 404
    assert _count(app, db) == 1
    assert "Curate the library" not in client.get("/resources").get_data(as_text=True)


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/resources/manage").status_code == 302


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_add_articles(app, db, make_user, logged_in_client, role):
    client = logged_in_client(make_user("curator", role=role))
    response = client.post("/resources/manage", data=GOOD)
    assert response.status_code == 302
    (resource,) = _resources(app, db)
    assert resource.slug == "sitting-with-grief"
    assert resource.circle_id is None
    assert resource.reading_minutes == 3
    html = client.get("/resources/sitting-with-grief").get_data(as_text=True)
    assert "<h2>Be gentle</h2>" in html and "<em>waves</em>" in html
    assert "3 min read" in html


def test_curator_adds_a_link_resource(app, db, curator):
    data = dict(GOOD, kind="link", url="https://example.org/grief", body_markdown="")
    assert curator.post("/resources/manage", data=data).status_code == 302
    (resource,) = _resources(app, db)
    assert resource.url == "https://example.org/grief"
    html = curator.get(f"/resources/{resource.slug}").get_data(as_text=True)
    assert 'href="https://example.org/grief"' in html
    assert 'rel="noopener noreferrer"' in html and "external" in html


def test_curator_edits_and_renames(app, db, curator):
    curator.post("/resources/manage", data=GOOD)
    (resource,) = _resources(app, db)
    data = dict(GOOD, title="Grief, gently", slug="grief-gently", body_markdown="Short now.")
    response = curator.post(f"/resources/manage/{resource.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/resources/grief-gently")
    (edited,) = _resources(app, db)
    assert (edited.title, edited.slug, edited.reading_minutes) == (
        "Grief, gently",
        "grief-gently",
        1,
    )
    assert curator.get("/resources/sitting-with-grief").status_code == 404


def test_a_taken_slug_is_a_form_error(app, db, curator):
    curator.post("/resources/manage", data=GOOD)
    response = curator.post("/resources/manage", data=dict(GOOD, slug="sitting-with-grief"))
    assert response.status_code == 400
    assert "already uses that address" in response.get_data(as_text=True)
    assert _count(app, db) == 1


def test_curator_deletes(app, db, curator):
    curator.post("/resources/manage", data=GOOD)
    (resource,) = _resources(app, db)
    assert curator.post(f"/resources/manage/{resource.id}/delete").status_code == 302
    assert _count(app, db) == 0


def test_circle_resources_cannot_be_curated_through_the_library(
    app, db, curator, make_user, make_circle
):
    river = make_user("river")
    circle = make_circle(river)
    with app.app_context():
        db.session.add(
            Resource(slug="c-note", title="Note", body_markdown="x", circle_id=circle.id)
        )
        db.session.commit()
        resource_id = db.session.scalar(select(Resource.id))
    assert curator.get(f"/resources/manage/{resource_id}/edit").status_code == 404
    assert curator.post(f"/resources/manage/{resource_id}/delete").status_code == 404
    assert curator.get("/resources/c-note").status_code == 404
    assert curator.get("/resources/manage/999999/edit").status_code == 404


@pytest.mark.parametrize("field", [f for f in GOOD if f not in ("slug", "url", "position")])
def test_missing_fields_are_form_errors(app, db, curator, field):
    data = {key: value for key, value in GOOD.items() if key != field}
    assert curator.post("/resources/manage", data=data).status_code == 400
    assert _count(app, db) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "x" * 121},
        {"title": "two\nlines"},
        {"title": "nul\x00byte"},
        {"summary": "s" * 301},
        {"body_markdown": "b" * 20_001},
        {"body_markdown": "bidi \u202e override"},
        {"body_markdown": "   "},
        {"slug": "Not A Slug"},
        {"slug": "../../etc"},
        {"slug": "s" * 81},
        {"category": "nowhere"},
        {"kind": "script"},
        {"position": "-1"},
        {"position": "lots"},
        {"position": "9" * 40},
        {"kind": "link", "url": ""},
        {"kind": "link", "url": "javascript:alert(1)"},
        {"kind": "link", "url": "JavaScript:alert(1)"},
        {"kind": "link", "url": "data:text/html,<script>alert(1)</script>"},
        {"kind": "link", "url": "vbscript:msgbox(1)"},
        {"kind": "link", "url": "https://exa mple.org"},
        {"kind": "link", "url": "https://"},
        {"kind": "link", "url": "//example.org"},
        {"kind": "link", "url": "https://[::1"},
        {"kind": "link", "url": "https://example.org/" + "p" * 500},
    ],
)
def test_bad_values_are_form_errors_not_crashes(app, db, curator, changes):
    response = curator.post("/resources/manage", data=dict(GOOD, **changes))
    assert response.status_code == 400
    assert_safe_page(response.get_data(as_text=True))
    assert _count(app, db) == 0


def test_repeated_fields_and_json_bodies_are_refused(app, db, curator):
    assert curator.post("/resources/manage", json=GOOD).status_code == 400
    repeated = MultiDict([*GOOD.items(), ("category", "practice"), ("title", "Another")])
    assert curator.post("/resources/manage", data=repeated).status_code in (302, 400)
    assert _count(app, db) <= 1


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_article_text_is_safe_on_every_page(app, db, curator, source):
    data = dict(GOOD, title=f"T {source[:60]}".replace("\n", " "), summary=source[:200])
    data["summary"] = data["summary"].replace("\n", " ")
    data["body_markdown"] = f"Before\n\n{source}\n\nAfter"
    response = curator.post("/resources/manage", data=data)
    if response.status_code == 400:  # control characters in a single-line field are refused
        assert_safe_page(response.get_data(as_text=True))
        return
    (resource,) = _resources(app, db)
    for path in (
        f"/resources/{resource.slug}",
        "/resources",
        "/resources?q=T",
        "/resources/manage",
        f"/resources/manage/{resource.id}/edit",
    ):
        page = curator.get(path)
        assert page.status_code == 200, path
        assert_safe_page(page.get_data(as_text=True))
