"""Loading reference data, requirement templates and scenarios from YAML.

Shipped files live in the package's ``data/`` folder; users may pass a path to their own file
anywhere a shipped name is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pycountry
import yaml
from babel import Locale
from pydantic import ValidationError

from guarantor.model.base import Text
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.enforcement import Enforcement
from guarantor.model.instrument import Instrument, Threat
from guarantor.model.negotiation import Negotiation
from guarantor.model.offers import EquipmentOffer, Offer, Submission
from guarantor.model.package import ConditionRule, Package
from guarantor.model.provenance import Provenance, Source
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Capability, Country, Reference
from guarantor.model.requirement import Requirement
from guarantor.model.scenario import Scenario
from guarantor.model.territory import RegionSet
from guarantor.questionnaire import load_questionnaire, offers_from, validate_answers

DATA = resources.files("guarantor") / "data"


def _read_yaml(entry: Traversable | Path) -> Any:
    try:
        return yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InvalidInput(
            [
                Diagnostic(
                    code="file.not_yaml",
                    params={
                        "file": str(entry),
                        "line": mark.line + 1 if mark else None,
                        "problem": getattr(exc, "problem", None) or str(exc),
                    },
                )
            ]
        ) from None


def _validated(model: Any, data: Any, origin: str) -> Any:
    """Pydantic validation with errors turned into diagnostics that name the file and path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            Diagnostic(
                code="data.invalid",
                path=tuple(err["loc"]),
                params={
                    "file": origin,
                    "problem": err["msg"],
                    "value": repr(err.get("input"))[:80],
                },
            )
            for err in exc.errors()
        ) from None


def country_names(code: str) -> Text:
    """English name from pycountry (ISO 3166), Arabic name from Babel (CLDR)."""
    record = pycountry.countries.get(alpha_3=code)
    if record is None:
        return Text(en=code, ar=code)
    english = getattr(record, "common_name", None) or record.name
    arabic = Locale("ar").territories.get(record.alpha_2, english)
    return Text(en=english, ar=arabic)


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    """Countries, capability catalogue and sources shipped with the package."""
    sources: dict[str, Source] = {}
    for entry in sorted((DATA / "sources").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            for raw in _read_yaml(entry)["sources"]:
                source = _validated(Source, raw, f"sources/{entry.name}")
                sources[source.id] = source
    countries = {}
    for raw in _read_yaml(DATA / "countries.yaml")["countries"]:
        data = {**raw, "name": country_names(raw["code"])}
        countries[raw["code"]] = _validated(Country, data, "countries.yaml")
    capabilities = {}
    for raw in _read_yaml(DATA / "capabilities.yaml")["capabilities"]:
        capability = _validated(Capability, raw, "capabilities.yaml")
        capabilities[capability.code] = capability
    return Reference(countries=countries, capabilities=capabilities, sources=sources)


def _named_or_path(folder: str, name: str) -> Traversable | Path:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    entry = DATA / folder / f"{name}.yaml"
    if not entry.is_file():
        raise InvalidInput(
            [
                Diagnostic(
                    code="data.not_found",
                    params={"kind": folder, "name": name, "known": _names(folder)},
                )
            ]
        )
    return entry


def _names(folder: str) -> list[str]:
    return sorted(
        e.name.removesuffix(".yaml") for e in (DATA / folder).iterdir() if e.name.endswith(".yaml")
    )


def list_instruments() -> list[str]:
    """Names of the shipped guarantee instruments."""
    return _names("instruments")


def list_threats() -> list[str]:
    """Names of the shipped threats."""
    return _names("threats")


def load_instrument(name: str) -> Instrument:
    """A shipped instrument by name, or a user's YAML file by path."""
    entry = _named_or_path("instruments", name)
    instrument: Instrument = _validated(Instrument, _read_yaml(entry), str(entry))
    return instrument


def load_threat(name: str) -> Threat:
    """A shipped threat by name, or a user's YAML file by path."""
    entry = _named_or_path("threats", name)
    threat: Threat = _validated(Threat, _read_yaml(entry), str(entry))
    return threat


def list_requirements() -> list[str]:
    """Names of the shipped requirement templates."""
    return _names("requirements")


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios."""
    return _names("scenarios")


def list_negotiations() -> list[str]:
    """Names of the shipped negotiations."""
    return _names("negotiations")


def load_negotiation(name: str) -> Negotiation:
    """A shipped negotiation by name, or a user's YAML file by path."""
    entry = _named_or_path("negotiations", name)
    negotiation: Negotiation = _validated(Negotiation, _read_yaml(entry), str(entry))
    return negotiation


def list_enforcements() -> list[str]:
    """Names of the shipped enforcement files."""
    return _names("enforcement")


def load_enforcement(name: str) -> Enforcement:
    """Shipped enforcement data (line, densities, term rules) by name, or a YAML path."""
    entry = _named_or_path("enforcement", name)
    enforcement: Enforcement = _validated(Enforcement, _read_yaml(entry), str(entry))
    return enforcement


def load_regions(name: str) -> RegionSet:
    """Shipped region data (areas, control, the boundary file's name) by name or path."""
    entry = _named_or_path("regions", name)
    regions: RegionSet = _validated(RegionSet, _read_yaml(entry), str(entry))
    return regions


def region_boundaries(regions: RegionSet) -> dict[str, Any]:
    """The GeoJSON feature collection that draws the regions (shipped with the package)."""
    entry = DATA / "geo" / regions.geometry
    collection: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
    return collection


def load_requirement(name: str) -> Requirement:
    """A shipped requirement template by name, or a user's YAML file by path."""
    entry = _named_or_path("requirements", name)
    requirement: Requirement = _validated(Requirement, _read_yaml(entry), str(entry))
    return requirement


def load_scenario(name: str = "ukraine-2025", reference: Reference | None = None) -> Scenario:
    """A shipped scenario by name, or a user's YAML file by path; every submission in it is
    validated against its questionnaire, as a capital's would be."""
    entry = _named_or_path("scenarios", name)
    raw = _read_yaml(entry)
    reference = reference or load_reference()
    round_ = raw.get("round", {})
    questionnaire = load_questionnaire(round_.get("questionnaire", ""), round_.get("version", 0))
    submissions = []
    problems: list[Diagnostic] = []
    for index, item in enumerate(raw.get("submissions", [])):
        try:
            submission = validate_answers(
                questionnaire,
                reference,
                {"answers": item.get("answers", {})},
                country=item.get("country"),
                draft=item.get("status") == "draft",
            )
        except InvalidInput as exc:
            problems += [
                d.model_copy(update={"path": ("submissions", index, *d.path)})
                for d in exc.diagnostics
            ]
            continue
        provenance = item.get("provenance") or {}
        try:
            entries = {key: Provenance.model_validate(value) for key, value in provenance.items()}
        except ValidationError as exc:
            problems.append(
                Diagnostic(
                    code="data.invalid",
                    path=("submissions", index, "provenance"),
                    params={"problem": str(exc.errors()[0]["msg"])},
                )
            )
            continue
        submissions.append(submission.model_copy(update={"provenance": entries}))
    if problems:
        raise InvalidInput(problems)
    data = {**raw, "submissions": [s.model_dump() for s in submissions]}
    scenario: Scenario = _validated(Scenario, data, str(entry))
    return scenario


def condition_rules(questionnaire: Questionnaire) -> dict[str, ConditionRule]:
    """How each listed condition is met, from the questionnaire's condition choices."""
    return {
        c.code: ConditionRule(code=c.code, assumption=c.assumption or c.code, met_when=c.met_when)
        for c in questionnaire.choices.get("conditions", ())
    }


def build_package(
    submissions: Iterable[Submission],
    questionnaire: Questionnaire,
    assumptions: Mapping[str, bool],
    overrides: Mapping[str, bool] | None = None,
) -> Package:
    """A package from the latest submitted answers of each capital, under the scenario's
    assumptions and the user's explicit ``overrides``. Drafts never count."""
    offers: list[Offer] = []
    equipment: list[EquipmentOffer] = []
    for submission in submissions:
        if submission.status != "submitted":
            continue
        forces, items = offers_from(submission)
        offers += forces
        equipment += items
    return Package(
        offers=tuple(offers),
        equipment=tuple(equipment),
        assumptions=dict(assumptions),
        overrides=dict(overrides or {}),
        condition_rules=condition_rules(questionnaire),
    )
