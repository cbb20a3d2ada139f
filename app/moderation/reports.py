"""The report queue: open reports with their message in context, and the actions that close them.

Reporters stay anonymous: nothing here reads `reporter_id` into what the queue shows, so neither
the reported person nor the facilitators learn who reported.
"""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.audit.services import record_audit
from app.circles.access import can_moderate_circle
from app.circles.models import Circle, CircleSession
from app.circles.staff import badges_in_circle
from app.extensions import db
from app.live.facilitation import moderating
from app.live.models import Message, Report

CONTEXT = 3
QUEUE_LIMIT = 100
ACTIONS = ("hide", "mute", "ban", "dismiss")


def report_for_keeper(user, report_id: int) -> Report:
    """The access helper: a report for the circle's facilitators and site moderators; 404 else."""
    report = db.session.get(Report, report_id)
    if report is None or not can_moderate_circle(user, report.circle_id):
        raise NotFound()
    return report


def _context(message: Message) -> list[dict]:
    """A few messages either side of the reported one (hidden ones included, marked)."""
    around = select(Message).where(Message.session_id == message.session_id)
    before = db.session.scalars(
        around.where(Message.id < message.id).order_by(Message.id.desc()).limit(CONTEXT)
    )
    after = db.session.scalars(
        around.where(Message.id > message.id).order_by(Message.id).limit(CONTEXT)
    )
    lines = [*reversed(list(before)), message, *after]
    return [
        {
            "id": line.id,
            "author": line.author.display_name,
            "author_id": line.author_id,
            "body": line.body,
            "content_warning": line.content_warning,
            "created_at": line.created_at,
            "hidden": line.hidden_at is not None,
            "reported": line.id == message.id,
        }
        for line in lines
    ]


def open_reports(circle_id: int | None = None) -> list[dict]:
    """Open reports, oldest first (one circle's, or every circle's), each with its context."""
    query = (
        select(Report, Message, CircleSession, Circle)
        .join(Message, Message.id == Report.message_id)
        .join(CircleSession, CircleSession.id == Report.session_id)
        .join(Circle, Circle.id == Report.circle_id)
        .where(Report.status == "open")
        .order_by(Report.id)
        .limit(QUEUE_LIMIT)
    )
    if circle_id is not None:
        query = query.where(Report.circle_id == circle_id)
    return _with_badges(
        [
            {
                "id": report.id,
                "reason": report.reason,
                "created_at": report.created_at,
                "circle": circle,
                "session": session,
                "message": message,
                "author": message.author,
                "context": _context(message),
            }
            for report, message, session, circle in db.session.execute(query)
        ]
    )


def _with_badges(items: list[dict]) -> list[dict]:
    """Staff badges for each report's author and context lines, one lookup per circle."""
    by_circle: dict[int, set[int]] = {}
    for item in items:
        ids = by_circle.setdefault(item["circle"].id, set())
        ids.add(item["author"].id)
        ids.update(line["author_id"] for line in item["context"])
    found = {cid: badges_in_circle(cid, ids) for cid, ids in by_circle.items()}
    for item in items:
        circle_badges = found[item["circle"].id]
        item["author_badges"] = circle_badges.get(item["author"].id, [])
        for line in item["context"]:
            line["badges"] = circle_badges.get(line["author_id"], [])
    return items


def resolve(actor, report: Report, action: str, *, minutes: int = 60, reason: str = "") -> None:
    """Act on a report and close it (and every other open report about the same message).

    Each action writes exactly one audit row, committed with the change, before the page answers.
    """
    if report.status != "open":
        return
    message = db.session.get(Message, report.message_id)
    note = f"report={report.id}"
    why = reason or report.reason
    if action == "hide":
        moderating.hide_message(actor.id, message.id, why, detail=note)
    elif action == "mute":
        moderating.close_reports(actor.id, message.id, "mute")
        moderating.mute_member(
            actor.id, report.session_id, message.author_id, minutes, why, detail=note
        )
    elif action == "ban":
        moderating.close_reports(actor.id, message.id, "ban")
        moderating.ban_member(actor.id, report.circle_id, message.author_id, why, detail=note)
    elif action == "dismiss":
        moderating.close_reports(actor.id, message.id, "dismiss")
        record_audit(
            actor.id,
            "report:dismiss",
            circle_id=report.circle_id,
            session_id=report.session_id,
            target_message_id=message.id,
            reason=reason,
            detail=note,
        )
        db.session.commit()
    else:
        raise NotFound()
