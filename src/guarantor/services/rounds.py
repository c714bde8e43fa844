"""Use cases of a questionnaire round: submit, history, show, assess.

Each function takes the :class:`Settings` it needs and returns domain objects; the CLI only
formats them. Input problems come out as :class:`InvalidInput`, storage problems as
:class:`StoreError`, never as tracebacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from guarantor.assess import DEFAULT_READINESS_DAYS, AssessParams, assess
from guarantor.config import Settings
from guarantor.model.assessment import Assessment
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.offers import Revision
from guarantor.model.package import Package
from guarantor.model.portal import Actor
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement
from guarantor.model.scenario import Scenario
from guarantor.questionnaire import load_questionnaire, read_answer_document, validate_answers
from guarantor.scenario import build_package, load_reference, load_requirement, load_scenario
from guarantor.scenario.checks import check_requirement
from guarantor.scenario.loaders import condition_rules
from guarantor.store import RevisionStore

Progress = Callable[[str, int, int], None]
"""``progress(task, done, total)``: how a long use case reports progress to an edge."""


def code_version() -> str:
    """The installed version of Guarantor."""
    try:
        return version("guarantor")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class QuestionnaireContext:
    """The scenario, its round's questionnaire and the reference data."""

    scenario: Scenario
    questionnaire: Questionnaire
    reference: Reference


def questionnaire_context(settings: Settings) -> QuestionnaireContext:
    """Load the configured scenario and what it needs."""
    reference = load_reference()
    scenario = load_scenario(settings.scenario, reference)
    questionnaire = load_questionnaire(scenario.round.questionnaire, scenario.round.version)
    return QuestionnaireContext(scenario, questionnaire, reference)


def seed_scenario_round(
    store: RevisionStore, scenario: Scenario, progress: Progress | None = None
) -> None:
    """On first use of a database, record the scenario's round and its submissions as
    revision 1 of each capital (authored ``scenario:<id>``)."""
    if store.ensure_round(scenario.round, scenario.id):
        total = len(scenario.submissions)
        for done, submission in enumerate(scenario.submissions, start=1):
            store.save(scenario.round.id, submission, author=f"scenario:{scenario.id}")
            if progress:
                progress("seed", done, total)


@contextmanager
def _open(
    settings: Settings, context: QuestionnaireContext, progress: Progress | None = None
) -> Iterator[RevisionStore]:
    """The store, seeded with the scenario's round, closed afterwards."""
    store = RevisionStore.open(settings.db_url)
    try:
        seed_scenario_round(store, context.scenario, progress)
        yield store
    finally:
        store.close()


def submit(
    settings: Settings,
    raw: bytes,
    filename: str,
    *,
    country: str,
    draft: bool,
    author: str | None = None,
) -> Revision:
    """Validate an answer file for ``country`` and append it as a new revision.
    Nothing is stored unless the whole file is valid."""
    context = questionnaire_context(settings)
    document = read_answer_document(raw, filename, max_bytes=settings.max_upload_bytes)
    submission = validate_answers(
        context.questionnaire, context.reference, document.data, country=country, draft=draft
    )
    with _open(settings, context) as store:
        who = author or settings.user
        return store.save(
            context.scenario.round.id, submission, who, actor=Actor(name=who, session="cli")
        )


def history(settings: Settings, country: str) -> list[Revision]:
    """Every revision of one capital in the scenario's round."""
    context = questionnaire_context(settings)
    _known_country(context.reference, country)
    with _open(settings, context) as store:
        return store.history(context.scenario.round.id, country)


def show_revision(settings: Settings, country: str, number: int | None) -> Revision:
    """One revision (the latest when ``number`` is ``None``)."""
    context = questionnaire_context(settings)
    _known_country(context.reference, country)
    with _open(settings, context) as store:
        return store.get(context.scenario.round.id, country, number)


def latest_answers(settings: Settings, country: str) -> Mapping[str, Any] | None:
    """The answers of a capital's latest revision, drafts included (to pre-fill a template)."""
    context = questionnaire_context(settings)
    _known_country(context.reference, country)
    with _open(settings, context) as store:
        revisions = store.history(context.scenario.round.id, country)
        return revisions[-1].submission.answers if revisions else None


def _known_country(reference: Reference, country: str) -> None:
    if country not in reference.countries:
        raise InvalidInput(
            [Diagnostic(code="country.unknown", path=("country",), params={"value": country})]
        )


@dataclass(frozen=True)
class AssessRequest:
    """What to assess: a requirement (shipped name or YAML path), assumption overrides, knobs."""

    requirement: str | None = None
    assume: Mapping[str, bool] = field(default_factory=dict)
    rotation_ratio: float | None = None
    readiness_days: tuple[int, ...] = DEFAULT_READINESS_DAYS


@dataclass(frozen=True)
class RunRecord:
    """Provenance of a run: enough to reproduce any figure it printed."""

    code_version: str
    inputs_hash: str
    created_at: str
    seed: int | None = None


@dataclass(frozen=True)
class AssessResult:
    """An assessment with everything a report needs to explain it."""

    assessment: Assessment
    requirement: Requirement
    package: Package
    context: QuestionnaireContext
    run: RunRecord
    revisions: tuple[Revision, ...]


def parse_assumptions(pairs: Iterable[str]) -> dict[str, bool]:
    """``["us_backstop=false", ...]`` to ``{"us_backstop": False}``, with clear errors."""
    values = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    out: dict[str, bool] = {}
    problems = []
    for index, pair in enumerate(pairs):
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            problems.append(
                Diagnostic(
                    code="assumption.bad_format", path=("assume", index), params={"value": pair}
                )
            )
        elif raw.strip().lower() not in values:
            problems.append(
                Diagnostic(
                    code="assumption.bad_value", path=("assume", key.strip()), params={"value": raw}
                )
            )
        else:
            out[key.strip()] = values[raw.strip().lower()]
    if problems:
        raise InvalidInput(problems)
    return out


def known_assumptions(context: QuestionnaireContext, package: Package) -> set[str]:
    """Assumption names a user may set: the scenario's, those the listed conditions refer to,
    and every free condition code an offer names (so a capital's own condition can be met)."""
    rules = condition_rules(context.questionnaire)
    return (
        set(context.scenario.assumptions)
        | {r.assumption for r in rules.values()}
        | {"combat_role", "at_contact_line"}
        | package.condition_codes()
    )


def _inputs_hash(package: Package, requirement: Requirement, params: AssessParams) -> str:
    payload = {
        "package": package.model_dump(mode="json"),
        "requirement": requirement.model_dump(mode="json"),
        "params": {
            "rotation_ratio": params.rotation_ratio,
            "readiness_days": list(params.readiness_days),
            "max_pool_share": params.max_pool_share,
            "candidates": list(params.candidates or ()),
        },
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def assess_round(
    settings: Settings, request: AssessRequest, progress: Progress | None = None
) -> AssessResult:
    """Assess the round's package (latest submitted revision of each capital) against a
    requirement, under the scenario's assumptions with the user's overrides."""
    context = questionnaire_context(settings)
    with _open(settings, context, progress) as store:
        revisions = tuple(store.latest(context.scenario.round.id))
    return assess_revisions(context, revisions, request)


def assess_revisions(
    context: QuestionnaireContext, revisions: tuple[Revision, ...], request: AssessRequest
) -> AssessResult:
    """Assess the package of these revisions (each capital's latest submitted one)."""
    requirement = load_requirement(request.requirement or context.scenario.default_requirement)
    problems = check_requirement(requirement, context.reference)
    package = build_package(
        (r.submission for r in revisions),
        context.questionnaire,
        context.scenario.assumption_values(),
        request.assume,
    )
    known = known_assumptions(context, package)
    problems += [
        Diagnostic(
            code="assumption.unknown",
            path=("assume", key),
            params={"value": key, "known": sorted(known)},
        )
        for key in sorted(set(request.assume) - known)
    ]
    if problems:
        raise InvalidInput(problems)
    params = AssessParams(
        rotation_ratio=request.rotation_ratio,
        readiness_days=request.readiness_days,
        candidates=tuple(context.scenario.round.invited),
    )
    assessment = assess(package, requirement, context.reference, params)
    run = RunRecord(
        code_version=code_version(),
        inputs_hash=_inputs_hash(package, requirement, params),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return AssessResult(assessment, requirement, package, context, run, revisions)


def check_data(settings: Settings) -> list[Diagnostic]:
    """Named checks over the configured scenario, its questionnaire and the reference data."""
    from guarantor.questionnaire import check_questionnaire
    from guarantor.scenario import (
        check_enforcement,
        check_instrument,
        check_negotiation,
        check_provenance,
        check_regions,
        check_scenario,
        check_threat,
        list_enforcements,
        list_instruments,
        list_negotiations,
        list_requirements,
        list_threats,
        load_enforcement,
        load_instrument,
        load_negotiation,
        load_regions,
        load_threat,
        region_boundaries,
    )

    context = questionnaire_context(settings)
    requirements = [load_requirement(name) for name in list_requirements()]
    reference = context.reference
    negotiations = [load_negotiation(name) for name in list_negotiations()]
    regions = {n.regions: load_regions(n.regions) for n in negotiations if n.regions}
    by_id = {n.id: n for n in negotiations}
    enforcements = [load_enforcement(name) for name in list_enforcements()]
    return [
        *(
            d
            for e in enforcements
            for d in check_enforcement(
                e,
                reference,
                by_id.get(e.negotiation),
                regions.get(by_id[e.negotiation].regions or "") if e.negotiation in by_id else None,
                [
                    f["properties"]["iso_3166_2"]
                    for r in regions.values()
                    for f in region_boundaries(r)["features"]
                ],
            )
        ),
        *(
            d
            for n in negotiations
            for d in check_negotiation(n, reference, regions.get(n.regions or ""))
        ),
        *(d for r in regions.values() for d in check_regions(r, reference)),
        *(
            d
            for name in list_instruments()
            for d in check_instrument(load_instrument(name), reference)
        ),
        *(d for name in list_threats() for d in check_threat(load_threat(name), reference)),
        *check_questionnaire(context.questionnaire, context.reference),
        *check_scenario(context.scenario, context.reference),
        *check_provenance(context.reference, context.scenario, requirements),
    ]


def requirement_names(lang: str) -> list[tuple[str, str]]:
    """Shipped requirement templates with their labels."""
    from guarantor.scenario import list_requirements

    return [
        (name, load_requirement(name).label.get("ar" if lang == "ar" else "en"))
        for name in list_requirements()
    ]
