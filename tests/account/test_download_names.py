"""Every download names its file per RFC 6266, whatever the username of an old account holds."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import update

from app.auth.models import User
from app.extensions import db as _db
from tests.conftest import AuthActions

# Usernames the form never accepted, as an older `holdspace users create` could store them.
LEGACY_USERNAMES = [
    "evil\r\nSet-Cookie: x=1",
    "\u0440\u0456ver",  # Cyrillic look-alike of "river"
    'quo"te;name',
    "semi; filename=other.exe",
]
FALLBACK = re.compile(r'filename="([A-Za-z0-9._-]+)"')
ENCODED = re.compile(r"filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$")


def well_formed(value: str, disposition: str = "attachment") -> str:
    """Check one Content-Disposition header and return the UTF-8 file name it carries."""
    assert value.isascii() and value.isprintable(), repr(value)
    parts = value.split("; ")
    assert parts[0] == disposition and len(parts) == 3, value
    assert FALLBACK.fullmatch(parts[1]), value
    encoded = ENCODED.fullmatch(parts[2])
    assert encoded, value
    return unquote(encoded.group(1), errors="strict")


@pytest.fixture
def legacy_client(app, make_user):
    """Factory: a logged-in client of an account whose stored username breaks today's rule."""

    def factory(username: str):
        person = make_user("legacy")
        with app.app_context():
            _db.session.execute(
                update(User)
                .where(User.id == person.id)
                .values(username=username, username_key=username.casefold())
            )
            _db.session.commit()
        http = app.test_client()
        assert AuthActions(http).login(username).status_code == 302
        return http

    return factory


@pytest.mark.parametrize("username", LEGACY_USERNAMES)
def test_account_export_of_a_legacy_username_has_a_well_formed_header(legacy_client, username):
    response = legacy_client(username).get("/account/export")
    assert response.status_code == 200
    name = well_formed(response.headers["Content-Disposition"])
    assert name.startswith("holdspace-") and name.endswith(".json")
    assert "\r" not in name and "\n" not in name and '"' not in name


def test_a_unicode_username_keeps_its_letters_in_the_encoded_name(legacy_client):
    response = legacy_client("\u0440\u0456ver").get("/account/export")
    name = well_formed(response.headers["Content-Disposition"])
    assert "\u0440\u0456ver" in name
    assert FALLBACK.search(response.headers["Content-Disposition"]).group(1).isascii()


@pytest.mark.parametrize(
    ("path", "disposition"),
    [
        ("/journal/export", "attachment"),
        ("/journal/export.md", "attachment"),
        ("/account/export", "attachment"),
    ],
)
def test_every_export_of_a_crlf_username_answers_200(legacy_client, path, disposition):
    response = legacy_client("evil\r\nname").get(path)
    assert response.status_code == 200
    well_formed(response.headers["Content-Disposition"], disposition)


def test_the_calendar_feed_names_its_file_the_same_way(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    page = http.post("/week/calendar").get_data(as_text=True)
    path = re.search(r'href="http://[^/"]+(/week/calendar/[^"]+\.ics)"', page).group(1)
    response = http.get(path)
    assert response.status_code == 200
    assert well_formed(response.headers["Content-Disposition"], "inline") == "holdspace.ics"
