"""The live room's circle and session factories, reused for my week."""

from tests.live.conftest import make_circle, make_session  # noqa: F401
