"""Session pages: schedule, edit and cancel sessions (the live room page is app/live/views.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.circles import access, services
from app.circles.forms import SessionForm
from app.core.security import require_login

blueprint = Blueprint("sessions", __name__)


blueprint.before_request(require_login)


def _status(form) -> int:
    """400 when a submitted form has errors, 200 otherwise."""
    return 400 if form.errors else 200


def _schedule(circle_id: int, form: SessionForm):
    """Call the right verb for the form; returns the session to open next."""
    options = {"talking_piece": form.talking_piece.data, "waiting_room": form.waiting_room.data}
    if form.repeat_weekly.data:
        series = services.schedule_series(
            current_user,
            circle_id,
            form.title.data,
            form.starts_at_utc,
            form.timezone.data or "UTC",
            **options,
        )
        return services.first_session_of_series(series.id)
    return services.schedule_session(
        current_user, circle_id, form.title.data, form.starts_at_utc, **options
    )


@blueprint.route("/circles/<int:circle_id>/sessions/new", methods=["GET", "POST"])
def new(circle_id: int):
    """A facilitator schedules a one-off or weekly session."""
    circle = access.access_circle_as_facilitator(current_user, circle_id).circle
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = _schedule(circle_id, form)
        except services.SessionError as error:
            getattr(form, error.field or "starts_at").errors.append(str(error))
        else:
            flash("The session is scheduled.", "success")
            return redirect(url_for("live.room", session_id=session.id))
    page = render_template("sessions/new.html", form=form, circle=circle)
    return page, _status(form)


@blueprint.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit(session_id: int):
    """A facilitator changes a session that has not begun."""
    session = access.access_session_as_facilitator(current_user, session_id)
    form = SessionForm(obj=session)
    if request.method == "GET":
        form.starts_at.data = session.starts_at.strftime("%Y-%m-%dT%H:%M")
        form.timezone.data = "UTC"
    if form.validate_on_submit():
        try:
            services.update_session(
                current_user,
                session_id,
                title=form.title.data,
                starts_at=form.starts_at_utc,
                talking_piece=form.talking_piece.data,
                waiting_room=form.waiting_room.data,
            )
        except services.SessionError as error:
            getattr(form, error.field or "starts_at").errors.append(str(error))
        else:
            flash("The session is updated.", "success")
            return redirect(url_for("circles.show", circle_id=session.circle_id))
    page = render_template("sessions/edit.html", form=form, session=session, circle=session.circle)
    return page, _status(form)


@blueprint.route("/sessions/<int:session_id>/cancel", methods=["POST"])
def cancel(session_id: int):
    """A facilitator cancels a session that has not begun."""
    session = access.access_session_as_facilitator(current_user, session_id)
    circle_id = session.circle_id
    try:
        services.cancel_session(current_user, session_id)
    except services.SessionError as error:
        flash(str(error), "warning")
    else:
        flash("The session is cancelled.", "info")
    return redirect(url_for("circles.show", circle_id=circle_id))


@blueprint.route("/sessions/series/<int:series_id>/cancel", methods=["POST"])
def cancel_series(series_id: int):
    """A facilitator stops a weekly series."""
    series = services.cancel_series(current_user, series_id)
    flash("The weekly sessions are stopped. Sessions already held keep their place.", "info")
    return redirect(url_for("circles.show", circle_id=series.circle_id))
