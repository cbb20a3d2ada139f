"""Forms for searching the library, curating it, and pinning resources to a circle."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.core.forms import BaseForm
from app.core.validators import PlainText, has_control_characters, strip_filter
from app.resources.models import (
    CATEGORIES,
    SLUG_MAX,
    SLUG_PATTERN,
    SUMMARY_MAX,
    TITLE_MAX,
    URL_MAX,
    ResourceKind,
)

QUERY_MAX = 100


def choices(pairs):
    """Select options as SelectChoice where WTForms has it (3.3+), plain pairs before that."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


BODY_MAX = 20_000
NOTE_MAX = 2_000
KIND_CHOICES = choices(
    [
        (ResourceKind.ARTICLE.value, "Article"),
        (ResourceKind.LINK.value, "Link to another site"),
        (ResourceKind.NOTE.value, "Short note"),
    ]
)
PIN_KIND_CHOICES = choices(
    [
        (ResourceKind.LINK.value, "A link to another site"),
        (ResourceKind.NOTE.value, "A short note"),
    ]
)


class WebAddress:
    """An absolute http(s) address with a host, and nothing a browser could run."""

    message = "Please give a full web address starting with https:// or http://."

    def __call__(self, form, field) -> None:
        """Validate one field; empty values are left to Optional/InputRequired."""
        value = field.data or ""
        if not value:
            return
        if has_control_characters(value) or any(ch.isspace() for ch in value) or "\\" in value:
            raise ValidationError(self.message)
        try:
            parts = urlsplit(value)
        except ValueError:
            raise ValidationError(self.message) from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValidationError(self.message)


def title_field() -> StringField:
    """A short, single-line title."""
    return StringField(
        "Title",
        filters=[strip_filter],
        validators=[
            InputRequired("Please give it a title."),
            Length(max=TITLE_MAX, message=f"Titles are up to {TITLE_MAX} characters."),
            PlainText(),
        ],
    )


def url_field() -> StringField:
    """An optional web address (required by the kinds that need one)."""
    return StringField(
        "Web address",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=URL_MAX, message=f"Web addresses are up to {URL_MAX} characters."),
            WebAddress(),
        ],
    )


def _link_has_address(form) -> bool:
    """A link without a web address gets a form error on its address field."""
    if form.kind.data == ResourceKind.LINK.value and not form.url.data:
        form.url.errors = [*form.url.errors, "Links need a web address."]
        return False
    return True


class SearchForm(BaseForm):
    """Search the library by words and category (read from the query string)."""

    class Meta(BaseForm.Meta):
        """A GET search needs no CSRF token."""

        csrf = False

    q = StringField(
        "Search the library",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=QUERY_MAX, message=f"Searches are up to {QUERY_MAX} characters."),
            PlainText(),
        ],
    )
    category = SelectField(
        "Category",
        choices=choices([("", "All categories"), *CATEGORIES.items()]),
        validators=[Optional()],
    )


class LibraryResourceForm(BaseForm):
    """Create or edit a global library resource."""

    title = title_field()
    slug = StringField(
        "Address (optional)",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=SLUG_MAX, message=f"Addresses are up to {SLUG_MAX} characters."),
            Regexp(SLUG_PATTERN, message="Use lower-case letters, digits and dashes."),
        ],
    )
    summary = StringField(
        "Summary",
        filters=[strip_filter],
        validators=[
            InputRequired("Please write a sentence or two about it."),
            Length(max=SUMMARY_MAX, message=f"Summaries are up to {SUMMARY_MAX} characters."),
            PlainText(),
        ],
    )
    category = SelectField("Category", choices=choices(CATEGORIES.items()))
    kind = SelectField("Kind", choices=KIND_CHOICES)
    url = url_field()
    body_markdown = TextAreaField(
        "Text (Markdown)",
        validators=[Length(max=BODY_MAX, message=f"Text is up to {BODY_MAX} characters.")],
    )
    position = IntegerField(
        "Order in the library",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=10_000, message="Use 0 to 10000.")],
    )

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: links need an address (Optional() skips per-field checks)."""
        return super().validate(extra_validators) & _link_has_address(self)

    def validate_body_markdown(self, field) -> None:
        """Articles and notes need some text; control characters are refused."""
        if has_control_characters(field.data or ""):
            raise ValidationError("Please use ordinary letters, numbers and punctuation.")
        if self.kind.data != ResourceKind.LINK.value and not (field.data or "").strip():
            raise ValidationError("Please write the text.")


class PinResourceForm(BaseForm):
    """Pin a link or a short Markdown note to a circle."""

    kind = SelectField("What are you pinning?", choices=PIN_KIND_CHOICES)
    title = title_field()
    url = url_field()
    body = TextAreaField(
        "Note (Markdown; for a link, an optional line about it)",
        validators=[Length(max=NOTE_MAX, message=f"Notes are up to {NOTE_MAX} characters.")],
    )

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: links need an address (Optional() skips per-field checks)."""
        return super().validate(extra_validators) & _link_has_address(self)

    def validate_body(self, field) -> None:
        """Notes need text; a link's line must fit in a summary."""
        text = (field.data or "").strip()
        if has_control_characters(text):
            raise ValidationError("Please use ordinary letters, numbers and punctuation.")
        if self.kind.data == ResourceKind.NOTE.value and not text:
            raise ValidationError("Please write the note.")
        if self.kind.data == ResourceKind.LINK.value and len(text) > SUMMARY_MAX:
            raise ValidationError(f"A line about a link is up to {SUMMARY_MAX} characters.")
