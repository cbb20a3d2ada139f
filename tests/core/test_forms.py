"""Every HTML form in the app derives from BaseForm (string-only input, NUL refused)."""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

from flask_wtf import FlaskForm

import app as app_package
from app.core.forms import BaseForm, text_field


def _all_form_classes():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    seen, stack = set(), [FlaskForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [cls for cls in seen if cls.__module__.startswith("app.")]


def test_every_form_derives_from_base_form():
    forms = _all_form_classes()
    assert len(forms) > 10
    strays = [f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, BaseForm)]
    assert strays == []


def test_json_bodies_never_reach_form_fields(client):
    response = client.post("/auth/login", json={"username": {"a": 1}, "password": ["x"]})
    assert response.status_code == 400


def _checked(app, form_class, obj=None, **data):
    """The field errors of `form_class` (editing `obj`, if given) posted with `data`."""
    with app.test_request_context(method="POST", data=data):
        form = form_class(obj=obj, meta={"csrf": False})
        form.validate()
        return form.errors


def test_text_fields_trim_require_bound_and_keep_to_ordinary_text(app):
    class Form(BaseForm):
        name = text_field("Name", 10, "Names are up to 10 characters.", required="Please name it.")
        note = text_field("Note", 20, multiline=True)

    assert _checked(app, Form, name="  Sky  ", note="one\ntwo") == {}
    assert _checked(app, Form, name="   ") == {"name": ["Please name it."]}  # spaces are empty
    assert _checked(app, Form, name="x" * 11) == {"name": ["Names are up to 10 characters."]}
    assert list(_checked(app, Form, name="a\nb")) == ["name"]  # one line only
    assert list(_checked(app, Form, name="Sky", note="a\u202eb")) == ["note"]  # no bidi tricks
    assert _checked(app, Form, name="Sky") == {}  # the note is optional
    stored = SimpleNamespace(name="Sky", note="")
    assert _checked(app, Form, obj=stored) == {"name": ["Please name it."]}  # not sent at all


def test_data_passed_in_is_read_even_in_a_json_request(app):
    from werkzeug.datastructures import MultiDict

    class Search(BaseForm):
        q = text_field("Search", 20)

    with app.test_request_context(method="GET", json={"q": "from json"}):
        assert Search(MultiDict({"q": "from the query"}), meta={"csrf": False}).q.data == (
            "from the query"
        )
        assert Search(meta={"csrf": False}).q.data is None  # and never the JSON


def test_an_empty_post_reads_boxes_as_unticked_not_as_their_defaults(app):
    from wtforms import BooleanField

    class Choice(BaseForm):
        shown = BooleanField("Shown", default=True)

    with app.test_request_context(method="POST", data={}):
        assert Choice(meta={"csrf": False}).shown.data is False
