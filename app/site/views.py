"""The landing page, health check and other site-wide pages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from flask_login import current_user
from sqlalchemy import text

from app.account.home import home_for
from app.core.forms import failed_fields
from app.extensions import db

blueprint = Blueprint("site", __name__)


@blueprint.route("/")
def index():
    """Landing page for visitors; home for people who are logged in."""
    if getattr(current_user, "is_authenticated", False):
        return render_template("site/index.html", home=home_for(current_user))
    return render_template("site/index.html")


@blueprint.route("/favicon.ico")
def favicon():
    """Browsers ask for this by name, whatever the page links to."""
    response = send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
    response.mimetype = "image/vnd.microsoft.icon"
    return response


@blueprint.route("/about/privacy")
def privacy():
    """How Holdspace keeps what people share."""
    return render_template("site/privacy.html")


@blueprint.route("/livez")
def livez():
    """200 while this process answers requests at all; never asks the database, so a watchdog
    restarts frozen apps (deploy/watchdog.py) and not every app when the database is away."""
    return jsonify(status="alive")


@blueprint.route("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


NAV_LINKS = [
    ("circles.index", "Circles", None),
    ("journal.index", "Journal", None),
    ("practice.index", "Practice", None),
    ("resources.index", "Resources", None),
    ("week.index", "My week", None),
    ("moderation.queue", "Moderation", "moderator"),
    ("admin.users", "People", "admin"),
    ("account.index", "Account", None),
]


@blueprint.app_context_processor
def shell_helpers():
    """Navigation entries for the areas that exist, shown to those allowed to use them."""

    def has_endpoint(endpoint: str) -> bool:
        return endpoint in current_app.view_functions

    def nav_links() -> list[tuple[str, str]]:
        links = []
        for endpoint, label, needs in NAV_LINKS:
            if not has_endpoint(endpoint):
                continue
            if needs == "moderator" and not getattr(current_user, "is_moderator", False):
                continue
            if needs == "admin" and not getattr(current_user, "is_admin", False):
                continue
            links.append((endpoint, label))
        return links

    return {"has_endpoint": has_endpoint, "nav_links": nav_links, "failed_fields": failed_fields}
