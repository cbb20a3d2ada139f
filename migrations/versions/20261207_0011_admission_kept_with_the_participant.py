"""admission from the waiting room kept with the session participant

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 02:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admitted_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.drop_column("admitted_at")
