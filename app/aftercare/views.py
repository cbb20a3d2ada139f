"""After the circle: the form (also in the room once a session ends), the saved page, the card."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.aftercare import services
from app.aftercare.forms import AftercareForm
from app.journal import services as journal
from app.journal.sessions import current_vault, vault_for_saving
from app.practice import guide

blueprint = Blueprint("aftercare", __name__)


@blueprint.app_context_processor
def aftercare_helpers():
    """The room page offers "after the circle" without the room knowing this area."""
    return {"aftercare_form": lambda: AftercareForm(formdata=None)}


@blueprint.after_request
def never_cache(response):
    """What someone writes after a circle must never sit in a browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer(form: AftercareForm) -> services.Answer:
    """The validated form as an Answer."""
    return services.Answer(
        after=form.after.data or None,
        notes=form.notes.data or "",
        ask_tomorrow=bool(form.ask_tomorrow.data),
        timezone=form.timezone.data or "UTC",
    )


def _page(session, form: AftercareForm, status: int = 200):
    """The after-the-circle form on a page of its own."""
    locked = current_vault() is None
    page = render_template(
        "aftercare/after.html", session=session, form=form, locked=locked, guide=guide
    )
    return page, status


@blueprint.route("/sessions/<int:session_id>/after", methods=["GET", "POST"])
@login_required
def after(session_id: int):
    """The closing check with the flooding check; posting keeps it in my journal."""
    session = services.session_for(current_user, session_id)
    form = AftercareForm()
    if not form.validate_on_submit():
        return _page(session, form, 400 if form.errors else 200)
    vault = vault_for_saving(current_user, form.password)
    if vault is None:
        return _page(session, form, 400)
    entry = services.save_aftercare(current_user, vault, session_id, _answer(form))
    return redirect(url_for("aftercare.saved", session_id=session_id, entry_id=entry.id))


@blueprint.route("/sessions/<int:session_id>/after/saved/<int:entry_id>")
@login_required
def saved(session_id: int, entry_id: int):
    """Where the entry went; grounding and when to seek help first if it was hard."""
    session = services.session_for(current_user, session_id)
    entry = journal.access_entry(current_user, entry_id)
    vault = current_vault()
    context = {}
    if vault is not None:
        context = journal.read_entry(vault, entry, ("context",)).context
    if context.get("kind") != "aftercare":
        context = {}
    return render_template(
        "aftercare/saved.html",
        session=session,
        entry=entry,
        is_hard=context.get("after") in guide.HARD_OUTCOMES,
        guide=guide,
    )


@blueprint.route("/aftercare/<int:aftercare_id>/dismiss", methods=["POST"])
@login_required
def dismiss(aftercare_id: int):
    """Put tomorrow's card away."""
    services.dismiss_card(current_user, aftercare_id)
    flash("Thank you for letting us know. Go gently.", "success")
    return redirect(url_for("site.index"))
