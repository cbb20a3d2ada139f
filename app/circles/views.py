"""Circle pages: list and search, create, edit, join, leave, members and approvals."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.circles import access, services, staff
from app.circles.forms import (
    AgreementsForm,
    CircleForm,
    FacilitatorForm,
    JoinForm,
    SearchForm,
    agreement_lines,
)
from app.circles.models import MembershipStatus
from app.circles.schedule import human_utc, iso_utc
from app.core.security import require_login
from app.extensions import db

blueprint = Blueprint("circles", __name__, url_prefix="/circles")
SEARCH_LIMIT = 50


blueprint.before_request(require_login)


@blueprint.app_template_filter("iso_utc")
def iso_utc_filter(moment) -> str:
    """ISO 8601 UTC for <time datetime>."""
    return iso_utc(moment)


@blueprint.app_template_filter("human_utc")
def human_utc_filter(moment) -> str:
    """A readable UTC time, shown until the browser localises it."""
    return human_utc(moment)


@blueprint.app_template_global("staff_badges")
def staff_badges_global(user, facilitates: bool = False) -> list[str]:
    """Badges beside a person's name: Facilitator (of the circle in view), Moderator, Admin."""
    return staff.badges(user, facilitates)


@blueprint.app_template_global("circle_facilitators")
def circle_facilitators_global(circle_id: int) -> list[tuple[str, list[str]]]:
    """A circle's facilitators with their badges, for pages that show who holds it."""
    return staff.facilitators_with_badges(circle_id)


def _status(form) -> int:
    """400 when a submitted form has errors, 200 otherwise."""
    return 400 if form.errors else 200


@blueprint.route("/")
def index():
    """Public circles (searchable by name and topic) and the circles I belong to."""
    form = SearchForm(request.args)
    term = form.q.data if form.validate() and form.q.data else ""
    mine = db.session.execute(access.my_circles_query(current_user)).all()
    mine_ids = {circle.id for circle, _membership in mine}
    # A circle I belong to is listed once, under "Your circles", never again under "Find".
    found = [
        circle
        for circle in db.session.scalars(
            access.visible_circles_query(current_user, term).limit(SEARCH_LIMIT + len(mine_ids))
        )
        if circle.id not in mine_ids
    ][:SEARCH_LIMIT]
    page = render_template("circles/index.html", form=form, term=term, mine=mine, found=found)
    return page, _status(form)


@blueprint.route("/new", methods=["GET", "POST"])
def new():
    """Start a circle; I become its facilitator."""
    form = CircleForm()
    if form.validate_on_submit():
        circle = services.create_circle(
            current_user,
            form.name.data,
            form.description.data or "",
            topic=form.topic.data or "",
            requires_approval=form.requires_approval.data,
            is_public=not form.is_private.data,
        )
        flash("Your circle is ready. You can adjust its agreements at any time.", "success")
        return redirect(url_for("circles.show", circle_id=circle.id))
    return render_template("circles/new.html", form=form), _status(form)


@blueprint.route("/<int:circle_id>")
def show(circle_id: int):
    """A circle's page: what it is for, its agreements and what's coming up."""
    standing = access.circle_access(current_user, circle_id)
    upcoming = services.upcoming_sessions_for_circle(circle_id)
    pending_count = (
        len(services.members_of(circle_id, MembershipStatus.PENDING))
        if standing.is_facilitator
        else 0
    )
    return render_template(
        "circles/show.html",
        circle=standing.circle,
        standing=standing,
        upcoming=upcoming,
        pending_count=pending_count,
        series=services.active_series_for_circle(circle_id) if standing.is_facilitator else [],
    )


@blueprint.route("/<int:circle_id>/edit", methods=["GET", "POST"])
def edit(circle_id: int):
    """Facilitators change the circle's details and agreements."""
    circle = access.access_circle_as_facilitator(current_user, circle_id).circle
    form = AgreementsForm(obj=circle)
    if request.method == "GET":
        form.is_private.data = not circle.is_public
        form.agreements.data = "\n".join(circle.agreements or [])
    if form.validate_on_submit():
        services.update_circle(
            current_user,
            circle_id,
            name=form.name.data,
            description=form.description.data or "",
            topic=form.topic.data or "",
            requires_approval=form.requires_approval.data,
            is_public=not form.is_private.data,
            agreements=agreement_lines(form.agreements.data),
        )
        flash("The circle is updated.", "success")
        return redirect(url_for("circles.show", circle_id=circle_id))
    return render_template("circles/edit.html", form=form, circle=circle), _status(form)


@blueprint.route("/<int:circle_id>/join", methods=["GET", "POST"])
def join(circle_id: int):
    """Read the agreements and join (or ask to join)."""
    standing = access.circle_access(current_user, circle_id)
    if standing.is_member or standing.is_pending:
        return redirect(url_for("circles.show", circle_id=circle_id))
    form = JoinForm()
    refusal = None
    if form.validate_on_submit():
        try:
            membership = services.join_circle(current_user, circle_id, True)
        except services.CircleError as error:
            refusal = str(error)
        else:
            if membership.status == MembershipStatus.PENDING.value:
                flash("Thank you. A facilitator will look at your request soon.", "info")
            else:
                flash(f"Welcome to {standing.circle.name}. We're glad you're here.", "success")
            return redirect(url_for("circles.show", circle_id=circle_id))
    page = render_template("circles/join.html", form=form, circle=standing.circle, refusal=refusal)
    return page, 400 if refusal else _status(form)


@blueprint.route("/<int:circle_id>/leave", methods=["POST"])
def leave(circle_id: int):
    """Leave the circle, or withdraw a request to join."""
    try:
        services.leave_circle(current_user, circle_id)
    except services.CircleError as error:
        flash(str(error), "warning")
        return redirect(url_for("circles.show", circle_id=circle_id))
    flash("You've left the circle. You're welcome back whenever it feels right.", "info")
    return redirect(url_for("circles.index"))


def _members_page(circle_id: int, facilitator_form=None, status: int = 200):
    """The members page; facilitators also see requests and the co-facilitator form."""
    standing = access.access_circle_members(current_user, circle_id)
    pending = (
        services.members_of(circle_id, MembershipStatus.PENDING) if standing.is_facilitator else []
    )
    page = render_template(
        "circles/members.html",
        circle=standing.circle,
        standing=standing,
        members=services.members_of(circle_id),
        pending=pending,
        facilitator_form=facilitator_form or FacilitatorForm(formdata=None),
    )
    return page, status


@blueprint.route("/<int:circle_id>/members")
def members(circle_id: int):
    """Who is in the circle (members, facilitators and site moderators only)."""
    return _members_page(circle_id)


@blueprint.route("/<int:circle_id>/members/<int:user_id>/approve", methods=["POST"])
def approve(circle_id: int, user_id: int):
    """A facilitator welcomes a pending member."""
    membership = services.approve_member(current_user, circle_id, user_id)
    flash(f"{membership.user.display_name} is now a member.", "success")
    return redirect(url_for("circles.members", circle_id=circle_id))


@blueprint.route("/<int:circle_id>/members/<int:user_id>/decline", methods=["POST"])
def decline(circle_id: int, user_id: int):
    """A facilitator declines a pending request."""
    membership = services.decline_member(current_user, circle_id, user_id)
    flash(f"You declined {membership.user.display_name}'s request.", "info")
    return redirect(url_for("circles.members", circle_id=circle_id))


@blueprint.route("/<int:circle_id>/facilitators", methods=["POST"])
def add_facilitator(circle_id: int):
    """A facilitator makes a member a co-facilitator."""
    access.access_circle_as_facilitator(current_user, circle_id)
    form = FacilitatorForm()
    if form.validate_on_submit():
        try:
            membership = services.add_facilitator(current_user, circle_id, form.username.data)
        except services.CircleError as error:
            form.username.errors.append(str(error))
        else:
            flash(f"{membership.user.display_name} now co-facilitates this circle.", "success")
            return redirect(url_for("circles.members", circle_id=circle_id))
    return _members_page(circle_id, form, 400)
