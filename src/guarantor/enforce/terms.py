"""What a deal's terms do to the pledged package: the posture they imply, the assumptions
they make true or false (which the offers' conditions test), and the zones where forces
may not go."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from guarantor.model.enforcement import Enforcement
from guarantor.model.negotiation import Condition
from guarantor.model.offers import Offer
from guarantor.model.package import Package


def holds(conditions: Iterable[Condition], options: Mapping[str, str]) -> bool:
    """Whether the deal ``{issue: option}`` meets every condition (an issue it does not
    settle meets none)."""
    for condition in conditions:
        chosen = options.get(condition.issue)
        if chosen is None:
            return False
        if condition.in_ and chosen not in condition.in_:
            return False
        if condition.not_in and chosen in condition.not_in:
            return False
    return True


def deal_posture(enforcement: Enforcement, options: Mapping[str, str]) -> str:
    """The posture the deal implies: the first rule it meets, else the default."""
    rule = next((r for r in enforcement.posture_rules if holds(r.when, options)), None)
    return rule.posture if rule else enforcement.default_posture


@dataclass(frozen=True)
class DealTerms:
    """Assumptions the deal sets, and the zones it closes to foreign forces (with the rule
    that says so)."""

    sets: Mapping[str, bool]
    closed_zones: Mapping[str, str]
    """Zone -> id of the rule that closes it."""
    rules: tuple[str, ...]
    """Ids of the rules the deal meets."""


def deal_terms(enforcement: Enforcement, options: Mapping[str, str]) -> DealTerms:
    """What the deal's terms set. Rules apply in order; a later rule wins on an assumption
    both set."""
    sets: dict[str, bool] = {}
    closed: dict[str, str] = {}
    met = []
    for rule in enforcement.terms:
        if holds(rule.when, options):
            met.append(rule.id)
            sets.update(rule.sets)
            for zone in rule.excludes:
                closed.setdefault(zone, rule.id)
    return DealTerms(sets, closed, tuple(met))


def deal_package(package: Package, terms: DealTerms) -> tuple[Package, tuple[Offer, ...]]:
    """The package under the deal: its assumptions set by the terms (the user's explicit
    overrides still win), and without the offers in zones the deal closes, which are
    returned apart."""
    closed = tuple(o for o in package.offers if o.zone in terms.closed_zones)
    kept = tuple(o for o in package.offers if o.zone not in terms.closed_zones)
    return (
        package.model_copy(
            update={"offers": kept, "assumptions": {**package.assumptions, **terms.sets}}
        ),
        closed,
    )
