"""Enforceable deals side by side, for a mediator: the rows of the comparison (shared by the
web page and the brief), each deal's line on a map and its coverage gap chart, and a PDF
brief in both languages (WeasyPrint), the Arabic part set right to left.

As in :mod:`guarantor.report.brief`, the Arabic font is the Noto Sans Arabic the package
ships (``data/fonts``), declared with ``@font-face`` so the PDF does not depend on the fonts
of the machine. The figures are drawn with matplotlib, whose rc parameters are global: a
multi-threaded caller draws one at a time.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from guarantor.enforce.outcome import DealsReport, DealView
from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.territory import RegionSet
from guarantor.report.deal_plots import gap_figure
from guarantor.report.deals import (
    force_text,
    hold_text,
    line_text,
    payers_text,
    posture_label,
    shapley_rows,
)
from guarantor.report.maps import line_map
from guarantor.report.negotiation import Names
from guarantor.report.tables import Labels
from guarantor.scenario import load_regions, region_boundaries

MAX_COMPARED = 4
"""Deals set side by side at most (as ``guarantor deals --compare``)."""


@dataclass(frozen=True)
class Row:
    """One row of the comparison: its label, one cell per deal, and whether the deals
    differ there."""

    label: str
    cells: list[str]
    differs: bool = False
    numeric: bool = False
    """Numbers (with ranges): set left to right, also in Arabic."""


@dataclass(frozen=True)
class Group:
    """Rows under one heading."""

    title: str
    rows: list[Row] = field(default_factory=list)


def rank_of(report: DealsReport, view: DealView) -> int:
    """The 1-based rank of a deal among the report's deals (0 if it is not one of them)."""
    for rank, deal in enumerate(report.deals, start=1):
        if deal.options == view.options:
            return rank
    return 0


def deal_title(report: DealsReport, view: DealView, labels: Labels) -> str:
    """ "Deal 2", with a star for the Nash solution."""
    title = labels.t(N_("Deal {rank}")).format(rank=labels.num(rank_of(report, view), 0))
    nash = report.nash is not None and view.options == report.nash.options
    return f"{title} ★" if nash else title


def _row(label: str, cells: list[str], numeric: bool = False) -> Row:
    return Row(label, cells, differs=len(set(cells)) > 1, numeric=numeric)


def compare_groups(report: DealsReport, views: Sequence[DealView], labels: Labels) -> list[Group]:
    """The deals side by side: their terms, each party's utility, the line and the force it
    needs, the cost and who pays it, and P(holds)."""
    names = Names(report.negotiation, labels)
    terms = Group(labels.t(N_("Terms")))
    for issue in report.problem.issues:
        terms.rows.append(
            _row(names.issues[issue], [names.options[(issue, v.options[issue])] for v in views])
        )
    utilities = Group(labels.t(N_("Utility of each party (0–100)")))
    for k, party in enumerate(report.problem.parties):
        utilities.rows.append(
            _row(names.parties[party], [labels.num(v.utilities[k], 1) for v in views], True)
        )
    force = Group(labels.t(N_("Enforcement")))
    force.rows.extend(
        [
            _row(labels.t(N_("Line (km)")), [line_text(labels, v) for v in views], True),
            _row(
                labels.t(N_("Posture")),
                [posture_label(report, v.case.posture, labels) for v in views],
            ),
            _row(
                labels.t(N_("Units offered / required")),
                [force_text(labels, v) for v in views],
                True,
            ),
            _row(
                labels.t(N_("Yearly cost (US$ m)")),
                [labels.num(v.case.assessment.yearly_cost_usd_m, 0) for v in views],
                True,
            ),
            _row(labels.t(N_("Largest payers")), [payers_text(labels, v) for v in views]),
            _row(
                labels.t(N_("P(holds) [95% interval]")), [hold_text(labels, v) for v in views], True
            ),
        ]
    )
    return [terms, utilities, force]


@dataclass(frozen=True)
class ShapleyRow:
    """A guarantor: per deal, its Shapley contribution to P(holds) and its cost share
    (``None``: not a guarantor of that deal, or no Shapley values computed)."""

    country: str
    cells: list[tuple[str, str] | None]


def shapley_table(views: Sequence[DealView], labels: Labels) -> list[ShapleyRow]:
    """Each guarantor's Shapley contribution to P(holds) against its share of the yearly
    cost, deal by deal; empty when no deal has Shapley values."""
    per_view = [{c: (s, share) for c, s, share in shapley_rows(v)} for v in views]
    countries = sorted({c for found in per_view for c in found})
    out = []
    for country in countries:
        cells: list[tuple[str, str] | None] = []
        for found in per_view:
            if country in found:
                s, share = found[country]
                cells.append((labels.pct(s), labels.pct(share)))
            else:
                cells.append(None)
        out.append(ShapleyRow(labels.country(country), cells))
    return out


def provenance(report: DealsReport, views: Sequence[DealView], labels: Labels) -> list[Row]:
    """What reproduces the figures: seed, draws, threshold, inputs hash, code version."""
    run = report.run
    draws = sorted({int(v.result.get("draws") or 0) for v in views})
    return [
        Row(labels.t(N_("Seed")), [str(run.get("seed", report.seed))]),
        Row(
            labels.t(N_("Stress-test draws per deal")),
            [labels.sep.join(labels.num(d, 0) for d in draws) or "–"],
        ),
        Row(labels.t(N_("Least P(holds) for a deal to count")), [labels.pct(report.min_hold)]),
        Row(labels.t(N_("Inputs hash")), [str(run.get("inputs_hash", ""))]),
        Row(labels.t(N_("Code version")), [str(run.get("code_version", ""))]),
        Row(labels.t(N_("Run at")), [str(run.get("created_at", ""))]),
    ]


@lru_cache(maxsize=4)
def _regions(name: str) -> tuple[RegionSet, dict[str, Any]]:
    regions = load_regions(name)
    return regions, region_boundaries(regions)


def line_figure(report: DealsReport, view: DealView, labels: Labels) -> Figure:
    """The deal's line on the map, regions coloured by who holds them after the deal."""
    regions, boundaries = _regions(report.negotiation.regions or "")
    title = labels.t(N_("{deal}: the line it leaves ({km} km)")).format(
        deal=deal_title(report, view, labels), km=labels.num(view.case.line.km, 0)
    )
    return line_map(boundaries, regions, view.case.line, labels, title=title)


def gap_chart(report: DealsReport, view: DealView, labels: Labels) -> Figure:
    """The deal's units required against units offered, per requirement item."""
    title = labels.t(N_("{deal}: units required and offered")).format(
        deal=deal_title(report, view, labels)
    )
    return gap_figure(view.case, labels, title=title)


# --- the PDF brief ---------------------------------------------------------------------------


def _png(figure: Figure, lang: str, dpi: int = 110) -> str:
    import matplotlib as mpl

    from guarantor.report.plots import fonts

    buffer = io.BytesIO()
    with mpl.rc_context(fonts(lang)):
        figure.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _part(
    report: DealsReport, views: Sequence[DealView], labels: Labels, what_if: Sequence[str]
) -> dict[str, Any]:
    t = labels.t
    rtl = labels.lang == "ar"
    code = "ar" if rtl else "en"
    return {
        "lang": labels.lang,
        "dir": "rtl" if rtl else "ltr",
        # Numbers, ranges and codes as left-to-right islands in Arabic: WeasyPrint ignores
        # ``unicode-bidi``, so the isolates are written into the text.
        "lri": "\u2066" if rtl else "",
        "pdi": "\u2069" if rtl else "",
        "title": t(N_("Enforceable deals side by side")),
        "negotiation": report.negotiation.label.get(code),
        "enforcement": report.enforcement.label.get(code),
        "lead": t(
            N_(
                "Deals every party accepts that the offered forces hold with P ≥ {threshold}"
                " in the stress test. ★: the Nash solution."
            )
        ).format(threshold=labels.pct(report.min_hold)),
        "what_if_title": t(N_("What-ifs applied")),
        "what_if": list(what_if),
        "headers": [deal_title(report, v, labels) for v in views],
        "groups": compare_groups(report, views, labels),
        "maps_title": t(N_("The line each deal leaves")),
        "maps": [_png(line_figure(report, v, labels), labels.lang, dpi=90) for v in views],
        "gaps_title": t(N_("Coverage gap: units required and offered")),
        "gaps": [_png(gap_chart(report, v, labels), labels.lang) for v in views],
        "shapley_title": t(N_("Shapley contribution to P(holds) against cost share")),
        "shapley_help": t(
            N_(
                "Shapley: how much each guarantor adds to P(holds), averaged over the orders in"
                " which the guarantors could join; cost share: its share of the yearly cost."
            )
        ),
        "shapley_word": t(N_("Shapley")),
        "share_word": t(N_("Cost share")),
        "guarantor_word": t(N_("Guarantor")),
        "no_shapley": t(N_("No Shapley values were computed for these deals.")),
        "shapley": shapley_table(views, labels),
        "provenance_title": t(N_("Provenance")),
        "provenance": provenance(report, views, labels),
    }


def deal_brief_html(
    report: DealsReport,
    views: Sequence[DealView],
    labels: Labels,
    *,
    what_if: Sequence[str] = (),
) -> str:
    """The brief as HTML: the language of ``labels`` first, then the other one."""
    if not 1 <= len(views) <= MAX_COMPARED:
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.out_of_range",
                    path=("deals",),
                    params={"value": len(views), "low": 1, "high": MAX_COMPARED},
                )
            ]
        )
    env = Environment(
        loader=PackageLoader("guarantor.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    font = resources.files("guarantor") / "data" / "fonts" / "NotoSansArabic-Regular.ttf"
    with resources.as_file(font) as path:
        font_url = path.as_uri()
    langs = ("ar", "en") if labels.lang == "ar" else ("en", "ar")
    return env.get_template("deal_brief.html").render(
        parts=[_part(report, views, Labels(lang, labels.reference), what_if) for lang in langs],
        run=report.run,
        font_url=font_url,
        footer=gettext("en", N_("Generated by Guarantor")),
    )


def deal_brief_pdf(
    report: DealsReport,
    views: Sequence[DealView],
    labels: Labels,
    *,
    what_if: Sequence[str] = (),
) -> bytes:
    """The brief as PDF bytes: up to four deals of ``report`` side by side, in both
    languages (``labels`` gives the first one and the reference data), with the maps, the
    gap charts, P(holds), Shapley against cost share and the run's provenance."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=deal_brief_html(report, views, labels, what_if=what_if)).write_pdf()
    return pdf
