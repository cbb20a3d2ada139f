"""Factories for resource tests: circles with members, and library loading."""

from __future__ import annotations

import pytest

from tests.conftest import detached
from tests.support.factories import add_circle


@pytest.fixture
def make_circle(app, db):
    """Factory: make_circle(facilitator, members=[...], public=True) -> Circle."""

    def factory(facilitator, members=(), *, public=True, pending=(), banned=(), name="Evening"):
        with app.app_context():
            circle = add_circle(
                facilitator, members, pending=pending, banned=banned, name=name, is_public=public
            )
            return detached(circle)

    return factory


@pytest.fixture
def library(app, db):
    """Load the library's own articles into the test database; returns the load report."""
    from app.resources.library import load_library

    with app.app_context():
        return load_library()
