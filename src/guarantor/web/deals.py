"""The enforceable-deals pages: the deals every party accepts that the offered forces hold,
with what-ifs; up to four of them side by side (terms, utilities, the line each leaves on a
map, the coverage gap, P(holds), Shapley against cost share); the exports and a bilingual
PDF brief of the comparison (coordinator and analysts, as the negotiation page).

What-ifs come as GET parameters: ``relax`` (repeatable, ``PARTY.RED_LINE``), ``min_hold``
(0-1), ``instrument`` (a guarantee-form option every deal must take), ``withdraw``
(repeatable, a capital whose offers are taken out) and ``posture``. A bad one is shown on
the page (status 400) over the deals without what-ifs; the exports and the PDF answer 400
with the message. The comparison takes the ranks to compare as repeatable ``rank``.

Each distinct stress test is computed once and kept in the database (the service's cache),
so a page renders in about a second once its what-if has been run; the first run of a
what-if takes seconds (``DRAWS`` draws per test, in this process).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from guarantor.enforce.line import LinePart
from guarantor.enforce.outcome import DealsReport, DealView
from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.whatif import parse_change
from guarantor.report.deal_brief import (
    MAX_COMPARED,
    compare_groups,
    deal_brief_pdf,
    deal_title,
    gap_chart,
    provenance,
    shapley_table,
)
from guarantor.report.deals import (
    deals_csv,
    deals_dict,
    force_text,
    hold_text,
    line_text,
    none_held_text,
    payers_text,
    posture_label,
    shortfall_lines,
    stats_text,
)
from guarantor.report.messages import describe
from guarantor.report.negotiation import Names
from guarantor.report.tables import Labels
from guarantor.scenario import (
    load_enforcement,
    load_negotiation,
    load_reference,
    load_regions,
    region_boundaries,
)
from guarantor.services.access import can_see_negotiation, require
from guarantor.services.deals import DealsRequest, compare_views, find_deals
from guarantor.services.portal import Portal
from guarantor.web.negotiation import _DRAWING, export_error, svg_of
from guarantor.web.pages import _portal, _user, render
from guarantor.web.security import actor
from guarantor.web.templating import current_lang

router = APIRouter(include_in_schema=False)

DRAWS = 2_000
"""Stress-test draws per distinct enforcement setting (the command line's default is 5,000):
enough for P(holds) to about ±2 points, and a first run of a what-if in seconds."""
SHAPLEY_DRAWS = 200
"""Draws of each guarantor's Shapley value, for the deals shown."""
WORKERS = 1
"""Local processes for the stress tests: 1 computes them in the request's thread, with no
process start-up (the web server runs requests side by side already)."""
LIMIT = 10
"""Enforceable deals shown (as ``guarantor deals``)."""
MIN_HOLD = 0.8
"""Least P(holds) by default (as ``guarantor deals``)."""
MAX_CHANGES = 24
"""Red lines relaxed and capitals withdrawn in one request: each distinct set costs seconds
of CPU."""

FIELDS = {
    "relax": N_("Relax red lines"),
    "min_hold": N_("Least P(holds)"),
    "instrument": N_("Guarantee form for every deal"),
    "withdraw": N_("Withdraw a capital's offers"),
    "posture": N_("Posture for every deal"),
}
"""Form labels of the what-ifs; also the prefix of their error messages."""


@dataclass(frozen=True)
class DealsQuery:
    """The what-ifs of a request, as given (blanks and repeats dropped); parsed by
    :meth:`request`, so that a bad one can still be shown in the form."""

    relax: tuple[str, ...] = ()
    min_hold: str = ""
    instrument: str = ""
    withdraw: tuple[str, ...] = ()
    posture: str = ""

    @classmethod
    def of(cls, request: Request) -> DealsQuery:
        params = request.query_params

        def many(name: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))

        def one(name: str) -> str:
            return (params.get(name) or "").strip()[:40]

        min_hold = one("min_hold")
        try:
            if float(min_hold) == MIN_HOLD:
                min_hold = ""  # the default, as the form sends it: left out of links
        except ValueError:
            pass
        return cls(
            relax=many("relax"),
            min_hold=min_hold,
            instrument=one("instrument"),
            withdraw=many("withdraw"),
            posture=one("posture"),
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The what-ifs as query parameters (for links, and the comparison form)."""
        out = [("relax", r) for r in self.relax]
        if self.min_hold:
            out.append(("min_hold", self.min_hold))
        if self.instrument:
            out.append(("instrument", self.instrument))
        out += [("withdraw", w) for w in self.withdraw]
        if self.posture:
            out.append(("posture", self.posture))
        return out

    def query(self) -> str:
        return urlencode(self.pairs())

    def lines(self) -> list[str]:
        """The what-ifs as the command line writes them."""
        return [f"{name} {value}" for name, value in self.pairs()]

    def threshold(self) -> float:
        if not self.min_hold:
            return MIN_HOLD
        try:
            return float(self.min_hold)
        except ValueError:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="value.wrong_type",
                        path=("min_hold",),
                        params={"expected": "number", "found": "text", "value": self.min_hold},
                    )
                ]
            ) from None

    def request(self) -> DealsRequest:
        """The service's request (raises :class:`InvalidInput` for a bad what-if)."""
        if len(self.relax) + len(self.withdraw) > MAX_CHANGES:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="value.too_many_items",
                        path=("--relax" if len(self.relax) > MAX_CHANGES else "--withdraw",),
                        params={"limit": MAX_CHANGES},
                    )
                ]
            )
        return DealsRequest(
            changes=tuple(parse_change("relax", r) for r in self.relax),
            min_hold=self.threshold(),
            draws=DRAWS,
            shapley_draws=SHAPLEY_DRAWS,
            limit=LIMIT,
            workers=WORKERS,
            withdraw=self.withdraw,
            instrument=self.instrument or None,
            posture=self.posture or None,
        )


def deals_report(portal: Portal, query: DealsQuery) -> DealsReport:
    """The enforceable deals under the query's what-ifs (stress tests cached in the store)."""
    return find_deals(portal.settings, query.request())


def _messages(exc: InvalidInput, lang: str) -> list[str]:
    """The diagnostics as sentences; a what-if's form label replaces the command line's."""
    out = []
    for d in exc.diagnostics:
        head = d.path[0] if d.path else ""
        kind = head.lstrip("-") if isinstance(head, str) else ""
        if kind in FIELDS:
            # The position among repeated values means nothing in the form.
            rest = d.path[1:]
            while rest and isinstance(rest[0], int):
                rest = rest[1:]
            text = describe(d.model_copy(update={"path": rest}), lang)
            out.append(f"{gettext(lang, FIELDS[kind])}: {text}")
        else:
            out.append(describe(d, lang))
    return out


def _with_fallback(portal: Portal, query: DealsQuery, lang: str) -> tuple[DealsReport, list[str]]:
    """The report under the query, or (with the messages) the one without what-ifs."""
    try:
        return deals_report(portal, query), []
    except InvalidInput as exc:
        return deals_report(portal, DealsQuery()), _messages(exc, lang)


# --- view models ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _base_negotiation(name: str) -> Negotiation:
    return load_negotiation(name)


def _code(labels: Labels) -> Any:
    return "ar" if labels.lang == "ar" else "en"


def form_view(portal: Portal, labels: Labels, query: DealsQuery) -> dict[str, Any]:
    """The what-if form: every party's red lines (to relax), the guarantee forms, the
    capitals with offers, the postures, and the current values."""
    lang = _code(labels)
    scenario = portal.context.scenario
    negotiation = _base_negotiation(scenario.negotiation or "")
    parties = {p.id: p.label.get(lang) for p in negotiation.parties}
    red_lines = [
        {
            "party": parties.get(position.party, position.party),
            "lines": [
                {
                    "value": f"{position.party}.{line.id}",
                    "label": line.label.get(lang),
                    "checked": f"{position.party}.{line.id}" in query.relax,
                }
                for line in position.red_lines
            ],
        }
        for position in negotiation.positions
        if position.red_lines
    ]
    form = next((i for i in negotiation.issues if i.kind == "guarantee_form"), None)
    instruments = [(o.id, o.label.get(lang)) for o in form.options] if form else []
    capitals = sorted({s.country for s in scenario.submissions})
    postures = (
        [(p.id, p.label.get(lang)) for p in load_enforcement(scenario.enforcement).postures]
        if scenario.enforcement
        else []
    )
    return {
        "red_lines": red_lines,
        "instruments": instruments,
        "capitals": [(c, labels.country(c)) for c in capitals],
        "postures": postures,
        "query": query,
        "min_hold": query.min_hold or f"{MIN_HOLD:g}",
        "fields": FIELDS,
    }


def _differing(report: DealsReport) -> list[str]:
    """The issues the deals shown settle differently (the guarantee issues and the
    territory when they all agree)."""
    issues = list(report.problem.issues)
    differ = [i for i in issues if len({d.options[i] for d in report.deals}) > 1]
    if differ:
        return differ
    kinds = {"territory", "guarantee_form", "guarantors"}
    return [i.id for i in report.negotiation.issues if i.kind in kinds]


def deals_view(
    report: DealsReport, labels: Labels, checked: tuple[int, ...] = ()
) -> dict[str, Any]:
    """What the deals page shows, in the request's language."""
    names = Names(report.negotiation, labels)
    t = labels.t
    shown = _differing(report) if report.deals else []
    deals = []
    for rank, deal in enumerate(report.deals, start=1):
        nash = report.nash is not None and deal.options == report.nash.options
        deals.append(
            {
                "rank": rank,
                "rank_text": labels.num(rank, 0) + (" ★" if nash else ""),
                "checked": rank in checked,
                "terms": [(names.issues[i], names.options[(i, deal.options[i])]) for i in shown],
                "all_terms": [
                    (names.issues[i], names.options[(i, deal.options[i])])
                    for i in report.problem.issues
                ],
                "utility": [labels.num(u, 1) for u in deal.utilities],
                "line": line_text(labels, deal),
                "posture": posture_label(report, deal.case.posture, labels),
                "force": force_text(labels, deal),
                "cost": labels.num(deal.case.assessment.yearly_cost_usd_m, 0),
                "payers": payers_text(labels, deal),
                "hold": hold_text(labels, deal),
            }
        )
    shortfalls = [
        {
            "title": t(N_("Acceptable deal {rank}:")).format(rank=labels.num(rank, 0)),
            "lines": shortfall_lines(report, s, names, labels),
        }
        for rank, s in enumerate(report.shortfalls, start=1)
    ]
    return {
        "title": report.negotiation.label.get(_code(labels)),
        "parties": [names.parties[p] for p in report.problem.parties],
        "deals": deals,
        "deals_title": t(
            N_(
                "Deals acceptable to every party that the offered forces hold with P ≥ {threshold}"
                " ({shown} of {total}; ★ Nash solution)"
            )
        ).format(
            threshold=labels.pct(report.min_hold),
            shown=labels.num(len(report.deals), 0),
            total=labels.num(len(report.search.enforceable), 0),
        ),
        "acceptable": bool(report.search.acceptable),
        "blocking": [names.block(b) for b in report.blocking],
        "shortfall_sentence": none_held_text(report, labels),
        "shortfalls": shortfalls,
        "stats": stats_text(report, labels),
        "hold_column": t(N_("P(holds) [95% interval]")),
        "columns": [
            t(N_("Line (km)")),
            t(N_("Posture")),
            t(N_("Units offered / required")),
            t(N_("Yearly cost (US$ m)")),
            t(N_("Largest payers")),
        ],
        "help": t(
            N_(
                "Utilities are on a 0–100 scale. Terms: the issues the deals shown settle"
                " differently. P(holds): the share of stress-test draws in which the guarantee"
                " holds, with its 95% interval. Units: the required units the offers cover,"
                " against the units the deal's line requires."
            )
        ),
        "max_compared": MAX_COMPARED,
    }


@lru_cache(maxsize=32)
def _line_svg(
    regions: str,
    holdings: tuple[tuple[str, str], ...],
    parts: tuple[LinePart, ...],
    title: str,
    lang: str,
) -> str:
    """A deal's line on the map, as SVG without the XML prologue (for inlining)."""
    from guarantor.enforce.line import Line
    from guarantor.report.maps import line_map

    region_set = load_regions(regions)
    line = Line(holdings=dict(holdings), parts=parts)  # type: ignore[arg-type]
    labels = Labels(lang, load_reference())
    with _DRAWING:
        figure = line_map(region_boundaries(region_set), region_set, line, labels, title=title)
        svg = svg_of(figure, lang)
    return svg[svg.index("<svg") :]


def _map_svg(report: DealsReport, view: DealView, labels: Labels) -> str:
    title = labels.t(N_("{deal}: the line it leaves ({km} km)")).format(
        deal=deal_title(report, view, labels), km=labels.num(view.case.line.km, 0)
    )
    line = view.case.line
    return _line_svg(
        report.negotiation.regions or "",
        tuple(sorted(line.holdings.items())),
        tuple(line.parts),
        title,
        labels.lang,
    )


def _gap_svg(report: DealsReport, view: DealView, labels: Labels) -> str:
    with _DRAWING:
        svg = svg_of(gap_chart(report, view, labels), labels.lang)
    return svg[svg.index("<svg") :]


def compare_view(report: DealsReport, views: list[DealView], labels: Labels) -> dict[str, Any]:
    """What the comparison page shows."""
    return {
        "title": report.negotiation.label.get(_code(labels)),
        "headers": [deal_title(report, v, labels) for v in views],
        "groups": compare_groups(report, views, labels),
        "maps": [_map_svg(report, v, labels) for v in views],
        "gaps": [_gap_svg(report, v, labels) for v in views],
        "shapley": shapley_table(views, labels),
        "provenance": provenance(report, views, labels),
    }


# --- ranks ---------------------------------------------------------------------------------


def _ranks(request: Request, lang: str) -> tuple[tuple[int, ...], list[str]]:
    """The ranks ticked for the comparison, and what is wrong with them."""
    raw = [v.strip() for v in request.query_params.getlist("rank") if v.strip()]
    ranks: list[int] = []
    errors: list[str] = []
    for value in raw:
        if value.isdigit() and len(value) < 6:
            if int(value) not in ranks:
                ranks.append(int(value))
        else:
            errors.append(
                describe(
                    Diagnostic(
                        code="value.wrong_type",
                        params={"expected": "integer", "found": "text", "value": value[:20]},
                    ),
                    lang,
                )
            )
    if not raw:
        errors.append(gettext(lang, N_("Tick at least one deal to compare.")))
    elif len(ranks) > MAX_COMPARED:
        errors.append(
            gettext(lang, N_("At most {limit} deals can be compared; {count} were ticked.")).format(
                limit=MAX_COMPARED, count=len(ranks)
            )
        )
    return tuple(ranks), errors


# --- routes --------------------------------------------------------------------------------


def _page(
    request: Request,
    portal: Portal,
    report: DealsReport,
    query: DealsQuery,
    labels: Labels,
    errors: list[str],
    *,
    shown_query: DealsQuery,
    checked: tuple[int, ...] = (),
    compare_errors: list[str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "deals.html",
        status=400 if errors or compare_errors else 200,
        view=deals_view(report, labels, checked),
        form=form_view(portal, labels, query),
        errors=errors,
        compare_errors=compare_errors or [],
        query=shown_query.query(),
        hidden=shown_query.pairs(),
    )


@router.get("/deals", response_class=HTMLResponse)
def deals_page(request: Request) -> HTMLResponse:
    """The enforceable deals under the query's what-ifs; a bad what-if is shown inline."""
    user = _user(request)
    require(can_see_negotiation(user), "deals")
    portal = _portal(request)
    lang = current_lang.get()
    labels = Labels(lang, portal.reference)
    query = DealsQuery.of(request)
    report, errors = _with_fallback(portal, query, lang)
    return _page(
        request,
        portal,
        report,
        query,
        labels,
        errors,
        shown_query=DealsQuery() if errors else query,
    )


@router.get("/deals/compare", response_class=HTMLResponse)
def compare_page(request: Request) -> HTMLResponse:
    """Up to four deals side by side; a bad choice of deals is shown on the deals page."""
    user = _user(request)
    require(can_see_negotiation(user), "deals")
    portal = _portal(request)
    lang = current_lang.get()
    labels = Labels(lang, portal.reference)
    query = DealsQuery.of(request)
    report, errors = _with_fallback(portal, query, lang)
    shown = DealsQuery() if errors else query
    ranks, rank_errors = _ranks(request, lang)
    views: list[DealView] = []
    if not errors and not rank_errors:
        try:
            views = compare_views(report, ranks)
        except InvalidInput as exc:
            rank_errors = [
                gettext(lang, N_("There is no such deal to compare: {problem}")).format(
                    problem=describe(d.model_copy(update={"path": ()}), lang)
                )
                for d in exc.diagnostics
            ]
    if errors or rank_errors:
        return _page(
            request,
            portal,
            report,
            query,
            labels,
            errors,
            shown_query=shown,
            checked=ranks,
            compare_errors=rank_errors,
        )
    pdf = urlencode([*query.pairs(), *[("rank", str(r)) for r in ranks]])
    return render(
        request,
        "deals_compare.html",
        view=compare_view(report, views, labels),
        query=query.query(),
        pdf_query=pdf,
        what_if=query.lines(),
    )


def _refused(exc_messages: list[str], fmt: str) -> Response:
    if fmt == "json":
        return JSONResponse({"errors": [{"message": m} for m in exc_messages]}, status_code=400)
    return PlainTextResponse("\n".join(exc_messages), status_code=400)


@router.get("/deals/compare.pdf")
def compare_pdf(request: Request) -> Response:
    """The comparison as a PDF brief for a mediator, in both languages."""
    user = _user(request)
    require(can_see_negotiation(user), "deals")
    portal = _portal(request)
    lang = current_lang.get()
    labels = Labels(lang, portal.reference)
    query = DealsQuery.of(request)
    ranks, rank_errors = _ranks(request, lang)
    if rank_errors:
        return _refused(rank_errors, "pdf")
    try:
        report = deals_report(portal, query)
        views = compare_views(report, ranks)
    except InvalidInput as exc:
        return _refused(_messages(exc, lang), "pdf")
    with _DRAWING:
        pdf = deal_brief_pdf(report, views, labels, what_if=query.lines())
    portal.accounts.record(
        actor(request, user),
        "export",
        f"deals/{report.negotiation.id}",
        format="pdf",
        what_if=query.lines(),
        ranks=list(ranks),
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{report.negotiation.id}-deals.pdf"'
        },
    )


@router.get("/deals/export.{fmt}")
def deals_export(request: Request, fmt: str) -> Response:
    """The deals as JSON (everything, sentences in the request's language) or CSV."""
    user = _user(request)
    require(can_see_negotiation(user), "deals")
    if fmt not in ("json", "csv"):
        return Response(status_code=404)
    portal = _portal(request)
    lang = current_lang.get()
    query = DealsQuery.of(request)
    try:
        report = deals_report(portal, query)
    except InvalidInput as exc:
        return export_error(exc, lang, fmt)
    portal.accounts.record(
        actor(request, user),
        "export",
        f"deals/{report.negotiation.id}",
        format=fmt,
        what_if=query.lines(),
    )
    name = f"{report.negotiation.id}-deals"
    if fmt == "json":
        body = deals_dict(report, Labels(lang, portal.reference))
        body["what_ifs"] = query.lines()
        return Response(
            json.dumps(body, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    return Response(
        deals_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
