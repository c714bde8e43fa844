"""Regions of a protected state: area, who controls how much of each at a date, and where
their boundaries are (a GeoJSON file shipped with the package)."""

from __future__ import annotations

import datetime as dt

from guarantor.model.base import Frozen, Text
from guarantor.model.provenance import Figure


class Control(Frozen):
    """The share of a region's area that ``holder`` controls at ``date`` (0-1, with the
    range where sources disagree)."""

    holder: str
    share: Figure
    date: dt.date


class Region(Frozen):
    """A first-level administrative region (oblast, republic, city with special status)."""

    code: str
    """ISO 3166-2 code, the key into the boundary file."""
    name: Text
    area_km2: Figure
    control: Control | None = None
    """None: the state controls all of it."""


class RegionSet(Frozen):
    """The regions of one state, with the boundary file that draws them."""

    id: str
    label: Text
    country: str
    geometry: str
    """File name of the GeoJSON boundaries in the package's ``data/geo`` folder."""
    geometry_source: str
    regions: tuple[Region, ...]
    sources: tuple[str, ...] = ()

    def region(self, code: str) -> Region | None:
        """The region with this ISO 3166-2 code."""
        return next((r for r in self.regions if r.code == code), None)
