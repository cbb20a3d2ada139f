"""Display names cannot pass for a facilitator's, a moderator's or an admin's (Unicode TR39
skeletons, case and spacing ignored), and staff wear a badge wherever their name is shown."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.circles.models import Membership
from app.core.lookalikes import looks_alike
from app.extensions import db

# Each of these reads as "River" at a glance.
FULL_WIDTH_RIVER = "\uff32\uff49\uff56\uff45\uff52"
RIVERS = ["River", "R\u0456ver", "R i v e r", "RIVER", "r.i.v.e.r", FULL_WIDTH_RIVER]
BADGE = re.compile(r'class="tag tag-staff"[^>]*>(Facilitator|Moderator|Admin)<')


def badges_after(page: str, name: str) -> list[str]:
    """The staff badges shown right after the first place this name appears in a page."""
    start = page.index(name) + len(name)
    return BADGE.findall(page[start : page.find("</li>", start) if "</li>" in page else None])


@pytest.fixture
def two_circles(make_user, make_circle):
    """River facilitates the river circle; Wren facilitates an unrelated one."""
    river = make_user("river", display_name="River")
    wren = make_user("wren", display_name="Wren")
    return (
        make_circle(river, name="River circle"),
        make_circle(wren, name="Wren circle"),
    )


@pytest.mark.parametrize("name", RIVERS)
def test_names_that_read_as_river_look_alike(name):
    assert looks_alike(name, "River")


@pytest.mark.parametrize("name", ["Rivers", "Rover", "Wren", "Riv", "Sky River"])
def test_different_names_do_not(name):
    assert not looks_alike(name, "River")


@pytest.mark.parametrize("name", RIVERS)
def test_joining_is_refused_kindly_beside_a_facilitator_of_that_name(
    app, make_user, logged_in_client, two_circles, name
):
    river_circle, wren_circle = two_circles
    newcomer = make_user("newcomer", display_name=name)
    http = logged_in_client(newcomer)
    refused = http.post(f"/circles/{river_circle.id}/join", data={"accept_agreements": "y"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "looks a lot like the name of one of this circle&#39;s facilitators" in page
    assert 'href="/account"' in page
    with app.app_context():
        assert db.session.scalar(select(Membership).filter_by(user_id=newcomer.id)) is None
    # The same name is welcome in a circle River does not facilitate.
    joined = http.post(f"/circles/{wren_circle.id}/join", data={"accept_agreements": "y"})
    assert joined.status_code == 302


@pytest.mark.parametrize("name", RIVERS[1:])
def test_a_member_cannot_rename_themselves_into_their_facilitator(
    make_user, make_circle, logged_in_client, two_circles, name
):
    river_circle, _ = two_circles
    sky = make_user("sky", display_name="Sky")
    with_river = logged_in_client(sky)
    with_river.post(f"/circles/{river_circle.id}/join", data={"accept_agreements": "y"})
    response = with_river.post("/account", data={"display_name": name, "share_typing": "y"})
    assert response.status_code == 400
    assert "looks a lot like the name of a facilitator" in response.get_data(as_text=True)


def test_the_same_name_is_fine_with_no_river_in_my_circles(
    make_user, logged_in_client, two_circles
):
    _, wren_circle = two_circles
    sky = make_user("sky", display_name="Sky")
    http = logged_in_client(sky)
    http.post(f"/circles/{wren_circle.id}/join", data={"accept_agreements": "y"})
    assert http.post("/account", data={"display_name": "R\u0456ver"}).status_code == 302


def test_a_facilitator_keeping_their_own_name_is_never_a_clash(app, logged_in_client, two_circles):
    _ = two_circles
    with app.app_context():
        river = db.session.scalar(select(User).filter_by(username="river"))
        db.session.expunge(river)
    http = logged_in_client(river)
    assert http.post("/account", data={"display_name": "River"}).status_code == 302
    assert http.post("/account", data={"display_name": "River "}).status_code == 302


def test_registration_refuses_a_moderators_look_alike(client, auth, make_user):
    make_user("harbor", role="moderator", display_name="Harbor")
    refused = auth.register("harbor_fan", display_name="H\u0430rbor")  # Cyrillic a
    assert refused.status_code == 400
    assert "someone on the Holdspace team" in refused.get_data(as_text=True)
    assert auth.register("harbour_fan", display_name="Harbour").status_code == 302


def test_a_co_facilitator_may_not_look_like_someone_in_the_circle(
    app, make_user, make_circle, logged_in_client, membership
):
    river = make_user("river", display_name="River")
    sky = make_user("sky", display_name="Sky")
    sky_too = make_user("sky_too", display_name="S\u043ay")  # Cyrillic ka
    circle = make_circle(river, members=[sky, sky_too])
    response = logged_in_client(river).post(
        f"/circles/{circle.id}/facilitators", data={"username": "sky"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Sky" in page and "S\u043ay" in page and "looks a lot like" in page
    assert membership(circle, sky).role == "member"


def test_a_moderator_may_not_look_like_someone_in_their_circles(
    app, make_user, make_circle, logged_in_client, runner
):
    river = make_user("river", display_name="River")
    sky = make_user("sky", display_name="Sky")
    sky_too = make_user("sky_too", display_name="S k y")
    make_circle(river, members=[sky, sky_too])
    admin = make_user("keeper", role="admin", display_name="Keeper")
    http = logged_in_client(admin)
    response = http.post(f"/admin/users/{sky.id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    flashed = http.get("/admin/users").get_data(as_text=True)
    assert "looks a lot like" in flashed and "S k y" in flashed
    result = runner.invoke(args=["users", "set-role", "sky", "moderator"])
    assert result.exit_code != 0 and "looks a lot like" in result.output
    with app.app_context():
        assert db.session.get(User, sky.id).role == "member"
    # Unrelated people may be promoted as before.
    assert runner.invoke(args=["users", "set-role", "river", "moderator"]).exit_code == 0


def test_staff_wear_a_badge_on_the_members_and_circle_pages(
    make_user, make_circle, logged_in_client
):
    river = make_user("river", display_name="River")
    harbor = make_user("harbor", role="moderator", display_name="Harbor")
    sky = make_user("sky", display_name="Sky")
    circle = make_circle(river, members=[harbor, sky])
    http = logged_in_client(sky)
    members = http.get(f"/circles/{circle.id}/members").get_data(as_text=True)
    assert badges_after(members, ">River<") == ["Facilitator"]
    assert badges_after(members, ">Harbor<") == ["Moderator"]
    assert badges_after(members, ">Sky<") == []
    page = http.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert "Held by" in page and badges_after(page, ">River<") == ["Facilitator"]


def test_the_room_page_names_its_facilitators_with_their_badge(
    make_user, make_circle, make_session, logged_in_client
):
    river = make_user("river", display_name="River")
    sky = make_user("sky", display_name="Sky")
    circle = make_circle(river, members=[sky])
    session = make_session(circle, title="Tonight")
    page = logged_in_client(sky).get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Held by" in page and badges_after(page, ">River<") == ["Facilitator"]
