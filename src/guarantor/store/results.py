"""Stored stress-test results: computed once per distinct input, looked up afterwards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from guarantor.store.audit import now
from guarantor.store.database import Database
from guarantor.store.tables import StressRunRow


class ResultStore:
    """Repository of stress-test results keyed by inputs hash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def known(self, hashes: list[str]) -> set[str]:
        """Which of these input hashes already have a stored result."""
        with self.db.session() as session:
            return set(
                session.scalars(
                    select(StressRunRow.inputs_hash).where(StressRunRow.inputs_hash.in_(hashes))
                )
            )

    def get(self, inputs_hash: str) -> dict[str, Any] | None:
        """A stored result, or ``None``."""
        with self.db.session() as session:
            row = session.get(StressRunRow, inputs_hash)
            return dict(row.result) if row is not None else None

    def get_many(self, hashes: list[str]) -> dict[str, dict[str, Any]]:
        """The stored results among these input hashes, in one query."""
        with self.db.session() as session:
            rows = session.scalars(select(StressRunRow).where(StressRunRow.inputs_hash.in_(hashes)))
            return {row.inputs_hash: dict(row.result) for row in rows}

    def put(
        self,
        inputs_hash: str,
        *,
        instrument: str,
        threat: str,
        assumptions: dict[str, bool],
        seed: int,
        draws: int,
        code_version: str,
        result: dict[str, Any],
    ) -> bool:
        """Store a result; ``False`` if one with the same inputs was stored meanwhile."""
        try:
            with self.db.session(write=True) as session:
                if session.get(StressRunRow, inputs_hash) is not None:
                    return False
                session.add(
                    StressRunRow(
                        inputs_hash=inputs_hash,
                        instrument=instrument,
                        threat=threat,
                        assumptions=assumptions,
                        seed=seed,
                        draws=draws,
                        code_version=code_version,
                        created_at=now(),
                        result=result,
                    )
                )
            return True
        except IntegrityError:
            return False
