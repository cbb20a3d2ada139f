"""Sharing an excerpt: explicit, confirmed, a copy into a circle I belong to; the entry stays."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.journal.models import JournalSharedExcerpt
from tests.journal.conftest import write_entry


@pytest.fixture
def setting(make_user, logged_in_client, make_circle):
    """A member of one circle (and not of another) with an entry."""
    member = make_user("sharer")
    facilitator = make_user("holder", role="facilitator")
    mine = make_circle(facilitator, members=[member], name="Tuesday circle")
    other = make_circle(facilitator, name="Someone else's circle")
    pending = make_circle(facilitator, members=[member], name="Pending circle", status="pending")
    http = logged_in_client(member)
    entry_id = write_entry(http, title="Private title", body="Line one.\nLine two is private.")
    return http, entry_id, mine, other, pending


def _shared(app, db):
    with app.app_context():
        return [
            (row.circle_id, row.text) for row in db.session.scalars(select(JournalSharedExcerpt))
        ]


def test_share_previews_exactly_the_copy_then_shares_on_confirm(app, db, setting):
    http, entry_id, mine, _, _ = setting
    form = http.get(f"/journal/{entry_id}/share").get_data(as_text=True)
    assert "Tuesday circle" in form
    assert "Someone else" not in form and "Pending circle" not in form
    preview = http.post(
        f"/journal/{entry_id}/share",
        data={"excerpt": "  Line one.  ", "circle_id": str(mine), "step": "preview"},
    )
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert '<blockquote class="journal-excerpt" id="excerpt-preview">Line one.</blockquote>' in html
    assert "Share this with Tuesday circle?" in html
    assert _shared(app, db) == []  # nothing copied before the confirmation
    done = http.post(
        f"/journal/{entry_id}/share",
        data={"excerpt": "Line one.", "circle_id": str(mine), "step": "confirm"},
    )
    assert done.status_code == 302
    assert _shared(app, db) == [(mine, "Line one.")]
    assert "Line two is private." in http.get(f"/journal/{entry_id}").get_data(as_text=True)


def test_going_back_from_the_preview_shares_nothing(app, db, setting):
    http, entry_id, mine, _, _ = setting
    response = http.post(
        f"/journal/{entry_id}/share",
        data={"excerpt": "Line one.", "circle_id": str(mine), "step": "edit"},
    )
    assert response.status_code == 200 and "Preview what will be shared" in response.get_data(
        as_text=True
    )
    assert _shared(app, db) == []


@pytest.mark.parametrize("which", ["other", "pending", "missing"])
def test_cannot_share_into_a_circle_i_do_not_belong_to(app, db, setting, which):
    http, entry_id, _, other, pending = setting
    circle_id = {"other": other, "pending": pending, "missing": 99999}[which]
    response = http.post(
        f"/journal/{entry_id}/share",
        data={"excerpt": "Line one.", "circle_id": str(circle_id), "step": "confirm"},
    )
    assert response.status_code == 400
    assert _shared(app, db) == []


@pytest.mark.parametrize(
    "data",
    [
        {"excerpt": "", "circle_id": "1"},
        {"excerpt": "   ", "circle_id": "1"},
        {"excerpt": "x" * 2001, "circle_id": "1"},
        {"excerpt": "bad \x00 byte", "circle_id": "1"},
        {"excerpt": "fine", "circle_id": "not-a-number"},
        {"excerpt": "fine"},
    ],
)
def test_bad_share_input_is_a_form_error(app, db, setting, data):
    http, entry_id, mine, _, _ = setting
    if data.get("circle_id") == "1":
        data = {**data, "circle_id": str(mine)}
    response = http.post(f"/journal/{entry_id}/share", data={**data, "step": "confirm"})
    assert response.status_code == 400
    assert _shared(app, db) == []


def test_share_excerpt_service_checks_membership_and_owner(app, db, setting, make_user):
    from app.auth.models import User
    from app.journal.models import JournalEntry
    from app.journal.sharing import ShareError, share_excerpt

    _, entry_id, mine, other, _ = setting
    stranger = make_user("stranger")
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == "sharer"))
        entry = db.session.get(JournalEntry, entry_id)
        with pytest.raises(ShareError):
            share_excerpt(owner, entry, "words", other)
        with pytest.raises(ShareError):
            share_excerpt(db.session.get(User, stranger.id), entry, "words", mine)
        shared = share_excerpt(owner, entry, "  words  ", mine)
        assert shared.text == "words" and shared.circle_id == mine
