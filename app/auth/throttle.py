"""Failed logins counted per account, with a delay that grows instead of a lockout.

Per-address limits (Flask-Limiter) stop one address; this stops many addresses grinding one
account. Every attempt is counted before its password is checked, so parallel attempts cannot
slip in together; a success clears the count. Past FREE_FAILURES, each further attempt waits a
delay that doubles up to MAX_DELAY; attempts inside it get the calm 429 page and no password
check. Unknown usernames are counted the same way, so the answers never tell which exist.

An attacker who tries once every time the wait ends would keep the owner waiting too, so a
browser that has logged in to an account before carries a signed device cookie for it, and its
attempts are counted on a counter of their own that nobody else can fill (OWASP's "device
cookies").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import LoginThrottle, username_key
from app.core.database import utcnow
from app.extensions import db

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=5)
# A count untouched this long starts again from zero, and its row is deleted.
FORGET_AFTER = timedelta(days=1)
CLAIM_TRIES = 3
DEVICE_COOKIE = "holdspace_device"
DEVICE_LIFETIME = timedelta(days=180)


class LoginThrottled(Exception):
    """This account name must wait before another password is checked."""

    def __init__(self, wait: timedelta):
        super().__init__("login throttled")
        self.wait = wait


def delay_after(failures: int) -> timedelta:
    """How long the next attempt waits after this many failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 20)
    return min(FIRST_DELAY * 2**doublings, MAX_DELAY)


def account_key(username: str) -> str:
    """The row's key: an HMAC of the case-folded name under the app's secret key."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, username_key(username).encode(), hashlib.sha256).hexdigest()


def _devices() -> URLSafeTimedSerializer:
    """Signs and reads device cookies with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="holdspace-login-device")


def new_device_token(username: str) -> str:
    """A device cookie value for a browser that just logged in to this account."""
    return _devices().dumps({"account": account_key(username), "device": secrets.token_hex(16)})


def _device_of(username: str, token: str | None) -> str | None:
    """The device id in a valid, unexpired cookie for this very account name, else None."""
    if not token or len(token) > 300:
        return None
    try:
        data = _devices().loads(token, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("account") != account_key(username):
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None


def _counter_key(username: str, device_token: str | None) -> str:
    """The account's shared counter, or the counter of one known device of it."""
    device = _device_of(username, device_token)
    return account_key(f"{username}\x00{device}" if device else username)


def claim_attempt(username: str, device_token: str | None = None) -> None:
    """Count one attempt for this name before its password is checked; LoginThrottled when the
    name must still wait (the attempt is then not counted and nothing is checked)."""
    key = _counter_key(username, device_token)
    for _ in range(CLAIM_TRIES):
        now = utcnow()
        row = db.session.scalar(
            select(LoginThrottle).where(LoginThrottle.account_key == key),
            execution_options={"populate_existing": True},
        )
        if row is None:
            if _first_failure(key, now):
                return
            continue
        if now < row.wait_until:
            raise LoginThrottled(row.wait_until - now)
        if _next_failure(row, now):
            return
    raise LoginThrottled(FIRST_DELAY)  # others are trying this name this very moment


def _first_failure(key: str, now) -> bool:
    """Start the count for a name; False when a parallel attempt started it first."""
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failed_at < now - FORGET_AFTER)
    )
    db.session.add(
        LoginThrottle(
            account_key=key, failures=1, last_failed_at=now, wait_until=now + delay_after(1)
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _next_failure(row: LoginThrottle, now) -> bool:
    """Add one to the count if nobody else did meanwhile (compare and set on the count)."""
    seen = row.failures
    failures = 1 if now - row.last_failed_at > FORGET_AFTER else seen + 1
    result = db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.account_key == row.account_key, LoginThrottle.failures == seen)
        .values(failures=failures, last_failed_at=now, wait_until=now + delay_after(failures))
    )
    db.session.commit()
    return result.rowcount == 1


def clear(username: str, device_token: str | None = None) -> None:
    """A successful login clears the counter it was counted on. A known device clears only its
    own, so the owner logging in at home gives someone guessing elsewhere no fresh tries."""
    key = _counter_key(username, device_token)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account_key == key))
    db.session.commit()
