"""The negotiation pages: the analysis of the configured scenario with what-ifs, the map of a
ranked deal, and the exports (coordinator and analysts).

The analysis takes one to three seconds, so it is cached per (scenario, what-ifs) in a small
LRU, and so are the maps drawn from it. What-ifs come as repeatable GET parameters
(``relax``, ``forbid``, ``weight``, ``reservation``), written as on the command line. A bad
one is shown on the page (status 400) over the analysis without what-ifs; the map and the
exports answer 400 with the message.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from guarantor.config import Settings
from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.negotiate.analysis import Analysis, Deal
from guarantor.negotiate.solver import Constraint
from guarantor.report.messages import describe
from guarantor.report.negotiation import (
    SHOWN_IN_DETAIL,
    Names,
    km2_text,
    negotiation_csv,
    negotiation_dict,
    overall_cells,
    solution_marks,
    term_cells,
)
from guarantor.report.tables import Labels
from guarantor.scenario import load_reference, region_boundaries
from guarantor.services.access import can_see_negotiation, require
from guarantor.services.negotiation import (
    NegotiationRequest,
    NegotiationRun,
    map_figure,
    run_negotiation,
)
from guarantor.web.pages import _portal, _user, render
from guarantor.web.security import actor
from guarantor.web.templating import current_lang

router = APIRouter(include_in_schema=False)

KINDS = ("relax", "forbid", "weight", "reservation")
MAX_CHANGES = 24
"""What-ifs in one request, all kinds together: each distinct set costs seconds of CPU."""
LIMIT = 10
"""Ranked deals shown (as ``guarantor negotiate``)."""
SAMPLES = 1000
"""Draws of the utility ranges for the robustness column (as ``guarantor negotiate``)."""

FIELDS = {
    "relax": N_("Relax red lines"),
    "forbid": N_("Add a red line"),
    "weight": N_("Set a weight"),
    "reservation": N_("Set a reservation value"),
}
"""Form labels of the what-if kinds; also the prefix of their error messages."""

_DRAWING = threading.Lock()
"""Matplotlib's rc parameters are global: one map is drawn at a time."""


@dataclass(frozen=True)
class WhatIfs:
    """The what-ifs of a request, each kind in the order given, blanks and repeats dropped."""

    relax: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    weight: tuple[str, ...] = ()
    reservation: tuple[str, ...] = ()

    @classmethod
    def of(cls, request: Request) -> WhatIfs:
        values = {
            kind: tuple(
                dict.fromkeys(v.strip() for v in request.query_params.getlist(kind) if v.strip())
            )
            for kind in KINDS
        }
        return cls(**values)

    def count(self) -> int:
        return sum(len(getattr(self, kind)) for kind in KINDS)

    def query(self) -> str:
        """The what-ifs as a query string (for links to the map and the exports)."""
        return urlencode([(kind, v) for kind in KINDS for v in getattr(self, kind)])


# --- cached analysis and maps ------------------------------------------------------------


@lru_cache(maxsize=32)
def analysed(scenario: str, what_ifs: WhatIfs) -> NegotiationRun:
    """The scenario's negotiation analysed with ``what_ifs`` (a pure function of both)."""
    if what_ifs.count() > MAX_CHANGES:
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.too_many_items",
                    path=("what-if",),
                    params={"limit": MAX_CHANGES},
                )
            ]
        )
    request = NegotiationRequest(
        scenario=scenario,
        relax=what_ifs.relax,
        forbid=what_ifs.forbid,
        weight=what_ifs.weight,
        reservation=what_ifs.reservation,
        limit=LIMIT,
        samples=SAMPLES,
    )
    # The scenario is named in the request, so no other setting is read.
    return run_negotiation(Settings.model_construct(scenario=scenario), request)


def svg_of(figure: Any, lang: str) -> str:
    """A map as an SVG document, drawn with the fonts :func:`report.maps.save` uses. Glyphs
    are paths: matplotlib has shaped and ordered the Arabic already, and text elements would
    be laid out again by the browser (under ``dir="rtl"`` in the wrong place)."""
    import matplotlib as mpl

    from guarantor.report.plots import fonts

    buffer = io.StringIO()
    with mpl.rc_context({**fonts(lang), "svg.fonttype": "path", "svg.hashsalt": "guarantor"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


@lru_cache(maxsize=4)
def control_svg(scenario: str, lang: str) -> str:
    """The regions coloured by control, as SVG without the XML prologue (for inlining); empty
    when the negotiation names no region data."""
    request = NegotiationRequest(scenario=scenario, samples=0)
    with _DRAWING:
        try:
            figure = map_figure(Settings.model_construct(scenario=scenario), request, None, lang)
        except InvalidInput:
            return ""
        svg = svg_of(figure, lang)
    return svg[svg.index("<svg") :]


@lru_cache(maxsize=16)
def deal_svg(scenario: str, what_ifs: WhatIfs, rank: int, lang: str) -> str:
    """Ranked deal ``rank`` (1-based) of the analysis with ``what_ifs``, as an SVG document."""
    from guarantor.report.maps import deal_map

    run = analysed(scenario, what_ifs)
    deals = run.analysis.deals
    if run.regions is None:
        raise InvalidInput(
            [
                Diagnostic(
                    code="negotiation.no_regions",
                    path=("regions",),
                    params={"value": run.negotiation.id},
                )
            ]
        )
    title = gettext(lang, N_("Deal {rank}: territorial terms")).format(rank=rank)
    with _DRAWING:
        figure = deal_map(
            region_boundaries(run.regions),
            run.regions,
            deals[rank - 1].transfers,
            Labels(lang, load_reference()),
            title=title,
        )
        return svg_of(figure, lang)


# --- view model ----------------------------------------------------------------------------


def _code(labels: Labels) -> Any:
    """The key of a bilingual ``Text`` for the labels' language."""
    return "ar" if labels.lang == "ar" else "en"


def _detail(
    title: str, analysis: Analysis, deal: Deal, names: Names, labels: Labels
) -> dict[str, Any]:
    """One deal issue by issue: the option, and each party's utility (its best in brackets)."""
    rows = [
        {
            "issue": names.issues[issue],
            "option": names.options[(issue, deal.options[issue])],
            "cells": cells,
        }
        for issue, cells in term_cells(deal, labels)
    ]
    overall = overall_cells(deal, labels)
    return {"title": title, "rows": rows, "overall": overall}


def negotiation_view(run: NegotiationRun, labels: Labels) -> dict[str, Any]:
    """What the page shows, in the request's language."""
    analysis = run.analysis
    names = Names(analysis.negotiation, labels)
    base_names = Names(run.negotiation, labels)
    parties = [names.parties[p] for p in analysis.problem.parties]
    summary = labels.t(
        N_(
            "{deals} possible deals ({issues} issues, {parties} parties); "
            "{front} Pareto-optimal deals are acceptable to every party."
        )
    ).format(
        deals=labels.num(analysis.problem.size, 0),
        issues=labels.num(len(analysis.problem.issues), 0),
        parties=labels.num(len(analysis.problem.parties), 0),
        front=labels.num(len(analysis.front.deals), 0),
    )
    deals = [
        {
            "rank": rank,
            "rank_text": labels.num(rank, 0),
            "utility": [labels.num(u, 1) for u in deal.explained.utility],
            "robust": labels.pct(deal.robust) if deal.robust is not None else "–",
            "km2": km2_text(labels, deal),
            "marks": solution_marks(analysis, deal, labels),
        }
        for rank, deal in enumerate(analysis.deals, start=1)
    ]
    details = []
    for rank, deal in enumerate(analysis.deals[:SHOWN_IN_DETAIL], start=1):
        title = labels.t(N_("Deal {rank}, issue by issue (the party's best option in brackets)"))
        details.append(
            {
                **_detail(title.format(rank=labels.num(rank, 0)), analysis, deal, names, labels),
                "rank": rank,
            }
        )
    egal = analysis.egalitarian
    if egal is not None and all(
        egal.options != d.options for d in analysis.deals[:SHOWN_IN_DETAIL]
    ):
        title = labels.t(N_("The egalitarian (max-min) deal, issue by issue"))
        details.append({**_detail(title, analysis, egal, names, labels), "rank": None})
    track_labels = {t.id: t.label.get(_code(labels)) for t in analysis.negotiation.tracks}
    tracks = [
        {
            "label": track_labels.get(view.track, view.track),
            "parties": labels.sep.join(names.parties.get(p, p) for p in view.parties),
            "alone": labels.sep.join(names.issues[i] for i in view.alone) or "–",
            "agree": labels.yes_no(view.agree),
        }
        for view in analysis.tracks.tracks
    ]
    changes = []
    for change in analysis.changes:
        meaning = ""
        if change.kind == "relax":
            meaning = base_names.constraint(Constraint("red_line", change.party, change.target))
        changes.append({"code": change.text(), "meaning": meaning})
    difference = None
    if run.difference is not None and run.base is not None:
        diff = run.difference

        def exists(feasible: bool) -> str:
            return labels.t(N_("exists")) if feasible else labels.t(N_("does not exist"))

        difference = {
            "sentence": labels.t(
                N_(
                    "Before: a deal {before}; after: a deal {after}. It opens {opened} "
                    "Pareto-optimal deals and closes {closed}."
                )
            ).format(
                before=exists(diff.feasible_before),
                after=exists(diff.feasible_after),
                opened=labels.num(len(diff.opened), 0),
                closed=labels.num(len(diff.closed), 0),
            ),
            "feasible": (labels.yes_no(diff.feasible_before), labels.yes_no(diff.feasible_after)),
            "front": (
                labels.num(len(run.base.front.deals), 0),
                labels.num(len(analysis.front.deals), 0),
            ),
            "opened": labels.num(len(diff.opened), 0),
            "closed": labels.num(len(diff.closed), 0),
        }
    return {
        "title": analysis.negotiation.label.get(_code(labels)),
        "summary": summary,
        "feasible": analysis.feasible,
        "parties": parties,
        "deals": deals,
        "ranked_title": labels.t(
            N_(
                "Pareto-optimal deals acceptable to every party, by Nash product "
                "({shown} of {total})"
            )
        ).format(
            shown=labels.num(len(analysis.deals), 0),
            total=labels.num(len(analysis.front.deals), 0),
        ),
        "details": details,
        "blocking": [names.block(members) for members in analysis.blocking],
        "tracks": tracks,
        "shared": [names.issues[i] for i in analysis.tracks.shared],
        "changes": changes,
        "difference": difference,
        "samples": labels.num(analysis.samples, 0),
    }


def form_view(run: NegotiationRun, labels: Labels, what_ifs: WhatIfs) -> dict[str, Any]:
    """The what-if form: the red lines per party (for relax), the codes, the current values."""
    lang = _code(labels)
    negotiation = run.negotiation
    party_labels = {p.id: p.label.get(lang) for p in negotiation.parties}
    red_lines = [
        {
            "party": party_labels.get(position.party, position.party),
            "lines": [
                {
                    "value": f"{position.party}.{line.id}",
                    "label": line.label.get(lang),
                    "selected": f"{position.party}.{line.id}" in what_ifs.relax,
                }
                for line in position.red_lines
            ],
        }
        for position in negotiation.positions
        if position.red_lines
    ]
    return {
        "red_lines": red_lines,
        "size": min(12, sum(len(p["lines"]) + 1 for p in red_lines)),
        "values": {kind: list(getattr(what_ifs, kind)) for kind in KINDS},
        "parties": [(p.id, p.label.get(lang)) for p in negotiation.parties],
        "issues": [
            (i.id, i.label.get(lang), ", ".join(o.id for o in i.options))
            for i in negotiation.issues
        ],
        "fields": FIELDS,
    }


def _messages(exc: InvalidInput, lang: str) -> list[str]:
    """The diagnostics as sentences; a what-if's own name replaces the command line's."""
    out = []
    for d in exc.diagnostics:
        head = d.path[0] if d.path else ""
        kind = head[2:] if isinstance(head, str) and head.startswith("--") else ""
        if kind in FIELDS:
            text = describe(d.model_copy(update={"path": d.path[1:]}), lang)
            out.append(f"{gettext(lang, FIELDS[kind])}: {text}")
        elif head == "what-if":
            text = describe(d.model_copy(update={"path": ()}), lang)
            out.append(f"{gettext(lang, N_('What-if'))}: {text}")
        else:
            out.append(describe(d, lang))
    return out


def _scenario(request: Request) -> str:
    scenario: str = _portal(request).settings.scenario
    return scenario


# --- routes --------------------------------------------------------------------------------


@router.get("/negotiation", response_class=HTMLResponse)
def negotiation_page(request: Request) -> HTMLResponse:
    """The analysis, with the what-ifs of the query; a bad what-if is shown inline (400)."""
    user = _user(request)
    require(can_see_negotiation(user), "negotiation")
    portal = _portal(request)
    scenario = _scenario(request)
    lang = current_lang.get()
    labels = Labels(lang, portal.reference)
    what_ifs = WhatIfs.of(request)
    errors: list[str] = []
    try:
        run = analysed(scenario, what_ifs)
    except InvalidInput as exc:
        errors = _messages(exc, lang)
        run = analysed(scenario, WhatIfs())
    query = "" if errors else what_ifs.query()
    return render(
        request,
        "negotiation.html",
        status=400 if errors else 200,
        view=negotiation_view(run, labels),
        form=form_view(run, labels, what_ifs),
        errors=errors,
        query=query,
        map_svg=control_svg(scenario, lang),
    )


@router.get("/negotiation/deals/{rank}/map.svg")
def deal_map_svg(request: Request, rank: int) -> Response:
    """The map of ranked deal ``rank`` under the query's what-ifs."""
    user = _user(request)
    require(can_see_negotiation(user), "negotiation")
    scenario = _scenario(request)
    lang = current_lang.get()
    what_ifs = WhatIfs.of(request)
    try:
        count = len(analysed(scenario, what_ifs).analysis.deals)
    except InvalidInput as exc:
        return PlainTextResponse("\n".join(_messages(exc, lang)), status_code=400)
    if not 1 <= rank <= count:
        message = describe(
            Diagnostic(code="deal.out_of_range", params={"value": rank, "count": count}), lang
        )
        return render(request, "error.html", status=404, title=N_("Not found"), lines=[message])
    try:
        svg = deal_svg(scenario, what_ifs, rank, lang)
    except InvalidInput as exc:  # the negotiation names no region data
        lines = _messages(exc, lang)
        return render(request, "error.html", status=404, title=N_("Not found"), lines=lines)
    return Response(svg, media_type="image/svg+xml")


def export_error(exc: InvalidInput, lang: str, fmt: str) -> Response:
    """A refused export: the diagnostics as JSON ``errors`` or as plain lines, status 400."""
    messages = _messages(exc, lang)
    if fmt == "json":
        errors = [
            {"code": d.code, "params": d.params, "message": m}
            for d, m in zip(exc.diagnostics, messages, strict=True)
        ]
        return JSONResponse({"errors": errors}, status_code=400)
    return PlainTextResponse("\n".join(messages), status_code=400)


@router.get("/negotiation/export.{fmt}")
def negotiation_export(request: Request, fmt: str) -> Response:
    """The analysis as JSON (everything, sentences in the request's language) or CSV."""
    user = _user(request)
    require(can_see_negotiation(user), "negotiation")
    if fmt not in ("json", "csv"):
        return Response(status_code=404)
    portal = _portal(request)
    scenario = _scenario(request)
    lang = current_lang.get()
    what_ifs = WhatIfs.of(request)
    try:
        run = analysed(scenario, what_ifs)
    except InvalidInput as exc:
        return export_error(exc, lang, fmt)
    portal.accounts.record(
        actor(request, user),
        "export",
        f"negotiation/{run.negotiation.id}",
        format=fmt,
        what_if=[c.text() for c in run.analysis.changes],
    )
    name = run.negotiation.id
    if fmt == "json":
        body = negotiation_dict(run.analysis, run.difference, Labels(lang, portal.reference))
        return Response(
            json.dumps(body, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    return Response(
        negotiation_csv(run.analysis),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
