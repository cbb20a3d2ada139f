"""The report action form."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from app.core.forms import BaseForm
from app.moderation.reports import ACTIONS

MUTE_CHOICES = [
    SelectChoice(15, "15 minutes"),
    SelectChoice(60, "An hour"),
    SelectChoice(1440, "A day"),
]


class ResolveReportForm(BaseForm):
    """Close a report by hiding, muting, banning or dismissing."""

    action = HiddenField(validators=[InputRequired(), AnyOf(ACTIONS)])
    minutes = SelectField(
        "Mute for", choices=MUTE_CHOICES, coerce=int, default=60, validators=[Optional()]
    )
    reason = StringField("Note for the audit log (optional)", validators=[Length(max=500)])
    back = HiddenField(validators=[Optional(), AnyOf(("circle", "global"))])


class AuditPageForm(BaseForm):
    """Paging through the audit log (GET)."""

    class Meta(BaseForm.Meta):
        """A GET form has no CSRF token."""

        csrf = False

    before = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**62)])
