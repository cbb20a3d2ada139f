"""Crawl every GET page as every role (test and production config): headers on 100% of responses.

Seeds the real demo world, then for anonymous and each site role fetches every GET route in
app.url_map (arguments filled from real rows) and every same-origin link, stylesheet and
script reachable from those pages. Every response, whatever its status, must carry the CSP
(no unsafe-inline/unsafe-eval, frame-ancestors 'none'), nosniff and a Referrer-Policy, and
every cookie it sets must be HttpOnly and SameSite=Lax (and Secure in production).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from app import create_app
from tests.security.world import ROLE_USERS, expand_rule, login, rules, seed_demo

MAX_RESPONSES_PER_ROLE = 400
SKIP_LINK = re.compile(r"logout|delete|/socket\.io", re.IGNORECASE)
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
ROLES = ["anonymous", *ROLE_USERS]
COOKIES_SEEN: Counter = Counter()


class Links(HTMLParser):
    """Collect href/src targets of links, stylesheets, scripts and GET forms."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Keep the URL-bearing attribute of the tags a browser would fetch or follow."""
        values = dict(attrs)
        if tag in ("a", "link") and values.get("href"):
            self.found.append(values["href"])
        elif tag in ("script", "img") and values.get("src"):
            self.found.append(values["src"])
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.found.append(values.get("action") or "")


def header_problems(response, production: bool) -> list[str]:
    """Everything wrong with one response's security headers and cookies."""
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP allows unsafe code: {csp}")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP lacks frame-ancestors 'none'")
    if "script-src 'self'" not in csp and "default-src 'self'" not in csp:
        problems.append("CSP does not restrict scripts")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if production and "max-age=" not in response.headers.get("Strict-Transport-Security", ""):
        problems.append("no HSTS in production")
    for cookie in response.headers.getlist("Set-Cookie"):
        COOKIES_SEEN["production" if production else "test"] += 1
        flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
        name = cookie.split("=", 1)[0]
        if "httponly" not in flags:
            problems.append(f"cookie {name} is not HttpOnly")
        if flags.get("samesite", "").strip().lower() != "samesite=lax":
            problems.append(f"cookie {name} is not SameSite=Lax")
        if production and "secure" not in flags:
            problems.append(f"cookie {name} is not Secure in production")
    return problems


def crawl(app, client, production: bool, base_url: str) -> tuple[int, Counter, dict]:
    """Fetch every GET route and every reachable same-origin URL once; check each response."""
    queue = [url for rule in rules(app, "GET") for url in expand_rule(app, rule)]
    seen: set[str] = set()
    statuses: Counter = Counter()
    failures: dict[str, list[str]] = {}
    checked = 0
    while queue and checked < MAX_RESPONSES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, base_url=base_url)
        checked += 1
        statuses[response.status_code] += 1
        problems = header_problems(response, production)
        if problems:
            failures[url] = problems
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(_local(url, response.headers.get("Location", "")))
        elif response.mimetype == "text/html":
            parser = Links()
            parser.feed(response.get_data(as_text=True))
            queue += [_local(url, href) for href in parser.found]
        queue = [u for u in queue if u and u not in seen and not SKIP_LINK.search(u)]
    return checked, statuses, failures


def _local(base: str, href: str) -> str:
    """The path+query of a same-origin link, or "" for anything off-site or not http."""
    target = urlsplit(urljoin(f"http://localhost{base}", href))
    if target.scheme not in ("http", "https") or target.hostname != "localhost":
        return ""
    return target.path + (f"?{target.query}" if target.query else "")


def crawl_every_role(app, production: bool, figures, label: str) -> None:
    """Crawl as anonymous and each role; assert 0 problems; record the counts."""
    base_url = "https://localhost" if production else "http://localhost"
    total, all_failures, per_role = 0, {}, {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login_response = login(client, ROLE_USERS[role], base_url=base_url)
            assert not header_problems(login_response, production), role
            total += 1
        checked, statuses, failures = crawl(app, client, production, base_url)
        assert statuses[200] > 5, (role, statuses)  # really logged in and really crawling
        total += checked
        per_role[role] = checked
        all_failures.update({f"{role} {url}": problems for url, problems in failures.items()})
    figures[f"header crawl ({label}): responses checked"] = total
    figures[f"header crawl ({label}): per role"] = per_role
    cookies = COOKIES_SEEN["production" if production else "test"]
    figures[f"header crawl ({label}): Set-Cookie headers checked"] = cookies
    assert cookies >= len(ROLE_USERS), "every login sets a cookie; the flags were not checked"
    print(f"header crawl ({label}): {total} responses checked, per role {per_role}")
    assert not all_failures, all_failures


def test_every_response_carries_the_security_headers(app, figures):
    seed_demo(app)
    crawl_every_role(app, production=False, figures=figures, label="test config")


def test_every_response_carries_the_security_headers_in_production(
    app, app_config, figures, monkeypatch
):
    monkeypatch.setenv("HOLDSPACE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://holdspace.test")
    monkeypatch.setenv("SECRET_KEY", "crawl-only-secret-key-0123456789abcdef")
    seed_demo(app)
    production = create_app({**app_config, "ENV_NAME": "production"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["WTF_CSRF_ENABLED"] is not False
    try:
        crawl_every_role(production, production=True, figures=figures, label="production config")
    finally:
        from app.extensions import db

        with production.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize(
    ("header", "value", "problem"),
    [
        ("Content-Security-Policy", "default-src 'self' 'unsafe-inline'", "unsafe"),
        ("X-Content-Type-Options", "", "nosniff"),
        ("Set-Cookie", "x=1; Path=/", "HttpOnly"),
    ],
)
def test_the_checker_catches_what_it_looks_for(app, header, value, problem):
    response = app.response_class("x")
    with app.test_request_context():
        from app.core.security import add_security_headers

        add_security_headers(response)
    response.headers[header] = value
    assert any(problem in p for p in header_problems(response, production=False))
