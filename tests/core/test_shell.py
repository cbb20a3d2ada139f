"""The web shell: headers on every response, calm error pages, health check."""

from __future__ import annotations

import pytest

from app import create_app

PAGES = ["/", "/auth/login", "/auth/register", "/about/privacy", "/healthz", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Cookie" in response.headers["Vary"]


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    cookie = auth.register("cookie_check").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_scripts_or_styles(client, auth):
    auth.register("inline_check")
    for path in ["/", "/auth/password", "/about/privacy"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert " style=" not in html
        assert "<style" not in html


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_unavailable_when_the_database_is_gone_and_livez_does_not(tmp_path):
    from app import create_app

    missing_dir = tmp_path / "no" / "such" / "dir"
    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing_dir}/x.db"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    # The watchdog's check stays calm: a database outage is not a frozen app (deploy/watchdog.py).
    alive = app.test_client().get("/livez")
    assert (alive.status_code, alive.get_json()) == (200, {"status": "alive"})


def test_not_found_page_is_calm_and_reveals_nothing(client):
    response = client.get("/this/does/not/exist")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "find that page" in html
    assert "Traceback" not in html and "werkzeug" not in html.lower()


def test_unexpected_errors_render_a_500_page_without_details(app_config, _schema):
    app = create_app({"ENV_NAME": "test", **app_config})  # its own app: a route is added

    @app.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom-for-test")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html


def test_missing_csrf_token_gives_a_400_page(app_config, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "look right" in response.get_data(as_text=True)


def test_logout_requires_post(client):
    assert client.get("/auth/logout").status_code == 405


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/auth/login", {"username": "\x00", "password": "whatever it is"}),
        ("post", "/auth/register", {"username": "a\x00b", "display_name": "x"}),
        ("post", "/auth/login", {"username": "ok", "password": "pass\x00word"}),
        ("get", "/auth/login?next=%00", None),
        ("get", "/circles/?q=%00", None),
    ],
)
def test_nul_bytes_in_urls_and_forms_get_a_400(client, method, path, data):
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 400
