"""Room messages written straight to the socket under eventlet, in order, as the writer would.

These run an eventlet WebSocket over a real socket pair in this process (eventlet's hub runs in
the test's thread; nothing is monkey-patched). The transport tests run the real server with it
(tests/transport/test_direct_send.py).
"""

from __future__ import annotations

import eventlet
import pytest
from engineio import packet
from engineio.server import Server
from engineio.socket import Socket
from eventlet.green import socket as green_socket
from eventlet.websocket import RFC6455WebSocket

from app.core import direct_send, serving


@pytest.fixture
def restored(monkeypatch):
    """python-engineio's `Socket` put back after the test, whatever it installs."""
    for name in ("send", "_websocket_handler"):
        monkeypatch.setattr(Socket, name, Socket.__dict__[name])
    monkeypatch.setattr(Socket, "websocket", Socket.__dict__.get("websocket"), raising=False)


@pytest.fixture
def pair(restored):
    """An open Engine.IO socket on eventlet's WebSocket, and the member's end of the wire."""
    direct_send.install("eventlet")
    ours, theirs = green_socket.socketpair()
    ws = RFC6455WebSocket(ours, {}, version=13)
    socket = Socket(Server(async_mode="eventlet"), "sid")
    socket.connected = socket.upgraded = True
    socket.websocket = ws
    yield socket, ws, theirs
    ours.close()
    theirs.close()


def _message(text: str) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, text)


def _frame(ws, pkt) -> bytes:
    """The bytes the library's writer would put on the wire for `pkt`."""
    return ws._pack_message(pkt.encode())


def _read(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "the connection ended early"
        data += chunk
    return data


def test_a_message_goes_straight_to_the_wire_in_the_writers_bytes(pair):
    socket, ws, theirs = pair
    pkt = _message('2["message:new",{"body":"Let it move through. 涙"}]')
    socket.send(pkt)
    assert socket.queue.qsize() == 0, "nothing was left for the writer"
    assert not ws._sendlock.locked()
    frame = _frame(ws, pkt)
    assert _read(theirs, len(frame)) == frame


def test_pings_and_closes_still_go_through_the_writer(pair):
    """The writer's wait on its queue times out (and closes the socket) unless pings reach it."""
    socket, _, _ = pair
    ping, close = packet.Packet(packet.PING), packet.Packet(packet.CLOSE)
    socket.send(ping)
    socket.send(close)
    assert [socket.queue.get_nowait(), socket.queue.get_nowait()] == [ping, close]


def test_a_message_waits_behind_what_the_writer_has_not_sent(pair):
    socket, ws, theirs = pair
    socket.send(packet.Packet(packet.PING))
    later = _message("after the ping")
    socket.send(later)
    assert socket.queue.qsize() == 2, "queued behind the ping, not written ahead of it"
    ws._sendlock.acquire()  # the writer in the middle of a frame
    try:
        while socket.queue.qsize():
            socket.queue.get_nowait()
        held = _message("while the writer writes")
        socket.send(held)
        assert socket.queue.get_nowait() is held
    finally:
        ws._sendlock.release()
    theirs.setblocking(False)
    with pytest.raises(BlockingIOError):
        theirs.recv(1)  # nothing was written past the writer


def test_a_message_waits_while_the_writer_waits_for_the_lock(pair):
    """eventlet's lock yields to a waiter even when free: then the message queues instead."""
    socket, ws, _ = pair
    ws._sendlock._waiters.append(object())
    try:
        pkt = _message("someone is waiting")
        socket.send(pkt)
        assert socket.queue.get_nowait() is pkt
    finally:
        ws._sendlock._waiters.clear()


def test_a_frame_the_socket_cannot_take_at_once_is_finished_in_order(pair):
    socket, ws, theirs = pair
    big = _message("x" * 2_000_000)  # far more than a socket pair buffers
    socket.send(big)
    assert ws._sendlock.locked(), "the rest is being written: the lock is held until it is out"
    after = _message("the next message")
    socket.send(after)
    assert socket.queue.get_nowait() is after, "a later message waits its turn"
    expected = _frame(ws, big)
    reader = eventlet.spawn(_read, theirs, len(expected))
    assert reader.wait() == expected
    eventlet.sleep(0)  # the finishing greenlet lets go of the lock
    assert not ws._sendlock.locked()
    socket.send(after)
    assert _read(theirs, len(_frame(ws, after))) == _frame(ws, after)


def test_a_failed_write_leaves_the_packet_for_the_writer_to_fail_on(pair):
    socket, ws, theirs = pair
    theirs.close()
    ws.socket.fd.shutdown(green_socket.SHUT_WR)  # writing now fails at once (EPIPE)
    pkt = _message("to someone who has gone")
    socket.send(pkt)
    assert socket.queue.get_nowait() is pkt
    assert not ws._sendlock.locked()


def test_a_socket_still_polling_or_upgrading_uses_the_queue(pair):
    socket, _, _ = pair
    socket.upgrading = True
    pkt = _message("during the upgrade")
    socket.send(pkt)
    assert socket.queue.get_nowait() is pkt
    socket.upgrading, socket.websocket = False, None
    socket.send(pkt)
    assert socket.queue.get_nowait() is pkt


def test_the_handler_keeps_the_websocket_only_while_it_runs(restored):
    seen = []
    Socket._websocket_handler = lambda self, ws: seen.append(self.websocket) or []
    direct_send.install("eventlet")
    socket = Socket(Server(async_mode="eventlet"), "sid")
    ours, theirs = green_socket.socketpair()
    ws = RFC6455WebSocket(ours, {}, version=13)
    assert socket._websocket_handler(ws) == []
    assert seen == [ws] and socket.websocket is None
    ours.close()
    theirs.close()


def test_it_is_installed_once_and_only_under_eventlet(restored):
    stock = Socket.send
    direct_send.install("gevent")
    assert Socket.send is stock
    direct_send.install("eventlet")
    installed = Socket.send
    assert installed is not stock and installed.direct_send
    direct_send.install("eventlet")
    assert Socket.send is installed, "a second install does not wrap it twice"


def test_a_changed_eventlet_keeps_the_librarys_writer(restored, monkeypatch, caplog):
    from eventlet import semaphore

    class Renamed:  # a lock whose waiters are no longer where the direct write looks
        counter = 1

    monkeypatch.setattr(semaphore, "Semaphore", Renamed)
    stock = Socket.send
    direct_send.install("eventlet")
    assert Socket.send is stock
    assert "eventlet has changed" in caplog.text


def test_serving_installs_it_for_the_runtime_it_serves(restored, monkeypatch):
    monkeypatch.setattr(serving, "settle_garbage_collector", lambda: None)
    monkeypatch.setattr(serving.websocket_mask, "install", lambda mode: None)
    monkeypatch.setattr(serving, "serve_gevent", lambda app, host, port: None)
    monkeypatch.setattr(serving, "serve_eventlet", lambda app, host, port: None)
    stock = Socket.send
    serving.serve(serving.Flask(__name__), "127.0.0.1", 0, "gevent")
    assert Socket.send is stock
    serving.serve(serving.Flask(__name__), "127.0.0.1", 0, "eventlet")
    assert getattr(Socket.send, "direct_send", False)
