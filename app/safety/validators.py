"""Checks for the links admins attach to crisis resources."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms.validators import ValidationError

from app.core.validators import has_control_characters

ALLOWED_SCHEMES = ("http", "https")


def is_http_url(url: str) -> bool:
    """True for a plain http(s) link to a named host, without credentials or spaces."""
    if not url or has_control_characters(url) or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return False
    return parts.username is None and parts.password is None and "\\" not in url


class HttpUrl:
    """A form field that is empty or a safe http(s) link (never javascript:, data:, ...)."""

    def __init__(self, message: str = "Please use a web address starting with https://"):
        self.message = message

    def __call__(self, form, field) -> None:
        """Validate one field."""
        if field.data and not is_http_url(field.data):
            raise ValidationError(self.message)
