"""A login cookie the browser will refuse (production over plain http) is explained, not silent."""

from __future__ import annotations

import logging

import pytest

NOTICE = "Logging in won't work from this address"


@pytest.fixture
def app_config(app_config):
    """Secure-only cookies as in production, and CSRF checks on, as in production."""
    return {**app_config, "SESSION_COOKIE_SECURE": True, "WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register"])
def test_over_plain_http_the_page_and_the_log_say_why_logging_in_fails(client, caplog, path):
    with caplog.at_level(logging.WARNING, logger="app.core.plain_http"):
        page = client.get(path, base_url="http://holdspace.example.org")
    html = page.get_data(as_text=True)
    assert NOTICE in html
    assert 'href="https://holdspace.example.org' + path + '"' in html
    assert "login cookie refused" in caplog.text
    assert "holdspace.example.org" not in caplog.text  # no URL in the log


def test_on_a_port_of_its_own_the_notice_offers_no_wrong_link(client):
    html = client.get("/auth/login", base_url="http://holdspace.example.org:8080").get_data(
        as_text=True
    )
    assert NOTICE in html
    assert "https://holdspace.example.org:8080" not in html
    assert "its https:// address" in html


@pytest.mark.parametrize(
    "base_url", ["https://holdspace.example.org", "http://localhost:5000", "http://127.0.0.1"]
)
def test_https_and_loopback_get_no_notice(client, caplog, base_url):
    with caplog.at_level(logging.WARNING, logger="app.core.plain_http"):
        html = client.get("/auth/login", base_url=base_url).get_data(as_text=True)
    assert NOTICE not in html
    assert "login cookie refused" not in caplog.text


def test_a_form_posted_over_plain_http_explains_the_refused_cookie(client, caplog):
    with caplog.at_level(logging.WARNING, logger="app.core.plain_http"):
        answer = client.post(
            "/auth/login",
            data={"username": "someone", "password": "a long passphrase"},
            base_url="http://holdspace.example.org",
        )
    assert answer.status_code == 400
    assert "over plain http" in answer.get_data(as_text=True)
    assert "login cookie refused: a form came over plain http" in caplog.text


def test_development_never_shows_the_notice(app, client):
    app.config["SESSION_COOKIE_SECURE"] = False
    html = client.get("/auth/login", base_url="http://holdspace.example.org").get_data(as_text=True)
    assert NOTICE not in html


@pytest.mark.parametrize(("terminator_proto", "notice"), [("https", False), ("http", True)])
def test_behind_a_tls_terminator_the_app_reads_the_terminators_scheme(
    app_config, _schema, terminator_proto, notice
):
    """docs/operations.md's two-hop set-up: each X-Forwarded header lists the terminator's value,
    then nginx's; with HOLDSPACE_TRUSTED_PROXIES=2 the app goes by the terminator's."""
    from app import create_app

    app = create_app({"ENV_NAME": "test", **app_config, "TRUSTED_PROXIES": 2})
    page = app.test_client().get(
        "/auth/login",
        base_url="http://app1:8001",
        headers={
            "X-Forwarded-For": "203.0.113.5, 10.0.0.2",
            "X-Forwarded-Proto": f"{terminator_proto}, https",
            "X-Forwarded-Host": "holdspace.example.org, holdspace.example.org",
        },
    )
    assert (NOTICE in page.get_data(as_text=True)) is notice
