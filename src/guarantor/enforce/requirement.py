"""From a line and a posture to an ordinary :class:`Requirement`.

Each posture lists densities: ``per_100km`` units for every 100 km of the line it watches,
plus ``reserve_ratio`` times as many in reserve, and ``fixed`` units whatever the length
(air policing, mine clearance). Parts of the line watched under another posture (a quiet
border under monitoring) add that posture's per-100 km units, not its fixed ones. Units are
rounded up: half a brigade is not deployable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from guarantor.enforce.line import Line
from guarantor.model.base import Text
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.enforcement import Enforcement, Posture
from guarantor.model.provenance import Figure
from guarantor.model.requirement import Requirement, RequirementItem

EPSILON = 1e-9


def check_densities(enforcement: Enforcement) -> list[Diagnostic]:
    """Densities must be positive and the reserve ratio not negative; every posture a rule
    or border names must exist."""
    problems = []
    names = {p.id for p in enforcement.postures}
    for p, posture in enumerate(enforcement.postures):
        for i, item in enumerate(posture.items):
            for field in ("per_100km", "fixed"):
                figure = getattr(item, field)
                if figure is None:
                    continue
                value = figure.value
                bad = value is None or not math.isfinite(value) or value < 0
                if field == "per_100km" and value is not None and value <= 0:
                    bad = True
                if bad:
                    problems.append(
                        Diagnostic(
                            code="density.not_positive",
                            path=("postures", p, "items", i, field),
                            params={"value": value},
                        )
                    )
            if item.per_100km is None and item.fixed is None:
                problems.append(
                    Diagnostic(
                        code="density.missing",
                        path=("postures", p, "items", i),
                        params={"value": item.id},
                    )
                )
    reserve = enforcement.reserve_ratio.value
    if reserve is None or not math.isfinite(reserve) or reserve < 0:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=("reserve_ratio",),
                params={"value": reserve, "low": 0, "high": "∞"},
            )
        )
    named = [("default_posture", enforcement.default_posture)]
    named += [(f"posture_rules[{i}]", r.posture) for i, r in enumerate(enforcement.posture_rules)]
    named += [(f"borders[{i}]", b.posture) for i, b in enumerate(enforcement.borders) if b.posture]
    for where, posture_id in named:
        if posture_id not in names:
            problems.append(
                Diagnostic(
                    code="posture.unknown",
                    path=(where,),
                    params={"value": posture_id, "known": sorted(names)},
                )
            )
    return problems


def _units(value: float, note: str, sources: tuple[str, ...]) -> Figure:
    return Figure(
        value=float(math.ceil(value - EPSILON)),
        unit="units",
        sources=sources,
        assumption=True,
        reliability="A",
        note=note,
    )


def deal_requirement(enforcement: Enforcement, posture_id: str, line: Line) -> Requirement:
    """The requirement of holding ``line`` under the posture ``posture_id``."""
    problems = check_densities(enforcement)
    if problems:
        raise InvalidInput(problems)
    deal = enforcement.posture(posture_id)
    assert deal is not None  # check_densities names unknown postures
    reserve = float(enforcement.reserve_ratio.value or 0.0)
    lengths = line.km_by_posture(posture_id)
    items: list[RequirementItem] = []

    def add(posture: Posture, length: float, with_fixed: bool) -> None:
        for item in posture.items:
            per = float(item.per_100km.value or 0.0) if item.per_100km else 0.0
            fixed = float(item.fixed.value or 0.0) if item.fixed and with_fixed else 0.0
            total = per * length / 100.0 * (1.0 + reserve) + fixed
            if total <= 0:
                continue
            sources = tuple(
                s for f in (item.per_100km, item.fixed) if f is not None for s in f.sources
            )
            note = (
                f"{per:g} per 100 km x {length:,.0f} km x (1 + reserve {reserve:g})"
                + (f" + {fixed:g} fixed" if fixed else "")
                + f" = {total:.2f}, rounded up"
            )
            code = item.id if posture.id == posture_id else f"{posture.id}.{item.id}"
            items.append(
                RequirementItem(
                    id=code,
                    label=item.label,
                    capabilities=item.capabilities,
                    roles=item.roles,
                    units=_units(total, note, sources),
                )
            )

    add(deal, lengths.get(posture_id, 0.0), with_fixed=True)
    for other, length in sorted(lengths.items()):
        if other == posture_id:
            continue
        posture = enforcement.posture(other)
        assert posture is not None
        add(posture, length, with_fixed=False)
    return Requirement(
        id=f"deal-{posture_id}",
        label=deal.label,
        description=Text(
            en=f"{deal.label.en} along a line of {line.km:,.0f} km",
            ar=f"{deal.label.ar} على خط طوله {line.km:,.0f} كم",
        ),
        posture=posture_id,
        sustain_years=enforcement.sustain_years,
        rotation_ratio=enforcement.rotation_ratio,
        implies=dict(deal.implies),
        items=tuple(items),
    )


def covered_km(enforcement: Enforcement, posture_id: str, offered: Mapping[str, float]) -> float:
    """The line length the offered units could watch at the posture's density: the least,
    over the posture's per-100 km items, of offered units / (density x (1 + reserve))."""
    posture = enforcement.posture(posture_id)
    if posture is None:
        return 0.0
    reserve = float(enforcement.reserve_ratio.value or 0.0)
    spans = []
    for item in posture.items:
        if item.per_100km is None or not item.per_100km.value:
            continue
        units = offered.get(item.id, 0.0) - (
            float(item.fixed.value or 0.0) if item.fixed is not None else 0.0
        )
        spans.append(max(0.0, units) / (float(item.per_100km.value) * (1 + reserve)) * 100.0)
    return min(spans) if spans else math.inf
