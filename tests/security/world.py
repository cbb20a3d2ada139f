"""The demo world for the security suite: seeded people in every site role, and URL filling."""

from __future__ import annotations

import re
from itertools import product

from flask import Flask
from sqlalchemy import inspect, select
from werkzeug.routing import Rule

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD

# The demo seed's people, one per site role (river facilitates the demo circle).
ROLE_USERS = {"member": "sky", "facilitator": "river", "moderator": "harbor", "admin": "admin"}
# URL argument -> the table its ids come from; other `<name>_id` arguments match tables by name.
ARG_TABLES = {
    "circle_id": ["circles"],
    "session_id": ["circle_sessions"],
    "series_id": ["session_series"],
    "user_id": ["users"],
    "entry_id": ["journal_entries"],
}
IDS_PER_ARG = 2
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def seed_demo(app: Flask) -> None:
    """Run the real demo seed, every password DEFAULT_PASSWORD."""
    from app.demo import seed

    with app.app_context():
        seed(if_empty=False, password_factory=lambda: DEFAULT_PASSWORD)


def login(client, username: str, password: str = DEFAULT_PASSWORD, base_url: str | None = None):
    """Log a test client in through the form (with its CSRF token when the app wants one)."""
    where = {"base_url": base_url} if base_url else {}
    page = client.get("/auth/login", **where)
    match = CSRF.search(page.get_data(as_text=True))
    data = {"username": username, "password": password}
    if match:
        data["csrf_token"] = match.group(1)
    # Over https Flask-WTF also wants a same-origin Referer, as a browser sends.
    referer = {"Referer": f"{base_url}/auth/login"} if base_url else {}
    response = client.post("/auth/login", data=data, headers=referer, **where)
    assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
    return response


def _column_values(table: str, column: str = "id") -> list:
    """The first few values of one column."""
    col = db.metadata.tables[table].c[column]
    return list(db.session.scalars(select(col).order_by(col).limit(IDS_PER_ARG)))


def _ids_for(arg: str, table_names: list[str]) -> list:
    """A few real ids (or slugs) for one URL argument; [1] when nothing matches."""
    if arg == "slug":
        values = _column_values("resources", "slug")
    elif arg == "resource_id":
        values = _column_values("resources") + _column_values("crisis_resources")
    elif arg in ARG_TABLES:
        values = [v for t in ARG_TABLES[arg] for v in _column_values(t)]
    elif arg.endswith("_id"):
        stem = arg[: -len("_id")]
        values = [v for t in table_names if stem in t for v in _column_values(t)]
    else:
        values = []
    return values or [1]


def expand_rule(app: Flask, rule: Rule) -> list[str]:
    """Concrete URLs for a rule, its arguments filled from real rows (static: one real file)."""
    if rule.endpoint == "static":
        return ["/static/css/holdspace.css"]
    if rule.endpoint == "static_files.versioned":
        return ["/static/v/0123456789ab/css/holdspace.css"]
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        choices = {arg: _ids_for(arg, tables) for arg in sorted(rule.arguments)}
    urls = []
    for combo in product(*choices.values()):
        values = dict(zip(choices, combo, strict=True))
        with app.test_request_context():
            urls.append(app.url_for(rule.endpoint, **values))
    return urls


# Flask never answers this rule: the Socket.IO middleware takes its path first. The rule only
# gives each socket event's request context a route (app/core/sockets.py).
SOCKET_TRANSPORT = "socket_transport"


def rules(app: Flask, method: str) -> list[Rule]:
    """Every rule Flask answers for `method`, in a stable order."""
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if method in (r.methods or ()) and r.endpoint != SOCKET_TRANSPORT
        ),
        key=lambda r: (r.rule, r.endpoint),
    )
