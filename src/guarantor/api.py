"""The notebook API: the engines with the shipped reference data as defaults."""

from __future__ import annotations

from collections.abc import Mapping

from guarantor.assess import AssessParams
from guarantor.assess import assess as _assess
from guarantor.model.assessment import Assessment
from guarantor.model.package import Package
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement
from guarantor.model.scenario import Scenario
from guarantor.questionnaire import load_questionnaire
from guarantor.scenario import build_package, load_reference, load_requirement, load_scenario

__all__ = ["assess", "load_reference", "load_requirement", "load_scenario", "package_of"]


def package_of(scenario: Scenario, assumptions: Mapping[str, bool] | None = None) -> Package:
    """The package of a scenario's submitted answers, under its assumptions; the ones you
    pass win over the scenario's and over what a requirement's posture implies."""
    questionnaire = load_questionnaire(scenario.round.questionnaire, scenario.round.version)
    return build_package(
        scenario.submissions, questionnaire, scenario.assumption_values(), assumptions
    )


def assess(
    package: Package,
    requirement: Requirement,
    reference: Reference | None = None,
    params: AssessParams | None = None,
) -> Assessment:
    """Assess ``package`` against ``requirement`` with the shipped reference data by default."""
    return _assess(package, requirement, reference or load_reference(), params)
