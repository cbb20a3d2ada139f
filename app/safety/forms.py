"""Admin forms for crisis resources."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField
from wtforms.validators import AnyOf

from app.core.forms import BaseForm, text_field
from app.safety.models import CONTACT_MAX, NAME_MAX, REGION_MAX, URL_MAX
from app.safety.validators import HttpUrl


class CrisisResourceForm(BaseForm):
    """Add or edit one crisis resource."""

    name = text_field(
        "Name",
        NAME_MAX,
        f"Names are up to {NAME_MAX} characters.",
        required="Please give the resource a name.",
    )
    contact = text_field(
        "How to reach them",
        CONTACT_MAX,
        f"Please keep this under {CONTACT_MAX} characters.",
        required="Please say how to reach them, for example a phone number.",
    )
    url = text_field(
        "Web address (optional)",
        URL_MAX,
        f"Web addresses are up to {URL_MAX} characters.",
        check=HttpUrl(),
    )
    region = text_field(
        "Region",
        REGION_MAX,
        f"Regions are up to {REGION_MAX} characters.",
        required="Please name a region, or International.",
        default="International",
    )
    active = BooleanField("Show this resource to people", default=True)


class MoveForm(BaseForm):
    """Move a resource one place up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class VisibilityForm(BaseForm):
    """Show or hide a resource."""

    active = HiddenField(validators=[AnyOf(["1", "0"])])
