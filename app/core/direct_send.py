"""Writing each room message straight to the member's socket, not through a writer greenlet.

python-engineio gives every WebSocket a queue and a writer greenlet: `Socket.send` puts the
packet on the queue, and the writer wakes, takes it, frames it and writes it. For a message to a
room of ten that is, per member, a timer in eventlet's hub, two greenlet switches, a poll of the
queue that ends in a raised `Empty`, and the frame write. Measured in the running server (rooms of
10, SQLite, 500 msg/s, 15 s steps), that machinery was about a quarter of the CPU per delivery:
137-170 µs with this module, 192-198 without; the bare server of the benchmark went from 158 to
99 µs with it (docs/performance.md, tenth round).

Under eventlet, `install` replaces `Socket.send` with one that writes a message's frame itself,
in the sending greenlet, when nothing else is in the way, and otherwise queues it as before:

- only Engine.IO MESSAGE packets (every Socket.IO event and ack); PING, CLOSE and NOOP still go
  through the queue. The writer's wait for its queue times out after `ping_interval +
  ping_timeout` and then closes the socket, so the writer must keep seeing the pings.
- only once the socket is on WebSocket, not while a polling client is upgrading.
- only when the queue is empty and nobody holds or waits for the socket's send lock: then
  every packet sent earlier is already on the wire, and this one goes next, as the writer would
  have sent it. eventlet's `Semaphore.acquire` yields when another greenlet waits for it, even
  when it is free; with no waiter it does not, so a broadcast never pauses half-way through a
  room.
- the write is one non-blocking `send` on the socket. What the kernel does not take at once (a
  member's connection is slow or full) is written by a greenlet of its own that holds the send
  lock until the frame is out; the writer, and any later message, wait for that lock or queue,
  so frames never interleave and the order stays the order of sending.
- a write that fails (the member has gone) queues the packet instead, and the writer fails on
  it and closes the socket, exactly as before.

The bytes on the wire are the writer's: the same packet encoding, framed by the same
`_pack_message`. The bare python-socketio servers of the benchmark do not have this; the
performance doc gives the ratios both ways. gevent keeps the library's writer: gevent-websocket
has no send lock to order a direct write against it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket

# A socket that takes none of the frame raises one of these on a non-blocking send.
_WOULD_BLOCK = {errno.EAGAIN, errno.EWOULDBLOCK}

log = logging.getLogger(__name__)


def install(mode: str) -> None:
    """Use direct writes for room messages in the WebSocket server of `mode` (eventlet only)."""
    if mode != "eventlet" or not _eventlet_fits():
        return
    from engineio.socket import Socket

    if getattr(Socket.send, "direct_send", False):
        return
    Socket.websocket = None  # the eventlet WebSocket of a socket while it is open
    Socket._websocket_handler = _remembering_websocket(Socket._websocket_handler)
    Socket.send = _direct(Socket.send)


def _eventlet_fits() -> bool:
    """Does eventlet still have what the direct write reads? (Its send lock's count and waiters,
    the WebSocket's frame packing.) If a release renames them, the library's writer stays."""
    from eventlet.semaphore import Semaphore
    from eventlet.websocket import RFC6455WebSocket

    lock = Semaphore()
    fits = all(hasattr(lock, name) for name in ("counter", "_waiters"))
    fits = fits and callable(getattr(RFC6455WebSocket, "_pack_message", None))
    if not fits:
        log.warning("eventlet has changed: room messages go through Engine.IO's writer")
    return fits


def _remembering_websocket(handler):
    """Engine.IO's WebSocket handler, keeping the eventlet WebSocket on the socket meanwhile."""
    from eventlet.websocket import RFC6455WebSocket

    def _websocket_handler(self, ws):
        if isinstance(ws, RFC6455WebSocket):
            self.websocket = ws
        try:
            return handler(self, ws)
        finally:
            self.websocket = None

    return _websocket_handler


def _direct(queued_send):
    """`Socket.send`, writing MESSAGE packets itself when it can (see the module docstring)."""
    from engineio import packet

    def send(self, pkt):
        ws = self.websocket
        if ws is None or pkt.packet_type != packet.MESSAGE or not self.upgraded or self.upgrading:
            return queued_send(self, pkt)
        if not self.check_ping_timeout():
            return None
        lock = ws._sendlock
        if self.queue.qsize() or lock.counter <= 0 or lock._waiters:
            self.queue.put(pkt)  # something is ahead of it: keep the order
        elif not write_frame(ws, ws._pack_message(pkt.encode())):
            self.queue.put(pkt)  # the socket failed: the writer meets it and closes
        self.server.logger.info(
            "%s: Sending packet %s data %s",
            self.sid,
            packet.packet_names[pkt.packet_type],
            pkt.data if not isinstance(pkt.data, bytes) else "<binary>",
        )
        return None

    send.direct_send = True
    return send


def write_frame(ws, frame: bytes) -> bool:
    """Write `frame` on `ws`'s socket in order, without waiting: False if the socket failed.

    The caller has checked that the send lock is free with no waiter, so taking it does not
    yield. What a non-blocking send leaves over is finished by a greenlet of its own, which
    keeps the lock until the frame is out.
    """
    import eventlet

    lock = ws._sendlock
    lock.acquire()
    try:
        sent = ws.socket.fd.send(frame)
    except OSError as error:
        if error.errno not in _WOULD_BLOCK:
            lock.release()
            return False
        sent = 0
    if sent == len(frame):
        lock.release()
    else:
        eventlet.spawn_n(_finish, ws.socket, memoryview(frame)[sent:], lock)
    return True


def _finish(sock, rest, lock) -> None:
    """Write the rest of a frame, then let the next one go.

    It waits as the writer would: up to the socket's timeout, which Engine.IO sets to the ping
    interval plus the ping timeout. If the connection fails or times out, it is shut down: the
    socket's reader sees it end and closes the Engine.IO socket, as the writer does when its own
    write fails.
    """
    try:
        sock.sendall(rest)
    except OSError:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    finally:
        lock.release()
