"""Charts of an enforceable deal (matplotlib, object API, no global pyplot state): the
coverage gap, units required against units offered per requirement item.

As in :mod:`guarantor.report.plots`, Arabic is passed as raw Unicode (matplotlib shapes it)
and the bar chart is mirrored in Arabic: bars grow leftwards, the item names on the right.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from guarantor.enforce.chain import Case
from guarantor.i18n import N_
from guarantor.report.plots import fonts
from guarantor.report.tables import Labels

REQUIRED_COLOUR = "#d9d9d9"
OFFERED_COLOUR = "#3b6ea5"
GAP_COLOUR = "#b23b3b"


def _item_names(case: Case, lang: str) -> dict[str, str]:
    code = "ar" if lang == "ar" else "en"
    return {i.id: i.label.get(code) for i in case.requirement.items}


def gap_figure(case: Case, labels: Labels, *, title: str | None = None) -> Figure:
    """Per requirement item of the deal: the units required (grey), the units offered that
    count under the deal (blue, inside), and the gap written in red beside the bar."""
    import matplotlib as mpl

    rtl = labels.lang == "ar"
    coverage = case.assessment.coverage
    names = _item_names(case, labels.lang)
    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(7, 1.6 + 0.42 * max(len(coverage), 1)), layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.subplots()
        ax.set_title(title or labels.t(N_("Units required and offered")), fontsize=11)
        if not coverage:
            ax.text(
                0.5,
                0.5,
                labels.t(N_("The deal requires no units.")),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
            return figure
        rows = list(range(len(coverage)))
        required = [float(c.required) for c in coverage]
        offered = [float(c.offered) for c in coverage]
        ax.barh(
            rows,
            required,
            height=0.7,
            color=REQUIRED_COLOUR,
            edgecolor="#7f7f7f",
            linewidth=0.6,
            label=labels.t(N_("Required")),
        )
        ax.barh(rows, offered, height=0.38, color=OFFERED_COLOUR, label=labels.t(N_("Offered")))
        top = max([*required, *offered, 1.0])
        for row, c in zip(rows, coverage, strict=True):
            end = max(float(c.required), float(c.offered))
            if c.gap > 0:
                text = labels.t(N_("short {gap}")).format(gap=labels.num(c.gap, 0))
                colour = GAP_COLOUR
            else:
                text = f"{labels.num(c.offered, 0)}/{labels.num(c.required, 0)}"
                colour = "#1a1a1a"
            ax.text(
                end + 0.015 * top,
                row,
                text,
                va="center",
                ha="right" if rtl else "left",
                fontsize=8,
                color=colour,
            )
        ax.set_yticks(rows, [names.get(c.item, c.item) for c in coverage])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.25)
        ax.set_xlabel(labels.t(N_("Units")))
        ax.legend(loc="lower right" if not rtl else "lower left", fontsize=8)
        ax.spines[["top", "left" if rtl else "right"]].set_visible(False)
        if rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
    return figure
