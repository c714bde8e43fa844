"""The result of assessing a package against a requirement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from guarantor.model.base import Frozen
from guarantor.model.diagnostics import Diagnostic
from guarantor.model.offers import Offer

if TYPE_CHECKING:
    import pandas as pd

CoverageStatus = Literal["covered", "partial", "gap"]


class ExcludedOffer(Frozen):
    """An offer that does not count, and the conditions that keep it out."""

    offer: Offer
    unmet: tuple[str, ...]


class Coverage(Frozen):
    """One requirement line: needed, offered at once, sustained over the horizon, the gap."""

    item: str
    required: float
    offered: int
    sustained: float
    gap: float
    sustained_gap: float
    required_pool: float
    status: CoverageStatus
    contributors: Mapping[str, int]


class ReadinessPoint(Frozen):
    """Units and personnel in place by a given day after the decision to deploy."""

    day: int
    units: Mapping[str, int]
    """Requirement item -> units in place by ``day``."""
    personnel: float


class CountryBurden(Frozen):
    """One state's share of the effort against its share of the coalition's GDP."""

    country: str
    units: int
    personnel: float
    cost_usd_m: float
    equipment_value_usd_m: float
    personnel_share: float
    cost_share: float
    gdp_share: float | None
    """Share of the GDP of contributors whose GDP is known; ``None`` when this one's is not."""
    burden_ratio: float | None
    """cost share / GDP share: above 1 carries more than its economic weight."""
    pool_personnel: float
    active_personnel: float | None
    pool_share_of_active: float | None
    sustainable: bool | None


class GapCloser(Frozen):
    """A capital that could close (part of) a gap, and why."""

    item: str
    country: str
    units: int
    reason: Literal["unmet_conditions", "spare_capacity"]
    conditions: tuple[str, ...] = ()


class Assessment(Frozen):
    """Coverage, readiness, cost and burden sharing of a package against a requirement."""

    requirement: str
    assumptions: Mapping[str, bool]
    rotation_ratio: float
    horizon_months: int
    coverage: tuple[Coverage, ...]
    excluded: tuple[ExcludedOffer, ...]
    unused: tuple[Offer, ...]
    """Counted offers that match no requirement line (a role or capability nobody asked for)."""
    readiness: tuple[ReadinessPoint, ...]
    yearly_cost_usd_m: float
    equipment_value_usd_m: float
    total_personnel: float
    burden: tuple[CountryBurden, ...]
    gap_closers: tuple[GapCloser, ...]
    caveats: tuple[Diagnostic, ...]
    """Which numbers rest on unknown figures or on assumptions."""

    @property
    def gaps(self) -> tuple[Coverage, ...]:
        """Requirement lines not fully covered at once."""
        return tuple(c for c in self.coverage if c.gap > 0)

    @property
    def covered(self) -> bool:
        """Whether every line is covered at once and over the horizon."""
        return all(c.gap <= 0 and c.sustained_gap <= 0 for c in self.coverage)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_frame(self) -> pd.DataFrame:
        """Coverage as a table, one row per requirement line."""
        import pandas as pd

        rows = [c.model_dump(exclude={"contributors"}) for c in self.coverage]
        return pd.DataFrame(rows).set_index("item")

    def burden_frame(self) -> pd.DataFrame:
        """Burden sharing as a table, one row per contributing state."""
        import pandas as pd

        return pd.DataFrame([b.model_dump() for b in self.burden]).set_index("country")

    def readiness_frame(self) -> pd.DataFrame:
        """Units in place per requirement line (columns) by day (rows)."""
        import pandas as pd

        frame = pd.DataFrame({p.day: dict(p.units) for p in self.readiness}).T
        frame.index.name = "day"
        frame["personnel"] = [p.personnel for p in self.readiness]
        return frame
