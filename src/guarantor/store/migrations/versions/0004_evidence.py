"""News documents and the attributions found in them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("outlet", sa.String(200)),
        sa.Column("date", sa.Date),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extractor", sa.String(50), nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("speaker", sa.Text),
        sa.Column("entity", sa.String(100), index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sources", sa.Integer),
        sa.Column("strength", sa.Integer, nullable=False),
        sa.Column("attribution", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("documents")
