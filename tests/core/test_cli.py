"""The holdspace command group: users and demo data."""

from __future__ import annotations

from sqlalchemy import select

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
