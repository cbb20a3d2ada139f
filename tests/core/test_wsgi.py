"""The server enters the WSGI stack through bound methods, not objects (app/core/wsgi.py)."""

from __future__ import annotations

import functools
import types

import pytest
from flask_socketio import _SocketIOMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import Client

from app import create_app
from app.core import serving
from app.core.sockets import WithoutWebSocketCompression
from app.core.wsgi import inline_call, served


class Layer:
    def __call__(self, environ, start_response):
        return []


class InheritedLayer(Layer):
    pass


def plain(environ, start_response):
    return []


@pytest.mark.parametrize("layer_class", [Layer, InheritedLayer])
def test_an_object_layer_is_called_through_its_bound_method(layer_class):
    layer = layer_class()
    call = inline_call(layer)
    assert isinstance(call, types.MethodType) and call.__self__ is layer
    assert call.__func__ is Layer.__call__


@pytest.mark.parametrize(
    "callable_",
    [plain, Layer().__call__, functools.partial(plain), len],
    ids=["function", "method", "partial", "builtin"],
)
def test_functions_methods_and_c_callables_are_left_as_they_are(callable_):
    assert inline_call(callable_) is callable_


def _chain(app) -> list:
    """Each link from what the server calls down to Flask-SocketIO's middleware."""
    links = [served(app)]
    while not isinstance(links[-1].__self__, _SocketIOMiddleware):
        layer = links[-1].__self__
        links.append(layer.app if isinstance(layer, ProxyFix) else layer.wsgi_app)
    return links


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_every_layer_the_server_enters_is_a_bound_method(monkeypatch, tmp_path, proxies):
    """No link of the chain is an object call (each would add a C frame to every idle socket)."""
    monkeypatch.setenv("HOLDSPACE_TRUSTED_PROXIES", proxies)
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/w.db"})
    links = _chain(app)
    assert links[0].__self__ is app.wsgi_app, "Flask.__call__ is skipped: it only calls wsgi_app"
    kinds = [type(link.__self__) for link in links]
    expected = [WithoutWebSocketCompression, _SocketIOMiddleware]
    assert kinds == ([ProxyFix] if proxies == "1" else []) + expected
    assert all(isinstance(link, types.MethodType) for link in links)


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_serving_hands_the_server_the_stack_and_it_answers_as_the_app(app, monkeypatch, mode):
    handed = {}
    monkeypatch.setattr(serving, "settle_garbage_collector", lambda: None)
    monkeypatch.setattr(serving.websocket_mask, "install", lambda mode: None)
    monkeypatch.setattr(serving.direct_send, "install", lambda mode: None)
    monkeypatch.setattr(serving, f"serve_{mode}", lambda wsgi, host, port: handed.update(wsgi=wsgi))
    serving.serve(app, "127.0.0.1", 0, mode)
    assert handed["wsgi"].__self__ is app.wsgi_app
    through_server = Client(handed["wsgi"]).get("/auth/login")
    through_app = app.test_client().get("/auth/login")
    assert through_server.status_code == through_app.status_code == 200
    assert b'name="password"' in through_server.data
    assert (
        through_server.headers["Content-Security-Policy"]
        == (through_app.headers["Content-Security-Policy"])
    )


def test_the_compression_offer_is_still_dropped_on_the_way_in():
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        return []

    layer = WithoutWebSocketCompression(inner)
    layer({"HTTP_SEC_WEBSOCKET_EXTENSIONS": "permessage-deflate", "PATH_INFO": "/"}, None)
    assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in seen and seen["PATH_INFO"] == "/"
