"""Configuration read from the environment, and the refusals that keep production safe."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import (
    ConfigError,
    normalise_database_url,
    parse_origins,
    parse_proxy_hops,
    parse_socket_ping,
)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HOLDSPACE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://holdspace.test")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_sets_secure_cookies_and_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("HOLDSPACE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://holdspace.test")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/auth/login")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]


def test_development_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    import app.config as config

    monkeypatch.setenv("HOLDSPACE_INSTANCE", str(tmp_path))
    first = config.development_secret_key()
    assert len(first) >= 40
    assert config.development_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("HOLDSPACE_ENV", "staging-ish")
    with pytest.raises(ConfigError, match="HOLDSPACE_ENV"):
        create_app()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("https://a.example, https://b.example/", ["https://a.example", "https://b.example"]),
    ],
)
def test_allowed_origins_parse(raw, expected):
    assert parse_origins(raw) == expected


def test_wildcard_origin_is_refused():
    with pytest.raises(ConfigError, match="may not contain"):
        parse_origins("*")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_the_green_driver(url, expected):
    assert normalise_database_url(url) == expected


@pytest.mark.parametrize("raw", ["-1", "nine", "6"])
def test_bad_proxy_hop_counts_are_refused(raw):
    with pytest.raises(ConfigError):
        parse_proxy_hops(raw)


def test_socket_pings_default_to_twenty_seconds_and_can_be_set():
    assert parse_socket_ping(None) == parse_socket_ping("") == (20, 20)
    assert parse_socket_ping(" 5, 10 ") == (5, 10)


@pytest.mark.parametrize("raw", ["20", "0,20", "20,301", "a,b", "1,2,3", "1.5,2"])
def test_bad_socket_ping_settings_are_refused(raw):
    with pytest.raises(ConfigError, match="HOLDSPACE_SOCKET_PING"):
        parse_socket_ping(raw)


def test_the_socket_ping_setting_reaches_socketio(monkeypatch, tmp_path):
    from app import create_app
    from app.extensions import socketio

    monkeypatch.setenv("HOLDSPACE_SOCKET_PING", "3,4")
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    assert (app.config["SOCKET_PING_INTERVAL"], app.config["SOCKET_PING_TIMEOUT"]) == (3, 4)
    assert (socketio.server.eio.ping_interval, socketio.server.eio.ping_timeout) == (3, 4)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, db):
    from sqlalchemy import text

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite-only pragma check")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_trusted_proxy_wraps_socketio_too(monkeypatch, tmp_path):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setenv("HOLDSPACE_TRUSTED_PROXIES", "1")
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    assert isinstance(app.wsgi_app, ProxyFix), "ProxyFix must be outermost, around Socket.IO"


def test_database_errors_hide_statement_parameters(app, db):
    with app.app_context():
        assert db.engine.hide_parameters is True


def test_light_hashing_is_for_tests_and_production_refuses_it(monkeypatch, tmp_path):
    from argon2 import extract_parameters

    from app.auth.passwords import hash_password

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    monkeypatch.setenv("HOLDSPACE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("HOLDSPACE_LIGHT_HASHING", raising=False)
    monkeypatch.setenv("HOLDSPACE_ENV", "development")
    with create_app().app_context():
        assert extract_parameters(hash_password("a long gentle passphrase")).memory_cost == 65536
    monkeypatch.setenv("HOLDSPACE_LIGHT_HASHING", "1")
    with create_app().app_context():
        assert extract_parameters(hash_password("a long gentle passphrase")).memory_cost == 1024
    monkeypatch.setenv("HOLDSPACE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://holdspace.test")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    with pytest.raises(ConfigError, match="HOLDSPACE_LIGHT_HASHING is for tests"):
        create_app()
