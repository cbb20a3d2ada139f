"""Writing, reading, editing and deleting entries through the real forms."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.journal.models import JournalEntry
from tests.journal.conftest import write_entry


@pytest.fixture
def sky_client(make_user, logged_in_client):
    """A member, logged in (which unlocks the journal for this login)."""
    return logged_in_client(make_user("sky"))


def test_new_entry_redirects_to_the_entry_and_shows_it(sky_client):
    entry_id = write_entry(
        sky_client, title="After the circle", body="I *cried* and felt lighter.", tags="circle,rain"
    )
    page = sky_client.get(f"/journal/{entry_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "After the circle" in html
    assert "<em>cried</em>" in html
    assert "#circle" in html and "#rain" in html
    assert "3 of 5" in html


def test_mood_is_optional_and_feelings_are_kept(sky_client):
    entry_id = write_entry(sky_client, mood="", feelings=["calmer", "tender"])
    html = sky_client.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "calmer, tender" in html
    assert "of 5" not in html


def test_journal_pages_are_never_cached(sky_client):
    entry_id = write_entry(sky_client)
    for path in ("/journal/", f"/journal/{entry_id}", "/journal/export", "/journal/insights"):
        response = sky_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_entry_list_paginates(app, sky_client):
    from app.journal import services

    for number in range(25):
        write_entry(sky_client, title=f"Entry number {number:02d}")
    first = sky_client.get("/journal/").get_data(as_text=True)
    second = sky_client.get("/journal/?page=2").get_data(as_text=True)
    assert services.PER_PAGE == 20  # the page size this test assumes
    assert "25 entries" in first
    assert "Entry number 24" in first and "Entry number 05" in first
    assert "Entry number 04" not in first
    assert "Entry number 04" in second and "Entry number 00" in second
    assert "Entry number 05" not in second


def test_edit_reencrypts_and_keeps_the_prompt(app, db, sky_client):
    entry_id = write_entry(sky_client, body="first words", prompt="after-1")
    with app.app_context():
        before = db.session.get(JournalEntry, entry_id).body
    response = sky_client.post(
        f"/journal/{entry_id}/edit",
        data={"title": "Changed", "body": "second words", "mood": "4", "tags": "x"},
    )
    assert response.status_code == 302
    with app.app_context():
        after = db.session.get(JournalEntry, entry_id).body
    assert before != after
    html = sky_client.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "second words" in html and "first words" not in html
    assert "How does my body feel now" in html  # the prompt is kept


def test_edit_form_is_prefilled(sky_client):
    entry_id = write_entry(sky_client, title="Prefill me", body="Body to edit", tags="a, b")
    html = sky_client.get(f"/journal/{entry_id}/edit").get_data(as_text=True)
    assert 'value="Prefill me"' in html
    assert "Body to edit</textarea>" in html
    assert 'value="a, b"' in html


def test_delete_asks_then_deletes(app, db, sky_client):
    entry_id = write_entry(sky_client, title="To let go")
    assert "Delete “To let go”?" in sky_client.get(f"/journal/{entry_id}/delete").get_data(
        as_text=True
    )
    assert sky_client.post(f"/journal/{entry_id}/delete").status_code == 302
    assert sky_client.get(f"/journal/{entry_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(JournalEntry)) is None


def test_write_from_a_prompt(sky_client):
    prompts = sky_client.get("/journal/prompts").get_data(as_text=True)
    assert "Write from this prompt" in prompts
    for heading in ("Before a release session", "After a release session", "Gratitude"):
        assert heading in prompts
    form = sky_client.get("/journal/new?prompt=gratitude-1").get_data(as_text=True)
    assert "What small thing steadied me today?" in form
    entry_id = write_entry(sky_client, prompt="gratitude-1", body="The kettle.")
    html = sky_client.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "What small thing steadied me today?" in html


def test_export_json_holds_every_field(sky_client):
    write_entry(sky_client, title="One", body="first", tags="t1", feelings=["numb"])
    write_entry(sky_client, title="Two", body="second", mood="5")
    response = sky_client.get("/journal/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert [e["title"] for e in document["entries"]] == ["One", "Two"]
    first = document["entries"][0]
    assert first["body"] == "first" and first["tags"] == ["t1"] and first["feelings"] == ["numb"]
    assert document["entries"][1]["mood"] == 5


def test_export_markdown_archive(sky_client):
    write_entry(sky_client, title="Rain", body="It rained and I let it.", tags="weather")
    response = sky_client.get("/journal/export.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "## Rain" in text and "It rained and I let it." in text and "tags: weather" in text


BAD_ENTRIES = [
    {"title": "x", "body": ""},
    {"title": "x" * 121, "body": "ok"},
    {"title": "bad\x00title", "body": "ok"},
    {"title": "line\nbreak", "body": "ok"},
    {"body": "ok", "mood": "7"},
    {"body": "ok", "mood": "0"},
    {"body": "ok", "mood": "very"},
    {"body": "x" * 20_001},
    {"body": "bidi \u202e override"},
    {"body": "ok", "tags": ",".join(f"t{i}" for i in range(13))},
    {"body": "ok", "tags": "y" * 33},
    {"body": "ok", "feelings": "ecstatic"},
    {"body": "ok", "prompt": "not-a-prompt"},
]


@pytest.mark.parametrize("data", BAD_ENTRIES)
def test_bad_entries_get_a_form_error_not_a_crash(sky_client, data):
    response = sky_client.post("/journal/new", data=data)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.get_data(as_text=True)  # one summary, focused


@pytest.mark.parametrize(
    "path, data",
    [
        ("/journal/search", {"q": "x" * 201}),
        ("/journal/search", {"q": "ok", "page": "many"}),
        ("/journal/search", {"q": "ok", "page": "-3"}),
        ("/journal/search", {"tag": "t" * 40}),
        ("/journal/unlock", {"password": ""}),
        ("/journal/recovery-code/new", {"password": ""}),
        ("/journal/recovery-code/new", {"password": "not my password at all"}),
    ],
)
def test_bad_input_on_other_forms_is_a_400(sky_client, path, data):
    response = sky_client.post(path, data=data)
    assert response.status_code in (302, 400), response.status_code
    if path != "/journal/unlock":  # an unlocked journal sends unlock straight on
        assert response.status_code == 400


def test_unknown_and_odd_ids_are_404(sky_client):
    for path in ("/journal/999999", "/journal/0", "/journal/-1", "/journal/abc", "/journal/1/edit"):
        assert sky_client.get(path).status_code == 404, path
