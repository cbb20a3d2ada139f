"""Library pages, library curation, and a circle's pinned resources (thin views over services)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.markdown import render_markdown
from app.core.urls import safe_next_url
from app.resources import circle as circle_resources
from app.resources import services
from app.resources.forms import LibraryResourceForm, PinResourceForm, SearchForm
from app.resources.library import load_library_if_empty
from app.resources.models import CATEGORIES

blueprint = Blueprint("resources", __name__)
blueprint.add_app_template_filter(render_markdown, "markdown")


@blueprint.app_template_global()
def circle_resources_panel(circle_id: int):
    """A circle's pinned resources for its page, or None for those who may not see them (the
    circle page asks for it; circles sit beneath resources and do not import them)."""
    if not circle_resources.may_see_circle_resources(current_user, circle_id):
        return None
    return circle_resources.circle_resources_panel(current_user, circle_id)


@blueprint.route("/resources")
@login_required
def index():
    """The library: search, category filter, reading times."""
    if current_app.config.get("RESOURCES_AUTOLOAD", True):
        load_library_if_empty()
    form = SearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "") if valid else ""
    category = (form.category.data or "") if valid else ""
    results = services.search_library(query, category)
    searching = bool(query or category)
    return render_template(
        "resources/index.html",
        form=form,
        results=results,
        groups=services.group_by_category(results),
        searching=searching,
        query=query,
        categories=CATEGORIES,
        may_curate=services.may_curate_library(current_user),
    ), (200 if valid else 400)


@blueprint.route("/resources/<slug>")
@login_required
def article(slug: str):
    """One library resource."""
    resource = services.get_library_resource(slug)
    return render_template(
        "resources/article.html",
        resource=resource,
        may_curate=services.may_curate_library(current_user),
    )


@blueprint.route("/resources/manage", methods=["GET", "POST"])
@login_required
def manage():
    """Curators' list of every library resource, and the form to add one."""
    services.require_curator(current_user)
    form = LibraryResourceForm()
    if form.validate_on_submit():
        try:
            resource = services.create_library_resource(current_user, _draft(form))
        except services.ResourceError as error:
            getattr(form, error.field or "title").errors.append(str(error))
        else:
            flash(f"“{resource.title}” is in the library.", "success")
            return redirect(url_for("resources.manage"))
    return render_template(
        "resources/manage.html", form=form, resources=services.search_library()
    ), (400 if form.errors else 200)


@blueprint.route("/resources/manage/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id: int):
    """Change a library resource."""
    resource = services.get_library_resource_by_id(current_user, resource_id)
    form = LibraryResourceForm(obj=resource)
    if form.validate_on_submit():
        try:
            services.update_library_resource(current_user, resource, _draft(form))
        except services.ResourceError as error:
            getattr(form, error.field or "title").errors.append(str(error))
        else:
            flash("Saved.", "success")
            return redirect(url_for("resources.article", slug=resource.slug))
    return render_template("resources/edit.html", form=form, resource=resource), (
        400 if form.errors else 200
    )


@blueprint.route("/resources/manage/<int:resource_id>/delete", methods=["POST"])
@login_required
def delete(resource_id: int):
    """Remove a library resource."""
    resource = services.get_library_resource_by_id(current_user, resource_id)
    services.delete_library_resource(current_user, resource)
    flash("Removed from the library.", "info")
    return redirect(url_for("resources.manage"))


def _draft(form: LibraryResourceForm) -> services.ResourceDraft:
    """The validated form as a draft for the services."""
    return services.ResourceDraft(
        title=form.title.data,
        summary=form.summary.data,
        category=form.category.data,
        kind=form.kind.data,
        body_markdown=(form.body_markdown.data or "").replace("\r\n", "\n"),
        url=form.url.data or None,
        slug=form.slug.data or "",
        position=form.position.data or 0,
    )


@blueprint.route("/circles/<int:circle_id>/resources")
@login_required
def circle(circle_id: int):
    """A circle's pinned resources, with the pin form for its facilitators."""
    return _render_circle(circle_id, PinResourceForm(formdata=None))


@blueprint.route("/circles/<int:circle_id>/resources/new", methods=["POST"])
@login_required
def pin(circle_id: int):
    """Pin a link or a note to the circle."""
    circle_resources.require_circle_curator(current_user, circle_id)
    form = PinResourceForm()
    if form.validate_on_submit():
        try:
            circle_resources.pin_resource(
                current_user,
                circle_id,
                form.kind.data,
                form.title.data,
                url=form.url.data or None,
                body=(form.body.data or "").strip().replace("\r\n", "\n"),
            )
        except circle_resources.CircleShelfFull:
            form.title.errors.append("This circle already has plenty pinned; unpin one first.")
        else:
            flash("Pinned for the circle.", "success")
            return _back_to(circle_id)
    return _render_circle(circle_id, form), 400


@blueprint.route("/circles/<int:circle_id>/resources/<int:resource_id>/unpin", methods=["POST"])
@login_required
def unpin(circle_id: int, resource_id: int):
    """Take a resource off the circle's shelf."""
    circle_resources.unpin_resource(current_user, circle_id, resource_id)
    flash("Unpinned.", "info")
    return _back_to(circle_id)


def _back_to(circle_id: int):
    """Back where the facilitator came from (same site only), or the circle's resources page."""
    target = safe_next_url(request.form.get("next"))
    return redirect(target or url_for("resources.circle", circle_id=circle_id))


def _render_circle(circle_id: int, form: PinResourceForm):
    """The circle resources page for this user (404 when they may not see it)."""
    circle = circle_resources.access_circle_resources(current_user, circle_id)
    panel = circle_resources.circle_resources_panel(current_user, circle_id)
    return render_template(
        "resources/circle.html",
        circle=circle,
        resources=panel.resources,
        can_manage=panel.can_manage,
        form=form if panel.can_manage else None,
    )
