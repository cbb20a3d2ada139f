"""The live room page: what the browser loads before its socket joins the room."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from app.circles.models import CircleSession
from app.extensions import db
from app.journal.forms import FEELINGS
from app.journal.sessions import current_vault
from app.live.access import read_standing
from app.live.errors import LiveError
from app.practice import guide
from app.resources.circle import circle_resources_panel
from app.safety.countries import COUNTRIES
from app.safety.services import chosen_country, offered_resources

blueprint = Blueprint("live", __name__)


@blueprint.route("/sessions/<int:session_id>")
@login_required
def room(session_id: int):
    """The live room page, for the people of the circle (404 for everyone else)."""
    try:
        standing = read_standing(current_user.id, session_id)
    except LiveError:
        raise NotFound() from None
    session = db.session.get(CircleSession, session_id)
    country = chosen_country(current_user.id)
    return render_template(
        "live/room.html",
        session=session,
        circle=session.circle,
        access=standing,
        me=current_user,
        resources_panel=circle_resources_panel(current_user, session.circle_id),
        feelings=FEELINGS,
        crisis_resources=offered_resources(country),
        countries=COUNTRIES,
        my_country=country or "",
        journal_locked=current_vault() is None,
        practice_guide=guide,
    )
