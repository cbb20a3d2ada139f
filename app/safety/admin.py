"""Admin pages to add, edit, hide and reorder crisis resources (admins only; others 404)."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.safety import services
from app.safety.forms import CrisisResourceForm, MoveForm, VisibilityForm

blueprint = Blueprint("crisis_admin", __name__, url_prefix="/admin/crisis-resources")


def admin_required(view):
    """Log in first; then anyone who is not an admin sees a plain 404."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


@blueprint.route("", methods=["GET", "POST"])
@admin_required
def index():
    """The list of resources, and a form to add one."""
    form = CrisisResourceForm()
    if form.validate_on_submit():
        try:
            services.add_resource(
                current_user, form.name.data, form.contact.data, form.url.data, form.region.data
            )
        except services.ResourceError as error:
            getattr(form, error.field or "name").errors.append(str(error))
        else:
            flash("The resource is added.", "success")
            return redirect(url_for(".index"))
    return render_template(
        "safety/admin_resources.html",
        form=form,
        resources=services.all_resources(),
    ), 200 if not form.errors else 400


@blueprint.route("/<int:resource_id>", methods=["GET", "POST"])
@admin_required
def edit(resource_id: int):
    """Edit one resource."""
    resource = services.resource_for_admin(current_user, resource_id)
    form = CrisisResourceForm(obj=resource)
    if form.validate_on_submit():
        try:
            services.update_resource(
                current_user,
                resource,
                name=form.name.data,
                contact=form.contact.data,
                url=form.url.data,
                region=form.region.data,
                active=form.active.data,
            )
        except services.ResourceError as error:
            getattr(form, error.field or "name").errors.append(str(error))
        else:
            flash("The resource is saved.", "success")
            return redirect(url_for(".index"))
    return render_template(
        "safety/admin_resource_edit.html", form=form, resource=resource
    ), 200 if not form.errors else 400


@blueprint.route("/<int:resource_id>/move", methods=["POST"])
@admin_required
def move(resource_id: int):
    """Move one resource up or down the list."""
    resource = services.resource_for_admin(current_user, resource_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_resource(current_user, resource, -1 if form.direction.data == "up" else 1)
    return redirect(url_for(".index"))


@blueprint.route("/<int:resource_id>/visibility", methods=["POST"])
@admin_required
def visibility(resource_id: int):
    """Show or hide one resource."""
    resource = services.resource_for_admin(current_user, resource_id)
    form = VisibilityForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_resource_active(current_user, resource, form.active.data == "1")
    flash("Shown to people again." if resource.active else "Hidden from people.", "success")
    return redirect(url_for(".index"))
