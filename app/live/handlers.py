"""The shape of every room event handler: check the login, parse the payload, call one verb, ack.

Whatever happens becomes an ack: a bad payload gets `invalid`, a refusal its code, and an
unexpected failure `server_error` (logged by type, never by content). The connection is never
dropped and nothing is raised into Socket.IO. Handlers are collected here as their modules are
imported and attached to each app's Socket.IO server by `attach`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from limits import parse

from app.auth.sockets import call_if_login_alive
from app.core.sockets import registry
from app.extensions import db, limiter, socketio
from app.live.errors import LiveError, error_ack

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an event, from the server's socket registry (never from the payload)."""

    id: int  # the user id
    login_id: int
    sid: str


def room_event(name: str, schema, limit: str | None = None) -> Callable:
    """Register `fn(caller, payload) -> dict | None` as the handler of event `name`; `limit`
    names its entry in LIVE_EVENT_LIMITS (events that share one name share one budget)."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def handler(*args):
            sid = request.sid
            return call_if_login_alive(sid, _run, name, fn, schema, sid, args, limit)

        HANDLERS[name] = handler
        return fn

    return decorate


def _run(name: str, fn: Callable, schema, sid: str, args: tuple, limit: str | None) -> dict:
    """Identify, count, parse, call; every outcome an ack."""
    try:
        identity = registry.get(sid)
        if identity is None:
            raise LiveError("not_found")
        if limit is not None and not within_limit(limit, identity.user_id):
            raise LiveError("rate_limited")
        payload = schema.parse(args[0] if args else None)
        result = fn(Caller(identity.user_id, identity.login_id, sid), payload)
        return {"ok": True, **(result or {})}
    except LiveError as refusal:
        db.session.rollback()
        return error_ack(refusal.code, refusal.message, **refusal.details)
    except Exception as exc:
        db.session.rollback()
        log.error("room event %s failed: %s", name, type(exc).__name__)
        return error_ack("server_error")


def within_limit(limit: str, user_id: int) -> bool:
    """Count one `limit` event for this person; False once their budget is spent. Flask-
    Limiter's storage (memory, or Redis with several processes) keeps the count; with the rate
    limits off (HOLDSPACE_RATE_LIMITS=off) everything passes."""
    config = current_app.config
    rule = config.get("LIVE_EVENT_LIMITS", {}).get(limit)
    if not rule or not config.get("RATELIMIT_ENABLED") or not limiter.enabled:
        return True
    return limiter.limiter.hit(_parsed(rule), "live", limit, str(user_id))


@functools.lru_cache(maxsize=64)
def _parsed(rule: str):
    """A limit written as Flask-Limiter writes them ("30 per 10 seconds")."""
    return parse(rule)


def attach() -> None:
    """Attach every collected handler to the current app's Socket.IO server."""
    for name, handler in HANDLERS.items():
        socketio.on_event(name, handler)
