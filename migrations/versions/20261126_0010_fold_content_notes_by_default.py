"""fold content-noted messages by default

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.alter_column(
            "collapse_content_warnings",
            existing_type=sa.Boolean(),
            server_default="1",
            existing_nullable=False,
        )


def downgrade():
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.alter_column(
            "collapse_content_warnings",
            existing_type=sa.Boolean(),
            server_default="0",
            existing_nullable=False,
        )
