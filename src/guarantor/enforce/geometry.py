"""Lengths of region boundaries from a GeoJSON file: shared by two regions, or on the outer
edge of the set (a state border or a coast).

Lengths are geodesic, on the WGS84 ellipsoid (pyproj), of the boundaries as the file draws
them; neighbours must share identical edges, as the shipped file does (its SOURCE.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyproj import Geod
from shapely.geometry import shape
from shapely.ops import unary_union

_GEOD = Geod(ellps="WGS84")
MIN_SHARED_KM = 0.5
"""Regions that touch at a point or along less than this are not neighbours."""


@dataclass(frozen=True)
class Boundaries:
    """Shared boundary lengths (km) by pair of region codes, and each region's outer edge."""

    shared: Mapping[frozenset[str], float]
    outer: Mapping[str, float]

    def between(self, a: str, b: str) -> float:
        """km of boundary that regions ``a`` and ``b`` share (0 if they do not touch)."""
        return float(self.shared.get(frozenset((a, b)), 0.0))

    def neighbours(self, code: str) -> list[str]:
        """The regions that share a boundary with ``code``, sorted."""
        return sorted(next(iter(pair - {code})) for pair in self.shared if code in pair)

    @property
    def regions(self) -> set[str]:
        """Every region code the boundaries know."""
        return set(self.outer)


def km(geometry: Any) -> float:
    """Geodesic length in km of a (multi)line."""
    return float(_GEOD.geometry_length(geometry)) / 1000.0


def boundary_lengths(geojson: Mapping[str, Any], key: str = "iso_3166_2") -> Boundaries:
    """Shared and outer boundary lengths of the features of ``geojson``, keyed by ``key``."""
    shapes = {f["properties"][key]: shape(f["geometry"]) for f in geojson["features"]}
    lines = {code: geometry.boundary for code, geometry in shapes.items()}
    codes = sorted(lines)
    shared: dict[frozenset[str], float] = {}
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if not shapes[a].intersects(shapes[b]):
                continue
            length = km(lines[a].intersection(lines[b]))
            if length >= MIN_SHARED_KM:
                shared[frozenset((a, b))] = length
    outer = {}
    for code in codes:
        others = unary_union([lines[c] for c in codes if c != code])
        outer[code] = km(lines[code].difference(others))
    return Boundaries(shared=shared, outer=outer)
