"""The moderation tests reuse the live room's factories and the facilitation setup."""

from tests.live.conftest import app_config, make_circle, make_session  # noqa: F401
from tests.live.facilitation_support import circle_room  # noqa: F401
