"""Incoming WebSocket frames unmasked in one XOR: the same bytes as the libraries' own loops."""

from __future__ import annotations

import os

import pytest
from eventlet.websocket import RFC6455WebSocket
from geventwebsocket.websocket import Header

from app.core import serving, websocket_mask

KEY = (0x9C, 0x01, 0xFE, 0x37)
SIZES = (0, 1, 3, 4, 5, 125, 126, 180, 2_000, 65_536, 70_001)


def _byte_by_byte(data: bytes, mask, offset: int = 0) -> bytes:
    """RFC 6455, 5.3: octet i of the payload XOR octet (i mod 4) of the key."""
    return bytes(byte ^ mask[(offset + i) % 4] for i, byte in enumerate(data))


@pytest.fixture
def restored(monkeypatch):
    """The libraries' functions put back after the test, whatever it installs."""
    monkeypatch.setattr(RFC6455WebSocket, "_apply_mask", RFC6455WebSocket.__dict__["_apply_mask"])
    monkeypatch.setattr(Header, "mask_payload", Header.mask_payload)
    monkeypatch.setattr(Header, "unmask_payload", Header.unmask_payload)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("offset", [0, 1, 2, 3, 6])
def test_unmask_gives_the_bytes_of_the_rfc(size, offset):
    data = os.urandom(size)
    assert websocket_mask.unmask(data, KEY, offset) == _byte_by_byte(data, KEY, offset)


def test_unmasking_twice_gives_the_payload_back_and_keeps_leading_zeros():
    payload = b"\x00\x00\x00hello"
    masked = websocket_mask.unmask(payload, KEY)
    assert websocket_mask.unmask(masked, KEY) == payload
    zeros = websocket_mask.unmask(bytes(KEY), KEY)
    assert zeros == b"\x00\x00\x00\x00", "the length is kept even when the result starts at 0"


@pytest.mark.parametrize("size", [0, 1, 7, 180, 2_000])
@pytest.mark.parametrize("offset", [0, 3])
def test_eventlet_gets_the_same_answer_as_its_own_loop(restored, size, offset):
    data = os.urandom(size + 5)
    mask = list(KEY)  # eventlet's client side passes a list, its server side a tuple
    own = RFC6455WebSocket._apply_mask(data, mask, length=size, offset=offset)
    websocket_mask.install("eventlet")
    assert RFC6455WebSocket._apply_mask is websocket_mask._eventlet_apply_mask
    assert RFC6455WebSocket._apply_mask(data, mask, length=size, offset=offset) == own
    assert RFC6455WebSocket._apply_mask(data[:size], tuple(KEY), offset=offset) == own


@pytest.mark.parametrize("size", [0, 1, 7, 180, 2_000])
def test_gevent_websocket_gets_the_same_answer_as_its_own_loop(restored, size):
    header = Header(length=size)
    header.mask = bytes(KEY)
    data = os.urandom(size)
    own = header.unmask_payload(data)
    websocket_mask.install("gevent")
    fast = header.unmask_payload(data)
    assert fast == own and isinstance(fast, bytearray)
    assert header.mask_payload(bytearray(data)) == own


def test_serving_installs_it_for_the_runtime_it_serves(restored, monkeypatch):
    monkeypatch.setattr(serving, "settle_garbage_collector", lambda: None)
    monkeypatch.setattr(serving, "serve_eventlet", lambda app, host, port: None)
    monkeypatch.setattr(serving.direct_send, "install", lambda mode: None)
    serving.serve(serving.Flask(__name__), "127.0.0.1", 0, "eventlet")
    assert RFC6455WebSocket.__dict__["_apply_mask"].__func__ is websocket_mask._eventlet_apply_mask
