"""Site-wide pieces: the favicon, and the one error summary a failed form gets."""

from __future__ import annotations

from app.core.forms import error_target_id, failed_fields


def test_the_favicon_is_served_by_its_usual_name(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_a_failed_form_has_one_summary_linking_to_each_field(client):
    response = client.post("/auth/register", data={"username": "x", "password": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count('id="error-summary"') == 1 and 'tabindex="-1"' in html
    assert 'href="#username"' in html and 'href="#password"' in html
    assert 'href="#accept_terms"' in html
    assert 'role="alert"' not in html  # the summary takes focus; nothing else shouts
    assert 'aria-describedby="username-hint username-error"' in html


def test_lists_of_choices_link_to_their_first_option(app):
    from app.week.forms import PlanForm

    with app.test_request_context("/week/plans", method="POST", data={"kind": "streak"}):
        form = PlanForm()
        form.validate()
        targets = {target for target, _label, _message in failed_fields(form)}
        assert error_target_id(form.kind) == "kind-0" and "kind-0" in targets
        assert error_target_id(form.weekdays) == "weekdays-0" and "weekdays-0" in targets
        assert error_target_id(form.time_of_day) == "time_of_day"
        assert failed_fields(None, form)  # forms that are absent are skipped
