"""Use case: the enforceable deals of the scenario's negotiation.

Loads the negotiation, the region geometry, the enforcement data, the round's package and
the instruments; finds the acceptable deals per combination of enforcement issues; computes
each distinct stress test once (cached in the store by the hash of its inputs, filled in
local processes or on Ray); and keeps the deals P(holds) clears. When none does, it says
why and tries the smallest fixes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np

from guarantor.assess.sufficiency import AssessParams
from guarantor.config import Settings
from guarantor.enforce.chain import (
    Case,
    Evaluator,
    Setting,
    enforcement_issues,
    job_hash,
    stress_job,
)
from guarantor.enforce.geometry import Boundaries, boundary_lengths
from guarantor.enforce.outcome import (
    DealsDifference,
    DealsReport,
    DealView,
    Fix,
    Shortfall,
    Stats,
)
from guarantor.enforce.search import Candidates, Key, candidates, check_threshold, search
from guarantor.model.diagnostics import Diagnostic, InvalidInput, errors
from guarantor.model.negotiation import Negotiation
from guarantor.model.offers import Offer
from guarantor.model.package import Package
from guarantor.negotiate.problem import SCALE, Problem, compile_problem
from guarantor.negotiate.solver import blocking_sets
from guarantor.negotiate.whatif import Change, apply_changes
from guarantor.scenario import (
    build_package,
    check_enforcement,
    list_instruments,
    load_enforcement,
    load_instrument,
    load_negotiation,
    load_regions,
    load_threat,
    region_boundaries,
)
from guarantor.services.rounds import (
    Progress,
    RunRecord,
    _open,
    code_version,
    known_assumptions,
    questionnaire_context,
)
from guarantor.services.sweep import run_local, run_ray
from guarantor.simulate.stress import Interval
from guarantor.store import RevisionStore
from guarantor.store.results import ResultStore

LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class DealsRequest:
    """What to search, and the what-ifs to apply."""

    changes: tuple[Change, ...] = ()
    """Negotiation what-ifs (relax, forbid, weight, reservation)."""
    min_hold: float = 0.8
    draws: int = 5_000
    seed: int = 20250815
    shapley_draws: int = 200
    limit: int = 10
    workers: int = 1
    """Local processes for the sweep: one is fastest on 2 cores (benchmarks/README.md)."""
    ray: bool = False
    ray_address: str | None = None
    withdraw: tuple[str, ...] = ()
    """Capitals whose offers are taken out."""
    add: tuple[str, ...] = ()
    """Offers added: ``COUNTRY:CAPABILITY:UNITS[:ZONE[:READINESS_DAYS]]``."""
    instrument: str | None = None
    """Guarantee-form option every deal must take."""
    posture: str | None = None
    """Posture for every deal, instead of the rules'."""
    assume: Mapping[str, bool] = field(default_factory=dict)
    fixes: bool = True


@cache
def _boundaries(regions_name: str) -> Boundaries:
    return boundary_lengths(region_boundaries(load_regions(regions_name)))


MAX_ADDED_UNITS = 1000
MAX_DRAWS = 1_000_000


def _parse_add(text: str, index: int, zones: set[str]) -> Offer:
    parts = text.split(":")
    problem = Diagnostic(
        code="whatif.syntax",
        path=("--add", index),
        params={"value": text, "form": "COUNTRY:CAPABILITY:UNITS[:ZONE[:READINESS_DAYS]]"},
    )

    def number(raw: str) -> int | None:
        return int(raw) if raw.isascii() and raw.isdecimal() else None

    units = number(parts[2]) if len(parts) >= 3 else None
    days = number(parts[4]) if len(parts) == 5 else 30
    if not 3 <= len(parts) <= 5 or units is None or days is None:
        raise InvalidInput([problem])
    problems = []
    if not 1 <= units <= MAX_ADDED_UNITS:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=("--add", index, "units"),
                params={"value": units, "low": 1, "high": MAX_ADDED_UNITS},
            )
        )
    zone = parts[3] if len(parts) >= 4 else "rear_area"
    if zones and zone not in zones:
        problems.append(
            Diagnostic(
                code="value.not_in_choices",
                path=("--add", index, "zone"),
                params={"value": zone, "choices": sorted(zones)},
            )
        )
    if problems:
        raise InvalidInput(problems)
    return Offer(
        country=parts[0].upper(),
        capability=parts[1],
        quantity=units,
        role="reassurance",
        zone=zone,
        readiness_days=days,
        duration_months=60,
        source_path=f"what-if --add {text}",
    )


def _package(settings: Settings, request: DealsRequest) -> tuple[Package, Any]:
    context = questionnaire_context(settings)
    with _open(settings, context) as store:
        revisions = tuple(store.latest(context.scenario.round.id))
    package = build_package(
        (r.submission for r in revisions),
        context.questionnaire,
        context.scenario.assumption_values(),
        request.assume,
    )
    problems = [
        Diagnostic(
            code="assumption.unknown",
            path=("assume", key),
            params={"value": key, "known": sorted(known_assumptions(context, package))},
        )
        for key in sorted(set(request.assume) - known_assumptions(context, package))
    ]
    if not 0 <= request.seed < 2**63:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=("--seed",),
                params={"value": request.seed, "low": 0, "high": 2**63 - 1},
            )
        )
    if not 1 <= request.draws <= MAX_DRAWS:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=("--draws",),
                params={"value": request.draws, "low": 1, "high": MAX_DRAWS},
            )
        )
    offered = {o.country for o in package.offers}
    for i, country in enumerate(request.withdraw):
        if country.upper() not in offered:
            problems.append(
                Diagnostic(
                    code="whatif.no_offer",
                    path=("--withdraw", i),
                    params={"value": country, "known": sorted(offered)},
                )
            )
    added = []
    zones = {c.code for c in context.questionnaire.choices.get("zones", ())}
    for i, text in enumerate(request.add):
        offer = _parse_add(text, i, zones)
        if offer.country not in context.reference.countries:
            problems.append(
                Diagnostic(
                    code="country.unknown", path=("--add", i), params={"value": offer.country}
                )
            )
        if offer.capability not in context.reference.capabilities:
            problems.append(
                Diagnostic(
                    code="capability.unknown", path=("--add", i), params={"value": offer.capability}
                )
            )
        added.append(offer)
    if problems:
        raise InvalidInput(problems)
    withdrawn = {c.upper() for c in request.withdraw}
    offers = tuple(o for o in package.offers if o.country not in withdrawn) + tuple(added)
    return package.model_copy(update={"offers": offers}), context


def _check_instrument(negotiation: Negotiation, instrument: str | None) -> None:
    if instrument is None:
        return
    issue = next((i for i in negotiation.issues if i.kind == "guarantee_form"), None)
    if issue is None or instrument not in {o.id for o in issue.options}:
        known = sorted(o.id for o in issue.options) if issue else []
        raise InvalidInput(
            [
                Diagnostic(
                    code="option.unknown",
                    path=("--instrument",),
                    params={"value": instrument, "issue": "guarantee_form", "known": known},
                )
            ]
        )


def _only_instrument(cands: Candidates, instrument: str | None) -> Candidates:
    """The candidates whose guarantee form is ``instrument``. Exact: the form is an
    enforcement issue, so the candidates are a front per form, and these are its own."""
    if instrument is None:
        return cands
    problem = cands.problem
    issue = next(k for k, i in enumerate(problem.negotiation.issues) if i.kind == "guarantee_form")
    keep = cands.deals[:, issue] == problem.options[issue].index(instrument)
    return replace(cands, deals=cands.deals[keep], scores=cands.scores[keep])


def build_setting(settings: Settings, request: DealsRequest) -> tuple[Setting, Negotiation]:
    """Load everything one search needs, with the request's what-ifs applied."""
    package, context = _package(settings, request)
    scenario = context.scenario
    if not scenario.negotiation or not scenario.enforcement:
        raise InvalidInput(
            [
                Diagnostic(
                    code="scenario.no_enforcement",
                    path=("scenario", "enforcement"),
                    params={"value": scenario.id},
                )
            ]
        )
    check_threshold(request.min_hold)
    enforcement = load_enforcement(scenario.enforcement)
    if request.posture is not None:
        if enforcement.posture(request.posture) is None:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="posture.unknown",
                        path=("--posture",),
                        params={
                            "value": request.posture,
                            "known": sorted(p.id for p in enforcement.postures),
                        },
                    )
                ]
            )
        enforcement = enforcement.model_copy(
            update={"posture_rules": (), "default_posture": request.posture}
        )
    negotiation = apply_changes(load_negotiation(scenario.negotiation), request.changes)
    _check_instrument(negotiation, request.instrument)
    if not negotiation.regions:
        raise InvalidInput(
            [
                Diagnostic(
                    code="scenario.no_enforcement",
                    path=("negotiation", "regions"),
                    params={"value": negotiation.id},
                )
            ]
        )
    regions = load_regions(negotiation.regions)
    geometry = region_boundaries(regions)
    found = check_enforcement(
        enforcement,
        context.reference,
        negotiation,
        regions,
        [f["properties"]["iso_3166_2"] for f in geometry["features"]],
    )
    if errors(found):
        raise InvalidInput(errors(found))
    setting = Setting(
        negotiation=negotiation,
        regions=regions,
        enforcement=enforcement,
        boundaries=_boundaries(negotiation.regions),
        package=package,
        reference=context.reference,
        instruments={name: load_instrument(name) for name in list_instruments()},
        threat=load_threat(enforcement.threat),
        params=AssessParams(candidates=tuple(scenario.round.invited)),
    )
    return setting, negotiation


def _clean(value: Any) -> Any:
    """JSON that every database accepts: NaN becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class Oracle:
    """P(holds) of stress jobs: looked up in the store, or computed (in batches, in
    parallel) and stored."""

    def __init__(
        self, results: ResultStore, request: DealsRequest, progress: Progress | None
    ) -> None:
        self.results = results
        self.request = request
        self.progress = progress
        self.memo: dict[str, dict[str, Any]] = {}
        self.computed = 0
        self.cached = 0

    def fill(self, jobs: Mapping[str, dict[str, Any]]) -> None:
        """Make sure every job has a result."""
        wanted = [h for h in jobs if h not in self.memo]
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            stored = self.results.get_many(wanted[start : start + LOOKUP_CHUNK])
            self.memo.update(stored)
            self.cached += len(stored)
        pending = [h for h in wanted if h not in self.memo]
        if not pending:
            return
        batch = [jobs[h] for h in pending]
        # A single job (a deal's Shapley values, a fix) runs here: starting a pool or a Ray
        # cluster for it costs more than the job.
        stream = (
            run_ray(batch, self.request.ray_address)
            if self.request.ray and len(batch) > 1
            else run_local(batch, self.request.workers if len(batch) > 1 else 1)
        )
        for done, (index, raw) in enumerate(stream, start=1):
            digest = pending[index]
            job = batch[index]
            result = _clean(raw)
            self.results.put(
                digest,
                instrument=job["instrument"]["id"],
                threat=job["threat"]["id"],
                assumptions={},
                seed=job["seed"],
                draws=job["draws"],
                code_version=job["version"],
                result=result,
            )
            self.memo[digest] = result
            self.computed += 1
            if self.progress:
                self.progress("stress", done, len(pending))

    def result(self, job: dict[str, Any]) -> dict[str, Any]:
        """The result of one job."""
        digest = job_hash(job)
        self.fill({digest: job})
        return self.memo[digest]


def _interval(result: Mapping[str, Any]) -> Interval:
    holds = result["holds"]
    return Interval(float(holds["value"]), float(holds["low"]), float(holds["high"]))


@cache
def _version() -> str:
    # Read once: the package metadata costs a millisecond a call, thousands of calls a search.
    return code_version()


def _job(case: Case, request: DealsRequest, shapley: bool) -> dict[str, Any]:
    return stress_job(
        case.instrument,
        case.threat,
        case.forces,
        draws=request.draws,
        seed=request.seed,
        shapley_draws=request.shapley_draws if shapley else 0,
        version=_version(),
    )


def _utilities(scores: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) / SCALE for v in scores)


def _view(
    problem: Problem,
    cands: Candidates,
    index: int,
    evaluator: Evaluator,
    oracle: Oracle,
    request: DealsRequest,
    enforceable: bool,
) -> DealView:
    deal = cands.deals[index]
    options = {issue: problem.options[i][int(deal[i])] for i, issue in enumerate(problem.issues)}
    case = evaluator.case(options)
    result = oracle.result(_job(case, request, shapley=request.shapley_draws > 0))
    return DealView(
        options=options,
        utilities=_utilities(cands.scores[index]),
        case=case,
        hold=_interval(result),
        result=result,
        acceptable=True,
        enforceable=enforceable,
    )


def _gaps(case: Case) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"item": c.item, "required": c.required, "offered": c.offered, "gap": c.gap}
        for c in case.assessment.coverage
        if c.gap > 0
    )


def _fixes(
    setting: Setting,
    problem: Problem,
    view: DealView,
    oracle: Oracle,
    request: DealsRequest,
) -> tuple[Fix, ...]:
    """Other guarantee forms; each unmet offer condition met; and the fewest fix units from
    guarantors with spare capacity."""
    threshold = request.min_hold
    fixes: list[Fix] = []
    form = next((i for i in setting.negotiation.issues if i.kind == "guarantee_form"), None)
    evaluator = Evaluator(setting)

    def hold_of(ev: Evaluator, options: Mapping[str, str]) -> Interval:
        return _interval(oracle.result(_job(ev.case(options), request, shapley=False)))

    def acceptable(options: Mapping[str, str]) -> bool:
        deal = problem.deal(dict(options))
        return bool(problem.acceptable(deal[None, :])[0])

    if form is not None:
        for option in form.options:
            if option.id == view.options.get(form.id):
                continue
            options = {**view.options, form.id: option.id}
            hold = hold_of(evaluator, options)
            if hold.value >= threshold:
                fixes.append(
                    Fix("instrument", {"option": option.id}, hold, True, acceptable(options))
                )
    unmet = sorted({code for e in view.case.assessment.excluded for code in e.unmet})
    for code in unmet:
        rule = setting.package.condition_rules.get(code)
        assumption, value = (rule.assumption, rule.met_when) if rule else (code, True)
        if view.case.terms.sets.get(assumption, value) != value:
            continue  # the deal's own terms rule this condition out: no fix for this deal
        package = setting.package.with_assumptions(**{assumption: value})
        hold = hold_of(Evaluator(replace(setting, package=package)), view.options)
        fixes.append(
            Fix(
                "condition",
                {"condition": code, "assumption": assumption, "value": value},
                hold,
                hold.value >= threshold,
                True,
            )
        )
    units = _unit_fix(setting, view, threshold, hold_of)
    return (*fixes, *([units] if units else []))


def _unit_fix(
    setting: Setting,
    view: DealView,
    threshold: float,
    hold_of: Callable[[Evaluator, Mapping[str, str]], Interval],
) -> Fix | None:
    """The fewest units of the fix unit, from guarantors with spare capacity, in the first
    zone the deal leaves open, that bring P(holds) to the threshold; found by bisection,
    which is exact because P(holds) never falls as units are added (same seed)."""
    unit = setting.enforcement.fix_unit
    if unit is None:
        return None
    zone = next((z for z in unit.zones if z not in view.case.terms.closed_zones), None)
    spare = _spare(setting, view.case, unit.capability)
    if zone is None or not spare:
        return None

    def with_units(n: int) -> tuple[Interval, list[tuple[str, int]]]:
        given = _allocate(spare, n)
        extra = tuple(
            Offer(
                country=country,
                capability=unit.capability,
                quantity=count,
                role=unit.role,
                zone=zone,
                readiness_days=unit.readiness_days,
                duration_months=60,
                source_path="fix",
            )
            for country, count in given
        )
        package = setting.package.model_copy(update={"offers": setting.package.offers + extra})
        return hold_of(Evaluator(replace(setting, package=package)), view.options), given

    if with_units(0)[0].value >= threshold:
        return None  # the deal holds already: nothing to fix
    most = min(unit.max_units, sum(spare.values()))
    top, given = with_units(most)
    detail: dict[str, Any] = {"capability": unit.capability, "zone": zone}
    if top.value < threshold:
        return Fix("units", {**detail, "units": most, "countries": given}, top, False, True)
    # "low" always fails and "high" always passes.
    low, high, best = 0, most, (top, given)
    while high - low > 1:
        middle = (low + high) // 2
        hold, allotted = with_units(middle)
        if hold.value >= threshold:
            high, best = middle, (hold, allotted)
        else:
            low = middle
    return Fix("units", {**detail, "units": high, "countries": best[1]}, best[0], True, True)


def _spare(setting: Setting, case: Case, capability: str) -> dict[str, int]:
    """Units of ``capability`` each guarantor could still put in a rotation pool."""
    reference = setting.reference
    cap = reference.capabilities.get(capability)
    per_unit = float(cap.personnel.value or 0.0) if cap and cap.personnel else 0.0
    ratio = case.assessment.rotation_ratio
    if per_unit <= 0:
        return {}
    committed = {b.country: b.pool_personnel for b in case.assessment.burden}
    out = {}
    for role in case.instrument.guarantors:
        country = reference.countries.get(role.country)
        active = country.active_personnel.value if country and country.active_personnel else None
        if not active or role.country == setting.threat.attacker:
            continue
        headroom = active * setting.params.max_pool_share - committed.get(role.country, 0.0)
        units = math.floor(headroom / (per_unit * ratio))
        if units > 0:
            out[role.country] = units
    return out


def _allocate(spare: Mapping[str, int], n: int) -> list[tuple[str, int]]:
    """``n`` units, from the guarantor with the most spare capacity down."""
    given = []
    for country, units in sorted(spare.items(), key=lambda kv: (-kv[1], kv[0])):
        if n <= 0:
            break
        take = min(units, n)
        given.append((country, take))
        n -= take
    return given


def find_deals(
    settings: Settings, request: DealsRequest, progress: Progress | None = None
) -> DealsReport:
    """The enforceable deals, or why there are none."""
    started = time.perf_counter()
    setting, negotiation = build_setting(settings, request)
    problem = compile_problem(negotiation)
    issues = enforcement_issues(negotiation, setting.enforcement)
    everything = candidates(problem, issues)
    cands = _only_instrument(everything, request.instrument)
    evaluator = Evaluator(setting)
    key_jobs: dict[Key, str] = {}
    jobs: dict[str, dict[str, Any]] = {}
    distinct = cands.distinct()
    # Many settings share one stress test: the evaluator hands back the same instrument,
    # threat and forces objects for them, so their identities key the job and its hash.
    by_inputs: dict[tuple[int, int, int], str] = {}
    for done, key in enumerate(distinct, start=1):
        case = evaluator.case(cands.options(key))
        inputs = (id(case.instrument), id(case.threat), id(case.forces))
        digest = by_inputs.get(inputs, "")
        if not digest:
            job = _job(case, request, shapley=False)
            digest = job_hash(job)
            by_inputs[inputs] = digest
            jobs[digest] = job
        key_jobs[key] = digest
        if progress and done % 200 == 0:
            progress("deals", done, len(distinct))
    store = RevisionStore.open(settings.db_url)
    try:
        oracle = Oracle(ResultStore(store.db), request, progress)
        oracle.fill(jobs)
        hold = {key: _interval(oracle.memo[digest]) for key, digest in key_jobs.items()}
        found = search(cands, hold, request.min_hold)
        shown = [
            _view(problem, cands, int(i), evaluator, oracle, request, True)
            for i in found.enforceable[: request.limit]
        ]
        nash = (
            _view(problem, cands, found.nash, evaluator, oracle, request, True)
            if found.nash is not None
            else None
        )
        egalitarian = (
            _view(problem, cands, found.egalitarian, evaluator, oracle, request, True)
            if found.egalitarian is not None
            else None
        )
        shortfalls: list[Shortfall] = []
        if not len(found.enforceable) and found.acceptable:
            for i in found.best_acceptable[:3]:
                view = _view(problem, cands, int(i), evaluator, oracle, request, False)
                fixes = _fixes(setting, problem, view, oracle, request) if request.fixes else ()
                shortfalls.append(Shortfall(view, _gaps(view.case), fixes))
        computed, cached = oracle.computed, oracle.cached
    finally:
        store.close()
    # With an imposed guarantee form and deals acceptable under other forms, no red line
    # blocks every deal: the form does (the report says so).
    blocking = () if len(everything.deals) else tuple(blocking_sets(problem))
    payload = json.dumps(
        {
            "request": {
                "changes": [c.text() for c in request.changes],
                "min_hold": request.min_hold,
                "withdraw": list(request.withdraw),
                "add": list(request.add),
                "instrument": request.instrument,
                "posture": request.posture,
                "assume": dict(request.assume),
            },
            "jobs": sorted(jobs),
        },
        sort_keys=True,
    )
    run = RunRecord(
        code_version=code_version(),
        inputs_hash=hashlib.sha256(payload.encode()).hexdigest(),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seed=request.seed,
    )
    return DealsReport(
        instrument=request.instrument,
        min_hold=request.min_hold,
        seed=request.seed,
        negotiation=negotiation,
        enforcement=setting.enforcement,
        problem=problem,
        search=found,
        deals=tuple(shown),
        nash=nash,
        egalitarian=egalitarian,
        blocking=blocking,
        shortfalls=tuple(shortfalls),
        stats=Stats(
            candidates=len(cands.deals),
            keys=len(distinct),
            jobs=len(jobs),
            computed=computed,
            cached=cached,
            seconds=time.perf_counter() - started,
        ),
        run={
            "code_version": run.code_version,
            "inputs_hash": run.inputs_hash,
            "created_at": run.created_at,
            "seed": run.seed,
        },
    )


def difference(base: DealsReport, after: DealsReport) -> DealsDifference:
    """Compare the enforceable Pareto sets of two searches, deal by deal."""

    def labelled(report: DealsReport) -> list[dict[str, str]]:
        cands = report.search.candidates
        problem = report.problem
        return [
            {
                issue: problem.options[i][int(cands.deals[k][i])]
                for i, issue in enumerate(problem.issues)
            }
            for k in report.search.enforceable
        ]

    before, now = labelled(base), labelled(after)
    key: Callable[[dict[str, str]], str] = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    old, new = {key(d) for d in before}, {key(d) for d in now}
    return DealsDifference(
        opened=tuple(d for d in now if key(d) not in old),
        closed=tuple(d for d in before if key(d) not in new),
    )


def compare_views(report: DealsReport, ranks: Sequence[int]) -> list[DealView]:
    """Deals of the report by their 1-based rank, for a side-by-side comparison."""
    problems = [
        Diagnostic(
            code="value.out_of_range",
            path=("--compare", i),
            params={"value": r, "low": 1, "high": len(report.deals)},
        )
        for i, r in enumerate(ranks)
        if not 1 <= r <= len(report.deals)
    ]
    if len(ranks) > 4:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=("--compare",),
                params={"value": len(ranks), "low": 1, "high": 4},
            )
        )
    if problems:
        raise InvalidInput(problems)
    return [report.deals[r - 1] for r in ranks]
