"""The people page: admins see accounts and change site roles; everyone else gets 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin import services
from app.admin.forms import ROLE_CHOICES as ROLES
from app.admin.forms import PeopleSearchForm, RoleForm
from app.auth.services import AccountError
from app.core.permissions import admin_required

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.route("/users")
@admin_required
def users():
    """Accounts, newest first, with a search and a role form for each."""
    search = PeopleSearchForm(request.args)
    if not search.validate():
        return render_template("admin/users.html", search=search, people=[], more=False), 400
    people, more = services.find_people(search.q.data or "", search.page.data or 1)
    return render_template("admin/users.html", search=search, people=people, more=more, roles=ROLES)


@blueprint.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    """Change one person's site role."""
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the roles offered.", "error")
        return redirect(url_for(".users")), 303
    try:
        person = services.change_role(current_user, user_id, form.role.data)
    except LookupError:
        abort(404)
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(f"{person.display_name} is now {person.role}.", "success")
    return redirect(url_for(".users", q=request.args.get("q", "")))
