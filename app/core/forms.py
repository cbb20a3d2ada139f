"""The base class for every HTML form: form-encoded strings only."""

from __future__ import annotations

from flask import has_request_context, request
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.validators import MultilineText, PlainText, strip_filter

NUL_MESSAGE = "This contains a character we can't store. Please remove it and try again."


class BaseForm(FlaskForm):
    """A FlaskForm that never reads JSON bodies and never lets a NUL byte reach the database."""

    def validate(self, extra_validators=None) -> bool:
        """Run the field validators, then refuse NUL bytes in any text field."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, NUL_MESSAGE]
                valid = False
        return valid

    class Meta(FlaskForm.Meta):
        """Form data comes from the form body (and files), never from JSON."""

        def wrap_formdata(self, form, formdata):
            """Flask-WTF's, except that a submitted form without files reads its form body and
            nothing else: Flask-WTF would read a JSON body (which lets dicts and lists into
            fields), or the fields' defaults for an empty one. Data passed in is used as is."""
            automatic = formdata is not None and not hasattr(formdata, "getlist")
            if automatic and has_request_context() and form.is_submitted() and not request.files:
                formdata = request.form
            return super().wrap_formdata(form, formdata)


def text_field(
    label, max_length, too_long=None, *, required=None, check=None, multiline=False, **options
):
    """A trimmed text field: `required` is what to say when it is left empty (without it, the
    field is optional); at most `max_length` characters (`too_long` says so); ordinary text on
    one line, or on many when `multiline`; `check` replaces that last check (a URL, tags...)."""
    # Required: sent at all (an edit form would otherwise keep the stored value), and not only
    # spaces (which the strip leaves empty).
    presence = [InputRequired(required), DataRequired(required)] if required else [Optional()]
    shape = check or (MultilineText() if multiline else PlainText())
    return (TextAreaField if multiline else StringField)(
        label,
        filters=[strip_filter],
        validators=[*presence, Length(max=max_length, message=too_long), shape],
        **options,
    )


def select_choices(pairs):
    """Select options as SelectChoice where WTForms has it (3.3+), plain pairs before that."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


CHOICE_LIST_FIELDS = ("RadioField", "CheckboxesField")


def error_target_id(field) -> str:
    """The id an error summary links to: the field, or the first option of a list of choices."""
    widget = type(getattr(field, "widget", None)).__name__
    if field.type in CHOICE_LIST_FIELDS or widget == "ListWidget":
        return f"{field.id}-0"
    return field.id


def failed_fields(*forms) -> list[tuple[str | None, str, str]]:
    """(target id, label, message) for every error of these forms, in the order shown."""
    found = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        for message in getattr(form, "form_errors", []):
            found.append((None, "", message))
        for field in form:
            if field.type == "CSRFTokenField":
                continue
            for message in field.errors:
                found.append((error_target_id(field), field.label.text, message))
    return found
