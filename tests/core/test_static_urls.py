"""Versioned static URLs: long-cached, changed by any edit under static/, served by the app too."""

from __future__ import annotations

import re
import shutil

import pytest

from app.core import static_urls

VERSIONED = re.compile(r'"(/static/v/[0-9a-f]+/css/holdspace\.css)"')


def test_pages_link_versioned_files_that_the_app_serves_for_a_year(client):
    page = client.get("/about/privacy").get_data(as_text=True)
    url = VERSIONED.search(page).group(1)
    assert "/static/css/" not in page
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.content_type.startswith("text/css")


def test_a_version_that_is_not_current_is_served_but_not_kept(client):
    answer = client.get("/static/v/0123456789ab/css/holdspace.css")
    assert answer.status_code == 200
    assert "immutable" not in answer.headers["Cache-Control"]
    assert "no-cache" in answer.headers["Cache-Control"]


def test_plain_static_urls_still_work_in_development(client):
    assert client.get("/static/js/room.js").status_code == 200


def test_nothing_outside_static_is_served(client):
    assert client.get("/static/v/abc/../../app/config.py").status_code == 404
    assert client.get("/static/v/abc/%2e%2e/%2e%2e/pyproject.toml").status_code == 404


@pytest.fixture
def static_copy(app, tmp_path):
    """A copy of static/ that the app serves for this test, looked at on every page."""
    folder, original = tmp_path / "static", app.static_folder
    shutil.copytree(original, folder)
    app.static_folder = str(folder)
    app.config["STATIC_RECHECK_SECONDS"] = 0
    yield folder
    app.static_folder = original


def test_any_edit_under_static_changes_the_version(app, static_copy):
    folder = static_copy
    with app.test_request_context():
        before = static_urls.static_version()
    with app.test_request_context():
        assert static_urls.static_version() == before  # stable while nothing changes
        (folder / "js" / "room.js").write_text("// changed\n")
        assert static_urls.static_version() == before  # one page never mixes two versions
    with app.test_request_context():  # the next page has the new version
        after = static_urls.static_version()
        assert after != before
        assert static_urls.static_url("js/room.js") == f"/static/v/{after}/js/room.js"


def test_a_dangling_link_under_static_is_passed_over(app, static_copy):
    """An editor's lock file (a link to nowhere) must not break every page."""
    folder = static_copy
    with app.test_request_context():
        before = static_urls.static_version()
    (folder / "js" / ".#room.js").symlink_to(folder / "nowhere")
    with app.test_request_context():
        assert static_urls.static_version() == before


def test_static_is_looked_at_once_per_recheck_window_not_on_every_page(app, static_copy):
    """Walking static/ on every page cost each page about 0.4 ms; a release never edits it."""
    app.config["STATIC_RECHECK_SECONDS"] = 3600
    with app.test_request_context():
        before = static_urls.static_version()
    (static_copy / "js" / "room.js").write_text("// changed\n")
    with app.test_request_context():
        assert static_urls.static_version() == before  # inside the window: not looked at
    app.config["STATIC_RECHECK_SECONDS"] = 0
    with app.test_request_context():
        assert static_urls.static_version() != before
