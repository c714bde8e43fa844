"""The revision store: append-only history of each capital's answers, per round.

SQLite is the default; PostgreSQL works through the same URL-driven interface. Two processes
saving at once both land, as consecutive revision numbers: on SQLite a writing transaction
takes the write lock up front (``BEGIN IMMEDIATE``, see :mod:`guarantor.store.database`); on
any database a clash on the unique (round, country, number) key is retried.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from guarantor.model.offers import Revision, Submission
from guarantor.model.portal import Actor, RoundInfo
from guarantor.model.scenario import Round
from guarantor.questionnaire import content_hash, diff_paths
from guarantor.store import audit
from guarantor.store.audit import aware, now
from guarantor.store.database import WRITE, Database
from guarantor.store.tables import RevisionRow, RoundRow

MIGRATIONS = Path(__file__).parent / "migrations"
RETRIES = 20


class StoreError(Exception):
    """A storage problem the user can act on (unknown round, missing revision)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


class Conflict(Exception):
    """Another save landed since the writer loaded its copy."""

    def __init__(self, latest: Revision, expected: int) -> None:
        self.latest = latest
        self.expected = expected
        super().__init__(f"revision {latest.number} exists; the edit started from {expected}")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (see :class:`~guarantor.store.database.Database`)."""
    return Database.connect(url).engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent, safe under concurrent opens)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # A write transaction from the start: two processes opening a new SQLite file at once
    # must queue, not both read "no schema" and then collide.
    with engine.execution_options(**{WRITE: True}).begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7421)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _revision(row: RevisionRow) -> Revision:
    created = aware(row.created_at)
    return Revision(
        round_id=row.round_id,
        country=row.country,
        number=row.number,
        status="draft" if row.status == "draft" else "submitted",
        author=row.author,
        created_at=created,
        content_hash=row.content_hash,
        changed=tuple(row.changed),
        submission=Submission.model_validate(row.content),
    )


class RevisionStore:
    """Repository of rounds and submission revisions."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.engine = db.engine

    @classmethod
    def open(cls, url: str) -> RevisionStore:
        """Connect to ``url`` and migrate the schema."""
        db = Database.connect(url)
        migrate(db.engine)
        return cls(db)

    def close(self) -> None:
        """Release the connection pool."""
        self.db.dispose()

    def _session(self, *, write: bool = False) -> AbstractContextManager[Session]:
        return self.db.session(write=write)

    def ensure_round(self, round_: Round, scenario: str) -> bool:
        """Record a round if this database does not know it yet; ``True`` if it was new."""
        for attempt in range(RETRIES):
            try:
                with self._session(write=True) as session:
                    if session.get(RoundRow, round_.id) is not None:
                        return False
                    session.add(
                        RoundRow(
                            id=round_.id,
                            scenario=scenario,
                            questionnaire=round_.questionnaire,
                            version=round_.version,
                            coordinator=round_.coordinator,
                            created_at=now(),
                            deadline=round_.deadline,
                            invited=list(round_.invited),
                        )
                    )
                return True
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
        return False

    def _check_round(self, session: Session, round_id: str) -> None:
        if session.get(RoundRow, round_id) is None:
            raise StoreError("round.unknown", round=round_id)

    def save(
        self,
        round_id: str,
        submission: Submission,
        author: str,
        *,
        expected: int | None = None,
        actor: Actor | None = None,
    ) -> Revision:
        """Append a revision; never overwrites. Retries when another writer took the number.

        ``expected`` is the revision the writer started from (0 for none): if another save
        landed since, :class:`Conflict` is raised with the newer revision and nothing is
        written. ``actor`` puts the save in the audit trail, in the same transaction."""
        content = submission.model_dump(mode="json", exclude={"provenance"})
        digest = content_hash(submission)
        for attempt in range(RETRIES):
            try:
                with self._session(write=True) as session:
                    self._check_round(session, round_id)
                    previous = session.scalars(
                        select(RevisionRow)
                        .where(
                            RevisionRow.round_id == round_id,
                            RevisionRow.country == submission.country,
                        )
                        .order_by(RevisionRow.number.desc())
                        .limit(1)
                    ).first()
                    latest = previous.number if previous else 0
                    if expected is not None and expected != latest:
                        assert previous is not None
                        raise Conflict(_revision(previous), expected)
                    row = RevisionRow(
                        round_id=round_id,
                        country=submission.country,
                        number=latest + 1,
                        status=submission.status,
                        author=author,
                        created_at=now(),
                        content_hash=digest,
                        changed=list(
                            diff_paths(
                                previous.content["answers"] if previous else None,
                                content["answers"],
                            )
                        ),
                        content=content,
                    )
                    session.add(row)
                    if actor is not None:
                        audit.record(
                            session,
                            actor,
                            "submission.save",
                            f"{round_id}/{submission.country}",
                            number=row.number,
                            status=row.status,
                            changed=row.changed,
                        )
                    session.flush()
                    return _revision(row)
            except (IntegrityError, OperationalError):
                if attempt == RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def history(self, round_id: str, country: str) -> list[Revision]:
        """Every revision of one capital in one round, oldest first."""
        with self._session() as session:
            self._check_round(session, round_id)
            rows = session.scalars(
                select(RevisionRow)
                .where(RevisionRow.round_id == round_id, RevisionRow.country == country)
                .order_by(RevisionRow.number)
            ).all()
            return [_revision(r) for r in rows]

    def get(self, round_id: str, country: str, number: int | None = None) -> Revision:
        """One revision (the latest when ``number`` is ``None``)."""
        history = self.history(round_id, country)
        if not history:
            raise StoreError("revision.none", round=round_id, country=country)
        if number is None:
            return history[-1]
        for revision in history:
            if revision.number == number:
                return revision
        raise StoreError(
            "revision.unknown",
            round=round_id,
            country=country,
            number=number,
            latest=history[-1].number,
        )

    def latest(self, round_id: str, *, submitted_only: bool = True) -> list[Revision]:
        """The newest revision of each capital (the newest *submitted* one by default)."""
        with self._session() as session:
            self._check_round(session, round_id)
            query = select(RevisionRow.country, func.max(RevisionRow.number).label("number")).where(
                RevisionRow.round_id == round_id
            )
            if submitted_only:
                query = query.where(RevisionRow.status == "submitted")
            newest = query.group_by(RevisionRow.country).subquery()
            rows = session.scalars(
                select(RevisionRow)
                .join(
                    newest,
                    (RevisionRow.country == newest.c.country)
                    & (RevisionRow.number == newest.c.number),
                )
                .where(RevisionRow.round_id == round_id)
                .order_by(RevisionRow.country)
            ).all()
            return [_revision(r) for r in rows]

    def countries(self, round_id: str) -> list[str]:
        """Capitals with at least one revision in the round."""
        with self._session() as session:
            return list(
                session.scalars(
                    select(RevisionRow.country)
                    .where(RevisionRow.round_id == round_id)
                    .distinct()
                    .order_by(RevisionRow.country)
                )
            )

    def rounds(self) -> list[RoundInfo]:
        """Every round in the database, newest first."""
        with self._session() as session:
            rows = session.scalars(select(RoundRow).order_by(RoundRow.created_at.desc())).all()
            return [_round(r) for r in rows]

    def round(self, round_id: str) -> RoundInfo:
        """One round."""
        with self._session() as session:
            row = session.get(RoundRow, round_id)
            if row is None:
                raise StoreError("round.unknown", round=round_id)
            return _round(row)

    def open_round(self, info: RoundInfo, actor: Actor) -> RoundInfo:
        """Record a new round (a coordinator's act), audited."""
        with self._session(write=True) as session:
            if session.get(RoundRow, info.id) is not None:
                raise StoreError("round.exists", round=info.id)
            session.add(
                RoundRow(
                    id=info.id,
                    scenario=info.scenario,
                    questionnaire=info.questionnaire,
                    version=info.version,
                    coordinator=info.coordinator,
                    created_at=now(),
                    deadline=info.deadline,
                    invited=list(info.invited),
                )
            )
            audit.record(
                session,
                actor,
                "round.open",
                info.id,
                deadline=str(info.deadline),
                invited=list(info.invited),
            )
        return self.round(info.id)


def _round(row: RoundRow) -> RoundInfo:
    return RoundInfo(
        id=row.id,
        scenario=row.scenario,
        questionnaire=row.questionnaire,
        version=row.version,
        coordinator=row.coordinator,
        created_at=aware(row.created_at),
        deadline=row.deadline,
        invited=tuple(row.invited or ()),
    )
