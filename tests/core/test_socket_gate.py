"""The socket gate's count of unconnected sockets, without a server: the cap and turning it off."""

from __future__ import annotations

from app.core.socket_gate import SocketGate


def _handshake_app(environ, start_response):
    """Answers like an Engine.IO polling handshake (`0{"sid": ...}`)."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b'0{"sid":"s-%d"}' % id(environ)]


def _open(gate: SocketGate, address: str = "10.0.0.7") -> str:
    statuses = []
    environ = {"PATH_INFO": "/socket.io/", "QUERY_STRING": "EIO=4&transport=polling"}
    environ["REMOTE_ADDR"] = address
    gate(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


def test_an_address_past_its_cap_is_answered_429_and_others_are_not():
    gate = SocketGate(_handshake_app, "/socket.io", cap=2)
    assert [_open(gate) for _ in range(3)] == ["200 OK", "200 OK", "429 Too Many Requests"]
    assert _open(gate, "10.0.0.8") == "200 OK", "another address has its own count"


def test_a_connect_frees_its_place():
    gate = SocketGate(_handshake_app, "/socket.io", cap=1)
    environ = {"PATH_INFO": "/socket.io/", "QUERY_STRING": "EIO=4", "REMOTE_ADDR": "10.0.0.7"}
    gate(environ, lambda status, headers: None)
    assert _open(gate) == "429 Too Many Requests"
    gate.connected(environ)
    assert _open(gate) == "200 OK"


def test_a_cap_of_zero_turns_it_off_for_load_tests_from_one_machine():
    gate = SocketGate(_handshake_app, "/socket.io", cap=0)
    assert {_open(gate) for _ in range(300)} == {"200 OK"}
    assert len(gate.overdue()) == 0, "still counted for the grace period, none overdue yet"
