"""The crisis help and grounding pages, open to everyone without logging in."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from app.safety import services
from app.safety.countries import COUNTRY_NAMES, country_name

blueprint = Blueprint("safety", __name__, url_prefix="/help")


@blueprint.route("/crisis")
def crisis():
    """What to do right now, who to call, and when to look for more support; the lines of the
    country a logged-in person chose come first."""
    signed_in = current_user.is_authenticated
    country = services.chosen_country(current_user.id) if signed_in else None
    resources = services.resources_for(country, limit=None)
    return render_template(
        "safety/crisis.html",
        resources=resources,
        signed_in=signed_in,
        country=country,
        country_name=country_name(country),
        has_own_lines=any(services.is_local(resource, country) for resource in resources),
    )


@blueprint.route("/lines")
def lines():
    """The 2-3 lines offered for a country (`?country=GB`; none or unknown: the international
    ones), for the room's panel when someone picks a country there. Public facts, no login."""
    country = request.args.get("country", "")
    country = country if country in COUNTRY_NAMES else None
    offered = [resource.as_payload() for resource in services.offered_resources(country)]
    return jsonify(resources=offered, country=country)


@blueprint.route("/grounding")
def grounding():
    """A 5-4-3-2-1 grounding exercise and a slow breathing cue."""
    return render_template("safety/grounding.html")
