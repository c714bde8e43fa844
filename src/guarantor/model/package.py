"""A package: offers taken together under assumptions."""

from __future__ import annotations

from collections.abc import Mapping

from guarantor.model.base import Frozen
from guarantor.model.offers import EquipmentOffer, Offer


class ConditionRule(Frozen):
    """When a condition attached to an offer is met: an assumption has a given value.

    ``no_combat_role`` is met when the assumption ``combat_role`` is false; ``us_backstop``
    when ``us_backstop`` is true. A condition with no rule is met only when an assumption of
    the same name is set to true, so an unknown condition never counts an offer silently.
    """

    code: str
    assumption: str
    met_when: bool = True


class Package(Frozen):
    """Offers of a set of capitals, under assumptions, with the rules that apply conditions."""

    offers: tuple[Offer, ...]
    equipment: tuple[EquipmentOffer, ...] = ()
    assumptions: Mapping[str, bool] = {}
    """The scenario's assumptions; a requirement's posture may fix some of them."""
    overrides: Mapping[str, bool] = {}
    """Assumptions the user set explicitly: they win over the scenario and the posture."""
    condition_rules: Mapping[str, ConditionRule] = {}

    def with_assumptions(self, **changes: bool) -> Package:
        """A new package with some assumptions set explicitly; this one is untouched."""
        return self.model_copy(update={"overrides": {**self.overrides, **changes}})

    def effective(self, implied: Mapping[str, bool]) -> dict[str, bool]:
        """Scenario assumptions, then what the posture implies, then the user's overrides."""
        return {**self.assumptions, **implied, **self.overrides}

    def unmet_conditions(
        self, conditions: tuple[str, ...], implied: Mapping[str, bool]
    ) -> list[str]:
        """The conditions not met under the effective assumptions (see :meth:`effective`)."""
        assumptions = self.effective(implied)
        unmet = []
        for code in conditions:
            rule = self.condition_rules.get(code, ConditionRule(code=code, assumption=code))
            if assumptions.get(rule.assumption) is not rule.met_when:
                unmet.append(code)
        return unmet

    def condition_codes(self) -> set[str]:
        """Every condition any offer names (listed or free codes)."""
        return {code for offer in self.offers for code in offer.conditions}

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries with at least one offer, sorted."""
        return tuple(sorted({o.country for o in self.offers} | {e.country for e in self.equipment}))
