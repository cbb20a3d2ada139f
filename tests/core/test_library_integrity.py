"""The libraries under the room are used as they ship: none of their classes or modules carries
a function of ours once the app and the server are set up."""

from __future__ import annotations

import ast
import gc
import inspect
import sys
from pathlib import Path

import pytest

from app.core import serving

# python-socketio stores the codec given through its documented `json` option on its packet
# classes itself (app/core/socket_json.py); that is the option working, not a patch of ours.
SET_BY_DOCUMENTED_OPTIONS = {"engineio.packet.Packet.json", "socketio.packet.Packet.json"}

LIBRARIES = (
    "engineio",
    "socketio",
    "flask_socketio",
    "eventlet",
    "gevent",
    "geventwebsocket",
    "flask",
    "flask_login",
    "flask_sqlalchemy",
    "flask_limiter",
    "flask_wtf",
    "sqlalchemy",
    "redis",
    "werkzeug",
)


def _ours(value) -> bool:
    """Is this (possibly wrapped) callable defined in the app's own code?"""
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    if isinstance(value, property):
        value = value.fget
    module = getattr(value, "__module__", None) or ""
    return callable(value) and (module == "app" or module.startswith("app."))


def _foreign_code_in(module) -> list[str]:
    """Names in a library module (and its classes) that are bound to our functions."""
    found = []
    for name, value in list(vars(module).items()):
        if inspect.isclass(value) and value.__module__ == module.__name__:
            found += [
                f"{module.__name__}.{name}.{attr}"
                for attr, member in list(vars(value).items())
                if _ours(member)
            ]
        elif _ours(value) and not inspect.isclass(value):
            found.append(f"{module.__name__}.{name}")
    return found


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_after_setting_up_the_server_every_library_method_is_the_librarys_own(
    app, monkeypatch, mode
):
    monkeypatch.setattr(serving, f"serve_{mode}", lambda app, host, port: None)
    serving.serve(app, "127.0.0.1", 0, mode)
    gc.unfreeze()
    __import__("eventlet.wsgi" if mode == "eventlet" else "geventwebsocket.handler")
    libraries = [
        module
        for name, module in list(sys.modules.items())
        if module is not None and name.split(".")[0] in LIBRARIES
    ]
    assert len(libraries) > 50, "the stack is loaded"
    foreign = [name for module in libraries for name in _foreign_code_in(module)]
    assert sorted(set(foreign) - SET_BY_DOCUMENTED_OPTIONS) == [], foreign


def test_the_check_would_see_a_patched_method(monkeypatch):
    """The scan is not blind: a method of ours assigned onto a library class is found."""
    from engineio import socket as engineio_socket

    def send(self, packet):
        """A stand-in for a patched writer, as if defined in the app."""

    send.__module__ = "app.core.writer"
    monkeypatch.setattr(engineio_socket.Socket, "send", send)
    assert f"{engineio_socket.__name__}.Socket.send" in _foreign_code_in(engineio_socket)


# werkzeug documents LocalProxy._get_current_object() as the way to reach the proxied object.
DOCUMENTED_UNDERSCORE_NAMES = {"_get_current_object"}


ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return (
        name.startswith("_")
        and not name.startswith("__")
        and name not in DOCUMENTED_UNDERSCORE_NAMES
    )


def _private_uses(source: str) -> list[str]:
    """Private names of other packages that this source imports or reads: `x._name` where x is
    not self or cls, and the same name spelled as a string to getattr and its kin."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "app":
                found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append(f"line {node.lineno}: {node.func.id} {node.args[1].value}")
    return found


def test_no_module_of_the_app_imports_or_reads_a_private_name():
    app_root = Path(serving.__file__).resolve().parents[1]
    found = {
        str(path.relative_to(app_root)): uses
        for path in sorted(app_root.rglob("*.py"))
        if (uses := _private_uses(path.read_text()))
    }
    assert found == {}


def test_the_private_name_scan_sees_every_kind():
    source = (
        "from flask_wtf.form import _Auto\n"
        "g._login_user = None\n"
        "self._mine = 1\n"
        "user = getattr(g, '_login_user', None)\n"
        "setattr(manager, '_redis', client)\n"
        "getattr(request, '__class__')\n"
    )
    assert _private_uses(source) == [
        "flask_wtf.form._Auto",
        "line 2: ._login_user",
        "line 4: getattr _login_user",
        "line 5: setattr _redis",
    ]
