"""An XSS corpus through every place user text appears, in a real Chromium: nothing executes.

Payloads go in through the real forms and sockets of a live server: display names, a circle's
name, description and agreements, a session title, live-room messages and content notes, pinned
circle resources (links and Markdown notes) and journal entries (title and Markdown body). Then
every page that shows them is opened in Chromium with a trap: each payload would set
`window.__xss` or open a dialog. CSP violations are fine (they mean "blocked"); execution is not.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import requests
import socketio

from tests.support.live_server import cookie_header

PASSWORD = "a long gentle passphrase"
# Every payload, if it ran, would set window.__xss or open a dialog.
CORPUS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=2>",
    "<svg onload=window.__xss=3>",
    '"><script>window.__xss=4</script>',
    "'><img src=x onerror=alert(5)>",
    "[click](javascript:window.__xss=6)",
    "[data](data:text/html,<script>alert(7)</script>)",
    '<a href="javascript:window.__xss=8">link</a>',
    "<iframe srcdoc='<script>parent.__xss=9</script>'></iframe>",
    "<scr<script>ipt>window.__xss=10</script>",
    "<details open ontoggle=window.__xss=11>",
    '<div style="background:url(javascript:alert(12))">x</div>',
    "![x](x onerror=window.__xss=13)",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=14>",
    "<svg><a xlink:href='javascript:window.__xss=15'><text y=20>x</text></a></svg>",
    "</textarea><script>window.__xss=16</script>",
    "<body onload=window.__xss=17>",
    "`<img src=x onerror=window.__xss=18>`",
]
SOON = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
SHORT = ["<img src=x onerror=alert(1)>", "<svg onload=alert(2)>", '"><b onclick=alert(3)>']
TRAP = """
window.__xss = 0;
window.alert = window.confirm = window.prompt = function () { window.__xss = 'dialog'; };
"""


def csrf(http: requests.Session, url: str) -> str:
    """The CSRF token of the form on this page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(url, timeout=10).text)
    assert match, f"no form on {url}"
    return match.group(1)


def post(server, http, path: str, data: dict, form_page: str | None = None) -> requests.Response:
    """POST a form with its CSRF token; refusals (400) are fine: the payload never got in."""
    token = csrf(http, f"{server.url}{form_page or path}")
    return http.post(
        f"{server.url}{path}",
        data={"csrf_token": token, **data},
        allow_redirects=False,
        timeout=10,
    )


def register(server, username: str, display_name: str) -> requests.Session:
    """Register with a hostile display name; fall back to a plain one if it is refused."""
    http = requests.Session()
    data = {
        "username": username,
        "display_name": display_name,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_terms": "y",
    }
    if post(server, http, "/auth/register", data).status_code != 302:
        post(server, http, "/auth/register", {**data, "display_name": username.title()})
    return http


def plant_everything(server) -> dict:
    """Put the corpus everywhere user text can go; return the pages that show it."""
    host = register(server, "host", SHORT[0])
    guest = register(server, "guest", SHORT[1])
    names = iter(CORPUS)
    response = post(
        server, host, "/circles/new", {"name": SHORT[2], "description": "\n".join(CORPUS)}
    )
    if response.status_code != 302:
        response = post(
            server, host, "/circles/new", {"name": "Circle", "description": "\n".join(CORPUS)}
        )
    circle = int(re.search(r"/circles/(\d+)", response.headers["Location"]).group(1))
    post(
        server,
        host,
        f"/circles/{circle}/edit",
        {
            "name": next(names)[:80],
            "description": "\n".join(CORPUS),
            "agreements": "\n".join(CORPUS[:10]),
        },
    )
    post(server, guest, f"/circles/{circle}/join", {"accept_agreements": "y"})
    response = post(
        server,
        host,
        f"/circles/{circle}/sessions/new",
        {"title": CORPUS[1][:120], "starts_at": SOON, "timezone": "UTC"},
    )
    if response.status_code != 302:
        response = post(
            server,
            host,
            f"/circles/{circle}/sessions/new",
            {"title": "Session", "starts_at": SOON, "timezone": "UTC"},
        )
    session = int(re.search(r"/sessions/(\d+)", response.headers["Location"]).group(1))
    resources = f"/circles/{circle}/resources"
    for payload in CORPUS[:8]:
        post(
            server,
            host,
            f"{resources}/new",
            {"kind": "note", "title": payload[:80], "body": payload},
            resources,
        )
    for url in ("javascript:window.__xss=20", "data:text/html,<script>alert(21)</script>"):
        post(
            server,
            host,
            f"{resources}/new",
            {"kind": "link", "title": "a link", "url": url},
            resources,
        )
    send_messages(server, guest, session)
    entries = []
    for payload in CORPUS:
        response = post(server, guest, "/journal/new", {"title": payload[:120], "body": payload})
        match = re.search(r"/journal/(\d+)", response.headers.get("Location", ""))
        if match:
            entries.append(int(match.group(1)))
    pages = {
        "host": [
            "/circles/",
            f"/circles/{circle}",
            f"/circles/{circle}/members",
            f"/circles/{circle}/edit",
            resources,
            f"/sessions/{session}",
        ],
        "guest": [
            f"/circles/{circle}",
            f"/sessions/{session}",
            "/journal/",
            "/journal/search?q=script",
            *[f"/journal/{entry}" for entry in entries[:6]],
        ],
    }
    return {"people": {"host": host, "guest": guest}, "pages": pages, "entries": len(entries)}


def send_messages(server, http, session_id: int) -> None:
    """Join the room over a real socket and send every payload as a message and a content note."""
    client = socketio.Client(reconnection=False)
    client.connect(server.url, headers={"Cookie": cookie_header(http)}, transports=["websocket"])
    try:
        assert client.call("session:join", {"session_id": session_id}, timeout=10)["ok"]
        for number, payload in enumerate(CORPUS):
            note = SHORT[number % len(SHORT)]
            answer = client.call(
                "message:send",
                {
                    "session_id": session_id,
                    "client_id": f"x{number}",
                    "body": payload,
                    "content_warning": note,
                },
                timeout=10,
            )
            assert answer["ok"] or answer["error"]["code"] == "rate_limited", answer
    finally:
        client.disconnect()


def test_nothing_in_the_corpus_executes_anywhere(live_server, new_page):
    planted = plant_everything(live_server)
    executed, dialogs, visited = [], [], 0
    for person, paths in planted["pages"].items():
        page = new_page()
        page.add_init_script(TRAP)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.context.add_cookies(
            [
                {"name": c.name, "value": c.value, "url": live_server.url}
                for c in planted["people"][person].cookies
            ]
        )
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if "/sessions/" in path:  # messages arrive over the socket after load
                page.locator(".msg").first.wait_for(timeout=10_000)
                toggles = page.get_by_role("button", name="Show message")
                for _ in range(len(CORPUS)):  # open every content note: render its body too
                    if not toggles.count():
                        break
                    toggles.first.click()
            for link in page.locator("a[href^='javascript:'], a[href^='data:']").all():
                executed.append(f"{path}: dangerous link {link.get_attribute('href')}")
            if "/sessions/" in path or path.endswith("/resources") or path == "/journal/":
                shown = page.locator("main").inner_text()
                assert "__xss" in shown or "alert(" in shown, f"no payload shown on {path}"
            value = page.evaluate("window.__xss")
            visited += 1
            if value:
                executed.append(f"{path} as {person}: window.__xss = {value!r}")
        assert not page.js_errors or all("Content Security Policy" in e for e in page.js_errors), (
            page.js_errors
        )
    entries = planted["entries"]
    print(f"xss: {len(CORPUS)} payloads, {entries} journal entries, {visited} pages visited")
    assert visited >= 12
    assert not dialogs, dialogs
    assert not executed, executed
