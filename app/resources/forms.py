"""Forms for searching the library, curating it, and pinning resources to a circle."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from app.core.forms import BaseForm, select_choices, text_field
from app.core.validators import has_control_characters
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


choices = select_choices


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
    return text_field(
        "Title",
        TITLE_MAX,
        f"Titles are up to {TITLE_MAX} characters.",
        required="Please give it a title.",
    )


def url_field() -> StringField:
    """An optional web address (required by the kinds that need one)."""
    return text_field(
        "Web address", URL_MAX, f"Web addresses are up to {URL_MAX} characters.", check=WebAddress()
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

    q = text_field("Search the library", QUERY_MAX, f"Searches are up to {QUERY_MAX} characters.")
    category = SelectField(
        "Category",
        choices=choices([("", "All categories"), *CATEGORIES.items()]),
        validators=[Optional()],
    )


class LibraryResourceForm(BaseForm):
    """Create or edit a global library resource."""

    title = title_field()
    slug = text_field(
        "Address (optional)",
        SLUG_MAX,
        f"Addresses are up to {SLUG_MAX} characters.",
        check=Regexp(SLUG_PATTERN, message="Use lower-case letters, digits and dashes."),
    )
    summary = text_field(
        "Summary",
        SUMMARY_MAX,
        f"Summaries are up to {SUMMARY_MAX} characters.",
        required="Please write a sentence or two about it.",
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
