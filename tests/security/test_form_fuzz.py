"""Every POST form, fuzzed with hostile values: never a 500, NUL in a text field is a 400.

Discovery is generic: every GET page (app.url_map, arguments from the real demo seed) is
fetched as every role and each `<form method="post">` is parsed for its action and its
`<input>/<textarea>/<select>` names. Every POST rule in app.url_map is then fuzzed, with the
fields of its form when a page offers one (as the first role that saw it), otherwise with
random fields as the facilitator. Destructive actions (delete, leave, logout...) go last.
HOLDSPACE_FUZZ_EXAMPLES sets the examples per form (100 by default; `make fuzz`: 1,000).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.world import ROLE_USERS, expand_rule, login, rules, seed_demo

EXAMPLES = int(os.environ.get("HOLDSPACE_FUZZ_EXAMPLES") or 100)
# One test fuzzes every form in turn: at 1,000 examples (`make fuzz`) that is about 40,000
# requests. The suite's 120 s per-test timeout would fire in the middle of one submission; its
# exception then surfaced as a Hypothesis "flaky" failure of whichever form was running.
pytestmark = pytest.mark.timeout(120 + 2 * EXAMPLES)
TEXT_TYPES = {"text", "password", "email", "search", "url", "tel", "textarea", ""}
DESTRUCTIVE = re.compile(r"delete|leave|logout|cancel|decline|unpin|remove|ban|new_recovery")
ROLES = ["facilitator", "admin", "moderator", "member", "anonymous"]
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u2066evil",
    "\ufeff",
    "🙂" * 60,
    "a\u0301\u0301\u0301",
    "\r\n\r\n",
    "\u2028\u2029",
    "<script>window.__xss=1</script>",
    "' OR 1=1 --",
    "%s%n%x",
    "{{7*7}}{% raw %}",
    "../../../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "25:61",
    "x" * 100_000,
    "é" * 30_000,
    "\U0010ffff",
]
hostile_text = st.one_of(st.text(max_size=300), st.sampled_from(NASTY), st.integers().map(str))


@dataclass
class Form:
    """A POST form as a page renders it."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> values


class Forms(HTMLParser):
    """Collect POST forms with their field names, types and select options."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        """Open forms, record fields, and gather select options."""
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            action = urlsplit(urljoin(f"http://localhost{self.page_url}", values.get("action")))
            self.forms.append(Form(action=action.path))
        elif not self.forms or (not values.get("name") and tag != "option"):
            return
        elif tag == "input" and values.get("type") not in ("submit", "button", "hidden"):
            self.forms[-1].fields[values["name"]] = values.get("type") or "text"
        elif tag == "input" and values.get("name") != "csrf_token":
            self.forms[-1].fields[values["name"]] = "hidden"
        elif tag == "textarea":
            self.forms[-1].fields[values["name"]] = "textarea"
        elif tag == "select":
            self._select = values["name"]
            self.forms[-1].fields[self._select] = "select"
        elif tag == "option" and self._select and values.get("value") is not None:
            self.forms[-1].options.setdefault(self._select, []).append(values["value"])

    def handle_endtag(self, tag):
        """Close a select."""
        if tag == "select":
            self._select = None


def field_values(form: Form, name: str):
    """Hostile values for one field, plus (for selects and checkboxes) sometimes a valid one."""
    valid = form.options.get(name, []) + (["y"] if form.fields[name] == "checkbox" else [])
    one = st.one_of(hostile_text, st.sampled_from(valid)) if valid else hostile_text
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))  # a field sent twice or more


def form_data(form: Form):
    """Any subset of the form's fields, plus a few unexpected ones."""
    known = st.fixed_dictionaries({}, optional={n: field_values(form, n) for n in form.fields})
    extra = st.dictionaries(st.text(min_size=1, max_size=12), hostile_text, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def discover(app) -> tuple[dict[str, object], dict[str, tuple[str, Form]]]:
    """Logged-in clients per role, and each POST path -> (first role that saw it, its form)."""
    clients, found = {}, {}
    get_urls = [url for rule in rules(app, "GET") for url in expand_rule(app, rule)]
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login(client, ROLE_USERS[role])
        clients[role] = client
        for url in get_urls:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = Forms(url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                found.setdefault(form.action, (role, form))
    return clients, found


def has_nul_in_text_field(form: Form, data: dict) -> bool:
    """Does a value the form itself declares as text contain NUL?"""
    for name, value in data.items():
        if form.fields.get(name) in TEXT_TYPES and name in form.fields:
            values = value if isinstance(value, list) else [value]
            if any("\x00" in v for v in values[:1]):  # the form reads the first value
                return True
    return False


def test_every_post_form_survives_hostile_values(app, caplog, figures):
    seed_demo(app)
    clients, found = discover(app)
    targets = []
    for rule in rules(app, "POST"):  # one URL per rule: the first one a page offers a form for
        urls = expand_rule(app, rule)
        url = next((u for u in urls if u in found), urls[0])
        role, form = found.get(url, ("facilitator", Form(action=url)))
        targets.append((bool(DESTRUCTIVE.search(rule.endpoint)), url, rule.endpoint, role, form))
    targets.sort(key=lambda t: (t[0], t[1]))
    with_forms = sum(1 for t in targets if t[1] in found)
    caplog.set_level(logging.ERROR)
    sent = {"n": 0}

    failures = {}
    for _, url, endpoint, role, form in targets:
        try:
            fuzz_one(clients[role], url, endpoint, role, form, caplog, sent)
        except Exception as failure:  # keep going: one run lists every form that fails
            failures[url] = describe(failure)
        caplog.clear()
    figures["form fuzz: POST routes fuzzed"] = len(targets)
    figures["form fuzz: of them with a rendered form"] = with_forms
    figures["form fuzz: requests sent"] = sent["n"]
    figures["form fuzz: examples per form"] = EXAMPLES
    print(f"form fuzz: {len(targets)} POST urls ({with_forms} with forms), {sent['n']} requests")
    assert with_forms >= 12, sorted(found)
    assert not failures, "\n".join(f"{url}: {why}" for url, why in failures.items())


def fuzz_one(client, url: str, endpoint: str, role: str, form: Form, caplog, sent: dict) -> None:
    """Run EXAMPLES hostile submissions of one form."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(form))
    def check(data):
        response = client.post(url, data=data)
        sent["n"] += 1
        assert response.status_code < 500, (endpoint, role, response.status_code, data)
        if "/auth/login" in response.headers.get("Location", "") and role != "anonymous":
            login(client, ROLE_USERS[role])  # the action ended the login (logout, password)
        elif has_nul_in_text_field(form, data) and response.status_code not in (302, 404):
            assert response.status_code == 400, (endpoint, response.status_code, data)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, (endpoint, [r.getMessage() for r in errors])

    check()


def describe(failure: BaseException) -> str:
    """A failure and, for Hypothesis's groups, each distinct sub-failure."""
    parts = [f"{type(failure).__name__}: {failure}"]
    for sub in getattr(failure, "exceptions", ()):
        parts.append(describe(sub))
    return " | ".join(parts)[:3000]
