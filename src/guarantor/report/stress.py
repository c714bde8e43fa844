"""Stress-test results as tables and a chart, in Arabic or English."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from guarantor.i18n import N_
from guarantor.report.tables import Justify, Labels, _table
from guarantor.simulate.stress import StressResult


def _ci(labels: Labels, value: float, low: float, high: float, pct: bool = True) -> str:
    if pct:
        return f"{labels.pct(value)} [{labels.pct(low)}–{labels.pct(high)}]"
    return f"{labels.num(value, 2)} [{labels.num(low, 2)}–{labels.num(high, 2)}]"


def stress_renderables(
    result: StressResult, title: str, threat: str, labels: Labels
) -> RenderableType:
    """Summary and per-guarantor tables."""
    justify: Justify = "right" if labels.lang == "ar" else "left"
    head = Text(justify=justify)
    head.append(f"{title} · {threat}\n", style="bold")
    head.append(
        labels.t(
            N_("Probability the defence holds: {p} (95% interval {low}–{high}), {n} draws")
        ).format(
            p=labels.pct(result.holds.value),
            low=labels.pct(result.holds.low),
            high=labels.pct(result.holds.high),
            n=labels.num(result.draws, 0),
        )
        + "\n"
    )
    head.append(
        labels.t(
            N_(
                "Held because the attack culminated: {a}; held to the horizon: {b}; "
                "broken through: {c}"
            )
        ).format(
            a=labels.pct(result.held_by_culmination),
            b=labels.pct(result.held_to_horizon),
            c=labels.pct(result.broke_through),
        )
        + "\n"
    )
    head.append(
        labels.t(
            N_(
                "Days until the attack culminated or broke through (10th, 50th, 90th "
                "percentile): {p10}, {p50}, {p90}"
            )
        ).format(
            **{k: "-" if math.isnan(v) else labels.num(v, 0) for k, v in result.days_to_end.items()}
        )
    )
    headers = [
        labels.t(N_("Guarantor state")),
        labels.t(N_("Acts")),
        labels.t(N_("Forces committed (brigade equivalents)")),
        labels.t(N_("Contribution to P(holds) (Shapley)")),
    ]
    rows = [
        [
            labels.country(g.country),
            _ci(labels, g.acts.value, g.acts.low, g.acts.high),
            _ci(labels, g.committed.value, g.committed.low, g.committed.high, pct=False),
            _ci(labels, g.shapley.value, g.shapley.low, g.shapley.high),
        ]
        for g in result.guarantors
    ]
    note = labels.t(
        N_(
            "Shapley values: every coalition valued on the same {n} draws; the intervals are "
            "Monte Carlo error."
        )
        if result.shapley_exact
        else N_("Shapley values estimated from sampled orders on {n} draws.")
    )
    return Group(
        head,
        _table(labels, labels.t(N_("Guarantors")), headers, rows, [False, True, True, True]),
        Text(note.format(n=labels.num(result.shapley_draws, 0)), justify=justify),
    )


def stress_plot(result: StressResult, labels: Labels, path: Path) -> Path:
    """Each guarantor's Shapley contribution with its interval, and the outcome shares."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from guarantor.report.plots import fonts

    rtl = labels.lang == "ar"
    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(10, 2.5 + 0.4 * len(result.guarantors)), layout="constrained")
        FigureCanvasAgg(figure)
        first, second = figure.subplots(1, 2, width_ratios=[1, 1.6] if rtl else [1.6, 1])
        bars, outcome = (second, first) if rtl else (first, second)
        rows = list(range(len(result.guarantors)))
        values = [100 * g.shapley.value for g in result.guarantors]
        errors = [
            [100 * (g.shapley.value - g.shapley.low) for g in result.guarantors],
            [100 * (g.shapley.high - g.shapley.value) for g in result.guarantors],
        ]
        bars.barh(
            rows, values, xerr=errors, color=["#3b6ea5" if v >= 0 else "#b23b3b" for v in values]
        )
        bars.axvline(0, color="black", linewidth=0.8)
        bars.set_yticks(rows, [labels.country(g.country) for g in result.guarantors])
        bars.invert_yaxis()
        bars.set_xlabel(labels.t(N_("Contribution to P(holds), percentage points")))
        bars.set_title(labels.t(N_("Who makes the guarantee hold (Shapley)")))
        shares = [
            100 * result.held_by_culmination,
            100 * result.held_to_horizon,
            100 * result.broke_through,
        ]
        names = [
            labels.t(N_("culminated")),
            labels.t(N_("held to the horizon")),
            labels.t(N_("broke through")),
        ]
        outcome.bar(range(3), shares, color=["#3b6ea5", "#9cc3e4", "#b23b3b"])
        outcome.set_xticks(range(3), names)
        outcome.set_ylim(0, 100)
        outcome.set_ylabel("%")
        outcome.set_title(labels.t(N_("Outcomes of the attacks")))
        if rtl:
            bars.invert_xaxis()
            bars.yaxis.tick_right()
            outcome.invert_xaxis()
            outcome.yaxis.tick_right()
        figure.savefig(path, dpi=120)
    return path


def stress_dict(result: StressResult, extra: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready result."""
    from dataclasses import asdict

    return {**asdict(result), **extra}


def tornado_plot(base: float, swings: list[Any], labels: Labels, path: Path) -> Path:
    """The tornado: P(holds) at each input's low and high end, widest swing on top."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from guarantor.report.plots import fonts

    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(9, 1.8 + 0.45 * len(swings)), layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.subplots()
        rows = list(range(len(swings)))
        for row, swing in zip(rows, swings, strict=True):
            ax.barh(
                row,
                100 * (swing.at_low - base),
                left=100 * base,
                color="#e08a2c",
                label=labels.t(N_("input at the low end")) if row == 0 else None,
            )
            ax.barh(
                row,
                100 * (swing.at_high - base),
                left=100 * base,
                color="#3b6ea5",
                label=labels.t(N_("input at the high end")) if row == 0 else None,
            )
        ax.axvline(100 * base, color="black", linewidth=0.8)
        ax.set_yticks(rows, [f"{s.name} [{s.low:g}–{s.high:g}]" for s in swings])
        ax.invert_yaxis()
        ax.set_xlabel(labels.t(N_("Probability the defence holds (%)")))
        ax.set_title(labels.t(N_("Which inputs move the result most")))
        ax.legend(fontsize=8)
        if labels.lang == "ar":
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        figure.savefig(path, dpi=120)
    return path


def tornado_rows(base: float, swings: list[Any], labels: Labels) -> RenderableType:
    """The tornado as a table."""
    headers = [
        labels.t(N_("Input")),
        labels.t(N_("Range")),
        labels.t(N_("At the low end")),
        labels.t(N_("At the high end")),
        labels.t(N_("Swing")),
    ]
    rows = [
        [
            s.name,
            f"{s.low:g}–{s.high:g}",
            labels.pct(s.at_low),
            labels.pct(s.at_high),
            labels.pct(s.width),
        ]
        for s in swings
    ]
    title = labels.t(N_("Sensitivity of P(holds) (base {base})")).format(base=labels.pct(base))
    return _table(labels, title, headers, rows, [False, False, True, True, True])


def sweep_table(rows: list[Any], labels: Labels) -> RenderableType:
    """One line per cell of a sweep: instrument, assumptions, P(holds) with its interval."""
    headers = [
        labels.t(N_("Instrument")),
        labels.t(N_("Assumptions")),
        labels.t(N_("Probability the defence holds (%)")),
        labels.t(N_("Stored")),
    ]
    body = []
    for row in rows:
        holds = row.result["holds"]
        assumed = labels.sep.join(
            f"{labels.assumptions.get(k, k)}: {labels.yes_no(v)}"
            for k, v in sorted(row.assumptions.items())
        )
        body.append(
            [
                row.instrument,
                assumed,
                _ci(labels, holds["value"], holds["low"], holds["high"]),
                labels.yes_no(row.cached),
            ]
        )
    return _table(labels, labels.t(N_("Sweep")), headers, body, [False, False, True, False])
