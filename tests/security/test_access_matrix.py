"""ONE generated access matrix: every private route and socket event x every standing.

Rows come from app.url_map (every rule, GET and POST) and from the Socket.IO server's handlers,
so a route or event added anywhere appears here by itself — and FAILS until it has a rule in
ROUTE_RULES / EVENT_RULES (or is listed as PUBLIC with a reason). Columns are PERSONAS.

Outcomes: "ok" (allowed: 2xx, a redirect that is not to the login page, or 400 for a form we
send empty), "404" (not revealed), "login" (302 to /auth/login); for events "ok" (ack ok, or a
room-rule refusal such as slow_mode that only people inside may get) or the exact error code.
"""

from __future__ import annotations

from app.auth.models import User
from app.extensions import db, socketio
from app.week.calendar import revoke_token
from tests.security.access_world import PERSONAS, World, build_world, client_as

REMOVED_SUPPORTED = True  # "removed": an approved member removed from THE session (issue 5)
COLUMNS = [p for p in PERSONAS if p != "removed" or REMOVED_SUPPORTED]
LOGGED_IN = [p for p in PERSONAS if p != "anonymous"]
SITE_MODERATORS = ["moderator", "admin"]
# Approved members (removal is per session: the removed member is still one) + site moderators.
CIRCLE_PEOPLE = ["member", "removed", "facilitator", *SITE_MODERATORS]
KEEPERS = ["facilitator", *SITE_MODERATORS]  # the circle's facilitators and site moderators


def allow(*personas: str, others: str = "404", anonymous: str = "login") -> dict[str, str]:
    """These personas get "ok"; everyone else `others`; anonymous `anonymous`."""
    table = {p: ("ok" if p in personas else others) for p in PERSONAS}
    if "anonymous" not in personas:
        table["anonymous"] = anonymous
    return table


EVERYONE_LOGGED_IN = allow(*LOGGED_IN)
OWNER_ONLY = allow("member")  # the member owns the journal entry; nobody else, whatever role
FACILITATOR_ONLY = allow("facilitator")  # running circle A: its own facilitators, not site mods
ADMIN_ONLY = allow("admin")
CURATORS = allow(*SITE_MODERATORS)
CIRCLE_KEEPERS = allow(*KEEPERS)  # a circle's reports and audit log

# Public pages: no rule needed, but each says why it is public.
PUBLIC = {
    "static": "static files",
    "site.index": "the welcome page",
    "site.privacy": "the privacy page",
    "site.healthz": "load balancer health check",
    "socket_transport": "Socket.IO's own path: its middleware answers before Flask",
    "site.livez": "the watchdog's liveness check",
    "static_files.versioned": "static files under their versioned URLs",
    "safety.crisis": "crisis help must never need a login",
    "safety.grounding": "grounding help must never need a login",
    "safety.lines": "crisis lines for a country are public facts, like the crisis page",
    "auth.login": "the login form",
    "auth.register": "the registration form",
    "auth.recover": "password recovery",
    "site.favicon": "the site's icon",
}

# endpoint -> persona -> outcome. Circle A is public; the session and resources belong to it.
ROUTE_RULES: dict[str, dict[str, str]] = {
    "auth.logout": allow(*PERSONAS),  # logging out when not logged in is harmless
    "auth.change_password": EVERYONE_LOGGED_IN,
    "auth.secure_account": EVERYONE_LOGGED_IN,  # "I think someone got in": my own account only
    "circles.index": EVERYONE_LOGGED_IN,
    "circles.new": EVERYONE_LOGGED_IN,
    "circles.show": allow(*LOGGED_IN) | {"banned": "404"},
    "circles.edit": FACILITATOR_ONLY,
    "circles.add_facilitator": FACILITATOR_ONLY,
    "circles.approve": FACILITATOR_ONLY,
    "circles.decline": FACILITATOR_ONLY,
    "circles.members": allow(*CIRCLE_PEOPLE),
    # Joining is offered to everyone who can see the circle; its people are sent on (ok).
    "circles.join": allow(*LOGGED_IN) | {"banned": "404"},
    # Leaving is for its people (a last facilitator is kept, gently); others were never in it.
    "circles.leave": allow("pending", "member", "removed", "facilitator"),
    "sessions.new": FACILITATOR_ONLY,
    "sessions.edit": FACILITATOR_ONLY,
    "sessions.cancel": FACILITATOR_ONLY,
    "sessions.cancel_series": FACILITATOR_ONLY,
    "live.room": allow(*CIRCLE_PEOPLE),
    "resources.index": EVERYONE_LOGGED_IN,
    "resources.article": EVERYONE_LOGGED_IN,
    "resources.manage": CURATORS,
    "resources.edit": CURATORS,
    "resources.delete": CURATORS,
    "resources.circle": allow(*CIRCLE_PEOPLE),
    "resources.pin": CIRCLE_KEEPERS,
    "resources.unpin": CIRCLE_KEEPERS,
    "crisis_admin.index": ADMIN_ONLY,
    "crisis_admin.edit": ADMIN_ONLY,
    "crisis_admin.move": ADMIN_ONLY,
    "crisis_admin.visibility": ADMIN_ONLY,
    # The journal: every member has their own (ok for all); entries only for their owner.
    **{
        f"journal.{name}": EVERYONE_LOGGED_IN
        for name in (
            "index",
            "new_entry",
            "search",
            "prompts",
            "insights",
            "export",
            "export_md",
            "unlock",
            "recovery_code",
            "download_recovery_code",
            "new_recovery_code",
            "recovery_code_saved",
        )
    },
    **{
        f"journal.{name}": OWNER_ONLY
        for name in ("show_entry", "edit_entry", "delete_entry", "share")
    },
    # My data: everyone has their own. The empty delete form fails validation (400), so the
    # account stays (checked after each cell by POST_CHECKS).
    "account.index": EVERYONE_LOGGED_IN,
    "account.export": EVERYONE_LOGGED_IN,  # the journal is locked here: sent to unlock it (ok)
    "account.delete": EVERYONE_LOGGED_IN,
    "admin.users": ADMIN_ONLY,
    "admin.set_role": ADMIN_ONLY,
    # Site-wide queue and audit log for site moderators; a circle's own for its keepers.
    "moderation.queue": CURATORS,
    "moderation.audit": CURATORS,
    "moderation.circle_queue": CIRCLE_KEEPERS,
    "moderation.circle_audit": CIRCLE_KEEPERS,
    "moderation.resolve": CIRCLE_KEEPERS,  # the report is about a message in circle A
    # After the circle: the circle's people (a locked journal answers the empty form with 400,
    # which is "ok" here); the saved page points at the member's own entry, the card is theirs.
    "aftercare.after": allow(*CIRCLE_PEOPLE),
    "aftercare.saved": OWNER_ONLY,
    "aftercare.dismiss": OWNER_ONLY,
    "practice.index": EVERYONE_LOGGED_IN,
    "practice.saved": OWNER_ONLY,  # points at the member's journal entry
    "week.index": EVERYONE_LOGGED_IN,
    "week.add_plan": EVERYONE_LOGGED_IN,
    "week.make_feed": EVERYONE_LOGGED_IN,
    "week.revoke_feed": EVERYONE_LOGGED_IN,
    "week.edit_plan": OWNER_ONLY,  # the member's plan
    "week.delete_plan": OWNER_ONLY,
    # The feed is read by calendar apps without a login: the token is the only key, so the
    # member's live token opens it for whoever holds it (an unknown or revoked one is 404 for
    # everyone: test_calendar_feed_token_is_the_only_key).
    "week.feed": allow(*PERSONAS),
}

# URL argument -> the world row it points at (per endpoint where one name means several things).
ARGUMENTS = {
    "circle_id": lambda w, e: w.circle,
    "session_id": lambda w, e: w.session,
    "series_id": lambda w, e: w.series,
    "user_id": lambda w, e: w.applicant,
    "entry_id": lambda w, e: w.entry,
    "report_id": lambda w, e: w.report,
    "plan_id": lambda w, e: w.plan,
    "aftercare_id": lambda w, e: w.aftercare,
    "token": lambda w, e: w.feed_token,
    "slug": lambda w, e: w.article_slug,
    "resource_id": lambda w, e: (
        w.crisis
        if e.startswith("crisis_admin.")
        else w.pinned
        if e == "resources.unpin"
        else w.article
    ),
}

# Anonymous sockets are refused at connect. In the room: the circle's people; a banned member
# `banned`, the member removed from this session `removed`, everyone else `not_found`.
ROOM = allow(*CIRCLE_PEOPLE, others="not_found", anonymous="refused") | {
    "banned": "banned",
    "removed": "removed",
}
# Keepers' events: members `forbidden`, outsiders `not_found` (room standing is checked first).
KEEPER = ROOM | dict.fromkeys(KEEPERS, "ok") | {"member": "forbidden"}
# A ban is per circle, not per session: the removed member is still a member (`forbidden`), the
# banned one no longer sees the circle (`not_found`).
CIRCLE_KEEPER = KEEPER | {"removed": "forbidden", "banned": "not_found"}
# "I need support" checks membership (waiting or locked out, nobody is left alone), but someone
# removed from the session may not raise alerts (issue 25): `removed`. A member's own follow-ups
# stay theirs to read even once removed.
OWN_FOLLOWUPS = ROOM | {"removed": "ok"}
ANY_SOCKET = allow(*LOGGED_IN, anonymous="refused")
# An alert or a follow-up is its keepers' (and its member's): everyone else learns nothing.
KEEPER_ONLY = (
    ROOM
    | dict.fromkeys(KEEPERS, "ok")
    | {"member": "not_found", "removed": "not_found", "banned": "not_found"}
)
THREAD = KEEPER_ONLY  # the world's thread is with a member nobody plays


def in_session(**extra):
    """A payload for the world's session with these extra fields."""
    return lambda w: {"session_id": w.session, **extra}


def on_target(**extra):
    """A payload aimed at the world's throwaway member (never a persona: cells stay apart)."""
    return lambda w: {"session_id": w.session, "user_id": w.target, **extra}


# event -> (payload from the world, persona -> outcome).
EVENT_RULES: dict[str, tuple] = {
    "session:join": (in_session(), ROOM),
    "session:leave": (in_session(), ROOM),
    "message:send": (in_session(client_id="matrix", body="hello"), ROOM),
    "messages:since": (in_session(after_id=0), ROOM),
    "message:react": (lambda w: {"message_id": w.message, "kind": "heart"}, ROOM),
    # The world's message is the member's own: reporting it is refused as `invalid` (issue 25).
    "message:report": (
        lambda w: {"message_id": w.message, "reason": "matrix"},
        ROOM | {"member": "invalid"},
    ),
    "typing": (in_session(typing=True), ROOM),
    "hand:raise": (in_session(), ROOM),
    "hand:lower": (in_session(), ROOM),
    "checkin:submit": (in_session(moment="arrival", score=3, feelings=[]), ROOM),
    "support:request": (in_session(), ROOM),
    "preferences:set": (lambda w: {"share_typing": True}, ANY_SOCKET),
    "time:sync": (lambda w: {"client_ms": 1}, ANY_SOCKET),
    # Facilitators of the circle, and site moderators.
    "session:start": (in_session(), KEEPER),
    "session:end": (in_session(), KEEPER),
    "phase:set": (in_session(phase="sharing"), KEEPER),
    "stick:give": (on_target(), KEEPER),  # a member may only pass back a piece they hold
    "member:admit": (on_target(), KEEPER),
    "waiting:list": (in_session(), KEEPER),
    "member:mute": (on_target(minutes=10), KEEPER),
    "member:unmute": (on_target(), KEEPER),
    "member:remove": (on_target(), KEEPER),
    "member:ban": (
        lambda w: {"circle_id": w.circle, "user_id": w.target, "reason": "matrix"},
        CIRCLE_KEEPER,
    ),
    "message:hide": (lambda w: {"message_id": w.message}, KEEPER),
    "session:lock": (in_session(locked=True), KEEPER),
    "session:slowmode": (in_session(seconds=10), KEEPER),
    "breath:start": (in_session(inhale_s=4, hold_s=2, exhale_s=6, rounds=3), KEEPER),
    "breath:stop": (in_session(), KEEPER),
    "care:state": (in_session(), KEEPER),
    "alert:update": (lambda w: {"alert_id": w.alert, "state": "resolved"}, KEEPER_ONLY),
    "followup:open": (on_target(), KEEPER),
    "followup:send": (lambda w: {"thread_id": w.thread, "client_id": "m", "body": "hi"}, THREAD),
    "followup:history": (lambda w: {"thread_id": w.thread}, THREAD),
    "followup:mine": (in_session(), OWN_FOLLOWUPS),
    "safety:dismiss": (lambda w: {"message_id": w.message}, KEEPER),  # it raised a risk alert
}
# Refusals only people inside the room can get: they prove access was granted. A check-in is
# kept in the member's journal, which is locked on the matrix's fresh logins.
ROOM_RULE_CODES = {
    "rate_limited",
    "muted",
    "locked",
    "slow_mode",
    "not_your_turn",
    "phase_closed",
    "journal_locked",
}


def http_outcome(response) -> str:
    """Classify one answer."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/auth/login" in location:
        return "login"
    if response.status_code == 404:
        return "404"
    if response.status_code in (200, 302, 303, 400):
        return "ok"
    return str(response.status_code)


def route_rows(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every routed method except HEAD/OPTIONS."""
    rows = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rows.append((rule.endpoint, method, rule.rule))
    return sorted(rows, key=lambda row: (row[1] == "POST", row[0]))


def url_for_row(app, world: World, endpoint: str) -> str:
    """The URL of a route, its arguments filled from the world."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: ARGUMENTS[name](world, endpoint) for name in rule.arguments}
    with app.test_request_context():
        return app.url_for(endpoint, **values)


def test_every_route_and_event_has_a_rule(app):
    missing_routes = sorted(
        {e for e, _, _ in route_rows(app)} - set(ROUTE_RULES) - set(PUBLIC), key=str
    )
    events = set(socketio.server.handlers.get("/", {})) - {"connect", "disconnect"}
    missing_events = sorted(events - set(EVENT_RULES))
    assert not missing_routes, (
        f"routes without an access rule (add them to ROUTE_RULES): {missing_routes}"
    )
    assert not missing_events, (
        f"socket events without an access rule (add to EVENT_RULES): {missing_events}"
    )
    private = [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC]
    unknown_args = {a for r in private for a in r.arguments} - set(ARGUMENTS)
    assert not unknown_args, f"URL arguments the matrix cannot fill yet: {unknown_args}"


def test_route_matrix(app, figures):
    world = build_world(app)
    clients = {persona: client_as(app, world, persona) for persona in COLUMNS}
    mismatches, cells = [], 0
    for endpoint, method, _ in route_rows(app):
        if endpoint in PUBLIC:
            continue
        expected = ROUTE_RULES[endpoint]
        if method == "POST":
            world = rebuild(app)  # a POST may change the world: every POST row starts afresh
            clients = {persona: client_as(app, world, persona) for persona in COLUMNS}
        url = url_for_row(app, world, endpoint)
        # Refusals first: they must change nothing, so allowed cells after them see the same world.
        order = sorted(COLUMNS, key=lambda p: expected[p] == "ok")
        for persona in order:
            if method == "POST" and expected[persona] == "ok":
                world, clients = _fresh_for_allowed(app, endpoint, persona, world, clients)
                url = url_for_row(app, world, endpoint)
            response = getattr(clients[persona], method.lower())(url)
            cells += 1
            got = http_outcome(response)
            if got != expected[persona]:
                mismatches.append(
                    f"{method} {url} ({endpoint}) as {persona}: {got}, expected {expected[persona]}"
                )
            check = POST_CHECKS.get(endpoint) if method == "POST" else None
            if check is not None and persona != "anonymous":
                mismatches.extend(check(app, world, persona))
    figures["access matrix: route cells checked"] = cells
    print(f"access matrix: {cells} route cells checked")
    assert not mismatches, "\n".join(mismatches)


def _account_still_there(app, world: World, persona: str) -> list[str]:
    """The matrix's empty delete form must never delete anyone."""
    with app.app_context():
        user = db.session.get(User, world.users[persona])
        gone = user is None or user.deleted_at is not None
        db.session.remove()
    return [f"POST account.delete as {persona} deleted the account"] if gone else []


# endpoint -> check after each logged-in POST cell (a list of problems).
POST_CHECKS = {"account.delete": _account_still_there}


def rebuild(app) -> World:
    """Empty every table and build the world again."""
    from tests.conftest import _empty_tables

    with app.app_context():
        _empty_tables()
    return build_world(app)


def _fresh_for_allowed(app, endpoint, persona, world, clients):
    """Allowed POSTs act (leave, unpin, cancel...): give each its own untouched world."""
    world = rebuild(app)
    return world, {p: client_as(app, world, p) for p in COLUMNS}


def test_calendar_feed_token_is_the_only_key(app):
    """An unknown or revoked feed token is 404 for everyone, logged in or not."""
    world = build_world(app)
    live = url_for_row(app, world, "week.feed")
    unknown = live.replace(world.feed_token, "x" * 43)
    with app.app_context():
        revoke_token(db.session.get(User, world.users["member"]))
        db.session.remove()
    for persona in COLUMNS:
        client = client_as(app, world, persona)
        for url in (unknown, live):
            assert http_outcome(client.get(url)) == "404", f"{url} as {persona}"


def _connect(app, world: World, persona: str):
    """A Socket.IO test client for this persona (refused at connect for anonymous)."""
    client = client_as(app, world, persona)
    return socketio.test_client(app, flask_test_client=client)


def _event_cell(sock, world: World, event: str) -> str:
    """Emit one event and classify its ack."""
    if not sock.is_connected():
        return "refused"
    payload, _ = EVENT_RULES[event]
    if event in JOINED_FIRST:  # typing and hands are for a socket in the room (issue 25)
        sock.emit("session:join", {"session_id": world.session}, callback=True)
    return event_outcome(sock.emit(event, payload(world), callback=True))


JOINED_FIRST = {"typing", "hand:raise", "hand:lower"}


def _close(sock) -> None:
    """Disconnect a test socket if it is still connected."""
    if sock.is_connected():
        sock.disconnect()


def test_event_matrix(app, figures):
    """Each persona starts from the same world; refusals share it (they must change nothing),
    and every allowed cell gets a fresh world and socket, since allowed events act (end, ban,
    lock, remove...) and aim only at the world's throwaway member or message."""
    mismatches, cells = [], 0
    for persona in COLUMNS:
        events = sorted(EVENT_RULES, key=lambda e: (EVENT_RULES[e][1][persona] == "ok", e))
        world = rebuild(app)
        sock = _connect(app, world, persona)
        for event in events:
            expected = EVENT_RULES[event][1][persona]
            if expected == "ok":
                _close(sock)
                world = rebuild(app)
                sock = _connect(app, world, persona)
            got = _event_cell(sock, world, event)
            cells += 1
            if got != expected:
                mismatches.append(f"{event} as {persona}: {got}, expected {expected}")
        _close(sock)
    figures["access matrix: event cells checked"] = cells
    print(f"access matrix: {cells} event cells checked")
    assert not mismatches, "\n".join(mismatches)


def event_outcome(answer) -> str:
    """Classify one ack."""
    if not isinstance(answer, dict):
        return f"no ack: {answer!r}"
    if answer.get("ok") or answer.get("error", {}).get("code") in ROOM_RULE_CODES:
        return "ok"
    return answer["error"]["code"]
