"""Two processes behind a private Redis; one is SIGKILLed mid-burst and its members fail over."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from tests.reliability.clients import FailoverClient, sender_order_problems
from tests.support.live_room import make_live_room
from tests.support.live_server import cookie_header

SENDERS = 6
LISTENERS = 2
PER_SENDER = 50  # 300 messages in all


def test_sigkill_mid_burst_loses_nothing_and_doubles_nothing(two_servers, room_clients):
    server_a, server_b = two_servers
    began = time.monotonic()
    senders = [f"sender{n}" for n in range(SENDERS)]
    listeners = [f"listener{n}" for n in range(LISTENERS)]
    room = make_live_room(server_a, senders + listeners)
    urls = [server_a.url, server_b.url]
    clients: dict[str, FailoverClient] = {}
    for n, name in enumerate(senders + listeners):
        first = urls[n % 2]  # half start on A (to be killed), half on B
        http = room.people[name]  # registering logged them in; the cookie works on B too
        client = FailoverClient(
            [first] + [u for u in urls if u != first], cookie_header(http), room.session_id, name
        )
        clients[name] = client.connect()
        room_clients.append(client)
    on_a = [c for c in clients.values() if c.urls[0] == server_a.url]

    set_up = time.monotonic() - began
    acked: dict[str, list[int]] = {name: [] for name in senders}
    answers: dict[str, dict] = {}  # client_id: the acked message
    third = threading.Event()
    total = SENDERS * PER_SENDER

    def burst(name: str) -> None:
        client = clients[name]
        for n in range(PER_SENDER):
            answer = client.send(f"{name}:{n}", f"{name}-{n}")
            assert answer.get("ok"), answer
            acked[name].append(answer["message"]["id"])
            answers[answer["message"]["client_id"]] = answer["message"]
            if sum(len(v) for v in acked.values()) >= total // 3:
                third.set()

    threads = [threading.Thread(target=burst, args=(name,)) for name in senders]
    for thread in threads:
        thread.start()
    assert third.wait(120), "the burst never got going"
    killed_at, killed_wall = time.monotonic(), datetime.now(UTC)
    server_a.stop(kill=True)
    for thread in threads:
        thread.join(180)
    assert not any(t.is_alive() for t in threads), "a sender never finished"

    expected = {i for ids in acked.values() for i in ids}
    assert len(expected) == total, "every send acknowledged exactly once"
    # Lost and duplicated are judged on what each member sees (each id drawn once, in id order);
    # a `message:new` repeating an id (a resend announced again) is reported, not a failure.
    lost_total = duplicates_total = repeats_total = 0
    problems: list[str] = []
    for client in clients.values():
        client.wait_for(lambda c: expected <= set(c.messages), 60)
        with client.lock:
            lost_total += len(expected - set(client.messages))
            duplicates_total += client.duplicates
            repeats_total += client.repeats
            extra = set(client.messages) - expected
        problems += [f"{client.name}: {len(extra)} messages nobody sent"] if extra else []
        problems += sender_order_problems(client)
    recovery = [c.reconnected_at[-1] - killed_at for c in on_a if c.reconnected_at]

    # The defect's window: resends of messages the killed process had already stored. Members who
    # never left B can only have had them live: after the resend, from its announcement again.
    resent = {cid: at for name in senders for cid, at in clients[name].resent_at.items()}
    stored_before = [
        (answers[cid], at)
        for cid, at in resent.items()
        if datetime.fromisoformat(answers[cid]["created_at"]) < killed_wall
    ]
    stayed = [c for c in clients.values() if c.connections == 1]
    reached_by_resend = sum(
        1
        for message, at in stored_before
        for client in stayed
        if client.arrived_at.get(message["id"], 0) > at
    )

    # What is stored: each (sender, n) exactly once, whatever was resent.
    auditor = FailoverClient(
        [server_b.url],
        cookie_header(room.people["holder"]),
        room.session_id,
        "auditor",
    ).connect()
    room_clients.append(auditor)
    stored = [m["body"] for m in auditor.messages.values()]
    print(
        f"\nsigkill: {total} messages from {SENDERS} senders, {len(clients)} members "
        f"({len(on_a)} on the killed process): lost {lost_total}, duplicated {duplicates_total}, "
        f"repeated message:new {repeats_total}, stored {len(stored)} ({len(set(stored))} "
        f"distinct), failover "
        f"{min(recovery, default=0):.2f}-{max(recovery, default=0):.2f} s, "
        f"set-up {set_up:.1f} s, burst done {time.monotonic() - killed_at:.1f} s after the kill; "
        f"resent {len(resent)} ({len(stored_before)} stored before the kill), reaching "
        f"{reached_by_resend} member(s) on B only through the resend's announcement"
    )
    assert len(recovery) == len(on_a), "every member of the killed process came back"
    assert lost_total == 0, f"lost {lost_total}"
    assert duplicates_total == 0, f"duplicated {duplicates_total}"
    assert len(stored) == len(set(stored)) == total, "stored exactly once"
    assert not problems, problems
    assert "Traceback" not in server_b.log()
