"""The line a deal leaves: lengths from the geometry, checked against an independent
computation, the shipped border figures, and bad input."""

from __future__ import annotations

import itertools
import math

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from guarantor.enforce.geometry import boundary_lengths
from guarantor.enforce.line import holdings, line_of_contact
from guarantor.model.diagnostics import InvalidInput
from guarantor.model.territory import RegionSet
from guarantor.scenario import region_boundaries

EARTH_KM = 6371.0088


def _haversine_km(line) -> float:
    """Great-circle length on a sphere: independent of pyproj (agrees to ~0.5 %)."""
    total = 0.0
    parts = getattr(line, "geoms", [line])
    for part in parts:
        coords = list(part.coords)
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
            p1, p2 = math.radians(lat1), math.radians(lat2)
            dp, dl = p2 - p1, math.radians(lon2 - lon1)
            a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
            total += 2 * EARTH_KM * math.asin(math.sqrt(a))
    return total


def _options(negotiation, **terms):
    base = {i.id: "freeze" for i in negotiation.issues if i.kind == "territory"}
    return {**base, **terms}


def test_ceding_donetsk_puts_the_line_on_its_boundary_with_the_oblasts_that_remain(shipped):
    # Only Donetsk is occupied (in part); every other region is the protected state's, so
    # ceding the rest of Donetsk leaves a line along its whole boundary with its neighbours.
    donetsk = shipped.regions.region("UA-14")
    regions = RegionSet.model_validate(
        {**shipped.regions.model_dump(), "regions": [donetsk.model_dump()]}
    )
    enforcement = shipped.enforcement.model_copy(update={"segments": (), "borders": ()})
    options = _options(shipped.negotiation, territory_donetsk="cede_rest")
    line = line_of_contact(shipped.negotiation, regions, enforcement, shipped.boundaries, options)

    features = region_boundaries(shipped.regions)["features"]
    shapes = {f["properties"]["iso_3166_2"]: shape(f["geometry"]) for f in features}
    others = unary_union([g for code, g in shapes.items() if code != "UA-14"])
    shared = shapes["UA-14"].boundary.intersection(others.boundary)
    expected = _haversine_km(shared)

    assert line.holdings["UA-14"] == "occupied"
    assert {p.kind for p in line.parts} == {"boundary"}
    assert line.km == pytest.approx(expected, rel=0.006)
    assert 700 < line.km < 850  # Luhansk, Dnipropetrovsk, Zaporizhzhia and Kharkiv


def test_freezing_every_region_gives_the_sourced_front(shipped):
    line = line_of_contact(
        shipped.negotiation,
        shipped.regions,
        shipped.enforcement,
        shipped.boundaries,
        _options(shipped.negotiation),
    )
    segments = sum(float(s.km.value or 0) for s in shipped.enforcement.segments)
    assert line.front_km == pytest.approx(segments)
    assert line.front_km == pytest.approx(float(shipped.enforcement.reference_km.value or 0))
    # The northern borders are watched in every deal, at monitoring density.
    assert line.km_by_posture("reassurance")["monitoring"] == pytest.approx(231.6 + 421.1 + 343.4)


def test_returning_luhansk_puts_its_border_with_russia_on_the_line(shipped):
    kept = line_of_contact(
        shipped.negotiation,
        shipped.regions,
        shipped.enforcement,
        shipped.boundaries,
        _options(shipped.negotiation),
    )
    returned = line_of_contact(
        shipped.negotiation,
        shipped.regions,
        shipped.enforcement,
        shipped.boundaries,
        _options(shipped.negotiation, territory_luhansk="return_all"),
    )
    assert returned.holdings["UA-09"] == "protected"
    assert "luhansk-russia" in {p.label for p in returned.parts}
    assert "luhansk-russia" not in {p.label for p in kept.parts}


def test_sevastopol_follows_crimea(shipped):
    held = holdings(
        shipped.negotiation,
        shipped.regions,
        _options(shipped.negotiation, territory_crimea="return_all"),
        shipped.enforcement.follows,
    )
    assert held["UA-43"] == held["UA-40"] == "protected"


@pytest.mark.parametrize("code", ["UA-09", "UA-63", "UA-59", "UA-74"])
def test_shipped_border_lengths_are_the_geometry_s(shipped, code):
    border = next(b for b in shipped.enforcement.borders if b.region == code)
    computed = boundary_lengths(region_boundaries(shipped.regions)).outer[code]
    assert float(border.km.value or 0) == pytest.approx(computed, abs=0.1)


def test_a_deal_that_leaves_a_region_unassigned_is_refused(shipped):
    options = _options(shipped.negotiation)
    del options["territory_kherson"]
    with pytest.raises(InvalidInput) as raised:
        line_of_contact(
            shipped.negotiation, shipped.regions, shipped.enforcement, shipped.boundaries, options
        )
    [problem] = raised.value.diagnostics
    assert problem.code == "deal.region_unassigned"
    assert problem.path == ("deal", "territory_kherson")


def test_a_divided_region_without_a_segment_is_refused(shipped):
    enforcement = shipped.enforcement.model_copy(
        update={"segments": tuple(s for s in shipped.enforcement.segments if s.region != "UA-23")}
    )
    with pytest.raises(InvalidInput) as raised:
        line_of_contact(
            shipped.negotiation,
            shipped.regions,
            enforcement,
            shipped.boundaries,
            _options(shipped.negotiation),
        )
    assert [d.code for d in raised.value.diagnostics] == ["line.segment_missing"]
