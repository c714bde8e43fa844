"""Stored stress-test results, keyed by the hash of their inputs (sweeps resume from them).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stress_runs",
        sa.Column("inputs_hash", sa.String(64), primary_key=True),
        sa.Column("instrument", sa.String(100), nullable=False),
        sa.Column("threat", sa.String(100), nullable=False),
        sa.Column("assumptions", sa.JSON, nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("draws", sa.Integer, nullable=False),
        sa.Column("code_version", sa.String(50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stress_runs")
