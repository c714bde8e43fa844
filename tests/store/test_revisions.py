"""Revisions are append-only, numbered per capital, and survive concurrent writers."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from guarantor.model.offers import Submission
from guarantor.model.provenance import Provenance
from guarantor.model.scenario import Round
from guarantor.store import RevisionStore, StoreError

ROUND = Round(
    id="r1",
    questionnaire="us-cable-2025",
    version=1,
    coordinator="USA",
    opened=dt.date(2025, 2, 10),
    invited=("FRA", "DEU"),
    provenance=Provenance(assumption=True),
)


def submission(country: str, size: int, status: str = "submitted") -> Submission:
    return Submission(
        country=country,
        questionnaire="us-cable-2025",
        version=1,
        status=status,
        answers={"force_size_personnel": size, "forces": []},
    )


@pytest.fixture()
def store(db_url: str):
    store = RevisionStore.open(db_url)
    store.ensure_round(ROUND, "test")
    yield store
    store.close()


def test_revisions_are_numbered_and_record_what_changed(store):
    first = store.save("r1", submission("FRA", 10_000), "alice")
    second = store.save("r1", submission("FRA", 25_000), "bob")
    store.save("r1", submission("DEU", 5_000), "carol")
    assert (first.number, second.number) == (1, 2)
    assert first.changed == ("force_size_personnel", "forces")
    assert second.changed == ("force_size_personnel",)
    assert second.author == "bob"
    assert second.created_at.tzinfo is not None
    history = store.history("r1", "FRA")
    assert [r.submission.answers["force_size_personnel"] for r in history] == [10_000, 25_000]
    assert store.get("r1", "FRA", 1).submission.answers["force_size_personnel"] == 10_000
    assert first.content_hash != second.content_hash and len(first.content_hash) == 64


def test_saving_the_same_content_twice_still_adds_a_revision(store):
    a = store.save("r1", submission("FRA", 1), "alice")
    b = store.save("r1", submission("FRA", 1), "alice")
    assert (a.number, b.number) == (1, 2)
    assert a.content_hash == b.content_hash
    assert b.changed == ()


def test_latest_ignores_drafts_by_default(store):
    store.save("r1", submission("FRA", 10_000), "alice")
    store.save("r1", submission("FRA", 99_999, status="draft"), "alice")
    (latest,) = store.latest("r1")
    assert latest.number == 1
    (newest,) = store.latest("r1", submitted_only=False)
    assert newest.number == 2 and newest.status == "draft"


def test_missing_revisions_and_rounds_are_clear_errors(store):
    with pytest.raises(StoreError) as caught:
        store.get("r1", "FRA")
    assert caught.value.code == "revision.none"
    store.save("r1", submission("FRA", 1), "alice")
    with pytest.raises(StoreError) as caught:
        store.get("r1", "FRA", 7)
    assert caught.value.params["latest"] == 1
    with pytest.raises(StoreError) as caught:
        store.history("nope", "FRA")
    assert caught.value.code == "round.unknown"


def test_the_database_refuses_to_rewrite_history(store):
    store.save("r1", submission("FRA", 1), "alice")
    with store.engine.connect() as connection:
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("UPDATE submission_revisions SET author = 'mallory'"))
        connection.rollback()
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("DELETE FROM submission_revisions"))
        connection.rollback()
    assert store.get("r1", "FRA").author == "alice"


def test_reopening_migrates_once(db_url, store):
    store.save("r1", submission("FRA", 1), "alice")
    again = RevisionStore.open(db_url)
    assert again.ensure_round(ROUND, "test") is False
    assert len(again.history("r1", "FRA")) == 1
    again.close()


def _writer(url: str, country: str, count: int) -> None:
    store = RevisionStore.open(url)
    for i in range(count):
        store.save("r1", submission(country, i), f"writer-{country}-{i}")
    store.close()


def test_concurrent_processes_all_land(db_url, store):
    """Four OS processes save to the same capital at once; every save is a revision."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(db_url, "FRA", 10)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    history = store.history("r1", "FRA")
    assert [r.number for r in history] == list(range(1, 41))
    assert len({r.author for r in history}) == 10  # each writer's i-th save has its own name


def test_postgresql_refuses_truncate_too(store):
    if store.engine.dialect.name != "postgresql":
        assert store.engine.dialect.name == "sqlite"  # SQLite has no TRUNCATE statement
        return
    store.save("r1", submission("FRA", 1), "alice")
    with store.engine.connect() as connection:
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("TRUNCATE submission_revisions CASCADE"))
        connection.rollback()
    assert len(store.history("r1", "FRA")) == 1


def _open_and_save(url: str, country: str) -> None:
    store = RevisionStore.open(url)
    store.ensure_round(ROUND, "test")
    store.save("r1", submission(country, 1), "opener")
    store.close()


def test_processes_opening_a_new_database_at_once(tmp_path):
    """Migrations and the first round are created once, whoever comes first."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_open_and_save, args=(url, c)) for c in ("FRA", "DEU", "GBR")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    store = RevisionStore.open(url)
    assert [r.country for r in store.latest("r1")] == ["DEU", "FRA", "GBR"]
    store.close()
