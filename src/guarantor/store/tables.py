"""Table definitions. Revisions are append-only: the migration adds triggers that refuse
UPDATE and DELETE on them, so not even a bug in this code can rewrite history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of Guarantor's tables."""


class RoundRow(Base):
    """A questionnaire round (a scenario's round once it is opened in this database)."""

    __tablename__ = "rounds"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(200))
    questionnaire: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    coordinator: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RevisionRow(Base):
    """One revision of one capital's answers in one round."""

    __tablename__ = "submission_revisions"
    __table_args__ = (UniqueConstraint("round_id", "country", "number", name="uq_revision_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    country: Mapped[str] = mapped_column(String(3), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    content_hash: Mapped[str] = mapped_column(String(64))
    changed: Mapped[list[str]] = mapped_column(JSON)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
