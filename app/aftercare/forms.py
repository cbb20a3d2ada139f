"""The after-the-circle form: how I am (the flooding check), a few words, tomorrow's card."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.auth.forms import PASSWORD_MAX
from app.circles.schedule import ScheduleError, zone_for
from app.core.forms import BaseForm
from app.core.validators import strip_filter
from app.journal.forms import BODY_MAX
from app.practice.forms import choices
from app.practice.guide import EASED, HARD


class AftercareForm(BaseForm):
    """Everything is optional: one press keeps an entry with the after-the-circle prompt."""

    after = RadioField(
        "How are you after the circle?",
        choices=choices([*EASED, *HARD]),
        validators=[Optional()],
        validate_choice=True,
    )
    notes = TextAreaField(
        "How am I leaving the circle, compared with how I arrived? (optional)",
        validators=[Optional(), Length(max=BODY_MAX, message="That is longer than we can keep.")],
    )
    ask_tomorrow = BooleanField("Ask me tomorrow how I'm doing, with a card on my home page")
    timezone = StringField(
        "Time zone", filters=[strip_filter], default="UTC", validators=[Optional(), Length(max=64)]
    )
    password = PasswordField("Your password", validators=[Optional(), Length(max=PASSWORD_MAX)])

    def validate_timezone(self, field) -> None:
        """An IANA zone such as Europe/Paris (filled in by the page)."""
        try:
            zone_for(field.data or "UTC")
        except ScheduleError as error:
            raise ValidationError(str(error)) from None
