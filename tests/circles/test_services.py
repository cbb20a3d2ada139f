"""Circle verbs: create, edit, join, approve, decline, leave and co-facilitators."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from app.circles import services


def test_creator_becomes_an_approved_facilitator_with_default_agreements(
    make_user, call, membership
):
    river = make_user("river")
    circle = call(services.create_circle, river, "  Sunday circle ", "For grief", topic="grief")
    assert circle.name == "Sunday circle"
    assert circle.is_public and not circle.requires_approval
    assert circle.agreements == services.DEFAULT_AGREEMENTS
    row = membership(circle, river)
    assert (row.role, row.status) == ("facilitator", "approved")
    assert row.agreements_accepted_at is not None


def test_default_agreements_cover_the_circle_basics():
    text = " ".join(services.DEFAULT_AGREEMENTS).lower()
    for idea in ("stays here", "own experience", "no advice", "pass", "tears are welcome"):
        assert idea in text


def test_joining_an_open_circle_approves_at_once(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river)
    joined = call(services.join_circle, sky, circle.id, True)
    assert (joined.role, joined.status) == ("member", "approved")
    assert joined.agreements_accepted_at is not None


def test_joining_without_accepting_the_agreements_is_refused(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river)
    with pytest.raises(services.CircleError):
        call(services.join_circle, sky, circle.id, False)


def test_approval_circle_puts_people_on_the_pending_list(make_user, make_circle, call, membership):
    river, sky, wren = make_user("river"), make_user("sky"), make_user("wren")
    circle = make_circle(river, requires_approval=True)
    assert call(services.join_circle, sky, circle.id, True).status == "pending"
    assert call(services.join_circle, wren, circle.id, True).status == "pending"
    call(services.approve_member, river, circle.id, sky.id)
    call(services.decline_member, river, circle.id, wren.id)
    assert membership(circle, sky).status == "approved"
    assert membership(circle, wren).status == "declined"


def test_joining_twice_changes_nothing(make_user, make_circle, call, membership):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, requires_approval=True)
    first = call(services.join_circle, sky, circle.id, True)
    second = call(services.join_circle, sky, circle.id, True)
    assert first.id == second.id and second.status == "pending"


def test_a_declined_person_may_ask_again(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, requires_approval=True)
    call(services.join_circle, sky, circle.id, True)
    call(services.decline_member, river, circle.id, sky.id)
    assert call(services.join_circle, sky, circle.id, True).status == "pending"


def test_only_this_circles_facilitators_approve(make_user, make_circle, call):
    river, sky, wren, other = (make_user(n) for n in ("river", "sky", "wren", "other"))
    circle = make_circle(river, members=[wren], pending=[sky], requires_approval=True)
    make_circle(other, name="Another circle")
    for outsider in (wren, other, sky):
        with pytest.raises(NotFound):
            call(services.approve_member, outsider, circle.id, sky.id)


def test_approving_someone_who_is_not_pending_is_not_found(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    with pytest.raises(NotFound):
        call(services.approve_member, river, circle.id, sky.id)


def test_banned_people_cannot_join_or_see_the_circle(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, banned=[sky])
    with pytest.raises(NotFound):
        call(services.join_circle, sky, circle.id, True)


def test_leaving_and_coming_back(make_user, make_circle, call, membership):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    call(services.leave_circle, sky, circle.id)
    assert membership(circle, sky).status == "left"
    with pytest.raises(NotFound):
        call(services.leave_circle, sky, circle.id)
    assert call(services.join_circle, sky, circle.id, True).status == "approved"


def test_the_last_facilitator_cannot_leave_until_someone_shares_the_role(
    make_user, make_circle, call, membership
):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    with pytest.raises(services.CircleError):
        call(services.leave_circle, river, circle.id)
    call(services.add_facilitator, river, circle.id, "SKY")
    assert membership(circle, sky).role == "facilitator"
    call(services.leave_circle, river, circle.id)
    assert (membership(circle, river).status, membership(circle, river).role) == ("left", "member")


@pytest.mark.parametrize("who", ["nobody", "pending", "outsider", "already"])
def test_co_facilitators_are_chosen_among_members(make_user, make_circle, call, who):
    river, sky, wren, _other = (make_user(n) for n in ("river", "sky", "wren", "other"))
    circle = make_circle(river, members=[sky], pending=[wren])
    username = {"nobody": "ghost", "pending": "wren", "outsider": "other", "already": "river"}
    with pytest.raises(services.CircleError):
        call(services.add_facilitator, river, circle.id, username[who])


def test_members_cannot_add_facilitators(make_user, make_circle, call):
    river, sky, wren = make_user("river"), make_user("sky"), make_user("wren")
    circle = make_circle(river, members=[sky, wren])
    with pytest.raises(NotFound):
        call(services.add_facilitator, sky, circle.id, "wren")


def test_facilitators_edit_the_circle_and_its_agreements(make_user, make_circle, call):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    changed = call(
        services.update_circle,
        river,
        circle.id,
        name="Renamed",
        requires_approval=True,
        agreements=["  Be gentle  ", "", "Pass freely"],
    )
    assert changed.name == "Renamed" and changed.requires_approval
    assert changed.agreements == ["Be gentle", "Pass freely"]
    with pytest.raises(NotFound):
        call(services.update_circle, sky, circle.id, name="Mine now")
    with pytest.raises(services.CircleError):
        call(services.update_circle, river, circle.id, agreements=[" ", ""])


def test_members_list_puts_facilitators_first(make_user, make_circle, app):
    river, amy = make_user("river"), make_user("amy")
    circle = make_circle(river, members=[amy])
    with app.app_context():
        names = [m.user.username for m in services.members_of(circle.id)]
    assert names == ["river", "amy"]
