"""A country for crisis lines: chosen in settings (never guessed), and its lines first."""

from __future__ import annotations

import pytest

from app.auth.models import UserPreferences
from app.extensions import db

SETTINGS = {"display_name": "Quiet River", "share_typing": "y"}


def _country(app, user) -> str | None:
    with app.app_context():
        row = db.session.get(UserPreferences, user.id)
        return None if row is None else row.country


def test_a_country_is_kept_preselected_and_cleared(app, make_user, logged_in_client):
    sky = make_user("sky")
    http = logged_in_client(sky)
    assert http.post("/account", data={**SETTINGS, "country": "GB"}).status_code == 302
    assert _country(app, sky) == "GB"
    page = http.get("/account").get_data(as_text=True)
    assert '<option selected value="GB">United Kingdom</option>' in page
    assert http.post("/account", data={**SETTINGS, "country": ""}).status_code == 302
    assert _country(app, sky) == ""


@pytest.mark.parametrize("bad", ["ZZ", "gb", "<script>", "GBR"])
def test_a_country_not_on_the_list_is_a_clear_error_and_changes_nothing(
    app, make_user, logged_in_client, bad
):
    sky = make_user("sky")
    http = logged_in_client(sky)
    assert http.post("/account", data={**SETTINGS, "country": "IE"}).status_code == 302
    response = http.post("/account", data={**SETTINGS, "display_name": "New", "country": bad})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please choose a country from the list" in page
    assert "<script>" not in page
    assert _country(app, sky) == "IE"
    with app.app_context():
        assert db.session.get(type(sky), sky.id).display_name != "New"  # nothing half-saved


def test_the_help_page_lists_the_chosen_countrys_line_first(app, make_user, logged_in_client):
    sky = make_user("sky")
    http = logged_in_client(sky)
    page = http.get("/help/crisis").get_data(as_text=True)
    assert "Choose your country in your settings" in page
    http.post("/account", data={**SETTINGS, "country": "GB"})
    page = http.get("/help/crisis").get_data(as_text=True)
    assert "Lines for your country (United Kingdom) come first" in page
    assert page.index("Samaritans") < page.index("Find A Helpline")


def test_a_country_without_lines_of_its_own_says_so_gently(app, make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    http.post("/account", data={**SETTINGS, "country": "IS"})
    page = http.get("/help/crisis").get_data(as_text=True)
    assert "We don't list lines for your country (Iceland) yet" in page


def test_the_help_page_for_a_visitor_lists_the_international_lines(client):
    page = client.get("/help/crisis").get_data(as_text=True)
    assert "Find A Helpline" in page and "Choose your country" not in page


def test_the_export_carries_the_country(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    http.post("/account", data={**SETTINGS, "country": "NZ"})
    exported = http.get("/account/export").get_json()
    assert exported["preferences"]["country"] == "NZ"


def test_every_iso_country_is_offered_by_its_common_name_in_reading_order():
    from app.safety.countries import COUNTRIES, country_name

    codes = [code for code, _ in COUNTRIES]
    assert len(codes) == len(set(codes)) == 249
    assert codes[:3] == ["AF", "AX", "AL"]  # "Åland Islands" sorts among the A's
    assert country_name("BO") == "Bolivia"  # ISO's common name, not "Plurinational State of"
    assert country_name("TW") == "Taiwan"
    assert country_name("ZZ") == "ZZ"
    assert country_name(None) == ""
