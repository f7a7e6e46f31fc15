"""Verzoeken: data requests and ideas, their supporters (private) and their history.

Revision ID: 8c4e1f2a9d36
Revises:
Create Date: 2026-12-07 03:10:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "8c4e1f2a9d36"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "openoverheid_verzoek",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("soort", sa.UnicodeText, nullable=False),
        sa.Column("titel", sa.UnicodeText, nullable=False),
        sa.Column("toelichting", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id")),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("antwoord", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText, sa.ForeignKey("package.id")),
        sa.Column("woo_grounds", JSONB),
        sa.Column("review_date", sa.Date),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hidden_reason", sa.UnicodeText),
        sa.Column("language", sa.UnicodeText, nullable=False, server_default="nl"),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed", sa.DateTime(timezone=True)),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("support_count", sa.Integer, nullable=False, server_default="0"),
    )
    for column in ("soort", "organization_id", "status", "dataset_id", "hidden", "created", "confirmed",
                   "support_count"):
        op.create_index(f"ix_openoverheid_verzoek_{column}", "openoverheid_verzoek", [column])

    op.create_table(
        "openoverheid_verzoek_steun",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("verzoek_id", sa.Integer, sa.ForeignKey("openoverheid_verzoek.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("email", sa.UnicodeText, nullable=False),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("language", sa.UnicodeText, nullable=False, server_default="nl"),
        sa.Column("ip_address", sa.UnicodeText),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("verzoek_id", "email", name="uq_openoverheid_verzoek_steun_email"),
    )
    op.create_index("ix_openoverheid_verzoek_steun_verzoek_id", "openoverheid_verzoek_steun", ["verzoek_id"])

    op.create_table(
        "openoverheid_verzoek_update",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("verzoek_id", sa.Integer, sa.ForeignKey("openoverheid_verzoek.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("status_from", sa.UnicodeText),
        sa.Column("status_to", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText, sa.ForeignKey("package.id")),
        sa.Column("woo_grounds", JSONB),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_openoverheid_verzoek_update_verzoek_id", "openoverheid_verzoek_update", ["verzoek_id"])
    op.create_index("ix_openoverheid_verzoek_update_created", "openoverheid_verzoek_update", ["created"])


def downgrade():
    op.drop_table("openoverheid_verzoek_update")
    op.drop_table("openoverheid_verzoek_steun")
    op.drop_table("openoverheid_verzoek")
