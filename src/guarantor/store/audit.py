"""Writing and reading the audit trail, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guarantor.model.portal import Actor, AuditEntry
from guarantor.store.tables import AuditRow


def now() -> dt.datetime:
    """The current time, in UTC."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes: they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def record(session: Session, actor: Actor, action: str, target: str, **details: Any) -> None:
    """Add an audit row to the current transaction: it lands with the write or not at all."""
    session.add(
        AuditRow(
            at=now(),
            actor=actor.name,
            session=actor.session,
            action=action,
            target=target,
            details=details,
        )
    )


def entries(session: Session, target_prefix: str = "", limit: int = 500) -> list[AuditEntry]:
    """The newest audit entries, optionally only for targets starting with a prefix."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if target_prefix:
        query = query.where(AuditRow.target.startswith(target_prefix))
    return [
        AuditEntry(
            id=row.id,
            at=aware(row.at),
            actor=row.actor,
            session=row.session,
            action=row.action,
            target=row.target,
            details=row.details,
        )
        for row in session.scalars(query)
    ]
