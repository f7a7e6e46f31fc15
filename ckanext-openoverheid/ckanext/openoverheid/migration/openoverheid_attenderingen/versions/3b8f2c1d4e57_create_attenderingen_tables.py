"""Create the attenderingen tables: subscriber (the e-mail address), subscription, delivery, outgoing mail.

Revision ID: 3b8f2c1d4e57
Revises:
Create Date: 2026-12-06 21:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "3b8f2c1d4e57"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "openoverheid_attendering_subscriber",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("email", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "openoverheid_attendering",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("subscriber_id", sa.UnicodeText,
                  sa.ForeignKey("openoverheid_attendering_subscriber.id", ondelete="CASCADE"), nullable=False),
        sa.Column("soort", sa.UnicodeText, nullable=False),
        sa.Column("criteria", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("label", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("locale", sa.UnicodeText, nullable=False, server_default="nl"),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed", sa.DateTime(timezone=True)),
        sa.Column("last_mail", sa.DateTime(timezone=True)),
    )
    for column in ("subscriber_id", "soort", "confirmed"):
        op.create_index(f"ix_openoverheid_attendering_{column}", "openoverheid_attendering", [column])
    op.create_table(
        "openoverheid_attendering_mail",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscriber_id", sa.UnicodeText,
                  sa.ForeignKey("openoverheid_attendering_subscriber.id", ondelete="CASCADE"), nullable=False),
        sa.Column("subscription_id", sa.UnicodeText,
                  sa.ForeignKey("openoverheid_attendering.id", ondelete="SET NULL")),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("message", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent", sa.DateTime(timezone=True)),
    )
    for column in ("subscriber_id", "status", "sent"):
        op.create_index(f"ix_openoverheid_attendering_mail_{column}", "openoverheid_attendering_mail", [column])
    op.create_table(
        "openoverheid_attendering_delivery",
        sa.Column("subscription_id", sa.UnicodeText,
                  sa.ForeignKey("openoverheid_attendering.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("event_key", sa.UnicodeText, primary_key=True),
        sa.Column("mail_id", sa.Integer, sa.ForeignKey("openoverheid_attendering_mail.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("openoverheid_attendering_delivery")
    op.drop_table("openoverheid_attendering_mail")
    op.drop_table("openoverheid_attendering")
    op.drop_table("openoverheid_attendering_subscriber")
