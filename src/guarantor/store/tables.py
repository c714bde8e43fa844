"""Table definitions. Revisions are append-only: the migration adds triggers that refuse
UPDATE and DELETE on them, so not even a bug in this code can rewrite history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    invited: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


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


class UserRow(Base):
    """A person who logs in: a coordinator, a capital (bound to one country) or an analyst."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(3), nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="en")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    raw_access: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TokenRow(Base):
    """An API token of a user; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class InvitationRow(Base):
    """A one-time link that lets a capital create its account; only its hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"))
    country: Mapped[str] = mapped_column(String(3))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[str | None] = mapped_column(String(100))


class SessionRow(Base):
    """A login session. The cookie carries its id; logging out ends it for every copy."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One write: who, when, from which session, what, and the details. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    session: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class StressRunRow(Base):
    """A stress-test result, keyed by the SHA-256 of everything it was computed from."""

    __tablename__ = "stress_runs"

    inputs_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    instrument: Mapped[str] = mapped_column(String(100))
    threat: Mapped[str] = mapped_column(String(100))
    assumptions: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(BigInteger)
    draws: Mapped[int] = mapped_column(Integer)
    code_version: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class DocumentRow(Base):
    """A stored news document (text normalised; id = SHA-256 of the text)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str] = mapped_column(String(2))
    outlet: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    extractor: Mapped[str] = mapped_column(String(50))


class ClaimRow(Base):
    """One attribution found in a stored document."""

    __tablename__ = "claims"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sources: Mapped[int | None] = mapped_column(Integer)
    strength: Mapped[int] = mapped_column(Integer)
    attribution: Mapped[dict[str, Any]] = mapped_column(JSON)
