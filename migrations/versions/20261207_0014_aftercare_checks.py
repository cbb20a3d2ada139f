"""aftercare checks: who asked to be asked tomorrow, and when (never how they were)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:58:23.574055

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "aftercare_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("remind_from", sa.DateTime(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["circle_sessions.id"],
            name=op.f("fk_aftercare_checks_session_id_circle_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_aftercare_checks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aftercare_checks")),
    )
    with op.batch_alter_table("aftercare_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_aftercare_checks_user_remind", ["user_id", "remind_from"], unique=False
        )


def downgrade():

    with op.batch_alter_table("aftercare_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_aftercare_checks_user_remind")

    op.drop_table("aftercare_checks")
