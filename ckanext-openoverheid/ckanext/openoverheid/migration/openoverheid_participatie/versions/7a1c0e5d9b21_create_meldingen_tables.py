"""Create the meldingen tables: melding, its private contact, its updates, Open311 API keys.

Revision ID: 7a1c0e5d9b21
Revises:
Create Date: 2026-11-29 02:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "7a1c0e5d9b21"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "openoverheid_open311_key",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("key_hash", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "openoverheid_melding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("service_code", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("address", sa.UnicodeText),
        sa.Column("attributes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("photo", sa.UnicodeText),
        sa.Column("photo_thumbnail", sa.UnicodeText),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hidden_reason", sa.UnicodeText),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default="web"),
        sa.Column("api_key_id", sa.UnicodeText, sa.ForeignKey("openoverheid_open311_key.id")),
        sa.Column("requested", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("organization_id", "service_code", "status", "hidden", "requested"):
        op.create_index(f"ix_openoverheid_melding_{column}", "openoverheid_melding", [column])
    op.create_index("ix_openoverheid_melding_lat_lon", "openoverheid_melding", ["lat", "lon"])
    op.create_table(
        "openoverheid_melding_contact",
        sa.Column(
            "melding_id", sa.Integer, sa.ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("email", sa.UnicodeText),
        sa.Column("ip_address", sa.UnicodeText),
    )
    op.create_table(
        "openoverheid_melding_update",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "melding_id", sa.Integer, sa.ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.UnicodeText, nullable=False, server_default="update"),
        sa.Column("status_from", sa.UnicodeText),
        sa.Column("status_to", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_openoverheid_melding_update_melding_id", "openoverheid_melding_update", ["melding_id"])


def downgrade():
    op.drop_table("openoverheid_melding_update")
    op.drop_table("openoverheid_melding_contact")
    op.drop_table("openoverheid_melding")
    op.drop_table("openoverheid_open311_key")
