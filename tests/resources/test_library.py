"""The library: our own articles, the idempotent loader, browsing, search and reading."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.resources.library import (
    LIBRARY_DIR,
    LibraryError,
    load_library,
    parse_article,
    read_library,
)
from app.resources.models import CATEGORIES, Resource, reading_minutes_for
from tests.resources.html_safety import assert_safe_page

TOPICS = {
    "a-release-session-step-by-step",
    "breathing-with-a-longer-out-breath",
    "healing-tears-and-when-its-too-much",
    "when-to-reach-for-more-support",
    "the-old-rules-about-tears",
    "when-your-child-cries",
    "practices-that-go-well-with-release",
    "a-gentle-week",
    "why-emotional-tears-are-different",
}


def _count(app, db) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Resource.id)))


def test_every_topic_has_an_article_of_a_readable_length():
    articles = read_library()
    assert {article.slug for article in articles} == TOPICS
    for article in articles:
        words = len(re.findall(r"\w+(?:['\u2019-]\w+)*", article.body))
        assert 250 <= words <= 600, (article.slug, words)
        assert article.category in CATEGORIES
        assert article.title and article.summary


def test_article_slugs_and_titles_are_unique():
    articles = read_library()
    assert len({a.slug for a in articles}) == len(articles)
    assert len({a.title for a in articles}) == len(articles)


def test_links_between_articles_point_at_real_articles():
    slugs = {article.slug for article in read_library()}
    for article in read_library():
        for target in re.findall(r"\]\(/resources/([a-z0-9-]+)\)", article.body):
            assert target in slugs, (article.slug, target)


def test_when_to_seek_support_points_to_crisis_help():
    article = next(a for a in read_library() if a.slug == "when-to-reach-for-more-support")
    assert "](/help/crisis)" in article.body


@pytest.mark.parametrize(
    "text",
    [
        "no header at all",
        "---\ntitle: x\n",
        "---\ntitle: x\nslug: x\ncategory: practice\n---\nbody",
        "---\ntitle: x\nslug: x\ncategory: nowhere\nsummary: s\n---\nbody",
        "---\ntitle: x\nslug: Not A Slug\ncategory: practice\nsummary: s\n---\nbody",
        "---\njust words\n---\nbody",
    ],
)
def test_malformed_library_files_are_refused_with_a_reason(text):
    with pytest.raises(LibraryError):
        parse_article(text, "bad.md")


def test_loading_twice_never_duplicates(app, db):
    with app.app_context():
        first = load_library()
        second = load_library()
    assert len(first.created) == len(TOPICS)
    assert second.created == [] and second.updated == []
    assert len(second.unchanged) == len(TOPICS)
    assert _count(app, db) == len(TOPICS)


def test_loading_restores_an_article_changed_in_the_database(app, db, library):
    with app.app_context():
        resource = db.session.scalar(select(Resource).where(Resource.slug == "a-gentle-week"))
        resource.title = "Something else"
        db.session.commit()
        report = load_library()
        assert report.updated == ["a-gentle-week"]
        assert db.session.get(Resource, resource.id).title.startswith("A gentle week")
    assert _count(app, db) == len(TOPICS)


def test_every_article_is_stored_with_its_reading_time(app, db, library):
    with app.app_context():
        resources = db.session.scalars(select(Resource)).all()
        assert {r.slug for r in resources} == TOPICS
        for resource in resources:
            assert resource.circle_id is None and resource.kind == "article"
            assert resource.reading_minutes == reading_minutes_for(resource.body_markdown)
            assert 2 <= resource.reading_minutes <= 3


def test_reading_time_rounds_up_and_is_never_zero():
    assert reading_minutes_for("") == 1
    assert reading_minutes_for("word " * 200) == 1
    assert reading_minutes_for("word " * 201) == 2


def test_cli_loads_the_library_idempotently(app, db, runner):
    first = runner.invoke(args=["resources", "load"])
    second = runner.invoke(args=["resources", "load"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert f"{len(TOPICS)} added" in first.output
    assert "0 added, 0 updated" in second.output
    assert _count(app, db) == len(TOPICS)


def test_demo_seed_loads_the_library(app, db, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert _count(app, db) == len(TOPICS)


def test_the_library_folder_holds_only_articles():
    assert sorted(p.suffix for p in LIBRARY_DIR.iterdir() if p.is_file()) == [".md"] * len(TOPICS)


def test_the_library_needs_a_login(client):
    response = client.get("/resources")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.get("/resources/a-gentle-week").status_code == 302


def test_a_fresh_library_fills_itself_on_first_visit(app, db, make_user, logged_in_client):
    client = logged_in_client(make_user("sky"))
    html = client.get("/resources").get_data(as_text=True)
    assert _count(app, db) == len(TOPICS)
    for label in CATEGORIES.values():
        assert label in html
    assert html.count("min read") == len(TOPICS)


def test_without_autoload_an_empty_library_says_so(app_config, make_user, app, logged_in_client):
    app.config["RESOURCES_AUTOLOAD"] = False
    html = logged_in_client(make_user("sky")).get("/resources").get_data(as_text=True)
    assert "The library is empty for now." in html


@pytest.fixture
def member_client(make_user, logged_in_client, library):
    """A logged-in member with the library loaded."""
    return logged_in_client(make_user("sky"))


@pytest.mark.parametrize("query", ["exhale", "EXHALE", "Exhale"])
def test_search_is_case_insensitive_and_reads_the_body(member_client, query):
    html = member_client.get(f"/resources?q={query}").get_data(as_text=True)
    assert "Breathing with a longer out-breath" in html
    assert "The old rules about tears" not in html


def test_search_reads_titles_and_summaries(member_client):
    html = member_client.get("/resources?q=gentle+week").get_data(as_text=True)
    assert "A gentle week, if a shape helps" in html


def test_category_filter_shows_only_that_category(member_client):
    html = member_client.get("/resources?category=safety-support").get_data(as_text=True)
    assert "Healing tears, and when it&#39;s too much" in html
    assert "When to reach for more support" in html
    assert "A gentle week" not in html
    assert "2 resources" in html


def test_search_and_category_combine(member_client):
    html = member_client.get("/resources?q=child&category=everyday").get_data(as_text=True)
    assert "When your child cries" in html
    assert "Why emotional tears are different" not in html


def test_search_with_no_match_is_kind(member_client):
    html = member_client.get("/resources?q=zzzxqq").get_data(as_text=True)
    assert "Nothing found" in html and "browse the whole library" in html


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "\\"])
def test_search_wildcards_are_literal(member_client, wildcard):
    html = member_client.get("/resources", query_string={"q": wildcard}).get_data(as_text=True)
    assert "min read" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"category": "nowhere"},
        {"category": "<script>alert(1)</script>"},
        {"q": "x" * 500},
        {"q": "bad\x00byte"},
        {"q": "bidi\u202eflip"},
    ],
)
def test_bad_search_input_is_a_400_with_the_page(member_client, params):
    response = member_client.get("/resources", query_string=params)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert_safe_page(html)


def test_hostile_search_text_is_escaped(member_client):
    response = member_client.get("/resources", query_string={"q": "<img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.get_data(as_text=True)
    assert_safe_page(response.get_data(as_text=True))


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_every_article_reads_well_on_its_page(member_client, slug):
    response = member_client.get(f"/resources/{slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "min read" in html and "<h2>" in html
    assert_safe_page(html)


def test_unknown_article_is_404(member_client):
    assert member_client.get("/resources/no-such-article").status_code == 404
    for odd in ("%E2%80%AE", "UPPER", "x" * 200, "a--b", "%27%20OR%201%3D1"):
        assert member_client.get(f"/resources/{odd}").status_code == 404, odd
    for nul in ("%00", "a%00b"):  # refused for every URL before routing
        assert member_client.get(f"/resources/{nul}").status_code == 400, nul
