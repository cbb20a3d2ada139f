"""Common, breached-list and easily guessed passwords are refused, kindly, wherever one is set."""

from __future__ import annotations

import pytest

from app.auth.strength import password_problem
from tests.conftest import DEFAULT_PASSWORD, AuthActions

KIND_ADVICE = "A few unrelated words together"


@pytest.mark.parametrize(
    "password", ["password123", "1234567890", "qwertyuiop", "iloveyou12", "Password2024!"]
)
def test_a_common_password_is_refused_at_registration(client, password):
    response = AuthActions(client).register("wren", password=password)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert KIND_ADVICE in html
    assert AuthActions(client).login("wren", password).status_code == 400  # no account made


def test_the_explanation_is_kind_and_says_why(client):
    html = AuthActions(client).register("wren", password="password123").get_data(as_text=True)
    assert "on the lists of passwords people use most" in html
    html = AuthActions(client).register("wrenwren", password="wrenwren12345").get_data(as_text=True)
    assert "leans on your username or name" in html


def test_a_strong_passphrase_is_welcome(client):
    assert AuthActions(client).register("wren", password="river stones at dusk").status_code == 302


def test_a_common_password_is_refused_as_a_new_password(app, client, auth, make_user):
    make_user("wren")
    auth.login("wren")
    data = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": "letmein12345",
        "new_password_confirm": "letmein12345",
    }
    response = client.post("/auth/password", data=data)
    assert response.status_code == 400 and KIND_ADVICE in response.get_data(as_text=True)
    response = client.post("/auth/secure", data=data)
    assert response.status_code == 400 and KIND_ADVICE in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("wren", "letmein12345").status_code == 400
    assert auth.login("wren").status_code == 302


def test_a_common_password_is_refused_in_recovery(client):
    data = {
        "username": "anyone",
        "recovery_code": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA",
        "new_password": "football123",
        "new_password_confirm": "football123",
    }
    response = client.post("/auth/recover", data=data)
    assert response.status_code == 400 and KIND_ADVICE in response.get_data(as_text=True)


def test_the_cli_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "clio", "--password", "sunshine123"])
    assert result.exit_code != 0 and KIND_ADVICE in result.output
    result = runner.invoke(args=["users", "create", "clio", "--password", "a cli passphrase"])
    assert result.exit_code == 0, result.output


def test_very_long_passwords_are_scored_without_error():
    assert password_problem("x" * 256) is not None
    assert password_problem("river stones at dusk " * 12) is None
