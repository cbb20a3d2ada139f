"""Imports every area's models so that metadata (and Alembic) sees all tables."""

# One import per area; the names themselves are used through their own packages.
from app.aftercare import models as aftercare_models
from app.audit import models as audit_models
from app.auth import models as auth_models
from app.circles import models as circle_models
from app.journal import models as journal_models
from app.live import models as live_models
from app.practice import models as practice_models
from app.resources import models as resource_models
from app.safety import models as safety_models
from app.week import models as week_models

AREAS = (
    audit_models,
    aftercare_models,
    auth_models,
    circle_models,
    journal_models,
    live_models,
    practice_models,
    resource_models,
    safety_models,
    week_models,
)
