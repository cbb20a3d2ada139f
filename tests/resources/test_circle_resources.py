"""Circle resources: only members see them; only the circle's facilitators and moderators curate."""

from __future__ import annotations

import pytest
from flask import render_template
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from app.resources import circle as circle_resources
from app.resources.models import Resource
from tests.resources.html_safety import XSS_CORPUS, assert_safe_html, assert_safe_page

LINK = {"kind": "link", "title": "Breathing audio", "url": "https://example.org/breath", "body": ""}
NOTE = {"kind": "note", "title": "Before Thursday", "url": "", "body": "Bring a *blanket*."}


@pytest.fixture
def people(make_user):
    """A facilitator, a member, an outsider, a pending and a banned person, and a moderator."""
    return {
        "river": make_user("river", role="facilitator"),
        "sky": make_user("sky"),
        "wren": make_user("wren"),
        "pending": make_user("pending"),
        "banned": make_user("banned"),
        "harbor": make_user("harbor", role="moderator"),
        "other_facilitator": make_user("otherfac", role="facilitator"),
    }


@pytest.fixture
def circle(make_circle, people):
    """A public circle held by river, with sky as a member."""
    return make_circle(
        people["river"], [people["sky"]], pending=[people["pending"]], banned=[people["banned"]]
    )


@pytest.fixture
def other_circle(make_circle, people):
    """Another circle, held by someone else."""
    return make_circle(people["other_facilitator"], name="Morning")


def _pinned(app, db, circle_id) -> list[Resource]:
    with app.app_context():
        rows = db.session.scalars(
            select(Resource).where(Resource.circle_id == circle_id).order_by(Resource.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _count(app, db) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Resource.id)))


def _pin(client, circle_id, data):
    return client.post(f"/circles/{circle_id}/resources/new", data=data)


def test_facilitator_pins_a_link_and_a_note_that_members_see(
    app, db, people, circle, logged_in_client
):
    river = logged_in_client(people["river"])
    assert _pin(river, circle.id, LINK).status_code == 302
    assert _pin(river, circle.id, NOTE).status_code == 302
    link, note = _pinned(app, db, circle.id)
    assert (link.kind, link.url, link.pinned_by_id) == ("link", LINK["url"], people["river"].id)
    assert (note.kind, note.url) == ("note", None)

    html = logged_in_client(people["sky"]).get(f"/circles/{circle.id}/resources").text
    assert 'href="https://example.org/breath"' in html
    assert 'rel="noopener noreferrer"' in html and 'class="external"' in html
    assert "Bring a <em>blanket</em>." in html
    assert "Unpin" not in html and "Pin it" not in html


@pytest.mark.parametrize("who", ["wren", "pending", "banned"])
def test_people_outside_the_circle_get_404(people, circle, logged_in_client, who):
    client = logged_in_client(people[who])
    assert client.get(f"/circles/{circle.id}/resources").status_code == 404
    assert _pin(client, circle.id, NOTE).status_code == 404


def test_members_of_a_private_circle_only(make_circle, people, logged_in_client):
    private = make_circle(people["river"], [people["sky"]], public=False)
    assert (
        logged_in_client(people["sky"]).get(f"/circles/{private.id}/resources").status_code == 200
    )
    assert (
        logged_in_client(people["wren"]).get(f"/circles/{private.id}/resources").status_code == 404
    )


def test_unknown_circle_is_404(people, logged_in_client):
    assert logged_in_client(people["sky"]).get("/circles/999999/resources").status_code == 404


def test_visitors_are_sent_to_log_in(client, circle):
    assert client.get(f"/circles/{circle.id}/resources").status_code == 302
    assert client.post(f"/circles/{circle.id}/resources/new", data=NOTE).status_code == 302


def test_members_cannot_pin_or_unpin(app, db, people, circle, logged_in_client):
    _pin(logged_in_client(people["river"]), circle.id, NOTE)
    (note,) = _pinned(app, db, circle.id)
    sky = logged_in_client(people["sky"])
    assert _pin(sky, circle.id, LINK).status_code == 404
    assert _pin(sky, circle.id, {"kind": "nope"}).status_code == 404
    assert sky.post(f"/circles/{circle.id}/resources/{note.id}/unpin").status_code == 404
    assert len(_pinned(app, db, circle.id)) == 1


def test_a_facilitator_of_another_circle_cannot_pin_here(
    app, db, people, circle, other_circle, logged_in_client
):
    client = logged_in_client(people["other_facilitator"])
    assert client.get(f"/circles/{circle.id}/resources").status_code == 404
    assert _pin(client, circle.id, NOTE).status_code == 404
    assert _count(app, db) == 0


def test_site_moderators_see_and_curate_any_circle(app, db, people, circle, logged_in_client):
    harbor = logged_in_client(people["harbor"])
    assert harbor.get(f"/circles/{circle.id}/resources").status_code == 200
    assert _pin(harbor, circle.id, NOTE).status_code == 302
    (note,) = _pinned(app, db, circle.id)
    assert harbor.post(f"/circles/{circle.id}/resources/{note.id}/unpin").status_code == 302
    assert _pinned(app, db, circle.id) == []


def test_facilitator_unpins(app, db, people, circle, logged_in_client):
    river = logged_in_client(people["river"])
    _pin(river, circle.id, NOTE)
    (note,) = _pinned(app, db, circle.id)
    response = river.post(f"/circles/{circle.id}/resources/{note.id}/unpin")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/circles/{circle.id}/resources")
    assert _pinned(app, db, circle.id) == []
    assert river.post(f"/circles/{circle.id}/resources/{note.id}/unpin").status_code == 404


def test_unpinning_another_circles_resource_through_mine_is_404(
    app, db, people, circle, other_circle, logged_in_client
):
    _pin(logged_in_client(people["other_facilitator"]), other_circle.id, NOTE)
    (theirs,) = _pinned(app, db, other_circle.id)
    river = logged_in_client(people["river"])
    assert river.post(f"/circles/{circle.id}/resources/{theirs.id}/unpin").status_code == 404
    assert len(_pinned(app, db, other_circle.id)) == 1


def test_library_articles_cannot_be_unpinned_as_circle_resources(
    app, db, people, circle, library, logged_in_client
):
    with app.app_context():
        article_id = db.session.scalar(select(Resource.id).limit(1))
    river = logged_in_client(people["river"])
    assert river.post(f"/circles/{circle.id}/resources/{article_id}/unpin").status_code == 404


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/circles/1", "/circles/1"), ("//evil.example", None), ("https://evil.example", None)],
)
def test_unpin_returns_only_to_same_site_pages(
    app, db, people, circle, logged_in_client, target, expected
):
    river = logged_in_client(people["river"])
    _pin(river, circle.id, NOTE)
    (note,) = _pinned(app, db, circle.id)
    response = river.post(f"/circles/{circle.id}/resources/{note.id}/unpin", data={"next": target})
    location = response.headers["Location"]
    assert location.endswith(expected or f"/circles/{circle.id}/resources")
    assert "evil" not in location


def test_circle_resources_never_open_as_library_articles(app, db, people, circle, logged_in_client):
    river = logged_in_client(people["river"])
    _pin(river, circle.id, NOTE)
    (note,) = _pinned(app, db, circle.id)
    assert river.get(f"/resources/{note.slug}").status_code == 404
    assert "Before Thursday" not in river.get("/resources?q=Thursday").text


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "t" * 121},
        {"title": "line\nbreak"},
        {"title": "nul\x00"},
        {"kind": ""},
        {"kind": "article"},
        {"kind": "<script>"},
        {"kind": "note", "body": ""},
        {"kind": "note", "body": "n" * 2001},
        {"kind": "note", "body": "bidi \u202e"},
        {"kind": "link", "url": ""},
        {"kind": "link", "url": "javascript:alert(1)"},
        {"kind": "link", "url": " javascript:alert(1)"},
        {"kind": "link", "url": "JAVASCRIPT:alert(1)"},
        {"kind": "link", "url": "java\tscript:alert(1)"},
        {"kind": "link", "url": "data:text/html;base64,PHNjcmlwdD4="},
        {"kind": "link", "url": "vbscript:msgbox(1)"},
        {"kind": "link", "url": "ftp://example.org/x"},
        {"kind": "link", "url": "/relative/only"},
        {"kind": "link", "url": "https://"},
        {"kind": "link", "url": "http://exa mple.org"},
        {"kind": "link", "url": "https://example.org/" + "a" * 600},
        {"kind": "link", "body": "b" * 301},
    ],
)
def test_bad_pins_are_form_errors_never_crashes(app, db, people, circle, logged_in_client, changes):
    river = logged_in_client(people["river"])
    base = LINK if changes.get("kind") == "link" else NOTE
    response = _pin(river, circle.id, dict(base, **changes))
    assert response.status_code == 400
    assert_safe_page(response.text)
    assert _count(app, db) == 0


def test_a_json_body_is_refused(app, db, people, circle, logged_in_client):
    assert _pin(logged_in_client(people["river"]), circle.id, None).status_code == 400
    response = logged_in_client(people["river"]).post(
        f"/circles/{circle.id}/resources/new", json=NOTE
    )
    assert response.status_code == 400
    assert _count(app, db) == 0


def test_a_full_shelf_says_so(app, db, people, circle, logged_in_client, monkeypatch):
    monkeypatch.setattr(circle_resources, "MAX_PINNED_PER_CIRCLE", 2)
    river = logged_in_client(people["river"])
    assert _pin(river, circle.id, NOTE).status_code == 302
    assert _pin(river, circle.id, LINK).status_code == 302
    response = _pin(river, circle.id, NOTE)
    assert response.status_code == 400
    assert "unpin one first" in response.text


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_notes_and_titles_are_safe_where_they_appear(
    app, db, people, circle, logged_in_client, source
):
    river = logged_in_client(people["river"])
    title = f"N {source}".replace("\n", " ")[:120]
    response = _pin(river, circle.id, dict(NOTE, title=title, body=f"Hi\n\n{source}"))
    if response.status_code == 400:  # control characters in the title are refused
        assert_safe_page(response.text)
        return
    for client in (river, logged_in_client(people["sky"])):
        page = client.get(f"/circles/{circle.id}/resources")
        assert page.status_code == 200
        assert_safe_page(page.text)


def test_service_lists_for_members_and_refuses_outsiders(app, db, people, circle, logged_in_client):
    _pin(logged_in_client(people["river"]), circle.id, NOTE)
    with app.app_context():
        sky = db.session.get(type(people["sky"]), people["sky"].id)
        wren = db.session.get(type(people["wren"]), people["wren"].id)
        assert [r.title for r in circle_resources.resources_for_circle(sky, circle.id)] == [
            "Before Thursday"
        ]
        panel = circle_resources.circle_resources_panel(sky, circle.id)
        assert panel.can_manage is False and len(panel.resources) == 1
        with pytest.raises(NotFound):
            circle_resources.resources_for_circle(wren, circle.id)
        with pytest.raises(NotFound):
            circle_resources.pin_resource(sky, circle.id, "note", "x", body="y")


@pytest.mark.parametrize("can_manage", [True, False])
def test_the_include_shows_unpin_only_to_curators(
    app, db, people, circle, logged_in_client, can_manage
):
    _pin(logged_in_client(people["river"]), circle.id, LINK)
    _pin(logged_in_client(people["river"]), circle.id, dict(NOTE, body="<script>x</script> *ok*"))
    resources = _pinned(app, db, circle.id)
    with app.test_request_context():
        html = render_template(
            "resources/_circle_resources.html",
            resources=resources,
            can_manage=can_manage,
            circle_id=circle.id,
            next=f"/sessions/{circle.id}",
        )
    assert_safe_html(html)
    assert "<em>ok</em>" in html
    assert ("Unpin" in html) is can_manage
    assert ("Pin a link or a note" in html) is can_manage
    assert (f'value="/sessions/{circle.id}"' in html) is can_manage


def test_the_include_is_calm_when_nothing_is_pinned(app):
    with app.test_request_context():
        html = render_template("resources/_circle_resources.html", resources=[], can_manage=False)
    assert "Nothing is pinned yet." in html
