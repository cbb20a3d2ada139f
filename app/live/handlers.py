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

from flask import request

from app.auth.sockets import call_if_login_alive
from app.core.sockets import registry
from app.extensions import db, socketio
from app.live.errors import LiveError, error_ack

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an event, from the server's socket registry (never from the payload)."""

    id: int  # the user id
    login_id: int
    sid: str


def room_event(name: str, schema) -> Callable:
    """Register `fn(caller, payload) -> dict | None` as the handler of event `name`."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def handler(*args):
            sid = request.sid
            return call_if_login_alive(sid, _run, name, fn, schema, sid, args)

        HANDLERS[name] = handler
        return fn

    return decorate


def _run(name: str, fn: Callable, schema, sid: str, args: tuple) -> dict:
    """Parse, identify, call; every outcome an ack."""
    try:
        payload = schema.parse(args[0] if args else None)
        identity = registry.get(sid)
        if identity is None:
            raise LiveError("not_found")
        result = fn(Caller(identity.user_id, identity.login_id, sid), payload)
        return {"ok": True, **(result or {})}
    except LiveError as refusal:
        db.session.rollback()
        return error_ack(refusal.code, refusal.message)
    except Exception as exc:
        db.session.rollback()
        log.error("room event %s failed: %s", name, type(exc).__name__)
        return error_ack("server_error")


def attach() -> None:
    """Attach every collected handler to the current app's Socket.IO server."""
    for name, handler in HANDLERS.items():
        socketio.on_event(name, handler)
