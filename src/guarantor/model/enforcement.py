"""How a deal is enforced, as data: the line it leaves, the force that line needs, and what
the deal's terms mean for the offers' conditions.

A deal's territorial terms decide, region by region, who holds what after it; the line of
contact follows from that (shared region boundaries from the geometry, and the current line
inside regions the deal leaves divided). Border segments the guarantee must also watch are
listed here. The line's length and the posture the deal implies give a requirement through
densities (units per 100 km), and the deal's terms set the assumptions that the offers'
conditions test. Nothing here names a conflict: the Ukraine case is one such file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from guarantor.model.base import Frozen, Text
from guarantor.model.negotiation import Condition
from guarantor.model.provenance import Figure

Watch = Literal["always", "when_held"]


class Segment(Frozen):
    """The current line of contact inside one region, at the control date: what a deal that
    leaves the region divided must hold there."""

    region: str
    km: Figure


class Border(Frozen):
    """A stretch of state border the guarantee must also watch.

    ``when_held``: only when the protected state holds all of ``region`` after the deal (the
    border becomes part of the line); ``always``: in every deal. ``posture`` fixes how it is
    watched (for example, monitoring for a quiet border); by default it takes the deal's."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    label: Text
    region: str
    neighbour: str
    km: Figure
    watch: Watch = "when_held"
    posture: str | None = None


class DensityItem(Frozen):
    """A line of the requirement a posture gives: ``per_100km`` units for every 100 km of
    line (plus the reserve), and ``fixed`` units whatever the length."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    label: Text
    capabilities: tuple[str, ...] = Field(min_length=1)
    roles: tuple[str, ...] = Field(min_length=1)
    per_100km: Figure | None = None
    fixed: Figure | None = None


class Posture(Frozen):
    """What the force does along the line: its densities and the assumptions it fixes."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    label: Text
    items: tuple[DensityItem, ...] = Field(min_length=1)
    implies: Mapping[str, bool] = {}


class PostureRule(Frozen):
    """The deal implies ``posture`` when every condition holds (the first rule that matches
    wins)."""

    when: tuple[Condition, ...] = Field(min_length=1)
    posture: str
    sources: tuple[str, ...] = ()
    assumption: bool = False
    note: str | None = None


class TermRule(Frozen):
    """What the deal's terms make true: when every condition holds, the assumptions in
    ``sets`` take these values, and offers in the zones of ``excludes`` do not count."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    when: tuple[Condition, ...] = Field(min_length=1)
    sets: Mapping[str, bool] = {}
    excludes: tuple[str, ...] = ()
    """Zones where forces may not deploy under the deal."""
    sources: tuple[str, ...] = ()
    assumption: bool = False
    note: str | None = None


class FixUnit(Frozen):
    """The unit a fix adds: which capability, in which role, how ready, and where: the
    first of ``zones`` the deal leaves open."""

    capability: str
    role: str
    zones: tuple[str, ...] = Field(min_length=1)
    readiness_days: int = Field(ge=0)
    max_units: int = Field(default=40, ge=1)


class Enforcement(Frozen):
    """Everything that turns a negotiation's deals into force requirements and stress tests."""

    id: str
    label: Text
    negotiation: str
    threat: str
    reference_km: Figure
    """The line length at which the threat's defender strength is given."""
    thinning: Figure
    """How the defender's strength on an axis falls as the line grows: it is multiplied by
    ``(reference_km / line_km) ** thinning`` (0: not at all; 1: in proportion)."""
    reserve_ratio: Figure
    """Reserve units per unit in the line, added to every per-100 km requirement."""
    sustain_years: Figure
    rotation_ratio: Figure
    segments: tuple[Segment, ...] = ()
    borders: tuple[Border, ...] = ()
    postures: tuple[Posture, ...] = Field(min_length=1)
    posture_rules: tuple[PostureRule, ...] = ()
    default_posture: str
    terms: tuple[TermRule, ...] = ()
    follows: Mapping[str, str] = {}
    """Region -> the region whose territorial term it shares (a city settled with the
    region around it)."""
    fix_unit: FixUnit | None = None
    sources: tuple[str, ...] = ()

    def posture(self, posture_id: str) -> Posture | None:
        """The posture with this id."""
        return next((p for p in self.postures if p.id == posture_id), None)
