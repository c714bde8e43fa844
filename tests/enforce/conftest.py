"""Shared pieces of the enforcement tests: the shipped data, loaded once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from guarantor.enforce.chain import Setting
from guarantor.enforce.geometry import Boundaries, boundary_lengths
from guarantor.model.enforcement import Enforcement
from guarantor.model.negotiation import Negotiation
from guarantor.model.territory import RegionSet
from guarantor.questionnaire import load_questionnaire
from guarantor.scenario import (
    build_package,
    list_instruments,
    load_enforcement,
    load_instrument,
    load_negotiation,
    load_reference,
    load_regions,
    load_scenario,
    load_threat,
    region_boundaries,
)


@dataclass(frozen=True)
class Shipped:
    negotiation: Negotiation
    regions: RegionSet
    enforcement: Enforcement
    boundaries: Boundaries
    setting: Setting


@pytest.fixture(scope="session")
def shipped() -> Shipped:
    reference = load_reference()
    scenario = load_scenario("ukraine-2025", reference)
    questionnaire = load_questionnaire(scenario.round.questionnaire, scenario.round.version)
    package = build_package(scenario.submissions, questionnaire, scenario.assumption_values())
    negotiation = load_negotiation("ukraine-2025")
    regions = load_regions("ukraine")
    enforcement = load_enforcement("ukraine-2025")
    boundaries = boundary_lengths(region_boundaries(regions))
    setting = Setting(
        negotiation=negotiation,
        regions=regions,
        enforcement=enforcement,
        boundaries=boundaries,
        package=package,
        reference=reference,
        instruments={name: load_instrument(name) for name in list_instruments()},
        threat=load_threat(enforcement.threat),
    )
    return Shipped(negotiation, regions, enforcement, boundaries, setting)
