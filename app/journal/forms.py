"""Journal forms: entries, finding, unlocking, recovery codes and sharing an excerpt."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.forms import PASSWORD_MAX, password_field
from app.auth.strength import StrongPassword
from app.core.forms import BaseForm, text_field
from app.core.validators import MultilineText, has_control_characters, strip_filter
from app.journal.prompts import PROMPTS_BY_ID

BODY_MAX = 20_000
TITLE_MAX = 120
TAG_MAX = 32
TAGS_MAX = 12
EXCERPT_MAX = 2_000
SEARCH_MAX = 200

# Feeling words offered as gentle checkboxes; none of them is "good" or "bad".
FEELINGS = (
    "lighter",
    "calmer",
    "grounded",
    "relieved",
    "tender",
    "hopeful",
    "grateful",
    "tired",
    "heavy",
    "numb",
    "restless",
    "raw",
    "lonely",
    "overwhelmed",
)
MOOD_CHOICES = [SelectChoice("", "Rather not say")] + [SelectChoice(str(n)) for n in range(1, 6)]


def parse_tags(text: str | None) -> list[str]:
    """Comma-separated tags, trimmed, without blanks or repeats (case-insensitively)."""
    tags: list[str] = []
    seen: set[str] = set()
    for raw in (text or "").split(","):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class TagList:
    """Validates a comma-separated tag list: at most TAGS_MAX tags of at most TAG_MAX characters."""

    def __call__(self, form, field) -> None:
        """Validate one field."""
        if has_control_characters(field.data or ""):
            raise ValidationError("Please use ordinary letters, numbers and punctuation in tags.")
        tags = parse_tags(field.data)
        if len(tags) > TAGS_MAX:
            raise ValidationError(f"Up to {TAGS_MAX} tags, please.")
        if any(len(tag) > TAG_MAX for tag in tags):
            raise ValidationError(f"Each tag can be up to {TAG_MAX} characters.")


class KnownPrompt:
    """An empty prompt, or one from our library."""

    def __call__(self, form, field) -> None:
        """Validate one field."""
        if field.data and field.data not in PROMPTS_BY_ID:
            raise ValidationError("We don't know that prompt.")


class EntryForm(BaseForm):
    """Write or edit an entry (POST /journal/new: title, body, mood, tags)."""

    title = text_field("Title (optional)", TITLE_MAX)
    body = TextAreaField(
        "What would you like to write?",
        validators=[
            InputRequired("Write a few words, or as many as you like."),
            Length(max=BODY_MAX, message=f"Entries can be up to {BODY_MAX:,} characters."),
            MultilineText(),
        ],
    )
    mood = SelectField(
        "How are you, from 1 (very low) to 5 (good)?",
        choices=MOOD_CHOICES,
        default="",
        validate_choice=True,
    )
    feelings = SelectMultipleField(
        "Feelings that are here",
        choices=list(FEELINGS),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
    tags = text_field("Tags (separate with commas)", 600, check=TagList())
    prompt = HiddenField(validators=[Optional(), Length(max=40), KnownPrompt()])

    def entry(self) -> dict:
        """What the entry holds, as the journal services take it."""
        return {
            "title": self.title.data or "",
            "body": self.body.data,
            "mood": int(self.mood.data) if self.mood.data else None,
            "feelings": self.feelings.data or [],
            "tags": parse_tags(self.tags.data),
        }


class SearchForm(BaseForm):
    """Find entries: posted, so that search words never appear in a URL."""

    q = text_field("Words to look for", SEARCH_MAX)
    tag = text_field("Tag", TAG_MAX)
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])


class PasswordCheckForm(BaseForm):
    """Re-enter the password (unlock the journal, or make a new recovery code)."""

    password = PasswordField(
        "Your password",
        validators=[InputRequired("Please enter your password."), Length(max=PASSWORD_MAX)],
    )


class ConfirmForm(BaseForm):
    """Carries the CSRF token for a button (delete, acknowledge)."""


class RecoverForm(BaseForm):
    """Forgotten password: username, recovery code and a new password."""

    username = StringField(
        "Username",
        filters=[strip_filter],
        validators=[InputRequired("Please enter your username."), Length(max=64)],
    )
    recovery_code = StringField(
        "Recovery code",
        filters=[strip_filter],
        validators=[InputRequired("Please enter your recovery code."), Length(max=100)],
    )
    new_password = password_field("New password", StrongPassword("username"))
    new_password_confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired("Please type the new password again."),
            EqualTo("new_password", message="The two passwords are not the same."),
        ],
    )


class ShareForm(BaseForm):
    """Choose an excerpt and a circle; `step` is "preview" first, then "confirm"."""

    excerpt = TextAreaField(
        "The words to share",
        validators=[
            InputRequired("Choose some words to share."),
            Length(max=EXCERPT_MAX, message=f"Excerpts can be up to {EXCERPT_MAX:,} characters."),
            MultilineText(),
        ],
    )
    circle_id = SelectField("Circle", coerce=int, validate_choice=True)
    step = HiddenField(default="preview")
