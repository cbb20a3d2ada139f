"""My week: what's coming, what I planned, and my private calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.circles.session_services import upcoming_sessions_for_user
from app.core.downloads import download
from app.week import calendar, services
from app.week.forms import FeedForm, PlanForm

blueprint = Blueprint("week", __name__, url_prefix="/week")


def _render_week(plan_form: PlanForm | None = None, feed_url: str | None = None, status=200):
    """The week page, with an optional half-filled plan form or a just-made feed address."""
    user = current_user
    plan_form = plan_form or PlanForm(formdata=None)
    plan_form.timezone.render_kw = {"data-fill-timezone": True}
    return render_template(
        "week/index.html",
        sessions=upcoming_sessions_for_user(user, limit=20),
        plans=services.plans_for(user.id),
        ahead=services.week_ahead(user.id),
        reminders=services.reminders_today(user.id),
        describe=services.describe,
        kind_name=services.kind_name,
        reminder_line=services.reminder_line,
        plan_form=plan_form,
        feed_form=FeedForm(),
        feed=calendar.feed_of(user),
        feed_url=feed_url,
    ), status


def _saved(form: PlanForm, done: str, plan_id: int | None = None) -> bool:
    """Validate the plan form and keep it, as a new plan or as `plan_id`; a refusal is said
    beside the weekdays."""
    if not form.validate_on_submit():
        return False
    fields = {
        "kind": form.kind.data,
        "weekdays": form.weekdays.data,
        "time_of_day": form.time_of_day.data,
        "timezone": form.timezone.data,
    }
    try:
        if plan_id is None:
            services.add_plan(current_user, **fields)
        else:
            services.update_plan(current_user, plan_id, **fields)
    except services.PlanError as error:
        form.weekdays.errors.append(str(error))
        return False
    flash(done, "success")
    return True


@blueprint.route("")
@login_required
def index():
    """My week at a glance."""
    return _render_week()


@blueprint.route("/plans", methods=["POST"])
@login_required
def add_plan():
    """Plan some practice, journaling, movement, group or therapy time on certain weekdays."""
    form = PlanForm()
    if _saved(form, "Added to your week."):
        return redirect(url_for("week.index"))
    return _render_week(plan_form=form, status=400)


@blueprint.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    """Change when one of my plans happens."""
    plan = services.access_plan(current_user, plan_id)
    form = PlanForm(obj=plan)
    if _saved(form, "Your plan is updated.", plan_id):
        return redirect(url_for("week.index"))
    return render_template("week/edit.html", form=form, plan=plan), (400 if form.errors else 200)


@blueprint.route("/plans/<int:plan_id>/delete", methods=["POST"])
@login_required
def delete_plan(plan_id: int):
    """Let go of a plan."""
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    services.delete_plan(current_user, plan_id)
    flash("That plan is gone from your week.", "info")
    return redirect(url_for("week.index"))


@blueprint.route("/calendar", methods=["POST"])
@login_required
def make_feed():
    """Turn the calendar feed on, or give it a new address; the address is shown only now."""
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    token = calendar.issue_token(current_user)
    return _render_week(feed_url=url_for("week.feed", token=token, _external=True))


@blueprint.route("/calendar/revoke", methods=["POST"])
@login_required
def revoke_feed():
    """Turn the calendar feed off; the old address stops working at once."""
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    calendar.revoke_token(current_user)
    flash("Your calendar feed is off. The old address no longer works.", "info")
    return redirect(url_for("week.index"))


@blueprint.route("/calendar/<token>.ics")
def feed(token: str):
    """The private iCalendar feed: the token is the only key; unknown or revoked is 404."""
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    response = download(calendar.build_calendar(user), "text/calendar", "holdspace.ics", "inline")
    response.headers["Cache-Control"] = "private, no-store"
    return response
