"""The one username rule, shared by the registration form, the CLI and the account service."""

from __future__ import annotations

import re

USERNAME_MIN = 3
USERNAME_MAX = 32
# ASCII only, on purpose: no look-alike letters from other scripts, no quotes, no spaces and no
# control characters, so a username is safe in a URL, a log line and a download's file name.
USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9_.-]+")
LENGTH_MESSAGE = f"Usernames are {USERNAME_MIN} to {USERNAME_MAX} characters."
CHARACTERS_MESSAGE = "Use letters, numbers, dots, dashes or underscores."


def username_problem(username: str) -> str | None:
    """Why this (already trimmed) username cannot be used, or None when it can."""
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return LENGTH_MESSAGE
    if not USERNAME_CHARACTERS.fullmatch(username):
        return CHARACTERS_MESSAGE
    return None


def looks_like_a_username(username: str) -> bool:
    """Characters a username may hold (any length up to the maximum): for lookups by name."""
    return len(username) <= USERNAME_MAX and bool(USERNAME_CHARACTERS.fullmatch(username))
