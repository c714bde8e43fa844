"""From a package's counted offers to what each guarantor brings to a battle."""

from __future__ import annotations

from collections.abc import Iterable

from guarantor.model.offers import Offer
from guarantor.model.reference import Reference
from guarantor.simulate.stress import GuarantorForces

IN_THEATRE = frozenset({"rear_area", "contact_line", "airspace", "black_sea"})
"""Zones inside the protected state: such forces fight from day 0 if their state acts."""
EXPOSED = frozenset({"contact_line"})
"""Zones in the line of fire."""


def guarantor_forces(
    offers: Iterable[Offer], reference: Reference, countries: Iterable[str]
) -> list[GuarantorForces]:
    """Combat value (catalogue ``combat_value`` x units) in theatre and to be brought in, and
    the combat-value-weighted readiness, per guarantor; guarantors without offers bring 0."""
    totals: dict[str, dict[str, float]] = {}
    exposed: set[str] = set()
    for offer in offers:
        capability = reference.capabilities.get(offer.capability)
        figure = capability.combat_value if capability else None
        value = offer.quantity * float(figure.value if figure and figure.value else 0.0)
        entry = totals.setdefault(offer.country, {"in": 0.0, "out": 0.0, "weighted": 0.0})
        entry["in" if offer.zone in IN_THEATRE else "out"] += value
        entry["weighted"] += value * offer.readiness_days
        if offer.zone in EXPOSED:
            exposed.add(offer.country)
    forces = []
    for country in countries:
        entry = totals.get(country, {"in": 0.0, "out": 0.0, "weighted": 0.0})
        total = entry["in"] + entry["out"]
        forces.append(
            GuarantorForces(
                country=country,
                in_theatre=entry["in"],
                reinforcement=entry["out"],
                readiness_days=entry["weighted"] / total if total else 0.0,
                exposed=country in exposed,
            )
        )
    return forces
