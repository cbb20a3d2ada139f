"""My data's forms: settings, and the account deletion confirmation."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length

from app.auth.forms import PASSWORD_MAX
from app.core.forms import BaseForm, select_choices, text_field
from app.core.validators import strip_filter
from app.safety.countries import COUNTRIES

NO_COUNTRY = ("", "Not set — show international lines")


class SettingsForm(BaseForm):
    """How I appear, and how the rooms and pages behave for me."""

    display_name = text_field(
        "Display name",
        40,
        "Display names are up to 40 characters.",
        required="Please choose a name others will see.",
    )
    share_typing = BooleanField("Let others in a live room see when I'm typing")
    collapse_content_warnings = BooleanField(
        "Keep messages with a content note folded until I choose to open them"
    )
    reduce_motion = BooleanField("Reduce motion: no moving breathing circle or animations")
    # Our own message for a value not on the list (a hand-made post), not WTForms' terse one.
    country = SelectField(
        "Country for crisis lines",
        choices=select_choices([NO_COUNTRY, *COUNTRIES]),
        default="",
        validate_choice=False,
        validators=[
            AnyOf(
                ["", *(code for code, _ in COUNTRIES)],
                message="Please choose a country from the list, or leave it not set.",
            )
        ],
    )


class DeleteAccountForm(BaseForm):
    """Password and my username typed out, so nobody deletes an account by accident."""

    password = PasswordField(
        "Your password",
        validators=[InputRequired("Please enter your password."), Length(max=PASSWORD_MAX)],
    )
    confirm = StringField(
        "Type your username to confirm",
        filters=[strip_filter],
        validators=[InputRequired("Please type your username."), Length(max=64)],
    )
    remove_messages = BooleanField("Also remove everything I wrote in circles")
