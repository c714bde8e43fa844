"""Enforceable deals as tables, sentences, JSON and CSV, in Arabic or English."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from guarantor.enforce.outcome import DealsDifference, DealsReport, DealView, Fix, Shortfall
from guarantor.i18n import N_
from guarantor.report.negotiation import Names
from guarantor.report.tables import Labels, _table

TOP_PAYERS = 3


def posture_label(report: DealsReport, posture: str, labels: Labels) -> str:
    found = report.enforcement.posture(posture)
    return found.label.get(labels.lang) if found else posture


def hold_text(labels: Labels, deal: DealView) -> str:
    """P(holds) with its 95 % interval."""
    h = deal.hold
    return f"{labels.pct(h.value)} [{labels.pct(h.low)}–{labels.pct(h.high)}]"


def line_text(labels: Labels, deal: DealView) -> str:
    """The line's length with the range its assumed segments give."""
    line = deal.case.line
    if math.isclose(line.low, line.high):
        return labels.num(line.km, 0)
    return f"{labels.num(line.km, 0)} [{labels.num(line.low, 0)}–{labels.num(line.high, 0)}]"


def covered_text(labels: Labels, deal: DealView) -> str:
    """The line the offered units could watch at the deal's density."""
    km = deal.case.covered_km
    return "∞" if math.isinf(km) else labels.num(km, 0)


def payers_text(labels: Labels, deal: DealView) -> str:
    """The largest shares of the yearly cost."""
    rows = sorted(deal.case.assessment.burden, key=lambda b: -b.cost_share)[:TOP_PAYERS]
    return labels.sep.join(f"{labels.country(b.country)} {labels.pct(b.cost_share)}" for b in rows)


def force_text(labels: Labels, deal: DealView) -> str:
    """Units required against units offered, over the requirement's lines."""
    coverage = deal.case.assessment.coverage
    required = sum(c.required for c in coverage)
    offered = sum(min(c.offered, c.required) for c in coverage)
    return f"{labels.num(offered, 0)} / {labels.num(required, 0)}"


def shapley_rows(deal: DealView) -> list[tuple[str, float, float]]:
    """(guarantor, Shapley contribution to P(holds), share of the yearly cost)."""
    cost = {b.country: b.cost_share for b in deal.case.assessment.burden}
    rows: list[tuple[str, float, float]] = []
    if not int(deal.result.get("shapley_draws") or 0):
        return rows
    for g in deal.result.get("guarantors", []):
        value = g.get("shapley", {}).get("value")
        if value is None:
            continue
        rows.append((g["country"], float(value), float(cost.get(g["country"], 0.0))))
    return rows


def _summary(report: DealsReport, names: Names, labels: Labels) -> RenderableType:
    parties = report.problem.parties
    headers = [
        "#",
        *[names.parties[p] for p in parties],
        labels.t(N_("Line (km)")),
        labels.t(N_("Posture")),
        labels.t(N_("Units offered / required")),
        labels.t(N_("Yearly cost (US$ m)")),
        labels.t(N_("Largest payers")),
        labels.t(N_("P(holds) [95% interval]")),
    ]
    rows = []
    for rank, deal in enumerate(report.deals, start=1):
        mark = " ★" if report.nash is not None and deal.options == report.nash.options else ""
        if report.egalitarian is not None and deal.options == report.egalitarian.options:
            mark += " ⚖"
        rows.append(
            [
                labels.num(rank, 0) + mark,
                *[labels.num(u, 1) for u in deal.utilities],
                line_text(labels, deal),
                posture_label(report, deal.case.posture, labels),
                force_text(labels, deal),
                labels.num(deal.case.assessment.yearly_cost_usd_m, 0),
                payers_text(labels, deal),
                hold_text(labels, deal),
            ]
        )
    egalitarian_shown = report.egalitarian is not None and any(
        d.options == report.egalitarian.options for d in report.deals
    )
    title = labels.t(
        N_(
            "Deals acceptable to every party that the offered forces hold with P ≥ {threshold}"
            " ({shown} of {total}; ★ Nash solution, ⚖ egalitarian)"
        )
        if egalitarian_shown
        else N_(
            "Deals acceptable to every party that the offered forces hold with P ≥ {threshold}"
            " ({shown} of {total}; ★ Nash solution)"
        )
    ).format(
        threshold=labels.pct(report.min_hold),
        shown=labels.num(len(report.deals), 0),
        total=labels.num(len(report.search.enforceable), 0),
    )
    numeric = [True] * (len(parties) + 1) + [True, False, True, True, False, True]
    return _table(labels, title, headers, rows, numeric)


def _terms_by_deal(report: DealsReport, names: Names, labels: Labels) -> list[Any]:
    """Each shown deal's terms, issue by issue: one table for the issues the deals settle
    differently (a column per deal), one for those they all settle the same way."""
    issues = list(report.problem.issues)
    differing = [i for i in issues if len({d.options[i] for d in report.deals}) > 1]
    same = [i for i in issues if i not in differing]
    out: list[Any] = []
    if differing:
        headers = [labels.t(N_("Issue"))] + [f"#{k}" for k in range(1, len(report.deals) + 1)]
        rows = [
            [names.issues[i], *[names.options[(i, d.options[i])] for d in report.deals]]
            for i in differing
        ]
        out.append(_table(labels, labels.t(N_("Terms, deal by deal")), headers, rows))
    if same:
        first = report.deals[0]
        rows = [[names.issues[i], names.options[(i, first.options[i])]] for i in same]
        title = labels.t(N_("Settled the same way in every deal shown"))
        out.append(_table(labels, title, [labels.t(N_("Issue")), labels.t(N_("Settled as"))], rows))
    return out


def fix_sentence(report: DealsReport, fix: Fix, names: Names, labels: Labels) -> str:
    """A fix in words."""
    form = next((i.id for i in report.negotiation.issues if i.kind == "guarantee_form"), "")
    p = labels.pct(fix.hold.value)
    if fix.kind == "instrument":
        option = names.options.get((form, fix.detail["option"]), fix.detail["option"])
        text = labels.t(N_("Another guarantee form, “{option}”: P(holds) {p}")).format(
            option=option, p=p
        )
        if not fix.acceptable:
            text += labels.t(N_(" (but then not every party accepts the deal)"))
        return text
    if fix.kind == "condition":
        return labels.t(N_("Meet the offers' condition “{condition}”: P(holds) {p}")).format(
            condition=labels.choice(fix.detail["condition"]), p=p
        )
    given = labels.sep.join(
        f"{labels.country(c)} {labels.num(n, 0)}" for c, n in fix.detail["countries"]
    )
    if fix.enforceable:
        return labels.t(
            N_(
                "{units} more units of {capability} from guarantors with spare capacity"
                " ({given}): P(holds) {p}"
            )
        ).format(
            units=labels.num(fix.detail["units"], 0),
            capability=labels.capability(fix.detail["capability"]),
            given=given,
            p=p,
        )
    return labels.t(
        N_("Even {units} more units of {capability} ({given}) reach only P(holds) {p}")
    ).format(
        units=labels.num(fix.detail["units"], 0),
        capability=labels.capability(fix.detail["capability"]),
        given=given,
        p=p,
    )


def shortfall_lines(
    report: DealsReport, shortfall: Shortfall, names: Names, labels: Labels
) -> list[str]:
    """Why an acceptable deal is not enforceable, in words and numbers."""
    deal = shortfall.deal
    out = [
        labels.t(
            N_(
                "P(holds) is {p}, below {threshold}. The pledges cover {covered} km at"
                " {posture} density; this deal's line is {line} km."
            )
        ).format(
            p=hold_text(labels, deal),
            threshold=labels.pct(report.min_hold),
            covered=covered_text(labels, deal),
            posture=posture_label(report, deal.case.posture, labels).lower(),
            line=labels.num(deal.case.line.km, 0),
        )
    ]
    for gap in shortfall.gaps:
        out.append(
            labels.t(N_("Short of {gap} units of “{item}” ({offered} of {required}).")).format(
                gap=labels.num(gap["gap"], 0),
                item=_item(deal, gap["item"], labels),
                offered=labels.num(gap["offered"], 0),
                required=labels.num(gap["required"], 0),
            )
        )
    for fix in shortfall.fixes:
        out.append(fix_sentence(report, fix, names, labels))
    if not any(f.enforceable for f in shortfall.fixes):
        out.append(labels.t(N_("No single change tried makes this deal enforceable.")))
    return out


def _item(deal: DealView, item: str, labels: Labels) -> str:
    found = next((i for i in deal.case.requirement.items if i.id == item), None)
    return found.label.get(labels.lang) if found else item


def none_held_text(report: DealsReport, labels: Labels) -> str:
    """Deals are acceptable, none is held: how many, and the threshold."""
    return labels.t(
        N_(
            "{count} Pareto-optimal deals are acceptable to every party, but the"
            " offered forces hold none of them with P ≥ {threshold}."
        )
    ).format(
        count=labels.num(len(report.search.best_acceptable), 0),
        threshold=labels.pct(report.min_hold),
    )


def stats_text(report: DealsReport, labels: Labels) -> str:
    """How the search went: settings, stress tests, the cache, time and seed."""
    stats = report.stats
    return labels.t(
        N_(
            "{keys} distinct enforcement settings need {jobs} stress tests; with the"
            " deals' Shapley values and the fixes tried, {computed} were computed and"
            " {cached} read from the cache, in {seconds} s; seed {seed}."
        )
    ).format(
        keys=labels.num(stats.keys, 0),
        jobs=labels.num(stats.jobs, 0),
        computed=labels.num(stats.computed, 0),
        cached=labels.num(stats.cached, 0),
        seconds=labels.num(stats.seconds, 1),
        seed=report.seed,
    )


def deals_renderables(
    report: DealsReport, labels: Labels, difference: DealsDifference | None = None
) -> RenderableType:
    """The report for a terminal."""
    names = Names(report.negotiation, labels)
    parts: list[RenderableType] = []
    if report.deals:
        parts.append(_summary(report, names, labels))
        alone = [str(k) for k, d in enumerate(report.deals, start=1) if not d.case.counted]
        if alone:
            parts.append(
                Text(
                    labels.t(
                        N_(
                            "Deals {ranks}: no offer counts under their terms, so P(holds) is"
                            " the protected state's alone."
                        )
                    ).format(ranks=labels.sep.join(alone)),
                    style="bold",
                )
            )
        parts.extend(_terms_by_deal(report, names, labels))
    elif not report.search.acceptable and not report.blocking and report.instrument:
        form = next(i.id for i in report.negotiation.issues if i.kind == "guarantee_form")
        parts.append(
            Text(
                labels.t(
                    N_(
                        "Deals are acceptable to every party, but none with the guarantee"
                        " form “{option}”."
                    )
                ).format(option=names.options.get((form, report.instrument), report.instrument)),
                style="bold",
            )
        )
    elif not report.search.acceptable:
        parts.append(Text(labels.t(N_("No deal is acceptable to every party.")), style="bold"))
        for block in report.blocking:
            parts.append(Text("• " + names.block(block)))
    else:
        parts.append(Text(none_held_text(report, labels), style="bold"))
        for rank, shortfall in enumerate(report.shortfalls, start=1):
            parts.append(
                Text(
                    labels.t(N_("Acceptable deal {rank}:")).format(rank=labels.num(rank, 0)),
                    style="bold",
                )
            )
            parts.extend(
                Text("  " + line) for line in shortfall_lines(report, shortfall, names, labels)
            )
    if difference is not None:
        parts.append(
            Text(
                labels.t(N_("What-if: {opened} deals open, {closed} close.")).format(
                    opened=labels.num(len(difference.opened), 0),
                    closed=labels.num(len(difference.closed), 0),
                )
            )
        )
    parts.append(Text(stats_text(report, labels), style="dim"))
    return Group(*parts)


def deal_dict(report: DealsReport, deal: DealView) -> dict[str, Any]:
    """One deal, with ids."""
    case = deal.case
    return {
        "options": deal.options,
        "utility": dict(zip(report.problem.parties, deal.utilities, strict=True)),
        "line_km": case.line.km,
        "line_km_range": [case.line.low, case.line.high],
        "front_km": case.line.front_km,
        "line": [
            {
                "kind": p.kind,
                "regions": list(p.regions),
                "km": p.km,
                "range": [p.low, p.high],
                "label": p.label,
                "posture": p.posture,
            }
            for p in case.line.parts
        ],
        "holdings": dict(case.line.holdings),
        "posture": case.posture,
        "covered_km": None if math.isinf(case.covered_km) else case.covered_km,
        "requirement": [
            {"item": c.item, "required": c.required, "offered": c.offered, "gap": c.gap}
            for c in case.assessment.coverage
        ],
        "yearly_cost_usd_m": case.assessment.yearly_cost_usd_m,
        "cost_share": {b.country: b.cost_share for b in case.assessment.burden},
        "instrument": case.instrument.id,
        "guarantors": [g.country for g in case.instrument.guarantors],
        "excluded_offers": [
            {
                "country": e.offer.country,
                "capability": e.offer.capability,
                "units": e.offer.quantity,
                "unmet": list(e.unmet),
            }
            for e in case.assessment.excluded
        ],
        "closed_zone_offers": [
            {"country": o.country, "capability": o.capability, "units": o.quantity, "zone": o.zone}
            for o in case.closed
        ],
        "terms_applied": list(case.terms.rules),
        "counted_offers": len(case.counted),
        "holds": {"value": deal.hold.value, "low": deal.hold.low, "high": deal.hold.high},
        "shapley": {c: v for c, v, _ in shapley_rows(deal)},
        "acceptable": deal.acceptable,
        "enforceable": deal.enforceable,
    }


def deals_dict(
    report: DealsReport, labels: Labels, difference: DealsDifference | None = None
) -> dict[str, Any]:
    """Everything, with ids; sentences in the output language."""
    names = Names(report.negotiation, labels)
    out: dict[str, Any] = {
        "negotiation": report.negotiation.id,
        "enforcement": report.enforcement.id,
        "min_hold": report.min_hold,
        "parties": list(report.problem.parties),
        "acceptable": report.search.acceptable,
        "enforceable_count": len(report.search.enforceable),
        "deals": [deal_dict(report, d) for d in report.deals],
        "nash": deal_dict(report, report.nash) if report.nash else None,
        "egalitarian": deal_dict(report, report.egalitarian) if report.egalitarian else None,
        "blocking": [
            {
                "red_lines": [
                    {"party": c.party, "kind": c.kind, "red_line": c.red_line} for c in b
                ],
                "text": names.block(b),
            }
            for b in report.blocking
        ],
        "shortfalls": [
            {
                "deal": deal_dict(report, s.deal),
                "gaps": list(s.gaps),
                "fixes": [
                    {
                        "kind": f.kind,
                        "detail": f.detail,
                        "holds": f.hold.value,
                        "enforceable": f.enforceable,
                        "acceptable": f.acceptable,
                    }
                    for f in s.fixes
                ],
                "text": shortfall_lines(report, s, names, labels),
            }
            for s in report.shortfalls
        ],
        "stats": {
            "candidates": report.stats.candidates,
            "keys": report.stats.keys,
            "jobs": report.stats.jobs,
            "computed": report.stats.computed,
            "cached": report.stats.cached,
            "seconds": report.stats.seconds,
        },
        "run": dict(report.run),
    }
    if difference is not None:
        out["what_if"] = {"opened": list(difference.opened), "closed": list(difference.closed)}
    return out


def deals_csv(report: DealsReport, views: Sequence[DealView] | None = None) -> str:
    """One row per enforceable deal shown: terms, utilities, line, force, cost, P(holds)."""
    views = report.deals if views is None else views
    out = io.StringIO()
    writer = csv.writer(out)
    issues = list(report.problem.issues)
    parties = list(report.problem.parties)
    writer.writerow(
        [
            "rank",
            *issues,
            *[f"utility_{p}" for p in parties],
            "line_km",
            "posture",
            "covered_km",
            "units_required",
            "units_offered",
            "yearly_cost_usd_m",
            "holds",
            "holds_low",
            "holds_high",
        ]
    )
    for rank, deal in enumerate(views, start=1):
        coverage = deal.case.assessment.coverage
        writer.writerow(
            [
                rank,
                *[deal.options[i] for i in issues],
                *[f"{u:.4f}" for u in deal.utilities],
                f"{deal.case.line.km:.1f}",
                deal.case.posture,
                "" if math.isinf(deal.case.covered_km) else f"{deal.case.covered_km:.1f}",
                f"{sum(c.required for c in coverage):g}",
                f"{sum(min(c.offered, c.required) for c in coverage):g}",
                f"{deal.case.assessment.yearly_cost_usd_m:.1f}",
                f"{deal.hold.value:.4f}",
                f"{deal.hold.low:.4f}",
                f"{deal.hold.high:.4f}",
            ]
        )
    return out.getvalue()


def compare_renderables(
    report: DealsReport, views: Sequence[DealView], labels: Labels
) -> RenderableType:
    """Up to four deals side by side: terms, utilities, line, force, P(holds), Shapley."""
    names = Names(report.negotiation, labels)
    headers = [labels.t(N_("Deal"))] + [f"#{i + 1}" for i in range(len(views))]
    rows: list[list[str]] = []
    for issue in report.problem.issues:
        rows.append(
            [names.issues[issue], *[names.options[(issue, v.options[issue])] for v in views]]
        )
    for k, party in enumerate(report.problem.parties):
        rows.append([names.parties[party], *[labels.num(v.utilities[k], 1) for v in views]])
    rows.append([labels.t(N_("Line (km)")), *[line_text(labels, v) for v in views]])
    rows.append(
        [labels.t(N_("Posture")), *[posture_label(report, v.case.posture, labels) for v in views]]
    )
    rows.append([labels.t(N_("Units offered / required")), *[force_text(labels, v) for v in views]])
    rows.append(
        [
            labels.t(N_("Yearly cost (US$ m)")),
            *[labels.num(v.case.assessment.yearly_cost_usd_m, 0) for v in views],
        ]
    )
    rows.append([labels.t(N_("P(holds) [95% interval]")), *[hold_text(labels, v) for v in views]])
    guarantors = sorted({c for v in views for c, _, _ in shapley_rows(v)})
    for country in guarantors:
        cells = []
        for v in views:
            found = {c: (s, share) for c, s, share in shapley_rows(v)}
            s, share = found.get(country, (None, None))
            cells.append("–" if s is None else f"{labels.pct(s)} / {labels.pct(share)}")
        rows.append(
            [
                labels.t(N_("{country}: Shapley / cost share")).format(
                    country=labels.country(country)
                ),
                *cells,
            ]
        )
    title = labels.t(N_("Deals side by side"))
    return _table(labels, title, headers, rows)
