"""Admin forms: search people, change a role."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core.forms import BaseForm, select_choices

ROLE_CHOICES = [
    ("member", "Member"),
    ("facilitator", "Facilitator"),
    ("moderator", "Moderator"),
    ("admin", "Admin"),
]


class PeopleSearchForm(BaseForm):
    """Find people by username or display name (a GET form)."""

    class Meta(BaseForm.Meta):
        """Searching changes nothing, so it needs no CSRF token."""

        csrf = False

    q = StringField("Find someone", validators=[Optional(), Length(max=40)])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])


class RoleForm(BaseForm):
    """Change one person's site role."""

    role = SelectField("Role", choices=select_choices(ROLE_CHOICES), validators=[InputRequired()])
