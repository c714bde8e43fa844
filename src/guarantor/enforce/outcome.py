"""What a search for enforceable deals reports: the deals, why there are none, and the
fixes tried. Plain records, shared by the service that fills them and the reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guarantor.enforce.chain import Case
from guarantor.enforce.search import Search
from guarantor.model.enforcement import Enforcement
from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.problem import Problem
from guarantor.negotiate.solver import Constraint
from guarantor.simulate.stress import Interval


@dataclass(frozen=True)
class DealView:
    """One deal as a report shows it."""

    options: dict[str, str]
    utilities: tuple[float, ...]
    case: Case
    hold: Interval
    result: dict[str, Any]
    """The stress result (with Shapley values when ``shapley_draws`` > 0)."""
    acceptable: bool
    enforceable: bool


@dataclass(frozen=True)
class Fix:
    """A change that makes a deal enforceable (or the closest it comes)."""

    kind: str
    """``instrument`` (another guarantee form), ``condition`` (an offer condition met) or
    ``units`` (more units of the fix capability from guarantors with spare capacity)."""
    detail: dict[str, Any]
    hold: Interval
    enforceable: bool
    acceptable: bool


@dataclass(frozen=True)
class Shortfall:
    """Why an acceptable deal is not enforceable, and what would fix it."""

    deal: DealView
    gaps: tuple[dict[str, Any], ...]
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class Stats:
    """How the search went."""

    candidates: int
    keys: int
    jobs: int
    computed: int
    cached: int
    seconds: float


@dataclass(frozen=True)
class DealsReport:
    """Everything ``guarantor deals`` reports."""

    min_hold: float
    seed: int
    negotiation: Negotiation
    enforcement: Enforcement
    problem: Problem
    search: Search
    deals: tuple[DealView, ...]
    """The enforceable deals shown, by falling Nash product."""
    nash: DealView | None
    egalitarian: DealView | None
    blocking: tuple[tuple[Constraint, ...], ...]
    shortfalls: tuple[Shortfall, ...]
    stats: Stats
    run: Mapping[str, Any]
    """Code version, inputs hash, seed and time of the run."""
    instrument: str | None = None
    """The guarantee form every deal was made to take (a what-if), if any."""

    @property
    def feasible(self) -> bool:
        """Whether any deal is both acceptable and enforceable."""
        return len(self.search.enforceable) > 0


@dataclass(frozen=True)
class DealsDifference:
    """Enforceable deals a what-if opens and closes."""

    opened: tuple[dict[str, str], ...]
    closed: tuple[dict[str, str], ...]
