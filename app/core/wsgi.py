"""WSGI layers called so that an idle WebSocket costs less memory.

Every open WebSocket is a green thread parked in the middle of its request: the server, then
each WSGI layer down to Engine.IO's read loop. When it is switched out, the part of the C stack
it occupies is copied to the heap, and stays there for as long as the connection is open. In
CPython 3.11 a call to a plain function or a bound method runs in the same C frame as its caller,
but calling an object through its class's `__call__` starts a new interpreter frame on the C
stack. The Flask app and each middleware object are such calls, so each made every connection's
saved stack deeper. Calling each layer's bound `__call__` instead keeps the whole chain in one C
frame: measured at 2,000 idle members, 2.0 to 2.5 KiB less per connection, under eventlet and
gevent, on SQLite and PostgreSQL (docs/performance.md, ninth round).
"""

from __future__ import annotations

import types
from collections.abc import Callable

from flask import Flask

WSGIApp = Callable[[dict, Callable], object]


def inline_call(layer: WSGIApp) -> WSGIApp:
    """`layer` itself when it is a function or a method; its bound `__call__` when it is an
    object whose class defines `__call__` in Python (a middleware or an app)."""
    for cls in type(layer).__mro__:
        if "__call__" in cls.__dict__:
            defined = cls.__dict__["__call__"]
            return layer.__call__ if isinstance(defined, types.FunctionType) else layer
    return layer


def served(app: Flask) -> WSGIApp:
    """What the web server calls for every request: the app's WSGI stack, entered directly.

    `Flask.__call__` only calls `app.wsgi_app`, so the server starts one layer further in."""
    return inline_call(app.wsgi_app)
