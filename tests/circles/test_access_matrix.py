"""Who may see which circle and session page: everything not theirs answers 404."""

from __future__ import annotations

import pytest

ROLES = ["outsider", "pending", "member", "banned", "other_facilitator", "facilitator", "moderator"]

# page -> the roles that get 200 (or 302 where the page sends them on); everyone else gets 404.
PUBLIC_PAGES = {
    "show": {r: 200 for r in ROLES if r != "banned"},
    "members": {"member": 200, "facilitator": 200, "moderator": 200},
    "edit": {"facilitator": 200},
    "join": {
        "outsider": 200,
        "other_facilitator": 200,
        "moderator": 200,
        "pending": 302,
        "member": 302,
        "facilitator": 302,
    },
    "schedule": {"facilitator": 200},
    "room": {"member": 200, "facilitator": 200, "moderator": 200},
    "session_edit": {"facilitator": 200},
}
PRIVATE_PAGES = {
    "show": {"pending": 200, "member": 200, "facilitator": 200, "moderator": 200},
    "members": {"member": 200, "facilitator": 200, "moderator": 200},
    "edit": {"facilitator": 200},
    "room": {"member": 200, "facilitator": 200, "moderator": 200},
}
POSTS = {
    "approve": {"facilitator": 302},
    "decline": {"facilitator": 302},
    "add_facilitator": {"facilitator": 302},
    "cancel_session": {"facilitator": 302},
}


@pytest.fixture
def world(make_user, make_circle, make_session):
    """One circle with a person in every standing, another circle, and a session."""
    people = {
        "facilitator": make_user("river"),
        "member": make_user("sky"),
        "pending": make_user("wren"),
        "banned": make_user("flint"),
        "outsider": make_user("moss"),
        "other_facilitator": make_user("cedar"),
        "moderator": make_user("harbor", role="moderator"),
        "applicant": make_user("fern"),
    }

    def build(is_public: bool):
        circle = make_circle(
            people["facilitator"],
            members=[people["member"]],
            pending=[people["pending"], people["applicant"]],
            banned=[people["banned"]],
            is_public=is_public,
        )
        make_circle(people["other_facilitator"], name="Another circle")
        session = make_session(circle)
        return people, circle, session

    return build


def urls(circle, session) -> dict[str, str]:
    """Every page of the circle and its session."""
    base = f"/circles/{circle.id}"
    return {
        "show": base,
        "members": f"{base}/members",
        "edit": f"{base}/edit",
        "join": f"{base}/join",
        "schedule": f"{base}/sessions/new",
        "room": f"/sessions/{session.id}",
        "session_edit": f"/sessions/{session.id}/edit",
    }


def post_urls(circle, session, people) -> dict[str, tuple[str, dict]]:
    """Facilitator-only form posts."""
    base = f"/circles/{circle.id}"
    applicant = people["applicant"].id
    return {
        "approve": (f"{base}/members/{applicant}/approve", {}),
        "decline": (f"{base}/members/{people['pending'].id}/decline", {}),
        "add_facilitator": (f"{base}/facilitators", {"username": "sky"}),
        "cancel_session": (f"/sessions/{session.id}/cancel", {}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_public_circle_pages(world, logged_in_client, role):
    people, circle, session = world(True)
    client = logged_in_client(people[role])
    for page, url in urls(circle, session).items():
        expected = PUBLIC_PAGES[page].get(role, 404)
        assert client.get(url).status_code == expected, (page, role)


@pytest.mark.parametrize("role", ROLES)
def test_private_circle_pages(world, logged_in_client, role):
    people, circle, session = world(False)
    client = logged_in_client(people[role])
    for page, url in urls(circle, session).items():
        if page in PRIVATE_PAGES:
            expected = PRIVATE_PAGES[page].get(role, 404)
            assert client.get(url).status_code == expected, (page, role)


@pytest.mark.parametrize("role", ROLES)
def test_facilitator_only_posts(world, logged_in_client, role):
    people, circle, session = world(True)
    client = logged_in_client(people[role])
    for action, (url, data) in post_urls(circle, session, people).items():
        expected = POSTS[action].get(role, 404)
        assert client.post(url, data=data).status_code == expected, (action, role)


def test_anonymous_visitors_are_asked_to_log_in(world, client):
    people, circle, session = world(True)
    for url in [*urls(circle, session).values(), "/circles/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]
    for url, data in post_urls(circle, session, people).values():
        assert client.post(url, data=data).status_code == 302


def test_the_private_circle_is_not_listed_for_outsiders(world, logged_in_client):
    people, circle, _ = world(False)
    outsider = logged_in_client(people["outsider"]).get("/circles/?q=Evening")
    member = logged_in_client(people["member"]).get("/circles/")
    assert f'/circles/{circle.id}"'.encode() not in outsider.data
    assert f'/circles/{circle.id}"'.encode() in member.data


def test_banned_people_do_not_find_the_circle_in_search(world, logged_in_client):
    people, circle, _ = world(True)
    banned = logged_in_client(people["banned"]).get("/circles/")
    outsider = logged_in_client(people["outsider"]).get("/circles/")
    assert f'/circles/{circle.id}"'.encode() not in banned.data
    assert f'/circles/{circle.id}"'.encode() in outsider.data


@pytest.mark.parametrize("url", ["/circles/999999", "/circles/999999/members", "/sessions/999999"])
def test_missing_things_are_not_found(logged_in_client, make_user, url):
    assert logged_in_client(make_user("sky")).get(url).status_code == 404
