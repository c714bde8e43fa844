"""The assessment's arithmetic on small cases computed by hand (docs/assessment.md)."""

from __future__ import annotations

import math

import pytest

from guarantor.assess import AssessParams, assess
from guarantor.model.base import Text
from guarantor.model.offers import EquipmentOffer, Offer
from guarantor.model.package import ConditionRule, Package
from guarantor.model.provenance import Figure, assumed
from guarantor.model.reference import Capability, Country, Reference
from guarantor.model.requirement import Requirement, RequirementItem

T = Text(en="x", ar="س")


def fig(value: float | None, unit: str = "units") -> Figure:
    return Figure(value=value, unit=unit, sources=("test",))


def capability(code: str, personnel: float, cost: float) -> Capability:
    return Capability(
        code=code,
        kind="force",
        domain="land",
        label=T,
        unit=T,
        roles=("reassurance",),
        personnel=fig(personnel, "persons"),
        cost_per_year_usd_m=fig(cost, "usd_m"),
        combat_value=assumed(1.0, "brigade_equivalents", "test"),
        max_quantity=50,
    )


@pytest.fixture()
def small_reference() -> Reference:
    countries = {
        "AAA": Country(
            code="AAA",
            name=T,
            gdp_usd_bn=fig(300, "usd_bn"),
            active_personnel=fig(100_000, "persons"),
        ),
        "BBB": Country(
            code="BBB",
            name=T,
            gdp_usd_bn=fig(100, "usd_bn"),
            active_personnel=fig(20_000, "persons"),
        ),
        "CCC": Country(code="CCC", name=T),
    }
    capabilities = {
        "brigade": capability("brigade", 4000, 500),
        "squadron": capability("squadron", 250, 200),
        "shells": Capability(
            code="shells",
            kind="equipment",
            domain="land",
            label=T,
            unit=T,
            unit_cost_usd_m=fig(0.005, "usd_m"),
            max_quantity=10**6,
        ),
    }
    return Reference(countries=countries, capabilities=capabilities, sources={})


@pytest.fixture()
def requirement() -> Requirement:
    return Requirement(
        id="r",
        label=T,
        description=T,
        posture="reassurance",
        sustain_years=fig(5, "years"),
        rotation_ratio=fig(3, "ratio"),
        implies={"combat_role": False},
        items=(
            RequirementItem(
                id="land", label=T, capabilities=("brigade",), roles=("reassurance",), units=fig(4)
            ),
            RequirementItem(
                id="air", label=T, capabilities=("squadron",), roles=("air_policing",), units=fig(2)
            ),
        ),
    )


def offer(country: str, capability: str, quantity: int, **kw) -> Offer:
    defaults = {
        "role": "reassurance",
        "zone": "rear_area",
        "readiness_days": 30,
        "duration_months": 60,
    }
    return Offer(country=country, capability=capability, quantity=quantity, **{**defaults, **kw})


RULES = {
    "us_backstop": ConditionRule(code="us_backstop", assumption="us_backstop"),
    "no_combat_role": ConditionRule(
        code="no_combat_role", assumption="combat_role", met_when=False
    ),
}


def test_worked_example(small_reference, requirement):
    """A: 2 brigades for 60 months; B: 1 brigade for 24 months; C: 1 brigade that needs a US
    backstop, which is assumed absent. Requirement: 4 brigades for 60 months, ratio 3."""
    package = Package(
        offers=(
            offer("AAA", "brigade", 2),
            offer("BBB", "brigade", 1, duration_months=24),
            offer("CCC", "brigade", 1, conditions=("us_backstop",)),
        ),
        assumptions={"us_backstop": False},
        condition_rules=RULES,
    )
    result = assess(package, requirement, small_reference)
    land = result.coverage[0]
    assert land.offered == 3
    assert land.sustained == pytest.approx(2 + 24 / 60)
    assert land.gap == 1
    assert land.sustained_gap == pytest.approx(4 - 2.4)
    assert land.required_pool == 12
    assert land.status == "partial"
    assert land.contributors == {"AAA": 2, "BBB": 1}
    assert [e.offer.country for e in result.excluded] == ["CCC"]
    assert result.excluded[0].unmet == ("us_backstop",)
    assert result.coverage[1].status == "gap"
    assert result.horizon_months == 60
    assert not result.covered
    closers = [(g.country, g.reason, g.units) for g in result.gap_closers if g.item == "land"]
    assert ("CCC", "unmet_conditions", 1) in closers


def test_conditions_follow_assumptions(small_reference, requirement):
    package = Package(
        offers=(offer("CCC", "brigade", 1, conditions=("us_backstop",)),),
        assumptions={"us_backstop": True},
        condition_rules=RULES,
    )
    assert assess(package, requirement, small_reference).coverage[0].offered == 1
    without = package.with_assumptions(us_backstop=False)
    assert assess(without, requirement, small_reference).coverage[0].offered == 0
    assert package.assumptions["us_backstop"] is True  # the original is untouched


def test_the_posture_decides_combat_conditions(small_reference, requirement):
    package = Package(
        offers=(offer("AAA", "brigade", 1, conditions=("no_combat_role",)),), condition_rules=RULES
    )
    assert assess(package, requirement, small_reference).coverage[0].offered == 1
    combat = requirement.model_copy(update={"implies": {"combat_role": True}})
    result = assess(package, combat, small_reference)
    assert result.coverage[0].offered == 0
    assert result.excluded[0].unmet == ("no_combat_role",)


def test_an_unknown_condition_never_counts_silently(small_reference, requirement):
    package = Package(offers=(offer("AAA", "brigade", 1, conditions=("referendum",)),))
    assert assess(package, requirement, small_reference).coverage[0].offered == 0
    agreed = package.with_assumptions(referendum=True)
    assert assess(agreed, requirement, small_reference).coverage[0].offered == 1


def test_wrong_role_is_unused_not_counted(small_reference, requirement):
    package = Package(offers=(offer("AAA", "squadron", 2, role="training"),))
    result = assess(package, requirement, small_reference)
    assert result.coverage[1].offered == 0
    assert len(result.unused) == 1


def test_readiness_curve(small_reference, requirement):
    package = Package(
        offers=(
            offer("AAA", "brigade", 1, readiness_days=5),
            offer("AAA", "squadron", 2, role="air_policing", readiness_days=60),
            offer("BBB", "brigade", 2, readiness_days=100),
        )
    )
    result = assess(
        package, requirement, small_reference, AssessParams(readiness_days=(7, 30, 90, 180))
    )
    by_day = {p.day: (p.units["land"], p.units["air"], p.personnel) for p in result.readiness}
    assert by_day == {7: (1, 0, 4000), 30: (1, 0, 4000), 90: (1, 2, 4500), 180: (3, 2, 12500)}


def test_cost_and_burden_sharing(small_reference, requirement):
    package = Package(
        offers=(
            offer("AAA", "brigade", 2),
            offer("BBB", "squadron", 1, role="air_policing"),
            offer("CCC", "brigade", 1),
        ),
        equipment=(
            EquipmentOffer(country="BBB", category="shells", quantity=100_000, delivery_days=30),
        ),
    )
    result = assess(package, requirement, small_reference)
    assert result.yearly_cost_usd_m == 2 * 500 + 200 + 500
    assert result.equipment_value_usd_m == pytest.approx(500)
    assert result.total_personnel == 2 * 4000 + 250 + 4000
    burden = {b.country: b for b in result.burden}
    # Equipment (500) is spread over the 5-year horizon: 100 a year for BBB.
    assert burden["BBB"].cost_usd_m == pytest.approx(200 + 100)
    assert burden["AAA"].cost_share == pytest.approx(1000 / 1800)
    # GDP shares among contributors whose GDP is known (AAA 300, BBB 100).
    assert burden["AAA"].gdp_share == pytest.approx(0.75)
    assert burden["CCC"].gdp_share is None and burden["CCC"].burden_ratio is None
    assert burden["AAA"].burden_ratio == pytest.approx((1000 / 1300) / 0.75)
    assert burden["BBB"].burden_ratio == pytest.approx((300 / 1300) / 0.25)
    assert burden["AAA"].personnel_share == pytest.approx(8000 / 12250)
    # Rotation pool: 8,000 deployed x 3 = 24,000 of 100,000 active: above 15 %.
    assert burden["AAA"].pool_personnel == 24_000
    assert burden["AAA"].pool_share_of_active == pytest.approx(0.24)
    assert burden["AAA"].sustainable is False
    assert burden["BBB"].sustainable is True
    unknown = {(c.code, c.params["subject"], c.params["figure"]) for c in result.caveats}
    assert ("figure.unknown", "country:CCC", "gdp_usd_bn") in unknown


def test_rotation_override_and_spare_capacity(small_reference, requirement):
    package = Package(offers=(offer("BBB", "brigade", 1),))
    result = assess(
        package,
        requirement,
        small_reference,
        AssessParams(rotation_ratio=2, candidates=("AAA", "BBB")),
    )
    assert result.rotation_ratio == 2
    assert result.coverage[0].required_pool == 8
    spare = {
        g.country: g.units
        for g in result.gap_closers
        if g.item == "land" and g.reason == "spare_capacity"
    }
    # AAA: 100,000 x 0.15 = 15,000 headroom / (4,000 x 2) = 1 brigade.
    # BBB: 20,000 x 0.15 - 8,000 committed < 0: none.
    assert spare == {"AAA": math.floor(15_000 / 8_000)}


def test_assessment_tables(small_reference, requirement):
    package = Package(offers=(offer("AAA", "brigade", 4),))
    result = assess(package, requirement, small_reference)
    frame = result.to_frame()
    assert frame.loc["land", "status"] == "covered"
    assert frame.loc["air", "gap"] == 2
    assert result.readiness_frame().loc[30, "land"] == 4
    assert result.to_dict()["coverage"][0]["item"] == "land"
