"""care: alert states, private follow-ups, crisis lines by country, no stored check-in tallies

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 04:00:00

Alerts gain a source and a state (open -> reached_out -> resolved | dismissed, by whom and
when); a dismissed alert keeps its state. Follow-up threads and their lines get tables of their
own. Circles choose whether seek-help signs alert their facilitators; people may choose a
country for their crisis lines, and each line records when it was last checked. Check-in tallies
leave the database (they live in memory or Redis, forgotten with the session).
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHECKED = date(2026, 12, 7)
NEW_LINES = [
    ("9-8-8 Suicide Crisis Helpline", "Call or text 988, any time", "https://988.ca", "CA"),
    (
        "Samaritans Ireland",
        "Call 116 123 for free, day or night",
        "https://www.samaritans.org/ireland",
        "IE",
    ),
    ("Lifeline", "Call 13 11 14, any time", "https://www.lifeline.org.au", "AU"),
    ("Need to talk?", "Call or text 1737, any time", "https://1737.org.nz", "NZ"),
    ("3114", "Call 3114, day or night (national suicide prevention line)", "https://3114.fr", "FR"),
    (
        "TelefonSeelsorge",
        "Call 0800 111 0 111 or 0800 111 0 222, free, day or night",
        "https://www.telefonseelsorge.de",
        "DE",
    ),
    (
        "113 Zelfmoordpreventie",
        "Call 113 or 0800 0113 (free), or chat online",
        "https://www.113.nl",
        "NL",
    ),
    ("Línea 024", "Call 024, free, any time", "", "ES"),
    ("CVV", "Call 188, free, any time", "https://cvv.org.br", "BR"),
    ("Tele-MANAS", "Call 14416, free, any time", "https://telemanas.mohfw.gov.in", "IN"),
]


def upgrade():
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(24), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("state", sa.String(16), server_default="open", nullable=False)
        )
        batch_op.add_column(sa.Column("state_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("state_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_safety_alerts_state_by_id_users"),
            "users",
            ["state_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE safety_alerts SET state = CASE WHEN kind = 'request' THEN 'resolved' "
        "ELSE 'dismissed' END, state_at = dismissed_at, state_by_id = dismissed_by_id "
        "WHERE dismissed_at IS NOT NULL"
    )
    op.execute("UPDATE safety_alerts SET state_at = created_at WHERE state_at IS NULL")
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.alter_column("state_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index("ix_safety_alerts_session_open")
        batch_op.create_index("ix_safety_alerts_session_state", ["session_id", "state"])
        batch_op.drop_constraint("fk_safety_alerts_dismissed_by_id_users", type_="foreignkey")
        batch_op.drop_column("dismissed_by_id")
        batch_op.drop_column("dismissed_at")

    op.create_table(
        "followup_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["users.id"],
            name=op.f("fk_followup_threads_opened_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["circle_sessions.id"],
            name=op.f("fk_followup_threads_session_id_circle_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_followup_threads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_threads")),
        sa.UniqueConstraint("session_id", "user_id", name="uq_followup_threads_person"),
    )
    with op.batch_alter_table("followup_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_threads_user_id"), ["user_id"])
    op.create_table(
        "followup_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_followup_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["followup_threads.id"],
            name=op.f("fk_followup_messages_thread_id_followup_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_messages")),
        sa.UniqueConstraint(
            "thread_id", "author_id", "client_id", name="uq_followup_messages_client"
        ),
    )
    with op.batch_alter_table("followup_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_messages_thread_id"), ["thread_id"])

    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alert_on_concern", sa.Boolean(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(2), server_default="", nullable=False))
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_on", sa.Date(), nullable=True))
    _country_lines()

    op.drop_table("checkin_receipts")
    op.drop_table("checkin_tallies")


def _country_lines() -> None:
    """Regions become ISO country codes; installs that already have lines get the new ones."""
    resources = sa.table(
        "crisis_resources",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("contact", sa.String),
        sa.column("url", sa.String),
        sa.column("region", sa.String),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
        sa.column("checked_on", sa.Date),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    bind = op.get_bind()
    op.execute(resources.update().where(resources.c.region == "UK").values(region="GB"))
    rows = bind.execute(sa.select(resources.c.name, resources.c.region)).all()
    if not rows:
        return  # a fresh install loads every default line on first use
    op.execute(resources.update().values(checked_on=CHECKED))
    have = {(name, region) for name, region in rows}
    last = bind.execute(sa.select(sa.func.max(resources.c.position))).scalar() or 0
    now = sa.func.now()
    for offset, (name, contact, url, region) in enumerate(NEW_LINES, start=1):
        if (name, region) in have:
            continue
        op.execute(
            resources.insert().values(
                name=name,
                contact=contact,
                url=url,
                region=region,
                position=last + offset,
                active=True,
                checked_on=CHECKED,
                created_at=now,
                updated_at=now,
            )
        )


def downgrade():
    op.create_table(
        "checkin_tallies",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["circle_sessions.id"],
            name=op.f("fk_checkin_tallies_session_id_circle_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "moment", name=op.f("pk_checkin_tallies")),
    )
    op.create_table(
        "checkin_receipts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["circle_sessions.id"],
            name=op.f("fk_checkin_receipts_session_id_circle_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "digest", name=op.f("pk_checkin_receipts")),
    )
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.drop_column("checked_on")
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.drop_column("country")
    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.drop_column("alert_on_concern")
    op.drop_table("followup_messages")
    op.drop_table("followup_threads")
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dismissed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("dismissed_by_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE safety_alerts SET dismissed_at = state_at, dismissed_by_id = state_by_id "
        "WHERE state IN ('resolved', 'dismissed')"
    )
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_safety_alerts_dismissed_by_id_users"),
            "users",
            ["dismissed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_index("ix_safety_alerts_session_state")
        batch_op.create_index("ix_safety_alerts_session_open", ["session_id", "dismissed_at"])
        batch_op.drop_constraint("fk_safety_alerts_state_by_id_users", type_="foreignkey")
        batch_op.drop_column("state_by_id")
        batch_op.drop_column("state_at")
        batch_op.drop_column("state")
        batch_op.drop_column("source")
