"""Requirements from a line and a posture; what a deal's terms do to the offers."""

from __future__ import annotations

import math

import pytest

from guarantor.enforce.chain import evaluate
from guarantor.enforce.line import Line, LinePart
from guarantor.enforce.requirement import covered_km, deal_requirement
from guarantor.model.diagnostics import InvalidInput


def _line(km: float, border: float = 0.0) -> Line:
    parts = [LinePart("segment", ("A",), km, km, km)]
    if border:
        parts.append(
            LinePart("border", ("B",), border, border, border, posture="monitoring", front=False)
        )
    return Line({}, tuple(parts))


def _units(requirement, item):
    return next(i.units.value for i in requirement.items if i.id == item)


def test_units_are_density_times_length_with_reserve_rounded_up(shipped):
    e = shipped.enforcement
    reserve = float(e.reserve_ratio.value)
    land = next(i for i in e.posture("reassurance").items if i.id == "land")
    for km in (300.0, 1250.0, 2000.0):
        requirement = deal_requirement(e, "reassurance", _line(km))
        expected = math.ceil(float(land.per_100km.value) * km / 100 * (1 + reserve) - 1e-9)
        assert _units(requirement, "land") == expected
    # At the reference front the deal's requirement is the template's: 4 brigades.
    assert _units(deal_requirement(e, "reassurance", _line(1250.0)), "land") == 4


def test_fixed_items_do_not_grow_with_the_line(shipped):
    e = shipped.enforcement
    short = deal_requirement(e, "reassurance", _line(100.0))
    long = deal_requirement(e, "reassurance", _line(3000.0))
    assert _units(short, "air_policing") == _units(long, "air_policing") == 4
    assert _units(long, "land") > _units(short, "land")


def test_borders_watched_under_another_posture_add_that_posture_s_items(shipped):
    requirement = deal_requirement(shipped.enforcement, "reassurance", _line(1000.0, 500.0))
    assert "monitoring.observers" in {i.id for i in requirement.items}
    # ...but not its fixed items (logistics, demining belong to a monitoring deal only).
    assert "monitoring.logistics" not in {i.id for i in requirement.items}


@pytest.mark.parametrize("value", [0.0, -1.0])
def test_a_density_of_zero_or_below_is_refused_with_its_path(shipped, value):
    e = shipped.enforcement
    posture = e.posture("reassurance")
    land = posture.items[0]
    bad = land.model_copy(update={"per_100km": land.per_100km.model_copy(update={"value": value})})
    postures = tuple(
        p.model_copy(update={"items": (bad, *p.items[1:])}) if p.id == "reassurance" else p
        for p in e.postures
    )
    with pytest.raises(InvalidInput) as raised:
        deal_requirement(e.model_copy(update={"postures": postures}), "reassurance", _line(100))
    [problem] = raised.value.diagnostics
    assert problem.code == "density.not_positive"
    assert problem.path[-1] == "per_100km"


def test_covered_km_is_the_tightest_line_item(shipped):
    e = shipped.enforcement
    reserve = float(e.reserve_ratio.value)
    land = float(e.posture("reassurance").items[0].per_100km.value)
    offered = {"land": 2.0, "isr": 100.0, "logistics": 100.0}
    assert covered_km(e, "reassurance", offered) == pytest.approx(
        2.0 / (land * (1 + reserve)) * 100
    )


def _deal(shipped, **chosen):
    options = {i.id: i.options[0].id for i in shipped.negotiation.issues}
    options.update({i.id: "freeze" for i in shipped.negotiation.issues if i.kind == "territory"})
    options.update(
        guarantee_form="article5-like", guarantors="us_europe", foreign_forces="european_force"
    )
    options.update(chosen)
    return options


def test_no_us_guarantor_means_offers_needing_a_us_backstop_do_not_count(shipped):
    with_us = evaluate(shipped.setting, _deal(shipped))
    without = evaluate(shipped.setting, _deal(shipped, guarantors="europe_only"))
    unmet = {code for e in without.assessment.excluded for code in e.unmet}
    assert "us_backstop" in unmet
    assert "us_backstop" not in {code for e in with_us.assessment.excluded for code in e.unmet}
    assert len(without.counted) < len(with_us.counted)
    assert "USA" not in {g.country for g in without.instrument.guarantors}


def test_no_foreign_forces_closes_the_country_to_ground_offers(shipped):
    case = evaluate(shipped.setting, _deal(shipped, foreign_forces="none"))
    assert case.posture == "monitoring"
    assert case.closed and {o.zone for o in case.closed} <= {
        "rear_area",
        "contact_line",
        "airspace",
        "black_sea",
    }
    assert all(o.zone not in {"rear_area", "contact_line"} for o in case.package.offers)


def test_a_longer_front_thins_the_defender(shipped):
    frozen = evaluate(shipped.setting, _deal(shipped))
    returned = evaluate(
        shipped.setting,
        _deal(shipped, territory_luhansk="return_all", territory_donetsk="return_all"),
    )
    base = float(shipped.setting.threat.defender_strength.value)
    assert frozen.threat.defender_strength.value == pytest.approx(base)
    ratio = (1250.0 / returned.line.front_km) ** float(shipped.enforcement.thinning.value)
    assert returned.threat.defender_strength.value == pytest.approx(base * ratio)


def test_no_guarantee_means_no_guarantor_ever_acts(shipped):
    case = evaluate(shipped.setting, _deal(shipped, guarantee_form="none"))
    assert case.instrument.id == "none"
    assert case.instrument.act_probability.value == 0.0


def test_a_misspelt_region_or_a_bad_reference_length_is_refused_by_the_checks(shipped):
    from guarantor.scenario import check_enforcement, load_reference, region_boundaries

    e = shipped.enforcement
    border = e.borders[0].model_copy(update={"region": "UA-O9"})
    bad = e.model_copy(
        update={
            "borders": (border, *e.borders[1:]),
            "follows": {"UA-40": "UA-4З"},
            "reference_km": e.reference_km.model_copy(update={"value": 0.0}),
        }
    )
    codes = [f["properties"]["iso_3166_2"] for f in region_boundaries(shipped.regions)["features"]]
    found = check_enforcement(bad, load_reference(), shipped.negotiation, shipped.regions, codes)
    paths = {d.path for d in found}
    assert ("enforcement", e.id, "borders", 0, "region") in paths
    assert ("enforcement", e.id, "follows", "UA-40", "leader") in paths
    assert ("enforcement", e.id, "reference_km") in paths
    assert check_enforcement(e, load_reference(), shipped.negotiation, shipped.regions, codes) == []
