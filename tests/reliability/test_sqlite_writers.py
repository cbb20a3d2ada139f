"""SQLite under many concurrent writers: every send and every journal save succeeds, none locks."""

from __future__ import annotations

import re
import threading
import time

from tests.reliability.clients import FailoverClient
from tests.support.live_room import make_live_room, post_form
from tests.support.live_server import cookie_header

PEOPLE = 5
SOCKETS_EACH = 4  # 20 concurrent clients (registering is slow: production password hashing)
MEMBERS = PEOPLE * SOCKETS_EACH
PER_MEMBER = 10
JOURNAL_WRITERS = 4
ENTRIES_EACH = 8


def test_concurrent_writers_on_sqlite_never_see_a_locked_database(
    live_server_factory, tmp_path, room_clients
):
    server = live_server_factory(database_url=f"sqlite:///{tmp_path / 'writers.db'}")
    names = [f"member{n}" for n in range(MEMBERS)]
    room = make_live_room(server, names)
    clients = []
    for name in names:
        client = FailoverClient(
            [server.url], cookie_header(room.people[name]), room.session_id, name
        )
        clients.append(client.connect())
        room_clients.append(client)

    answers: list[dict] = []
    saved: list[str] = []
    start = threading.Barrier(MEMBERS + JOURNAL_WRITERS)

    def talk(client: FailoverClient) -> None:
        start.wait()
        for n in range(PER_MEMBER):
            answers.append(client.send(f"{client.name}:{n}", f"{client.name}-{n}"))

    def write(name: str) -> None:
        http = room.people[name]
        start.wait()
        for n in range(ENTRIES_EACH):
            saved.append(post_form(server, http, "/journal/new", {"body": f"entry {n}"}))

    threads = [threading.Thread(target=talk, args=(c,)) for c in clients]
    threads += [threading.Thread(target=write, args=(n,)) for n in names[:JOURNAL_WRITERS]]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    seconds = time.monotonic() - began

    refused = [a for a in answers if not a.get("ok")]
    total = MEMBERS * PER_MEMBER
    ids = {a["message"]["id"] for a in answers if a.get("ok")}
    for client in clients:
        client.wait_for(lambda c: ids <= set(c.messages), 30)
    missing = sum(len(ids - set(c.messages)) for c in clients)
    log = server.log()
    print(
        f"\nsqlite writers: {MEMBERS} sockets of {PEOPLE} people x {PER_MEMBER} sends + "
        f"{JOURNAL_WRITERS} x {ENTRIES_EACH} journal saves in {seconds:.1f} s: acked "
        f"{len(ids)}/{total}, refused {len(refused)}, journal saved {len(saved)}, missing "
        f"deliveries {missing}, 'locked' in log {log.count('locked')}"
    )
    assert not refused, refused[:3]
    assert len(ids) == total
    assert len(saved) == JOURNAL_WRITERS * ENTRIES_EACH
    assert all(re.search(r"/journal/\d+$", location) for location in saved), saved[:3]
    assert missing == 0
    assert "locked" not in log.lower() and "Traceback" not in log
