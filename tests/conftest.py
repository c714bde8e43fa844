"""Shared fixtures: the shipped reference data, questionnaire and scenario; a temporary DB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guarantor.config import Settings
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Reference
from guarantor.model.scenario import Scenario
from guarantor.questionnaire import load_questionnaire
from guarantor.scenario import load_reference, load_scenario
from tests.postgres import create_database, running_postgres


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire("us-cable-2025", 1)


@pytest.fixture(scope="session")
def scenario(reference: Reference) -> Scenario:
    return load_scenario("ukraine-2025", reference)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on loopback, started from the Debian binaries."""
    with running_postgres() as server:
        yield server.url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store-backed test runs on SQLite and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'guarantor.db'}"
    server = request.getfixturevalue("postgres_server")
    return create_database(server)


@pytest.fixture()
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, user="tester")


@pytest.fixture()
def complete_answers(scenario: Scenario) -> dict:
    """A complete, valid answer document (France's shipped answers)."""
    france = next(s for s in scenario.submissions if s.country == "FRA")
    return {
        "questionnaire": "us-cable-2025",
        "version": 1,
        "country": "FRA",
        "answers": dict(france.answers),
    }
