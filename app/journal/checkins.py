"""Live-session check-ins, stored as encrypted records in the member's own journal.

The live room's `checkin:submit` handler calls `record_checkin`. A socket handler has no cookie of
its own, but Flask-SocketIO hands every handler the copy of the Flask session it took at connect,
and that copy carries this login's per-session journal key (`sessions.COOKIE_FIELD`). So inside a
handler, `record_checkin(current_user, current_user.current_login, ...)` just works; a caller
that stored the key elsewhere at connect may pass it as `session_key` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import has_request_context, session

from app.journal import services
from app.journal.forms import FEELINGS
from app.journal.sessions import COOKIE_FIELD, vault_for_login

MOMENTS = ("arrival", "closing")


class CheckinError(Exception):
    """A check-in that cannot be stored; `code` is the protocol error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CheckinRecord:
    """What was stored (the journal entry id), returned so the room can aggregate anonymously."""

    entry_id: int
    moment: str
    score: int


def _clean_feelings(feelings) -> list[str]:
    """Feeling words from our list only, without repeats."""
    if not isinstance(feelings, list | tuple) or len(feelings) > len(FEELINGS):
        raise CheckinError("invalid", "Feelings must be a short list of words.")
    words = []
    for word in feelings:
        if not isinstance(word, str) or word not in FEELINGS:
            raise CheckinError("invalid", "Please choose feelings from the list.")
        if word not in words:
            words.append(word)
    return words


def record_checkin(
    user,
    login,
    session_id: int,
    moment: str,
    score: int,
    feelings: Iterable[str] = (),
    *,
    session_key: str | None = None,
) -> CheckinRecord:
    """Store an arrival or closing check-in as an encrypted record of this member's journal.

    The caller has already checked that the member is in the session's room.
    Raises CheckinError("invalid", ...) for bad values, ("locked", ...) when this login holds no
    unlocked journal key (the member should re-enter their password on the journal page).
    """
    if moment not in MOMENTS:
        raise CheckinError("invalid", "The moment must be arrival or closing.")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise CheckinError("invalid", "The score must be a whole number from 1 to 5.")
    if isinstance(session_id, bool) or not isinstance(session_id, int) or session_id < 1:
        raise CheckinError("invalid", "Unknown session.")
    words = _clean_feelings(feelings)
    if session_key is None and has_request_context():
        session_key = session.get(COOKIE_FIELD)
    vault = vault_for_login(user, login, session_key)
    if vault is None:
        raise CheckinError("locked", "Your journal is locked on this device; open it to unlock.")
    entry = services.create_entry(
        vault,
        mood=score,
        feelings=words,
        context={"kind": "checkin", "session_id": session_id, "moment": moment},
    )
    return CheckinRecord(entry_id=entry.id, moment=moment, score=score)
