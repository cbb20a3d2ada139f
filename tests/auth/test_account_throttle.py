"""Failed logins are counted per account too: a growing delay that many addresses cannot grind,
that never locks the owner out for good, and that looks the same for unknown usernames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.auth import services, throttle
from tests.conftest import DEFAULT_PASSWORD

WRONG = "not the password at all"


@pytest.fixture
def app_config(app_config):
    """Per-address limits on, behind one trusted proxy, as the compose deploy runs."""
    return dict(
        app_config,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="10 per minute",
        TRUSTED_PROXIES=1,
    )


class Clock:
    """The throttle's clock, moved by hand."""

    def __init__(self):
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """Freeze the throttle's time."""
    frozen = Clock()
    monkeypatch.setattr(throttle, "utcnow", frozen)
    return frozen


@pytest.fixture
def checked(monkeypatch):
    """Count the password checks the server really does."""
    calls = []
    real = services.verify_password

    def counting(stored, password):
        calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return calls


class Addresses:
    """Every attempt from a new client address (X-Forwarded-For through the trusted proxy)."""

    def __init__(self, client):
        self.client = client
        self.count = 0

    def login(self, username: str, password: str):
        self.count += 1
        address = f"10.{self.count // 250}.{self.count % 250}.7"
        return self.client.post(
            "/auth/login",
            data={"username": username, "password": password},
            headers={"X-Forwarded-For": address},
        )


@pytest.fixture
def attacker(client):
    return Addresses(client)


def test_many_addresses_cannot_grind_one_account(make_user, attacker, clock, checked):
    make_user("wren")
    codes = [attacker.login("wren", f"{WRONG} {n}").status_code for n in range(40)]
    free = throttle.FREE_FAILURES
    assert codes == [400] * free + [429] * (40 - free)
    assert len(checked) == free, "attempts inside the delay never reach the password check"
    waiting = attacker.login("wren", WRONG)
    assert "slow down" in waiting.get_data(as_text=True)


def test_the_owner_gets_in_once_the_delay_has_passed(app, make_user, attacker, clock, checked):
    make_user("wren")
    for n in range(throttle.FREE_FAILURES):
        attacker.login("wren", f"{WRONG} {n}")
    assert attacker.login("wren", DEFAULT_PASSWORD).status_code == 429, "even the owner waits"
    clock.advance(throttle.delay_after(throttle.FREE_FAILURES).total_seconds())
    assert attacker.login("wren", DEFAULT_PASSWORD).status_code == 302
    # Success clears the count: the next mistake, from a new browser, is an ordinary one again.
    assert Addresses(app.test_client()).login("wren", WRONG).status_code == 400


def test_the_delay_doubles_up_to_a_cap_and_is_never_a_lockout(make_user, attacker, clock):
    make_user("wren")
    free = throttle.FREE_FAILURES
    assert throttle.delay_after(free - 1) == timedelta(0)
    assert throttle.delay_after(free) == timedelta(seconds=2)
    assert throttle.delay_after(free + 1) == timedelta(seconds=4)
    assert throttle.delay_after(free + 2) == timedelta(seconds=8)
    assert throttle.delay_after(free + 50) == timedelta(minutes=5)
    for n in range(free + 10):
        wait = throttle.delay_after(n).total_seconds()
        if wait:
            clock.advance(wait - 1)
            assert attacker.login("wren", WRONG).status_code == 429
            clock.advance(1)
        assert attacker.login("wren", WRONG).status_code == 400
    clock.advance(throttle.delay_after(free + 10).total_seconds())
    assert attacker.login("wren", DEFAULT_PASSWORD).status_code == 302


def test_unknown_usernames_are_throttled_exactly_like_known_ones(make_user, client, clock):
    make_user("wren")
    known = Addresses(client)
    unknown = Addresses(client)
    for n in range(throttle.FREE_FAILURES + 3):
        a = known.login("wren", f"{WRONG} {n}")
        b = unknown.login("nobody_here", f"{WRONG} {n}")
        assert a.status_code == b.status_code
        page_a = a.get_data(as_text=True).replace("wren", "NAME")
        assert page_a == b.get_data(as_text=True).replace("nobody_here", "NAME")


def test_the_count_is_kept_in_the_database_under_a_hash(app, db, make_user, attacker, clock):
    from sqlalchemy import select

    from app.auth.models import LoginThrottle

    make_user("wren")
    attacker.login("WREN", WRONG)
    attacker.login("nobody_here", WRONG)
    with app.app_context():
        rows = db.session.scalars(select(LoginThrottle)).all()
        assert sorted(row.failures for row in rows) == [1, 1]
        assert not any("wren" in row.account_key or "nobody" in row.account_key for row in rows)


def test_the_owners_known_browser_is_never_kept_waiting_by_others(
    app, make_user, attacker, clock, checked
):
    make_user("wren")
    owner = app.test_client()
    assert (
        owner.post(
            "/auth/login", data={"username": "wren", "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    device = owner.get_cookie(throttle.DEVICE_COOKIE, path="/auth/login")
    assert device is not None and device.http_only and device.path == "/auth/login"
    owner.post("/auth/logout")
    # Someone tries once every time the wait ends, for hours: the account is always waiting...
    for _ in range(throttle.FREE_FAILURES + 30):
        clock.advance(throttle.MAX_DELAY.total_seconds())
        attacker.login("wren", WRONG)
    fresh = app.test_client()
    login = {"username": "wren", "password": DEFAULT_PASSWORD}
    assert fresh.post("/auth/login", data=login).status_code == 429
    # ...but the owner's own browser has a count of its own, and gets in at once, without
    # giving the guesser fresh tries.
    assert owner.post("/auth/login", data=login).status_code == 302
    assert fresh.post("/auth/login", data=login).status_code == 429


def test_a_device_cookie_only_counts_for_its_own_account(app, make_user, attacker, clock):
    make_user("wren")
    make_user("sky")
    mine = app.test_client()
    assert (
        mine.post("/auth/login", data={"username": "sky", "password": DEFAULT_PASSWORD}).status_code
        == 302
    )
    mine.post("/auth/logout")
    for n in range(throttle.FREE_FAILURES):
        attacker.login("wren", f"{WRONG} {n}")
    assert mine.post("/auth/login", data={"username": "wren", "password": WRONG}).status_code == 429
    forged = app.test_client()
    forged.set_cookie(throttle.DEVICE_COOKIE, "forged.value.here", path="/auth/login")
    assert (
        forged.post("/auth/login", data={"username": "wren", "password": WRONG}).status_code == 429
    )
