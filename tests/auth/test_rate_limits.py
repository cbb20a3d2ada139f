"""Login and registration are rate-limited, with a calm 429 page."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    """Turn the limits on for these tests (TestConfig turns them off)."""
    return dict(app_config, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")


def test_login_attempts_beyond_the_limit_get_429(client):
    for _ in range(3):
        assert (
            client.post("/auth/login", data={"username": "x", "password": "y"}).status_code == 400
        )
    response = client.post("/auth/login", data={"username": "x", "password": "y"})
    assert response.status_code == 429
    assert "slow down" in response.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200, "only POSTs are limited"


def test_registration_is_limited(app, client):
    app.config["REGISTER_RATE_LIMIT"] = "2 per minute"
    codes = [
        client.post("/auth/register", data={"username": f"u{i}"}).status_code for i in range(3)
    ]
    assert codes == [400, 400, 429]
