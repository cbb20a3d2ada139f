"""The reflection form: it works without JavaScript, and the guided page fills it in as you go."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.auth.forms import PASSWORD_MAX
from app.core.forms import BaseForm, text_field
from app.core.validators import has_control_characters, strip_filter
from app.journal.forms import BODY_MAX
from app.practice.guide import (
    BEFORE_FEELINGS,
    CATALYST_PROMPTS,
    DEFAULT_PRESET,
    EASED,
    HARD,
    INTENTIONS,
    PRESETS,
)

INTENTION_MAX = 200
URL_MAX = 500
MINUTES_MAX = 600


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def safe_link(url: str | None) -> bool:
    """An absolute http(s) link with a host, and nothing that could smuggle script or lines."""
    if not url or len(url) > URL_MAX or has_control_characters(url):
        return False
    if any(character.isspace() for character in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class HttpLink:
    """Refuses anything but a plain http or https address."""

    def __call__(self, form, field) -> None:
        """Validate one URL field."""
        if field.data and not safe_link(field.data):
            raise ValidationError(
                "Please paste a web address that starts with https:// or http://."
            )


class ReflectionForm(BaseForm):
    """Intention, breath, catalysts and how you feel now; saved as one journal entry."""

    intention_choice = RadioField(
        "My intention",
        choices=choices([*INTENTIONS, ("own", "In my own words")]),
        default=INTENTIONS[0][0],
        validators=[InputRequired("Please choose an intention, or write your own.")],
    )
    intention_text = text_field(
        "My own intention", INTENTION_MAX, f"Please keep it under {INTENTION_MAX} characters."
    )
    preset = SelectField(
        "Breathing rhythm",
        choices=choices((p.id, p.label) for p in PRESETS),
        default=DEFAULT_PRESET,
    )
    before = SelectField(
        "Before I began, I felt",
        choices=choices([("", "Rather not say"), *BEFORE_FEELINGS]),
        default="",
        validate_choice=True,
    )
    prompt = SelectField(
        "A journaling prompt (optional)",
        choices=choices([("", "No prompt"), *[(p.id, p.text) for p in CATALYST_PROMPTS]]),
        default="",
    )
    playlist_url = StringField(
        "A playlist or piece of music (optional)",
        filters=[strip_filter],
        validators=[Optional(), HttpLink()],
    )
    after = RadioField(
        "How do you feel now?",
        choices=choices([*EASED, *HARD]),
        validators=[InputRequired("Please choose the word that fits best, even roughly.")],
    )
    minutes = IntegerField(
        "About how many minutes did you give yourself?",
        validators=[
            Optional(),
            NumberRange(min=0, max=MINUTES_MAX, message="Please give a number from 0 to 600."),
        ],
    )
    notes = TextAreaField(
        "Anything you'd like to remember (optional)",
        validators=[Optional(), Length(max=BODY_MAX, message="That is longer than we can keep.")],
    )
    password = PasswordField("Your password", validators=[Optional(), Length(max=PASSWORD_MAX)])

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: writing your own intention needs a few words."""
        valid = super().validate(extra_validators)
        if self.intention_choice.data == "own" and not self.intention_text.data:
            self.intention_text.errors = [
                *self.intention_text.errors,
                "Please write your intention, or choose one of ours.",
            ]
            valid = False
        return valid

    def intention_words(self) -> str:
        """The intention as the member chose or wrote it."""
        if self.intention_choice.data == "own":
            return self.intention_text.data or ""
        return dict(INTENTIONS).get(self.intention_choice.data, "")
