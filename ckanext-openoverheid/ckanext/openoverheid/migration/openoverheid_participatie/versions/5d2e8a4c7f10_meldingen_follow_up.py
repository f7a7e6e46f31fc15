"""Meldingen after the report: due dates, closing time, the reporter's name and language, updates by
the reporter with a photo, hidden photos, the "is it solved?" answers and personal-data retention.

Revision ID: 5d2e8a4c7f10
Revises: 7a1c0e5d9b21
Create Date: 2026-12-07 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "5d2e8a4c7f10"
down_revision = "7a1c0e5d9b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("openoverheid_melding") as table:
        table.add_column(sa.Column("due", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("closed", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("solved_question_sent", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("photo_hidden", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_openoverheid_melding_due", "openoverheid_melding", ["due"])
    op.create_index("ix_openoverheid_melding_closed", "openoverheid_melding", ["closed"])
    # Meldingen closed before this revision: their last change is when they were closed.
    op.execute(
        "UPDATE openoverheid_melding SET closed = updated "
        "WHERE status IN ('opgelost', 'afgewezen', 'doorgestuurd') AND closed IS NULL"
    )

    with op.batch_alter_table("openoverheid_melding_contact") as table:
        table.add_column(sa.Column("name", sa.UnicodeText))
        table.add_column(sa.Column("language", sa.UnicodeText))
        table.add_column(sa.Column("erased", sa.DateTime(timezone=True)))

    with op.batch_alter_table("openoverheid_melding_update") as table:
        table.add_column(sa.Column("photo", sa.UnicodeText))
        table.add_column(sa.Column("photo_thumbnail", sa.UnicodeText))
        table.add_column(sa.Column("photo_hidden", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_openoverheid_melding_update_created", "openoverheid_melding_update", ["created"])

    op.create_table(
        "openoverheid_melding_feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "melding_id", sa.Integer, sa.ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("service_code", sa.UnicodeText, nullable=False),
        sa.Column("solved", sa.Boolean, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_openoverheid_melding_feedback_melding_id", "openoverheid_melding_feedback", ["melding_id"])
    op.create_index("ix_openoverheid_melding_feedback_service_code", "openoverheid_melding_feedback", ["service_code"])


def downgrade():
    op.drop_table("openoverheid_melding_feedback")
    op.drop_index("ix_openoverheid_melding_update_created", "openoverheid_melding_update")
    with op.batch_alter_table("openoverheid_melding_update") as table:
        for column in ("photo", "photo_thumbnail", "photo_hidden"):
            table.drop_column(column)
    with op.batch_alter_table("openoverheid_melding_contact") as table:
        for column in ("name", "language", "erased"):
            table.drop_column(column)
    op.drop_index("ix_openoverheid_melding_closed", "openoverheid_melding")
    op.drop_index("ix_openoverheid_melding_due", "openoverheid_melding")
    with op.batch_alter_table("openoverheid_melding") as table:
        for column in ("due", "closed", "solved_question_sent", "photo_hidden"):
            table.drop_column(column)
