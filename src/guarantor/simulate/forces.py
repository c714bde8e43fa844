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
    """Combat value (catalogue ``combat_value`` x units) in theatre, and the combat value to
    be brought in as tranches, one per distinct ``readiness_days`` of the guarantor's offers
    outside the theatre (values summed, earliest first, tranches of no value left out), per
    guarantor; guarantors without offers bring 0.

    Tranches, not one arrival at a weighted mean readiness: an offer added to a package
    then never delays the others, so a package that grows never lowers P(holds)."""
    in_theatre: dict[str, float] = {}
    tranches: dict[str, dict[int, float]] = {}
    exposed: set[str] = set()
    for offer in offers:
        capability = reference.capabilities.get(offer.capability)
        figure = capability.combat_value if capability else None
        value = offer.quantity * float(figure.value if figure and figure.value else 0.0)
        if offer.zone in IN_THEATRE:
            in_theatre[offer.country] = in_theatre.get(offer.country, 0.0) + value
        else:
            by_day = tranches.setdefault(offer.country, {})
            by_day[offer.readiness_days] = by_day.get(offer.readiness_days, 0.0) + value
        if offer.zone in EXPOSED:
            exposed.add(offer.country)
    return [
        GuarantorForces(
            country=country,
            in_theatre=in_theatre.get(country, 0.0),
            tranches=tuple(
                (value, float(day))
                for day, value in sorted(tranches.get(country, {}).items())
                if value > 0
            ),
            exposed=country in exposed,
        )
        for country in countries
    ]
