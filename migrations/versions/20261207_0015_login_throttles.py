"""failed logins counted per account name

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:00:00

A growing delay per account name (app/auth/throttle.py), shared by every app process. The table
starts empty: nothing to carry over.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttles",
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=False),
        sa.Column("wait_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_key", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttles_last_failed_at"), ["last_failed_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_last_failed_at"))
    op.drop_table("login_throttles")
