"""Account forms: register, log in, change password, secure the account."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from app.auth.strength import StrongPassword
from app.auth.usernames import username_problem
from app.core.forms import BaseForm, text_field
from app.core.validators import Accepted, strip_filter

PASSWORD_MIN = 10
PASSWORD_MAX = 256


def password_field(label: str, strength: StrongPassword) -> PasswordField:
    """A new-password field: the contract's length rules, then the strength check."""
    return PasswordField(
        label,
        validators=[
            InputRequired("Please choose a password."),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Passwords need {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
            ),
            strength,
        ],
    )


class UsernameRule:
    """The account rule for a new username (app/auth/usernames.py), as a form validator."""

    def __call__(self, form, field) -> None:
        """Validate one field."""
        problem = username_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class RegisterForm(BaseForm):
    """Create an account with a pseudonymous display name."""

    username = StringField(
        "Username",
        filters=[strip_filter],
        validators=[InputRequired("Please choose a username."), UsernameRule()],
    )
    display_name = text_field(
        "Display name",
        40,
        "Display names are up to 40 characters.",
        required="Please choose a name others will see.",
    )
    password = password_field("Password", StrongPassword("username", "display_name"))
    password_confirm = PasswordField(
        "Password again",
        validators=[
            InputRequired("Please type your password again."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
    )
    accept_terms = BooleanField(
        "I understand how Holdspace keeps what I share",
        validators=[Accepted("Please read and accept how your data is kept.")],
    )


class LoginForm(BaseForm):
    """Log in with a username and password."""

    username = StringField(
        "Username",
        filters=[strip_filter],
        validators=[InputRequired("Please enter your username."), Length(max=64)],
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Please enter your password."), Length(max=PASSWORD_MAX)],
    )


class ChangePasswordForm(BaseForm):
    """Change my password; ends my other logins."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Please enter your current password."), Length(max=PASSWORD_MAX)],
    )
    new_password = password_field("New password", StrongPassword(member=True))
    new_password_confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired("Please type the new password again."),
            EqualTo("new_password", message="The two passwords are not the same."),
        ],
    )


class SecureAccountForm(ChangePasswordForm):
    """ "I think someone got in": the same fields as a password change, with more done after."""
