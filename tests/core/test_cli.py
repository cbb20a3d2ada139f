"""The holdspace command group: users and demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User


def _user(app, db, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_users_create_and_set_role(app, db, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "cli_person",
            "--password",
            "a long password",
            "--role",
            "moderator",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _user(app, db, "cli_person").role == "moderator"
    result = runner.invoke(args=["users", "set-role", "CLI_PERSON", "admin"])
    assert result.exit_code == 0, result.output
    assert _user(app, db, "cli_person").role == "admin"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user:set-role"))
        assert entry.actor_id is None, "the command line acts as nobody in particular"
        assert entry.detail == "moderator -> admin"


def test_users_create_refuses_short_passwords_and_duplicates(app, db, runner):
    assert runner.invoke(args=["users", "create", "shorty", "--password", "short"]).exit_code != 0
    passphrase = "a long cli passphrase"
    assert runner.invoke(args=["users", "create", "dupe", "--password", passphrase]).exit_code == 0
    result = runner.invoke(args=["users", "create", "DUPE", "--password", passphrase])
    assert result.exit_code != 0
    assert "taken" in result.output


def test_set_role_of_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["users", "set-role", "nobody", "admin"])
    assert result.exit_code != 0
    assert "No user called" in result.output


def test_demo_seed_prints_passwords_once_and_respects_if_empty(app, db, runner):
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "river" in result.output and "facilitator" in result.output
    assert _user(app, db, "river").role == "facilitator"
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "left alone" in again.output


BAD_USERNAMES = [
    "evil\r\nname",
    "tab\tname",
    "nul\x00name",
    "bell\x07name",
    "\u0440\u0456ver",  # Cyrillic look-alike of "river"
    "caf\u00e9",
    'quo"te',
    "quo'te",
    "two words",
    "ab",
    "x" * 33,
    "",
]


@pytest.mark.parametrize("name", BAD_USERNAMES)
def test_users_create_refuses_what_the_registration_form_refuses(app, db, runner, name):
    result = runner.invoke(args=["users", "create", name, "--password", "a long cli passphrase"])
    assert result.exit_code != 0
    assert "Usernames are 3 to 32" in result.output or "letters, numbers" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("name", ["evil\r\nname", "\u0440\u0456ver", 'quo"te'])
def test_users_set_role_refuses_a_malformed_name_clearly(runner, name):
    result = runner.invoke(args=["users", "set-role", name, "admin"])
    assert result.exit_code != 0
    assert "letters, numbers" in result.output
    assert "No user called" not in result.output


def test_the_form_and_the_cli_share_one_username_rule(client, auth):
    for name in BAD_USERNAMES:
        if name.strip():
            assert auth.register(name).status_code == 400, repr(name)
