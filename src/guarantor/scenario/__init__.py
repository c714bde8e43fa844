"""Scenarios and reference data, to and from YAML; the shipped examples."""

from guarantor.scenario.checks import (
    check_instrument,
    check_provenance,
    check_requirement,
    check_scenario,
    check_threat,
)
from guarantor.scenario.loaders import (
    build_package,
    list_instruments,
    list_requirements,
    list_scenarios,
    list_threats,
    load_instrument,
    load_reference,
    load_requirement,
    load_scenario,
    load_threat,
)

__all__ = [
    "build_package",
    "check_instrument",
    "check_provenance",
    "check_requirement",
    "check_scenario",
    "check_threat",
    "list_instruments",
    "list_requirements",
    "list_scenarios",
    "list_threats",
    "load_instrument",
    "load_reference",
    "load_requirement",
    "load_scenario",
    "load_threat",
]
