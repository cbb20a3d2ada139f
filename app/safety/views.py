"""The crisis help and grounding pages, open to everyone without logging in."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.safety import services

blueprint = Blueprint("safety", __name__, url_prefix="/help")


@blueprint.route("/crisis")
def crisis():
    """What to do right now, who to call, and when to look for more support."""
    resources = services.resources_for(limit=None)
    return render_template("safety/crisis.html", resources=resources)


@blueprint.route("/grounding")
def grounding():
    """A 5-4-3-2-1 grounding exercise and a slow breathing cue."""
    return render_template("safety/grounding.html")
