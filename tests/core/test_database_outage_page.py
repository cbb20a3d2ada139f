"""When the database stops answering as a logged-in person's login is read (the first query of
a request), they get the calm 503 page, drawn as a visitor's: asking the database for their
login again would fail that page too (a regression: that page once loaded the login from the
dead database and became a 500). When the login was read before the database failed, the page
is drawn for them from what was already read."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.extensions import db


@contextmanager
def database_down(app, after_login: bool = False):
    """Statements fail as an unreachable database's would, until the block ends: every one, or
    (`after_login`) every one after the login and its person have been read."""

    person_read = {"yet": False}

    def refuse(conn, cursor, statement, parameters, context, executemany):
        if after_login and not person_read["yet"]:
            person_read["yet"] = "FROM users" in statement
            return
        raise OperationalError(statement, parameters, ConnectionError("the database is down"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def test_a_logged_in_page_during_an_outage_is_a_visitors_503(app, make_user, client, auth):
    make_user("sky", display_name="Sky")
    assert auth.login("sky").status_code == 302
    assert "Sky" in client.get("/account").get_data(as_text=True)  # logged in; the welcome shown
    with database_down(app):
        response = client.get("/account")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Holdspace is catching its breath" in html
    assert "Log in" in html and "Sky" not in html
    # The login itself was not lost: once the database is back, the page is theirs again.
    assert client.get("/account").status_code == 200


def test_an_outage_after_the_login_was_read_still_gets_the_calm_page(app, make_user, client, auth):
    make_user("sky", display_name="Sky")
    assert auth.login("sky").status_code == 302
    assert "Sky" in client.get("/account").get_data(as_text=True)
    with database_down(app, after_login=True):
        response = client.get("/account")  # the login loads; the settings query fails
    assert response.status_code == 503
    assert "Holdspace is catching its breath" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200
