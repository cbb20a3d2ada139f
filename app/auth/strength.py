"""Password strength: refuse passwords that are common, breached-list or easy to guess.

A copy of the database lets someone guess offline against the login hash and the journal's
password wrap, so a journal is only as private as its password is hard to guess. zxcvbn (the
maintained Python port of Dropbox's estimator) scores a password against its lists of common and
breached passwords, names, words, keyboard patterns, dates and repeats; it also weighs the
person's own username and display name.
"""

from __future__ import annotations

from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (about 10^8 guesses or more)
SCORED_LENGTH = 72  # zxcvbn refuses longer input; a longer password is scored on its start

ADVICE = (
    "A few unrelated words together, like a small phrase only you would think of, "
    "is strong and easy to remember."
)
COMMON = (
    "That password is on the lists of passwords people use most, "
    "so it would be among the first anyone tries."
)
PERSONAL = "That password leans on your username or name, which anyone could guess."
GUESSABLE = "That password would be quick for a computer to guess."


def password_problem(password: str, *personal: str) -> str | None:
    """A kind sentence explaining why this password is refused, or None when it is strong."""
    if not isinstance(password, str) or not password:
        return None  # length and presence are other validators' job
    hints = [word for word in personal if isinstance(word, str) and word.strip()]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=hints)
    if result["score"] >= MIN_SCORE:
        return None
    return f"{_reason(result, hints)} {ADVICE}"


def _reason(result: dict, hints: list[str]) -> str:
    """The first sentence: common list, personal words, or simply guessable."""
    patterns = {match.get("dictionary_name") for match in result.get("sequence", [])}
    if "user_inputs" in patterns:
        return PERSONAL
    if "passwords" in patterns or "common" in (result["feedback"].get("warning") or "").lower():
        return COMMON
    return GUESSABLE


class StrongPassword:
    """WTForms validator: refuse weak passwords, weighing the named fields and, with
    `member=True`, the logged-in member's username and display name."""

    def __init__(self, *personal_fields: str, member: bool = False):
        self.personal_fields = personal_fields
        self.member = member

    def __call__(self, form, field) -> None:
        """Raise a ValidationError carrying the kind explanation."""
        personal = [_field_value(form, name) for name in self.personal_fields]
        if self.member:
            from flask_login import current_user

            personal += [
                getattr(current_user, "username", ""),
                getattr(current_user, "display_name", ""),
            ]
        problem = password_problem(field.data, *personal)
        if problem:
            raise ValidationError(problem)


def _field_value(form, name: str) -> str:
    """A sibling field's value as text."""
    field = getattr(form, name, None)
    return field.data if field is not None and isinstance(field.data, str) else ""
