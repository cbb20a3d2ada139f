"""Every HTML form in the app derives from BaseForm (string-only input, NUL refused)."""

from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm

import app as app_package
from app.core.forms import BaseForm


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
