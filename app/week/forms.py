"""My week's forms: a weekly plan, and the buttons that turn the calendar feed on or off."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.circles.schedule import ScheduleError, zone_for
from app.core.forms import BaseForm
from app.core.validators import strip_filter
from app.week.models import PlanKind
from app.week.services import DAY_NAMES


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False, html_tag="ul")
    option_widget = CheckboxInput()


class PlanForm(BaseForm):
    """These weekdays, at this time, in my time zone."""

    kind = RadioField(
        "What is it for?",
        choices=choices(
            [
                (PlanKind.PRACTICE.value, "Solo practice time"),
                (PlanKind.JOURNAL.value, "A journaling moment"),
                (PlanKind.MOVEMENT.value, "Movement: a walk, yoga, stretching, dancing"),
                (PlanKind.GROUP.value, "Group time: a support group or circle elsewhere"),
                (PlanKind.THERAPY.value, "Therapy or counselling"),
            ]
        ),
        default=PlanKind.PRACTICE.value,
        validators=[InputRequired("Please choose what the time is for.")],
    )
    weekdays = CheckboxesField(
        "Which days?",
        choices=choices(enumerate(DAY_NAMES)),
        coerce=int,
        validators=[InputRequired("Please choose at least one day.")],
    )
    time_of_day = StringField(
        "At what time?",
        filters=[strip_filter],
        validators=[
            InputRequired("Please choose a time, like 20:00."),
            Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message="Please give a time like 20:00."),
        ],
    )
    timezone = StringField(
        "Time zone",
        filters=[strip_filter],
        default="UTC",
        validators=[InputRequired("Please give your time zone."), Length(max=64)],
    )

    def validate_timezone(self, field) -> None:
        """An IANA zone such as Europe/Paris."""
        try:
            zone_for(field.data)
        except ScheduleError as error:
            raise ValidationError(str(error)) from None


class FeedForm(BaseForm):
    """Carries the CSRF token for turning the calendar feed on, renewing or revoking it."""
