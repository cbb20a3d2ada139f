"""The demo seed gives the demo member a journal to explore."""

from __future__ import annotations

from tests.conftest import AuthActions


def test_demo_member_has_entries_and_insights(app):
    from app.demo import seed

    with app.app_context():
        report = seed(if_empty=False, password_factory=lambda: "demo passphrase 123")
    assert ("sky", "member", "demo passphrase 123") in report.accounts
    http = app.test_client()
    assert AuthActions(http).login("sky", "demo passphrase 123").status_code == 302
    assert "Small things" in http.get("/journal/").get_data(as_text=True)
    insights = http.get("/journal/insights").get_data(as_text=True)
    assert "arrived at 2, closed at 4" in insights and "Before my first circle" in insights
