"""Circle and session forms: validation at the edge, once."""

from __future__ import annotations

from datetime import datetime

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from app.auth.usernames import looks_like_a_username
from app.circles.schedule import ScheduleError, parse_starts_at
from app.circles.services import MAX_AGREEMENT_LENGTH, MAX_AGREEMENTS
from app.core.forms import BaseForm, text_field
from app.core.validators import Accepted, MultilineText, strip_filter

NAME_MAX = 80
TOPIC_MAX = 60
DESCRIPTION_MAX = 2000
TITLE_MAX = 120
SEARCH_MAX = 80


def agreement_lines(text: str | None) -> list[str]:
    """One agreement per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgreementList:
    """At least one, at most MAX_AGREEMENTS agreements, each a sensible length."""

    def __call__(self, form, field) -> None:
        """Validate the textarea as a list."""
        lines = agreement_lines(field.data)
        if not lines:
            raise ValidationError("Please keep at least one agreement.")
        if len(lines) > MAX_AGREEMENTS:
            raise ValidationError(f"Please keep to {MAX_AGREEMENTS} agreements or fewer.")
        if any(len(line) > MAX_AGREEMENT_LENGTH for line in lines):
            raise ValidationError(f"Each agreement can be up to {MAX_AGREEMENT_LENGTH} characters.")


class CircleForm(BaseForm):
    """Create or edit a circle. Absent checkboxes mean open and listed (the defaults)."""

    name = text_field(
        "Name",
        NAME_MAX,
        f"Names are up to {NAME_MAX} characters.",
        required="Please give the circle a name.",
    )
    topic = text_field("Topic", TOPIC_MAX, f"Topics are up to {TOPIC_MAX} characters.")
    description = text_field(
        "What this circle is for",
        DESCRIPTION_MAX,
        f"Up to {DESCRIPTION_MAX} characters, please.",
        multiline=True,
    )
    requires_approval = BooleanField("A facilitator approves each new member")
    is_private = BooleanField("Keep this circle unlisted (only its members can find it)")


def starts_at_text(value):
    """The session's stored start (form built with obj=session) as the field's UTC text."""
    return value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, datetime) else value


def agreements_text(value):
    """The circle's stored list (form built with obj=circle) as the textarea's lines."""
    return "\n".join(value) if isinstance(value, list | tuple) else value


class AgreementsForm(CircleForm):
    """Editing a circle also edits its agreements."""

    agreements = TextAreaField(
        "Agreements (one per line)",
        filters=[agreements_text],
        validators=[
            Length(max=MAX_AGREEMENTS * (MAX_AGREEMENT_LENGTH + 2)),
            MultilineText(),
            AgreementList(),
        ],
    )


class JoinForm(BaseForm):
    """Joining means accepting the circle's agreements."""

    accept_agreements = BooleanField(
        "I've read these agreements and I'll keep them",
        validators=[Accepted("Please read and accept the circle's agreements to join.")],
    )


class FacilitatorForm(BaseForm):
    """Make a member a co-facilitator, by username."""

    username = text_field(
        "Username of a member",
        32,
        "Usernames are up to 32 characters.",
        required="Please enter a member's username.",
    )

    def validate_username(self, field) -> None:
        """Usernames follow the account rules."""
        if not looks_like_a_username(field.data or ""):
            raise ValidationError("That doesn't look like a username.")


class SearchForm(BaseForm):
    """Search circles by name or topic (a GET form, so no CSRF)."""

    class Meta:
        csrf = False

    q = text_field("Search by name or topic", SEARCH_MAX)


class SessionForm(BaseForm):
    """Schedule or edit a session; `starts_at` without an offset is read in `timezone`."""

    title = text_field(
        "Title",
        TITLE_MAX,
        f"Titles are up to {TITLE_MAX} characters.",
        required="Please give the session a title.",
    )
    starts_at = StringField("Starts at", filters=[starts_at_text, strip_filter])
    timezone = HiddenField(default="UTC", filters=[strip_filter])
    talking_piece = BooleanField("Use a talking piece while sharing")
    waiting_room = BooleanField("Admit people from a waiting room")
    repeat_weekly = BooleanField("Repeat every week at this time")

    starts_at_utc = None  # set by validation: the parsed start as aware UTC

    def validate_starts_at(self, field) -> None:
        """ISO 8601; offset-less values are wall-clock times in the viewer's zone."""
        try:
            self.starts_at_utc = parse_starts_at(field.data, self.timezone.data)
        except ScheduleError as error:
            # The zone is a hidden field, so a bad one is reported here, where people look.
            raise ValidationError(str(error)) from None
