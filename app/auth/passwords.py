"""Argon2id password hashing with parameters chosen per environment."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

# RFC 9106 "second recommended" shape, sized for a 2-core server: ~92 ms per hash here (quiet).
PRODUCTION_PARAMS = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2}
# Tests hash thousands of passwords; the algorithm is the same, only cheaper (1.7 ms, not 9-16).
TEST_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}  # as the journal's TEST_KDF


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    """One Argon2id hasher per parameter set."""
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def _params() -> dict:
    """Production strength, or test strength where LIGHT_HASHING is on (never in production)."""
    return TEST_PARAMS if current_app.config.get("LIGHT_HASHING") else PRODUCTION_PARAMS


def hasher() -> PasswordHasher:
    """The hasher this app is configured for."""
    return _hasher(**_params())


def hash_password(password: str) -> str:
    """Hash a new password."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password without raising on mismatched or corrupt hashes."""
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    """A hash to verify against when the user does not exist, so timing looks the same."""
    return _hasher(time_cost, memory_cost, parallelism).hash("holdspace-timing-equaliser")


def burn_equal_time(password: str) -> None:
    """Spend the same work as a real verification for an unknown username."""
    verify_password(_dummy_hash(**_params()), password)
