"""Reference data: countries, the capability catalogue and the sources they cite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from guarantor.model.base import Frozen, Lang, Text
from guarantor.model.provenance import Figure, Source

CapabilityKind = Literal["force", "equipment"]
Domain = Literal["land", "air", "maritime", "enabler"]


class Country(Frozen):
    """A state, by ISO 3166-1 alpha-3 code, with names and sourced reference figures."""

    code: str
    name: Text
    groups: tuple[str, ...] = ()
    gdp_usd_bn: Figure | None = None
    defence_pct_gdp: Figure | None = None
    defence_spending_usd_bn: Figure | None = None
    active_personnel: Figure | None = None

    def figure(self, name: str) -> Figure | None:
        """A reference figure by field name, ``None`` when absent."""
        value = getattr(self, name, None)
        return value if isinstance(value, Figure) else None


class Capability(Frozen):
    """A kind of unit (force) or item (equipment) a state can offer."""

    code: str
    kind: CapabilityKind
    domain: Domain
    label: Text
    unit: Text
    roles: tuple[str, ...] = ()
    personnel: Figure | None = None
    cost_per_year_usd_m: Figure | None = None
    combat_value: Figure | None = None
    unit_cost_usd_m: Figure | None = None
    max_quantity: int

    @property
    def is_force(self) -> bool:
        """Forces deploy and rotate; equipment is transferred."""
        return self.kind == "force"


class Reference(Frozen):
    """Everything the engines look up: countries, capabilities, sources."""

    countries: Mapping[str, Country]
    capabilities: Mapping[str, Capability]
    sources: Mapping[str, Source]

    def country_name(self, code: str, lang: Lang) -> str:
        """A country's name, or the code itself for an unknown code."""
        country = self.countries.get(code)
        return country.name.get(lang) if country else code

    def forces(self) -> list[Capability]:
        """Force capabilities in catalogue order."""
        return [c for c in self.capabilities.values() if c.is_force]

    def equipment(self) -> list[Capability]:
        """Equipment categories in catalogue order."""
        return [c for c in self.capabilities.values() if not c.is_force]
