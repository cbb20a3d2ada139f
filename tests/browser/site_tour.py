"""A small site with something on every page, and the list of pages to look at (axe, screenshots).

Everything is made through the real forms of a real server, as the people themselves would.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.browser.conftest import ARTIFACTS
from tests.support.live_room import PASSWORD, LiveRoom, make_live_room, post_form
from tests.support.live_server import HOLDSPACE_BIN, LiveServer

SCREENSHOTS = ARTIFACTS / "screens"
WIDTHS = (1280, 390)
HEIGHTS = {1280: 800, 390: 844}


def screenshots_wanted() -> bool:
    """`make screenshots` sets HOLDSPACE_SCREENSHOTS=1."""
    return os.environ.get("HOLDSPACE_SCREENSHOTS", "") not in ("", "0")


def save_screenshot(page, name: str, width: int, full_page: bool = True) -> Path | None:
    """test-artifacts/screens/<name>-<width>.png, when screenshots were asked for."""
    if not screenshots_wanted():
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}-{width}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@dataclass
class Site:
    """The server, its people (logged-in HTTP sessions) and the ids the pages need."""

    server: LiveServer
    room: LiveRoom
    ids: dict[str, object] = field(default_factory=dict)

    def person(self, name: str):
        """A logged-in requests.Session (or None for a visitor)."""
        return None if name == "visitor" else self.room.people[name]


def set_role(server: LiveServer, username: str, role: str) -> None:
    """`holdspace users set-role`, against the server's own database."""
    subprocess.run(
        [HOLDSPACE_BIN, "users", "set-role", username, role],
        env=server.environment(),
        cwd=server.workdir,
        check=True,
        capture_output=True,
    )


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, f"nothing matches {pattern}"
    return match.group(1)


def build_site(server: LiveServer) -> Site:
    """A circle with a facilitator (holder) and a member (alice), an admin (ada), and one of
    everything a page can show: an entry, a practice, a plan, an aftercare entry, a circle."""
    room = make_live_room(server, ["alice"])
    site = Site(server, room)
    people = room.people
    people["ada"] = server.register("ada", PASSWORD, "Ada")
    set_role(server, "ada", "admin")
    people["ada"] = server.login("ada", PASSWORD)
    alice, holder, ada = people["alice"], people["holder"], people["ada"]
    ids = site.ids
    ids["circle"], ids["session"] = room.circle_id, room.session_id
    where = post_form(server, holder, "/circles/new", {"name": "Morning circle", "description": ""})
    ids["other_circle"] = int(_found(r"/circles/(\d+)", where))
    where = post_form(
        server,
        alice,
        "/journal/new",
        {"title": "A quiet evening", "body": "It helped.", "mood": "4"},
    )
    ids["entry"] = int(_found(r"/journal/(\d+)", where))
    where = post_form(
        server,
        alice,
        "/practice",
        {"intention_choice": "permission", "preset": "4-2-6", "after": "calmer", "notes": "ok"},
    )
    ids["practice_entry"] = int(_found(r"/practice/saved/(\d+)", where))
    plan = {"kind": "movement", "weekdays": ["1", "4"], "time_of_day": "08:00", "timezone": "UTC"}
    post_form(server, alice, "/week/plans", plan)
    week = alice.get(f"{server.url}/week", timeout=10).text
    ids["plan"] = int(_found(r"/week/plans/(\d+)/edit", week))
    after = {"after": "lighter", "notes": "Glad I came.", "timezone": "UTC"}
    where = post_form(server, alice, f"/sessions/{room.session_id}/after", after)
    ids["after_entry"] = int(_found(r"/after/saved/(\d+)", where))
    crisis = ada.get(f"{server.url}/admin/crisis-resources", timeout=10).text
    ids["crisis"] = int(_found(r"/admin/crisis-resources/(\d+)", crisis))
    ada.get(f"{server.url}/resources", timeout=10)  # the library loads on its first visit
    library = ada.get(f"{server.url}/resources/manage", timeout=10).text
    ids["library"] = int(_found(r"/resources/manage/(\d+)/edit", library))
    starts = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    where = post_form(
        server,
        holder,
        f"/circles/{room.circle_id}/sessions/new",
        {"title": "Later circle", "starts_at": starts, "timezone": "UTC"},
    )
    ids["later_session"] = int(_found(r"/sessions/(\d+)", where))
    return site


# (name, who, path): every page a person can open, with the ids filled in from Site.ids.
PAGES = [
    ("landing", "visitor", "/"),
    ("login", "visitor", "/auth/login"),
    ("register", "visitor", "/auth/register"),
    ("recover", "visitor", "/auth/recover"),
    ("privacy", "visitor", "/about/privacy"),
    ("crisis", "visitor", "/help/crisis"),
    ("grounding", "visitor", "/help/grounding"),
    ("not-found", "visitor", "/no-such-page"),
    ("home", "alice", "/"),
    ("circles", "alice", "/circles/"),
    ("circle", "alice", "/circles/{circle}"),
    ("circle-join", "alice", "/circles/{other_circle}/join"),
    ("circle-members", "alice", "/circles/{circle}/members"),
    ("circle-resources", "alice", "/circles/{circle}/resources"),
    ("journal", "alice", "/journal/"),
    ("journal-new", "alice", "/journal/new"),
    ("journal-entry", "alice", "/journal/{entry}"),
    ("journal-edit", "alice", "/journal/{entry}/edit"),
    ("journal-delete", "alice", "/journal/{entry}/delete"),
    ("journal-share", "alice", "/journal/{entry}/share"),
    ("journal-search", "alice", "/journal/search"),
    ("journal-insights", "alice", "/journal/insights"),
    ("journal-prompts", "alice", "/journal/prompts"),
    ("journal-recovery-code", "alice", "/journal/recovery-code"),
    ("journal-unlock", "alice", "/journal/unlock"),
    ("practice", "alice", "/practice"),
    ("practice-saved", "alice", "/practice/saved/{practice_entry}"),
    ("week", "alice", "/week"),
    ("week-plan-edit", "alice", "/week/plans/{plan}/edit"),
    ("account", "alice", "/account"),
    ("account-delete", "alice", "/account/delete"),
    ("password", "alice", "/auth/password"),
    ("resources", "alice", "/resources"),
    ("resource-article", "alice", "/resources/when-to-reach-for-more-support"),
    ("after-the-circle", "alice", "/sessions/{session}/after"),
    ("after-the-circle-saved", "alice", "/sessions/{session}/after/saved/{after_entry}"),
    ("circle-new", "holder", "/circles/new"),
    ("circle-edit", "holder", "/circles/{circle}/edit"),
    ("session-new", "holder", "/circles/{circle}/sessions/new"),
    ("session-edit", "holder", "/sessions/{later_session}/edit"),
    ("circle-audit", "holder", "/circles/{circle}/audit"),
    ("circle-reports", "holder", "/circles/{circle}/reports"),
    ("admin-people", "ada", "/admin/users"),
    ("admin-crisis", "ada", "/admin/crisis-resources"),
    ("admin-crisis-edit", "ada", "/admin/crisis-resources/{crisis}"),
    ("moderation", "ada", "/moderation"),
    ("moderation-audit", "ada", "/moderation/audit"),
    ("library-manage", "ada", "/resources/manage"),
    ("library-edit", "ada", "/resources/manage/{library}/edit"),
]

# Forms sent empty in the browser: the page that comes back, with its error summary.
FAILED_FORMS = [
    ("register-failed", "visitor", "/auth/register", "Create my account"),
    ("journal-new-failed", "alice", "/journal/new", None),
    ("week-plan-failed", "alice", "/week", "Add to my week"),
]
