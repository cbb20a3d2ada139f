"""When a circle ends, a member is offered "after the circle" and keeps it in the journal."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.browser.room_helpers import PHONE, open_room, set_phase, start_session
from tests.support.live_room import make_live_room


def test_from_the_end_of_a_circle_to_a_saved_entry(live_server, new_page):
    room = make_live_room(live_server, ["alice"])
    holder = open_room(new_page, live_server, room.people["holder"], room.session_id)
    alice = open_room(new_page, live_server, room.people["alice"], room.session_id, PHONE)
    aftercare = alice.locator("#aftercare")
    expect(aftercare).to_be_hidden()
    start_session(holder)
    set_phase(holder, "Closing")
    holder.get_by_role("button", name="End the session").click()

    expect(aftercare).to_be_visible()
    expect(aftercare.get_by_role("heading", name="After the circle")).to_be_visible()
    support = aftercare.locator("[data-aftercare-support]")
    expect(support).to_be_hidden()
    aftercare.get_by_role(
        "radio", name="Panicky"
    ).check()  # the flooding check: grounding comes forward
    expect(support).to_be_visible()
    expect(support.get_by_role("link", name="A short grounding exercise")).to_be_visible()
    expect(support.get_by_role("link", name="When to reach for more support")).to_be_visible()
    aftercare.get_by_label("How am I leaving the circle", exact=False).fill(
        "My chest was tight at the end."
    )
    aftercare.get_by_label("Ask me tomorrow how I'm doing", exact=False).check()
    aftercare.get_by_role("button", name="Keep it in my journal").click()

    expect(
        alice.get_by_role("heading", name="Thank you for telling yourself the truth")
    ).to_be_visible()
    expect(alice.get_by_role("link", name="Try a grounding exercise")).to_be_visible()
    alice.get_by_role("link", name="Read it in my journal").click()
    expect(alice.get_by_role("heading", name="After the circle: Thursday evening")).to_be_visible()
    expect(alice.locator("main")).to_contain_text("My chest was tight at the end.")
    expect(alice.locator("main")).to_contain_text("How am I leaving the circle")  # the prompt

    # Encrypted like every entry: the words are nowhere in the database file.
    engine = create_engine(live_server.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT title, body FROM journal_entries")).all()
    engine.dispose()
    assert rows and all(b"chest was tight" not in bytes(row.body or b"") for row in rows)
    assert all(b"After the circle" not in bytes(row.title or b"") for row in rows)
    assert alice.js_errors == []
