"""Rounds and append-only submission revisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_GUARDS = [
    """CREATE TRIGGER submission_revisions_no_update BEFORE UPDATE ON submission_revisions
       BEGIN SELECT RAISE(ABORT, 'submission revisions are append-only'); END""",
    """CREATE TRIGGER submission_revisions_no_delete BEFORE DELETE ON submission_revisions
       BEGIN SELECT RAISE(ABORT, 'submission revisions are append-only'); END""",
]
POSTGRES_GUARDS = [
    """CREATE FUNCTION guarantor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'submission revisions are append-only'; END $$""",
    """CREATE TRIGGER submission_revisions_append_only
       BEFORE UPDATE OR DELETE ON submission_revisions
       FOR EACH ROW EXECUTE FUNCTION guarantor_append_only()""",
    """CREATE TRIGGER submission_revisions_no_truncate
       BEFORE TRUNCATE ON submission_revisions
       FOR EACH STATEMENT EXECUTE FUNCTION guarantor_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("questionnaire", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("coordinator", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "submission_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(100), sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("changed", sa.JSON, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.UniqueConstraint("round_id", "country", "number", name="uq_revision_number"),
    )
    op.create_index("ix_submission_revisions_round_id", "submission_revisions", ["round_id"])
    op.create_index("ix_submission_revisions_country", "submission_revisions", ["country"])
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_GUARDS, "postgresql": POSTGRES_GUARDS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER submission_revisions_append_only ON submission_revisions")
        op.execute("DROP FUNCTION guarantor_append_only()")
    op.drop_table("submission_revisions")
    op.drop_table("rounds")
