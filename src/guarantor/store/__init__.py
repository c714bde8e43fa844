"""Persistence: SQLAlchemy 2 tables, Alembic migrations, repositories. SQLite or PostgreSQL."""

from guarantor.store.repository import RevisionStore, StoreError

__all__ = ["RevisionStore", "StoreError"]
