"""Admin forms for crisis resources."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, InputRequired, Length

from app.core.forms import BaseForm
from app.core.validators import PlainText, strip_filter
from app.safety.models import CONTACT_MAX, NAME_MAX, REGION_MAX, URL_MAX
from app.safety.validators import HttpUrl


class CrisisResourceForm(BaseForm):
    """Add or edit one crisis resource."""

    name = StringField(
        "Name",
        filters=[strip_filter],
        validators=[
            InputRequired("Please give the resource a name."),
            Length(max=NAME_MAX, message=f"Names are up to {NAME_MAX} characters."),
            PlainText(),
        ],
    )
    contact = StringField(
        "How to reach them",
        filters=[strip_filter],
        validators=[
            InputRequired("Please say how to reach them, for example a phone number."),
            Length(max=CONTACT_MAX, message=f"Please keep this under {CONTACT_MAX} characters."),
            PlainText(),
        ],
    )
    url = StringField(
        "Web address (optional)",
        filters=[strip_filter],
        validators=[
            Length(max=URL_MAX, message=f"Web addresses are up to {URL_MAX} characters."),
            HttpUrl(),
        ],
    )
    region = StringField(
        "Region",
        filters=[strip_filter],
        default="International",
        validators=[
            InputRequired("Please name a region, or International."),
            Length(max=REGION_MAX, message=f"Regions are up to {REGION_MAX} characters."),
            PlainText(),
        ],
    )
    active = BooleanField("Show this resource to people", default=True)


class MoveForm(BaseForm):
    """Move a resource one place up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class VisibilityForm(BaseForm):
    """Show or hide a resource."""

    active = HiddenField(validators=[AnyOf(["1", "0"])])
