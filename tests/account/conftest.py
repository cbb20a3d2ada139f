"""The live room's circle and session factories, reused for my account."""

from tests.live.conftest import make_circle, make_session  # noqa: F401
