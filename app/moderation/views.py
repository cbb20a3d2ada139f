"""Moderation pages: the report queues, their actions, and the audit logs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound

from app.audit.services import audit_rows
from app.circles.access import can_moderate_circle, circle_access
from app.core.security import require_login
from app.extensions import db
from app.live.errors import LiveError
from app.moderation import reports
from app.moderation.forms import AuditPageForm, ResolveReportForm

blueprint = Blueprint("moderation", __name__)

DONE = {
    "hide": "The message is hidden and the report is closed.",
    "mute": "They are muted for a while and the report is closed.",
    "ban": "They can no longer take part in this circle. The report is closed.",
    "dismiss": "The report is closed with no action.",
}


blueprint.before_request(require_login)


def _require_site_moderator() -> None:
    """Site-wide pages are for moderators and admins; everyone else gets 404."""
    if not current_user.is_moderator:
        raise NotFound()


def _circle_for_keeper(circle_id: int):
    """A circle page for its facilitators, moderators and admins; 404 for everyone else."""
    access = circle_access(current_user, circle_id)
    if not can_moderate_circle(current_user, circle_id):
        raise NotFound()
    return access.circle


@blueprint.route("/moderation")
def queue():
    """Every circle's open reports, for site moderators."""
    _require_site_moderator()
    return render_template(
        "moderation/queue.html", items=reports.open_reports(), circle=None, form=ResolveReportForm()
    )


@blueprint.route("/circles/<int:circle_id>/reports")
def circle_queue(circle_id: int):
    """One circle's open reports, for its facilitators (and moderators)."""
    circle = _circle_for_keeper(circle_id)
    items = reports.open_reports(circle.id)
    form = ResolveReportForm()
    return render_template("moderation/queue.html", items=items, circle=circle, form=form)


@blueprint.route("/moderation/reports/<int:report_id>", methods=["POST"])
def resolve(report_id: int):
    """Hide, mute, ban or dismiss: the report closes and the action is audited."""
    report = reports.report_for_keeper(current_user, report_id)
    circle_id = report.circle_id
    form = ResolveReportForm()
    if not form.validate():
        flash("That didn't come through as expected. Please try again.", "error")
    else:
        try:
            minutes, note = form.minutes.data or 60, form.reason.data or ""
            reports.resolve(current_user, report, form.action.data, minutes=minutes, reason=note)
            flash(DONE[form.action.data], "success")
        except LiveError as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
    if form.back.data == "global" and current_user.is_moderator:
        return redirect(url_for("moderation.queue"))
    return redirect(url_for("moderation.circle_queue", circle_id=circle_id))


def _before() -> int | None:
    """The `before` paging cursor, when valid."""
    form = AuditPageForm(request.args)
    return form.before.data if form.validate() else None


@blueprint.route("/moderation/audit")
def audit():
    """Every moderation action on the site, newest first."""
    _require_site_moderator()
    rows = audit_rows(before_id=_before())
    return render_template("moderation/audit.html", rows=rows, circle=None)


@blueprint.route("/circles/<int:circle_id>/audit")
def circle_audit(circle_id: int):
    """One circle's moderation actions, newest first."""
    circle = _circle_for_keeper(circle_id)
    rows = audit_rows(circle.id, before_id=_before())
    return render_template("moderation/audit.html", rows=rows, circle=circle)
