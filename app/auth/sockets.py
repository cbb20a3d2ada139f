"""Long-lived sockets obey their login's life: idle/absolute timeouts and revocation.

The connect handler checks the login once. After that, every socket event first asks
`login_alive` (the room's `room_event` decorator calls `call_if_login_alive`), which trusts a
cached answer for at most SOCKET_LOGIN_CHECK_SECONDS and never past the login's own expiry,
then re-reads the login row. A background sweep does the same for sockets that stay silent. A
dead login is ended (revoked) and every socket of it disconnected. Socket activity counts as
activity for the idle timeout.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select

from app.auth.models import LoginSession
from app.auth.services import LAST_SEEN_RESOLUTION, end_login, login_is_expired
from app.core.database import utcnow
from app.core.sockets import disconnect_logins, registry
from app.extensions import db, socketio

log = logging.getLogger(__name__)

DEFAULT_CHECK_SECONDS = 30.0
DEFAULT_MAX_SOCKETS_PER_IP = 50
LOGIN_ENDED_ACK = {
    "ok": False,
    "error": {"code": "unauthorized", "message": "Your login has ended. Please log in again."},
}
CHECK_FAILED_ACK = {
    "ok": False,
    "error": {
        "code": "server_error",
        "message": "Something went wrong on our side. Please try again in a moment.",
    },
}
_sweeper = {"started": False}
_sweeper_lock = threading.Lock()


def check_seconds(app: Flask) -> float:
    """How long a socket may go on a cached "login alive" answer (config, then environment)."""
    raw = app.config.get("SOCKET_LOGIN_CHECK_SECONDS")
    if raw is None:
        raw = os.environ.get("HOLDSPACE_SOCKET_LOGIN_CHECK_SECONDS") or DEFAULT_CHECK_SECONDS
    return max(float(raw), 0.0)


def max_sockets_per_ip(app: Flask) -> int | None:
    """The per-address socket cap of this process (config, then environment); 0 turns it off."""
    raw = app.config.get("SOCKET_MAX_PER_IP")
    if raw is None:
        raw = os.environ.get("HOLDSPACE_MAX_SOCKETS_PER_IP") or DEFAULT_MAX_SOCKETS_PER_IP
    cap = int(raw)
    return cap if cap > 0 else None


def login_expires_at(login) -> datetime:
    """When this login dies unless it is used again: the earlier of idle and absolute expiry."""
    config = current_app.config
    return min(
        login.last_seen_at + config["LOGIN_IDLE_TIMEOUT"],
        login.created_at + config["LOGIN_ABSOLUTE_TIMEOUT"],
    )


def login_alive(sid: str, touch: bool = True) -> bool:
    """Is this socket's login still alive? Ends the login and its sockets when it is not.

    Needs an app context. Reads the database only when the cached answer is stale.
    """
    identity = registry.get(sid)
    now = utcnow()
    if identity is None or not registry.login_check_due(sid, now):
        return True
    login = db.session.get(LoginSession, identity.login_id)
    return _judge(sid, identity.login_id, login, now, touch)


def _judge(sid: str, login_id: int, login, now: datetime, touch: bool) -> bool:
    """Decide on a socket from its freshly read login row (None when the row is gone)."""
    if login is None or login.is_revoked:
        disconnect_logins([login_id])
        return False
    if login_is_expired(login):
        log.info("socket login %s expired; ending it", login.id)
        end_login(login)
        return False
    if touch and now - login.last_seen_at > LAST_SEEN_RESOLUTION:
        login.last_seen_at = now
        db.session.commit()
    recheck = now + timedelta(seconds=check_seconds(current_app))
    registry.login_checked(sid, recheck, login_expires_at(login))
    return True


def call_if_login_alive(sid: str, handler, *args):
    """`handler(*args)` when this socket's login is alive; the login-ended ack otherwise."""
    try:
        alive = login_alive(sid)
    except Exception as exc:
        db.session.rollback()
        log.error("socket login check failed: %s", type(exc).__name__)
        return CHECK_FAILED_ACK
    return handler(*args) if alive else LOGIN_ENDED_ACK


SWEEP_CHUNK = 100  # logins read per query; the sweep yields to the room between chunks
JOURNAL_KEY_SWEEP_SECONDS = 600.0


def sweep(app: Flask) -> int:
    """Re-check every local socket whose cached answer is stale; return how many were ended.

    Sockets connected together come due together (500 members joining an evening circle all
    come due in the same sweep). One query per socket, run back to back, held up every room on
    the process; here each chunk of logins is one query, and the sweep yields between chunks.
    """
    ended = 0
    with app.app_context():
        now = utcnow()
        due = [sid for sid in registry.local_sids() if registry.login_check_due(sid, now)]
        for start in range(0, len(due), SWEEP_CHUNK):
            identities = {sid: registry.get(sid) for sid in due[start : start + SWEEP_CHUNK]}
            identities = {sid: who for sid, who in identities.items() if who is not None}
            ended += _sweep_chunk(identities, now)
            db.session.remove()
            socketio.sleep(0)
    return ended


def _sweep_chunk(identities: dict, now: datetime) -> int:
    """Judge one chunk of due sockets from one query; return how many were ended.

    A failed query leaves the whole chunk due for the next sweep; one socket's failure does not
    keep the rest of the chunk unchecked.
    """
    login_ids = {who.login_id for who in identities.values()}
    try:
        found = db.session.scalars(select(LoginSession).where(LoginSession.id.in_(login_ids)))
        logins = {login.id: login for login in found}
    except Exception as exc:
        db.session.rollback()
        log.warning("socket login sweep: %s", type(exc).__name__)
        return 0
    ended = 0
    for sid, who in identities.items():
        try:
            if not _judge(sid, who.login_id, logins.get(who.login_id), now, False):
                ended += 1
        except Exception as exc:
            db.session.rollback()
            log.warning("socket login sweep: %s", type(exc).__name__)
    return ended


def sweep_journal_keys(app: Flask) -> int:
    """Delete the sealed journal keys of ended or expired logins; returns how many went.

    Runs when the server starts and every JOURNAL_KEY_SWEEP_SECONDS from the sweep below, so a
    login that expires and is never revisited leaves no openable key copy in later dumps.
    """
    from app.journal.sessions import delete_dead_session_keys

    with app.app_context():
        try:
            return delete_dead_session_keys()
        except Exception as exc:
            db.session.rollback()
            log.warning("journal key sweep failed: %s", type(exc).__name__)
            return 0
        finally:
            db.session.remove()


def sweep_forever(app: Flask) -> None:
    """Background task: sweep every SOCKET_LOGIN_CHECK_SECONDS (at least once a second), and
    the dead logins' journal keys every JOURNAL_KEY_SWEEP_SECONDS."""
    interval = max(check_seconds(app), 1.0)
    keys_due = time.monotonic() + JOURNAL_KEY_SWEEP_SECONDS
    while True:
        socketio.sleep(interval)
        try:
            sweep(app)
        except Exception as exc:
            log.warning("socket login sweep failed: %s", type(exc).__name__)
        if time.monotonic() >= keys_due:
            sweep_journal_keys(app)
            keys_due = time.monotonic() + JOURNAL_KEY_SWEEP_SECONDS


def ensure_sweeper(app: Flask) -> None:
    """Start the sweep once per process: at `holdspace serve`, or on the first socket."""
    from app import green

    if _sweeper["started"] or app.config.get("TESTING") or green.PATCHED_MODE is None:
        return
    with _sweeper_lock:
        if not _sweeper["started"]:
            _sweeper["started"] = True
            socketio.start_background_task(sweep_forever, app)
