"""The shipped stack, through nginx only: TLS, a message across apps, failover, logs.

One topology per module (tests/deploy/conftest.py); the tests run in this order and each leaves
both apps healthy for the next (`stack.settle()`), except the last, which stops them.
"""

from __future__ import annotations

import re
import signal
import time
import uuid

import pytest

from tests.deploy.clients import (
    Burst,
    Figures,
    NginxMember,
    PollingMember,
    browser_page,
    losses,
    new_room_members,
    stayed_report,
    summary,
)
from tests.deploy.topology import SERVER_NAME
from tests.support.live_room import PASSWORD, make_live_room

FROZEN_DEADLINE = 10.0  # issue 26: a frozen app's people are back, on the other app, within 10 s


@pytest.fixture(scope="module")
def figures():
    """Failover figures of this module, saved at its end."""
    collected = Figures()
    yield collected
    collected.save()


@pytest.fixture(scope="module")
def sids():
    """Every Engine.IO / Socket.IO session id handed to a test client in this module."""
    return set()


@pytest.fixture(scope="module")
def room(stack):
    """One circle and session, set up through nginx, with a facilitator and eight members."""
    return make_live_room(stack.front, [f"mem{n}" for n in range(8)])


@pytest.fixture
def members():
    """Clients to close after the test."""
    made: list = []
    yield made
    for member in made:
        member.close()


def test_plain_http_redirects_and_nginx_serves_its_part(stack):
    front = stack.front
    http = front.session()
    redirect = http.get(f"{front.http_url}/circles?page=2", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"https://127.0.0.1:{stack.ports.https}/circles?page=2"

    for base in (front.url, front.http_url):
        health = http.get(f"{base}/nginx-health", timeout=10)
        assert (health.status_code, health.json()) == (200, {"status": "ok"})

    page = http.get(f"{front.url}/about/privacy", timeout=10)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    stylesheet = re.search(r'href="(/static/v/[0-9a-f]+/css/holdspace\.css)"', page.text).group(1)
    versioned = http.get(f"{front.url}{stylesheet}", headers={"Accept-Encoding": "gzip"})
    assert versioned.status_code == 200
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["Content-Encoding"] == "gzip"
    assert "Cookie" not in versioned.headers.get("Vary", "")  # from nginx: every app answer varies
    plain = http.get(f"{front.url}/static/css/holdspace.css", timeout=10)
    assert plain.headers["Cache-Control"] == "no-cache"
    assert "Content-Encoding" not in page.headers  # pages are never compressed (BREACH)

    too_big = http.post(f"{front.url}/auth/login", data=b"x" * (3 * 1024 * 1024), timeout=30)
    assert too_big.status_code == 413
    assert "That was more than we can take in at once" in too_big.text
    assert 'href="/static/css/holdspace.css"' in too_big.text


def test_a_browser_registers_over_https_on_a_real_name(stack, browser):
    page = browser_page(browser)
    page.goto(f"http://{SERVER_NAME}:{stack.ports.http}/auth/register")
    assert page.url == f"{stack.front.named_url}/auth/register"  # redirected to https
    assert page.locator(".plain-http").count() == 0
    page.fill("#username", f"b{uuid.uuid4().hex[:8]}")
    page.fill("#display_name", "Browser Person")
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.check("#accept_terms")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").count() == 1, page.content()
    cookie = next(c for c in page.context.cookies() if c["name"] == "holdspace_session")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["domain"] == SERVER_NAME
    assert page.js_errors == []
    page.context.close()


def test_a_browser_in_the_room_talks_with_someone_on_the_other_app(
    stack, room, browser, members, sids
):
    from playwright.sync_api import expect

    stack.settle()
    page = browser_page(browser)
    page.goto(f"{stack.front.named_url}/auth/login")
    page.fill("#username", "mem7")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{stack.front.named_url}/sessions/{room.session_id}")
    expect(page.locator("#room-status")).to_have_text("Connected")  # origin, modules, socket
    pinned = next(c["value"] for c in page.context.cookies() if c["name"] == "holdspace_app")
    other = "app2" if pinned == "app1" else "app1"
    (listener,) = new_room_members(room, stack.front, ["mem6"], [other], sids)
    members.append(listener)

    page.get_by_label("Your message", exact=True).fill("hello from a browser")
    page.keyboard.press("Enter")
    assert listener.wait_for(
        lambda m: any(x["body"] == "hello from a browser" for x in m.messages.values()), 15
    )
    listener.send("and hello back from the other app", "browser-reply")
    expect(page.locator(".msg", has_text="and hello back from the other app")).to_be_visible()
    assert page.js_errors == []
    page.context.close()


def test_a_message_crosses_apps_through_nginx(stack, room, members, sids, figures):
    stack.settle()
    first, second = new_room_members(room, stack.front, ["mem0", "mem1"], ["app1", "app2"], sids)
    members += [first, second]
    browser = stack.front.session()  # a browser of mem2's, keeping its own cookies
    browser.cookies = room.people["mem2"].cookies.copy()
    polling = PollingMember(stack.front, browser, room.session_id, "mem2", sids)
    members.append(polling.connect())
    assert polling.app() in ("app1", "app2")  # nginx pinned the browser-like client itself

    sent_at = time.monotonic()
    one = first.send("cross:from app1", "cross-1")["message"]
    assert second.wait_for(lambda m: one["id"] in m.messages, 10)
    crossed = time.monotonic() - sent_at
    two = second.send("cross:from app2", "cross-2")["message"]
    assert first.wait_for(lambda m: two["id"] in m.messages, 10)
    deadline = time.monotonic() + 10
    while {one["id"], two["id"]} - set(polling.messages) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert {one["id"], two["id"]} <= set(polling.messages)
    figures.add("crossing", f"app1 -> nginx -> app2 delivery, one message: {crossed * 1000:.0f} ms")


def test_sigkill_of_an_app_loses_nothing(stack, room, members, sids, figures):
    stack.settle()
    names = [f"mem{n}" for n in range(6)]
    pins = ["app1", "app2"] * 3
    people = new_room_members(room, stack.front, names, pins, sids)
    members += people
    on_app1 = [m for m in people if m.pin == "app1"]
    burst = Burst(people[:4], per_sender=40, tag="kill-").start()
    burst.wait_for_more(50)
    killed_at = time.monotonic()
    killed_pid = stack.apps["app1"].signal_app(signal.SIGKILL)
    expected = burst.finish()
    back_again = stack.apps["app1"].wait_for_new_app(killed_pid) - killed_at

    outcome = losses(people, expected, "kill-")
    recovered = [m.reconnected_at[-1] - killed_at for m in on_app1 if len(m.reconnected_at) > 1]
    figures.add(
        "sigkill",
        f"{len(expected)} messages, {len(people)} members ({len(on_app1)} on the killed app): "
        f"lost {outcome['lost']}, duplicated {outcome['duplicated']}; reconnected and caught up "
        f"through nginx after {summary(recovered)}; the watchdog had a new app1 answering "
        f"{back_again:.1f} s after the kill; {stayed_report(people)}",
    )
    assert len(expected) == 4 * 40
    assert len(recovered) == len(on_app1), [
        (m.name, m.connections, len(m.reconnected_at), m.joined.is_set(), m.sio.connected)
        for m in people
    ]
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0, outcome
    assert not outcome["problems"], outcome["problems"]


def test_a_frozen_app_hands_its_people_to_the_other_within_10s(stack, room, members, sids, figures):
    stack.settle()
    names = [f"mem{n}" for n in range(6)]
    pins = ["app1", "app2"] * 3
    people = new_room_members(room, stack.front, names, pins, sids)
    members += people
    on_app1 = [m for m in people if m.pin == "app1"]
    frozen = stack.apps["app1"]

    frozen_at = time.monotonic()
    frozen_pid = frozen.signal_app(signal.SIGSTOP)
    # Someone arriving during the freeze, pinned to the frozen app (their last visit).
    newcomer = NginxMember(
        stack.front.url, room.people["mem6"], room.session_id, "mem6", "app1", sids
    )
    members.append(newcomer)
    newcomer.connect(timeout=FROZEN_DEADLINE + 20)
    newcomer_in = time.monotonic() - frozen_at
    for member in on_app1:
        assert member.wait_for(lambda m: len(m.reconnected_at) > 1, FROZEN_DEADLINE + 20), (
            f"{member.name} never came back"
        )
    moved = [m.reconnected_at[-1] - frozen_at for m in on_app1]

    # They lost nothing said while they moved.
    burst = Burst([m for m in people if m.pin == "app2"], per_sender=5, tag="freeze-").start()
    expected = burst.finish()
    outcome = losses([*people, newcomer], expected, "freeze-")
    restarted = frozen.wait_for_new_app(frozen_pid) - frozen_at
    figures.add(
        "sigstop",
        f"{len(on_app1)} members on the frozen app were back on the other "
        f"{summary(moved)} after SIGSTOP; a newcomer pinned to the frozen app was in after "
        f"{newcomer_in:.2f} s; the watchdog's new app1 answered {restarted:.1f} s after the "
        f"freeze; {stayed_report(people)}",
    )
    assert max(moved) <= FROZEN_DEADLINE, moved
    assert newcomer_in <= FROZEN_DEADLINE
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0, outcome
    assert "missed 2 checks" in frozen.log()


def test_a_rolling_restart_loses_nothing(stack, room, members, sids, figures):
    stack.settle()
    names = [f"mem{n}" for n in range(6)]
    pins = ["app1", "app2"] * 3
    people = new_room_members(room, stack.front, names, pins, sids)
    members += people
    browser = stack.front.session()
    browser.cookies = room.people["mem7"].cookies.copy()
    browser.cookies.set("holdspace_app", "app2", domain="127.0.0.1", path="/socket.io/")
    polling = PollingMember(stack.front, browser, room.session_id, "mem7", sids).connect()
    members.append(polling)

    burst = Burst(people[:4], per_sender=None, tag="roll-", pause=0.05).start()
    restarted: dict[str, tuple[float, float]] = {}  # app: (stopped at, serving again after)
    for name in ("app1", "app2"):
        burst.wait_for_more(20)
        app = stack.apps[name]
        stopped_at = time.monotonic()
        app.stop()  # SIGTERM to the app's watchdog, as `docker-compose restart` does
        app.start()
        stack.settle()
        restarted[name] = (stopped_at, time.monotonic() - stopped_at)
        if name == "app1":  # the returning app1 took nobody back from app2
            assert polling.connections == 1 and polling.app() == "app2"
    burst.wait_for_more(20)
    expected = burst.finish()
    outcome = losses(people, expected, "roll-")
    deadline = time.monotonic() + 30
    while expected - set(polling.messages) and time.monotonic() < deadline:
        time.sleep(0.1)
    windows = {  # each restart's window: from its stop to the next stop (or the end)
        "app1": (restarted["app1"][0], restarted["app2"][0]),
        "app2": (restarted["app2"][0], time.monotonic()),
    }
    moved = {
        name: [
            min(t for t in m.reconnected_at if begin < t < end) - begin
            for m in people
            if any(begin < t < end for t in m.reconnected_at)
        ]
        for name, (begin, end) in windows.items()
    }
    figures.add(
        "rolling restart",
        f"{len(expected)} messages while app1 then app2 restarted: lost {outcome['lost']}, "
        f"duplicated {outcome['duplicated']}; stopping app1 moved {len(moved['app1'])} members "
        f"in {summary(moved['app1'])}; stopping app2 moved {len(moved['app2'])} in "
        f"{summary(moved['app2'])}; each app was serving again {restarted['app1'][1]:.1f} s / "
        f"{restarted['app2'][1]:.1f} s after its stop; the long-polling member connected "
        f"{polling.connections} times",
    )
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0, outcome
    assert not outcome["problems"], outcome["problems"]
    assert not expected - set(polling.messages), "the long-polling member lost messages"
    assert polling.connections == 2, "moved once (app2's restart), not back when app2 returned"


def test_logs_hold_no_calendar_token_and_no_session_id(stack, room, sids):
    stack.settle()
    http = room.people["mem0"]
    token_page = http.post(
        f"{stack.front.url}/week/calendar",
        data={"csrf_token": stack.front._csrf(http, "/week")},
        timeout=10,
    )
    token = re.search(r"/week/calendar/([A-Za-z0-9_-]{32,})\.ics", token_page.text).group(1)
    visitor = stack.front.session()  # a calendar app: no cookie, just the address
    feed = visitor.get(f"{stack.front.url}/week/calendar/{token}.ics", timeout=10)
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    # A poll with an id no app holds, at each app: python-engineio logs "Invalid session <sid>".
    stranger = "Q" * 20
    for name in ("app1", "app2"):
        answer = visitor.get(
            f"{stack.front.url}/socket.io/?EIO=4&transport=polling&sid={stranger}",
            headers={"Cookie": f"holdspace_app={name}"},
            timeout=10,
        )
        assert answer.status_code == 400
    time.sleep(1)  # let every process write its lines

    logs = stack.logs()
    assert "/week/calendar/[redacted].ics" in logs  # the feed request is logged, redacted
    assert token not in logs
    assert "Invalid session [sid]" in logs
    assert stranger not in logs
    assert len(sids) > 20
    leaked = sorted(sid for sid in sids if sid in logs)
    assert not leaked, f"{len(leaked)} session ids in the logs"
    assert http.cookies["holdspace_session"] not in logs
    assert "CryptographyDeprecationWarning" not in logs


def test_with_no_app_alive_nginx_answers_calmly(stack):
    for app in stack.apps.values():
        app.stop()
    http = stack.front.session()
    page = http.get(f"{stack.front.url}/circles", timeout=15)
    assert page.status_code == 502
    assert "Holdspace is catching its breath" in page.text
    assert "Content-Security-Policy" in page.headers
    health = http.get(f"{stack.front.url}/healthz", timeout=15)
    assert health.status_code == 503
    assert health.json()["error"]["code"] == 503
    nginx_health = http.get(f"{stack.front.url}/nginx-health", timeout=15)
    assert nginx_health.status_code == 503
    assert "no Holdspace app is answering" in nginx_health.text
