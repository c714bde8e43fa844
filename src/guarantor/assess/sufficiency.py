"""Assess a package against a requirement: coverage, rotation, readiness, cost, burden.

The formulas are documented in ``docs/assessment.md``; the tests check them on small cases
computed by hand. Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from guarantor.model.assessment import (
    Assessment,
    CountryBurden,
    Coverage,
    CoverageStatus,
    ExcludedOffer,
    GapCloser,
    ReadinessPoint,
)
from guarantor.model.diagnostics import Diagnostic, Severity
from guarantor.model.offers import Offer
from guarantor.model.package import Package
from guarantor.model.provenance import Figure
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement, RequirementItem

DEFAULT_READINESS_DAYS = (7, 30, 90, 180)


@dataclass(frozen=True)
class AssessParams:
    """Knobs of the assessment that are not part of the requirement or the package.

    ``rotation_ratio`` overrides the requirement's own; ``max_pool_share`` is the share of a
    state's active personnel it can hold in one operation's rotation pool (an assumption,
    documented in ``docs/assessment.md``); ``candidates`` are the states considered for
    closing gaps (by default the package's contributors).
    """

    rotation_ratio: float | None = None
    readiness_days: Sequence[int] = DEFAULT_READINESS_DAYS
    max_pool_share: float = 0.15
    candidates: Sequence[str] | None = None


def _value(figure: Figure | None) -> float:
    return figure.value if figure is not None and figure.value is not None else 0.0


class _Caveats:
    """Collects, once each, the figures an assessment rests on that are unknown or assumed."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], Diagnostic] = {}

    def note(self, subject: str, name: str, figure: Figure | None) -> None:
        if figure is None or figure.value is None:
            code, severity = "figure.unknown", Severity.WARNING
        elif figure.assumption:
            code, severity = "figure.assumption", Severity.INFO
        else:
            return
        self.items.setdefault(
            (code, subject, name),
            Diagnostic(code=code, severity=severity, params={"subject": subject, "figure": name}),
        )

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.setdefault((diagnostic.code, str(diagnostic.path), ""), diagnostic)


def _matches(offer: Offer, item: RequirementItem) -> bool:
    return offer.capability in item.capabilities and offer.role in item.roles


def _allocate(
    offers: Iterable[Offer], items: Sequence[RequirementItem]
) -> tuple[dict[str, list[Offer]], list[Offer]]:
    """Each counted offer goes to the first requirement line it fits, so none counts twice."""
    allocated: dict[str, list[Offer]] = {item.id: [] for item in items}
    unused = []
    for offer in offers:
        target = next((item for item in items if _matches(offer, item)), None)
        if target is None:
            unused.append(offer)
        else:
            allocated[target.id].append(offer)
    return allocated, unused


def assess(
    package: Package,
    requirement: Requirement,
    reference: Reference,
    params: AssessParams | None = None,
) -> Assessment:
    """Measure ``package`` against ``requirement``; a new :class:`Assessment`, inputs untouched."""
    params = params or AssessParams()
    caveats = _Caveats()
    ratio = params.rotation_ratio or _value(requirement.rotation_ratio) or 1.0
    if params.rotation_ratio is None:
        caveats.note(f"requirement:{requirement.id}", "rotation_ratio", requirement.rotation_ratio)
    caveats.note(f"requirement:{requirement.id}", "sustain_years", requirement.sustain_years)
    horizon = max(1, round(_value(requirement.sustain_years) * 12))
    implied = dict(requirement.implies)

    counted: list[Offer] = []
    excluded: list[ExcludedOffer] = []
    for offer in package.offers:
        unmet = package.unmet_conditions(offer.conditions, implied)
        if unmet:
            excluded.append(ExcludedOffer(offer=offer, unmet=tuple(unmet)))
        else:
            counted.append(offer)

    def capability(code: str) -> Figure | None:
        cap = reference.capabilities.get(code)
        return cap.personnel if cap else None

    def personnel(offer: Offer) -> float:
        figure = capability(offer.capability)
        caveats.note(f"capability:{offer.capability}", "personnel", figure)
        return offer.quantity * _value(figure)

    def yearly_cost(offer: Offer) -> float:
        cap = reference.capabilities.get(offer.capability)
        figure = cap.cost_per_year_usd_m if cap else None
        caveats.note(f"capability:{offer.capability}", "cost_per_year_usd_m", figure)
        return offer.quantity * _value(figure)

    allocated, unused = _allocate(counted, requirement.items)
    coverage = []
    for item in requirement.items:
        caveats.note(f"requirement:{requirement.id}:{item.id}", "units", item.units)
        coverage.append(_coverage(item, allocated[item.id], horizon, ratio))

    readiness = []
    for day in sorted(params.readiness_days):
        ready = {
            item.id: sum(o.quantity for o in allocated[item.id] if o.readiness_days <= day)
            for item in requirement.items
        }
        people = sum(
            personnel(o) for offers in allocated.values() for o in offers if o.readiness_days <= day
        )
        readiness.append(ReadinessPoint(day=day, units=ready, personnel=people))

    equipment_value: dict[str, float] = defaultdict(float)
    for lot in package.equipment:
        category = reference.capabilities.get(lot.category)
        figure = category.unit_cost_usd_m if category else None
        caveats.note(f"capability:{lot.category}", "unit_cost_usd_m", figure)
        equipment_value[lot.country] += lot.quantity * _value(figure)

    burden = _burden(
        package,
        counted,
        equipment_value,
        reference,
        ratio,
        horizon,
        params,
        personnel,
        yearly_cost,
        caveats,
    )
    closers = _gap_closers(
        coverage, requirement, excluded, burden, reference, ratio, params, package
    )
    return Assessment(
        requirement=requirement.id,
        assumptions=package.effective(implied),
        rotation_ratio=ratio,
        horizon_months=horizon,
        coverage=tuple(coverage),
        excluded=tuple(excluded),
        unused=tuple(unused),
        readiness=tuple(readiness),
        yearly_cost_usd_m=sum(yearly_cost(o) for o in counted),
        equipment_value_usd_m=sum(equipment_value.values()),
        total_personnel=sum(personnel(o) for o in counted),
        burden=tuple(burden),
        gap_closers=tuple(closers),
        caveats=tuple(caveats.items.values()),
    )


def _coverage(item: RequirementItem, offers: list[Offer], horizon: int, ratio: float) -> Coverage:
    required = _value(item.units)
    offered = sum(o.quantity for o in offers)
    # An offer shorter than the horizon holds its units for part of it only.
    sustained = sum(o.quantity * min(o.duration_months, horizon) / horizon for o in offers)
    gap = max(0.0, required - offered)
    sustained_gap = max(0.0, required - sustained)
    status: CoverageStatus
    if gap <= 0 and sustained_gap <= 0:
        status = "covered"
    elif offered > 0:
        status = "partial"
    else:
        status = "gap"
    contributors: dict[str, int] = defaultdict(int)
    for o in offers:
        contributors[o.country] += o.quantity
    return Coverage(
        item=item.id,
        required=required,
        offered=offered,
        sustained=round(sustained, 6),
        gap=gap,
        sustained_gap=round(sustained_gap, 6),
        required_pool=required * ratio,
        status=status,
        contributors=dict(sorted(contributors.items())),
    )


def _burden(
    package: Package,
    counted: list[Offer],
    equipment_value: Mapping[str, float],
    reference: Reference,
    ratio: float,
    horizon: int,
    params: AssessParams,
    personnel: object,
    yearly_cost: object,
    caveats: _Caveats,
) -> list[CountryBurden]:
    assert callable(personnel) and callable(yearly_cost)
    countries = sorted({o.country for o in counted} | set(equipment_value))
    people = {c: sum(personnel(o) for o in counted if o.country == c) for c in countries}
    units = {c: sum(o.quantity for o in counted if o.country == c) for c in countries}
    # Equipment is a one-off transfer: spread it over the horizon to compare it with yearly costs.
    cost = {
        c: sum(yearly_cost(o) for o in counted if o.country == c)
        + equipment_value.get(c, 0.0) * 12 / horizon
        for c in countries
    }
    gdp: dict[str, float] = {}
    for c in countries:
        country = reference.countries.get(c)
        figure = country.gdp_usd_bn if country else None
        caveats.note(f"country:{c}", "gdp_usd_bn", figure)
        if figure is not None and figure.value is not None:
            gdp[c] = figure.value
    total_people = sum(people.values()) or 1.0
    total_cost = sum(cost.values()) or 1.0
    known_gdp = sum(gdp.values())
    known_cost = sum(cost[c] for c in gdp) or 1.0
    rows = []
    for c in countries:
        country = reference.countries.get(c)
        active_fig = country.active_personnel if country else None
        caveats.note(f"country:{c}", "active_personnel", active_fig)
        active = active_fig.value if active_fig is not None else None
        pool = people[c] * ratio
        share_of_active = pool / active if active else None
        gdp_share = gdp[c] / known_gdp if c in gdp and known_gdp else None
        burden_ratio = (cost[c] / known_cost) / gdp_share if gdp_share else None
        rows.append(
            CountryBurden(
                country=c,
                units=units[c],
                personnel=people[c],
                cost_usd_m=cost[c],
                equipment_value_usd_m=equipment_value.get(c, 0.0),
                personnel_share=people[c] / total_people,
                cost_share=cost[c] / total_cost,
                gdp_share=gdp_share,
                burden_ratio=burden_ratio,
                pool_personnel=pool,
                active_personnel=active,
                pool_share_of_active=share_of_active,
                sustainable=None
                if share_of_active is None
                else share_of_active <= params.max_pool_share,
            )
        )
    return rows


def _gap_closers(
    coverage: Sequence[Coverage],
    requirement: Requirement,
    excluded: Sequence[ExcludedOffer],
    burden: Sequence[CountryBurden],
    reference: Reference,
    ratio: float,
    params: AssessParams,
    package: Package,
) -> list[GapCloser]:
    """Who could close each gap: offers held back by conditions, then headroom in rotation
    pools (active personnel x max_pool_share, less what the state already commits)."""
    items = {item.id: item for item in requirement.items}
    committed = {b.country: b.pool_personnel for b in burden}
    candidates = params.candidates if params.candidates is not None else package.countries
    closers: list[GapCloser] = []
    for cov in coverage:
        if cov.gap <= 0:
            continue
        item = items[cov.item]
        for ex in excluded:
            if _matches(ex.offer, item):
                closers.append(
                    GapCloser(
                        item=item.id,
                        country=ex.offer.country,
                        units=ex.offer.quantity,
                        reason="unmet_conditions",
                        conditions=ex.unmet,
                    )
                )
        needed = math.ceil(cov.gap)
        for code in sorted(candidates):
            country = reference.countries.get(code)
            active = (
                country.active_personnel.value if country and country.active_personnel else None
            )
            if not active:
                continue
            headroom = active * params.max_pool_share - committed.get(code, 0.0)
            per_unit = [
                _value(reference.capabilities[c].personnel) * ratio
                for c in item.capabilities
                if c in reference.capabilities and _value(reference.capabilities[c].personnel) > 0
            ]
            if not per_unit or headroom <= 0:
                continue
            possible = min(needed, math.floor(headroom / min(per_unit)))
            if possible > 0:
                closers.append(
                    GapCloser(item=item.id, country=code, units=possible, reason="spare_capacity")
                )
    return closers
