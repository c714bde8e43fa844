"""Enforceable deals side by side: the rows of the comparison, the map of a deal's line, the
coverage gap chart, and the bilingual PDF brief."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba

from guarantor.config import Settings
from guarantor.enforce.outcome import DealsReport
from guarantor.model.diagnostics import InvalidInput
from guarantor.negotiate.whatif import parse_change
from guarantor.report.deal_brief import (
    MAX_COMPARED,
    compare_groups,
    deal_brief_html,
    deal_brief_pdf,
    deal_title,
    gap_chart,
    line_figure,
    provenance,
    rank_of,
    shapley_table,
)
from guarantor.report.maps import HOLDING_COLOURS, LINE_COLOURS
from guarantor.report.tables import Labels
from guarantor.scenario import load_reference
from guarantor.services.deals import DealsRequest, find_deals

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> DealsReport:
    """The deals with Ukraine's Donetsk and Luhansk red lines relaxed (few draws)."""
    path: Path = tmp_path_factory.mktemp("deal-brief") / "deals.db"
    settings = Settings(db_url=f"sqlite:///{path}", user="tester")
    request = DealsRequest(
        changes=(parse_change("relax", "UKR.donetsk"), parse_change("relax", "UKR.luhansk")),
        draws=300,
        shapley_draws=50,
        workers=1,
        limit=4,
    )
    found = find_deals(settings, request)
    assert len(found.deals) == 4
    return found


@pytest.fixture(scope="module")
def en() -> Labels:
    return Labels("en", load_reference())


@pytest.fixture(scope="module")
def ar() -> Labels:
    return Labels("ar", load_reference())


def test_compare_groups(report: DealsReport, en: Labels) -> None:
    views = [report.deals[0], report.deals[2]]
    groups = compare_groups(report, views, en)
    assert [g.title for g in groups] == ["Terms", "Utility of each party (0–100)", "Enforcement"]
    terms, utilities, force = groups
    assert len(terms.rows) == len(report.problem.issues)
    assert len(utilities.rows) == len(report.problem.parties)
    assert all(len(row.cells) == 2 for g in groups for row in g.rows)
    # Two distinct deals differ on at least one issue; a deal never differs from itself.
    assert any(row.differs for row in terms.rows)
    same = compare_groups(report, [report.deals[0], report.deals[0]], en)
    assert not any(row.differs for g in same for row in g.rows)
    labels = [row.label for row in force.rows]
    assert labels[0] == "Line (km)" and labels[-1] == "P(holds) [95% interval]"
    assert all(row.numeric for row in utilities.rows)
    assert deal_title(report, views[1], en) == "Deal 3"
    assert rank_of(report, views[1]) == 3
    assert deal_title(report, report.deals[0], en).endswith("★") == (
        report.nash is not None and report.nash.options == report.deals[0].options
    )


def test_shapley_and_provenance(report: DealsReport, en: Labels) -> None:
    views = list(report.deals[:2])
    rows = shapley_table(views, en)
    assert rows, "Shapley values were asked for"
    guarantors = {g.country for g in views[0].case.instrument.guarantors}
    assert {r.country for r in rows} <= {en.country(c) for c in guarantors}
    assert all(len(r.cells) == 2 for r in rows)
    assert all(cell is None or cell[1].endswith("%") for r in rows for cell in r.cells)
    lines = {row.label: row.cells[0] for row in provenance(report, views, en)}
    assert lines["Seed"] == str(report.seed)
    assert lines["Stress-test draws per deal"] == "300"
    assert lines["Inputs hash"] == report.run["inputs_hash"]
    assert lines["Code version"] == report.run["code_version"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_line_map(report: DealsReport, lang: str) -> None:
    """Every region coloured by who holds it after the deal, the line's boundary parts and
    borders drawn as lines."""
    labels = Labels(lang, load_reference())
    deal = report.deals[0]
    figure = line_figure(report, deal, labels)
    ax = figure.axes[0]
    regions = {c.get_gid(): c for c in ax.collections if isinstance(c, PatchCollection)}
    assert len(regions) == 27
    held = deal.case.line.holdings
    for code, collection in regions.items():
        holding = held.get(code, "protected")
        expected = to_rgba(HOLDING_COLOURS[holding])
        assert tuple(collection.get_facecolor()[0]) == pytest.approx(expected), code
    lines = {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}
    kinds = {p.kind for p in deal.case.line.parts}
    for kind in ("boundary", "border"):
        if kind in kinds:
            collection = lines[f"line-{kind}"]
            assert len(collection.get_segments()) > 0, kind
            assert tuple(collection.get_color()[0]) == pytest.approx(to_rgba(LINE_COLOURS[kind]))
    assert labels.num(deal.case.line.km, 0) in figure.get_suptitle()


def test_gap_chart(report: DealsReport, en: Labels, ar: Labels) -> None:
    deal = report.deals[0]
    coverage = deal.case.assessment.coverage
    figure = gap_chart(report, deal, en)
    ax = figure.axes[0]
    assert len(ax.patches) == 2 * len(coverage)  # required and offered, per item
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert len(names) == len(coverage) and all(names)
    assert not ax.xaxis_inverted()
    mirrored = gap_chart(report, deal, ar).axes[0]
    assert mirrored.xaxis_inverted()  # bars grow leftwards in Arabic


def test_brief_html_in_both_languages(report: DealsReport, en: Labels, ar: Labels) -> None:
    views = list(report.deals[:2])
    html = deal_brief_html(report, views, en, what_if=["relax UKR.donetsk"])
    english = html.index('<section class="part" lang="en" dir="ltr">')
    arabic = html.index('<section class="part" lang="ar" dir="rtl">')
    assert english < arabic
    assert html.count('<img src="data:image/png;base64,') == 2 * 2 * len(views)
    assert "NotoSansArabic-Regular.ttf" in html
    assert "relax UKR.donetsk" in html and report.run["inputs_hash"] in html
    # In Arabic first when asked in Arabic; numbers kept left to right there.
    first = deal_brief_html(report, views, ar)
    assert first.index('lang="ar"') < first.index('lang="en" dir="ltr"')
    assert "\u2066" in first


def test_brief_pdf(report: DealsReport, en: Labels) -> None:
    pdf = deal_brief_pdf(report, list(report.deals[:2]), en)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 100_000
    with pytest.raises(InvalidInput) as refused:
        deal_brief_pdf(report, [report.deals[0]] * (MAX_COMPARED + 1), en)
    assert refused.value.diagnostics[0].code == "value.out_of_range"
    with pytest.raises(InvalidInput):
        deal_brief_html(report, [], en)
