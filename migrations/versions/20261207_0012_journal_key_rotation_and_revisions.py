"""journal key rotation, entry revisions and key formats

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 04:00:00

Existing keys, login seals and entries are format 1. A migration cannot re-seal entries (it holds
no keys): each member's key is rotated to format 2 at their next password entry, and their
entries are then re-sealed with the revision and date bound in (app/journal/rotation.py).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("journal_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recovery_public_key", sa.LargeBinary(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("entry_format", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("journal_session_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("entry_format", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "journal_retiring_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("entry_format", sa.Integer(), nullable=False),
        sa.Column("sealed_by_version", sa.Integer(), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_journal_retiring_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_retiring_keys")),
        sa.UniqueConstraint("user_id", "key_version", name="uq_journal_retiring_keys_user_ver"),
    )


def downgrade():
    # Keys made after the upgrade are format 2: code from before this revision cannot open them.
    op.drop_table("journal_retiring_keys")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_column("revision")
    with op.batch_alter_table("journal_session_keys", schema=None) as batch_op:
        batch_op.drop_column("entry_format")
    with op.batch_alter_table("journal_keys", schema=None) as batch_op:
        batch_op.drop_column("entry_format")
        batch_op.drop_column("recovery_public_key")
