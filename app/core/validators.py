"""Form validators shared by every area."""

from __future__ import annotations

import unicodedata

from wtforms.validators import ValidationError


def has_control_characters(text: str) -> bool:
    """True if the text holds control or format characters other than ordinary whitespace."""
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return False  # str.isprintable is False for every control and format character
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\r\t" for ch in text
    )


class PlainText:
    """Rejects control characters (NUL, bidi overrides, ...) in short single-line fields."""

    def __init__(self, message: str = "Please use ordinary letters, numbers and punctuation."):
        self.message = message

    def __call__(self, form, field) -> None:
        """Validate one field."""
        value = field.data or ""
        if has_control_characters(value) or "\n" in value or "\r" in value:
            raise ValidationError(self.message)


class MultilineText:
    """Allows line breaks and tabs but no other control characters, in long text."""

    def __call__(self, form, field) -> None:
        """Validate one field."""
        if has_control_characters(field.data or ""):
            raise ValidationError("Some invisible control characters crept in; please remove them.")


def strip_filter(value):
    """Trim surrounding whitespace from string input."""
    return value.strip() if isinstance(value, str) else value


class Accepted:
    """A consent checkbox that must be ticked (y, yes, on, true or 1)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        """Validate one checkbox."""
        raw = (field.raw_data or [""])[0]
        if not isinstance(raw, str) or raw.strip().lower() not in ("y", "yes", "on", "true", "1"):
            field.errors[:] = []
            raise ValidationError(self.message)
