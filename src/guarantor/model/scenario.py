"""A whole scenario: who coordinates, which round, which assumptions, which submissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from guarantor.model.base import Frozen, Text
from guarantor.model.offers import Submission
from guarantor.model.provenance import Provenance


class Assumption(Frozen):
    """A yes/no assumption of the package (is there a US backstop?), with its provenance."""

    value: bool
    label: Text
    provenance: Provenance


class Round(Frozen):
    """A questionnaire round: who sent which questionnaire to whom, and when."""

    id: str
    questionnaire: str
    version: int
    coordinator: str
    opened: dt.date
    deadline: dt.date | None = None
    invited: tuple[str, ...]
    provenance: Provenance


class Scenario(Frozen):
    """Everything an assessment of one case needs beyond the reference data."""

    id: str
    title: Text
    description: Text
    protected_state: str
    default_requirement: str
    assumptions: Mapping[str, Assumption]
    round: Round
    submissions: tuple[Submission, ...]
    sources: tuple[str, ...] = ()
    negotiation: str | None = None
    """Name of the shipped negotiation (parties, issues, positions) of this scenario."""
    enforcement: str | None = None
    """Name of the shipped enforcement data (line, densities, term rules) of its deals."""

    def assumption_values(self) -> dict[str, bool]:
        """The assumptions as plain values."""
        return {key: a.value for key, a in self.assumptions.items()}
