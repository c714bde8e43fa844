"""Coverage and readiness charts (matplotlib, object API, no global pyplot state).

Arabic labels are passed as raw Unicode: matplotlib 3.11+ shapes and orders them itself
(see ``shared/reference/environment.md``); reshaping them again would garble them. In Arabic
the bar chart is mirrored (bars grow leftwards, labels on the right).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from guarantor.i18n import N_
from guarantor.model.assessment import Assessment
from guarantor.report.tables import Labels

ARABIC_FONTS = ["Noto Sans Arabic", "Noto Naskh Arabic", "Amiri"]


def fonts(lang: str) -> Any:
    """A per-glyph fallback list: Debian's Arabic fonts have no Latin letters and DejaVu
    has no Arabic, so each text needs both, in the order of the language shown."""
    latin = ["DejaVu Sans"]
    arabic = [name for name in ARABIC_FONTS if name in installed_fonts()]
    return {"font.family": arabic + latin if lang == "ar" else latin + arabic}


@lru_cache(maxsize=1)
def installed_fonts() -> set[str]:
    """Font families matplotlib can find, after adding the Arabic font the package ships
    (Noto Sans Arabic, OFL; see data/fonts/OFL.txt) so charts need nothing from the OS."""
    from matplotlib import font_manager

    shipped = resources.files("guarantor") / "data" / "fonts" / "NotoSansArabic-Regular.ttf"
    with resources.as_file(shipped) as path:
        font_manager.fontManager.addfont(str(path))
    return {entry.name for entry in font_manager.fontManager.ttflist}


def has_arabic_font() -> bool:
    """Whether an Arabic font is installed (Debian: fonts-noto-core or fonts-hosny-amiri)."""
    return bool(set(ARABIC_FONTS) & installed_fonts())


def _draw_coverage(ax: Axes, a: Assessment, labels: Labels, *, names_shown: bool) -> None:
    rtl = labels.lang == "ar"
    names = [labels.item(c.item) for c in a.coverage]
    at_once = [100 * min(c.offered / c.required, 1.5) if c.required else 0 for c in a.coverage]
    sustained = [100 * min(c.sustained / c.required, 1.5) if c.required else 0 for c in a.coverage]
    rows = list(range(len(names)))
    ax.barh(
        [r - 0.2 for r in rows],
        at_once,
        height=0.4,
        color="#3b6ea5",
        label=labels.t(N_("Offered at once")),
    )
    ax.barh(
        [r + 0.2 for r in rows],
        sustained,
        height=0.4,
        color="#9cc3e4",
        label=labels.t(N_("Sustained over the horizon")),
    )
    ax.axvline(100, color="#b23b3b", linewidth=1.2, linestyle="--")
    ax.set_yticks(rows, names if names_shown else [])
    ax.invert_yaxis()
    ax.set_xlim(0, 150)
    ax.set_xlabel(labels.t(N_("Share of the requirement (%)")))
    ax.set_title(labels.t(N_("Coverage per requirement line")))
    ax.legend(loc="lower right" if not rtl else "lower left", fontsize=8)
    if rtl:
        # Mirror: bars grow leftwards, names on the right.
        ax.invert_xaxis()
        ax.yaxis.tick_right()


def _draw_readiness(ax: Axes, a: Assessment, labels: Labels, *, names_shown: bool) -> None:
    # A grid (line x day) annotated "in place/required": nine overlapping step lines are
    # unreadable, a table-like heat map is not. Days run right to left in Arabic.
    rtl = labels.lang == "ar"
    days = [p.day for p in a.readiness]
    grid = [
        [min(p.units.get(c.item, 0) / c.required, 1.0) if c.required else 1.0 for p in a.readiness]
        for c in a.coverage
    ]
    columns = list(range(len(days)))
    if rtl:
        columns.reverse()
    ax.imshow(
        [[row[i] for i in columns] for row in grid], cmap="Blues", vmin=0, vmax=1, aspect="auto"
    )
    for r, c in enumerate(a.coverage):
        for x, i in enumerate(columns):
            ax.text(
                x,
                r,
                f"{a.readiness[i].units.get(c.item, 0)}/{c.required:g}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if grid[r][i] > 0.6 else "black",
            )
    ax.set_xticks(range(len(days)), [str(days[i]) for i in columns])
    ax.set_yticks(
        range(len(a.coverage)), [labels.item(c.item) for c in a.coverage] if names_shown else []
    )
    if rtl:
        ax.yaxis.tick_right()
    ax.set_xlabel(labels.t(N_("Days after the decision to deploy")))
    ax.set_title(
        labels.t(N_("Readiness: units in place by day (in place / required)")), fontsize=10
    )


def _draw_burden(ax: Axes, a: Assessment, labels: Labels) -> None:
    rtl = labels.lang == "ar"
    rows = list(range(len(a.burden)))
    series = [
        ([100 * b.personnel_share for b in a.burden], "#3b6ea5", N_("Personnel share")),
        ([100 * b.cost_share for b in a.burden], "#e08a2c", N_("Cost share")),
        ([100 * (b.gdp_share or 0) for b in a.burden], "#7f7f7f", N_("GDP share")),
    ]
    for offset, (values, colour, name) in zip((-0.27, 0, 0.27), series, strict=True):
        ax.barh([r + offset for r in rows], values, height=0.26, color=colour, label=labels.t(name))
    ax.set_yticks(rows, [labels.country(b.country) for b in a.burden])
    ax.invert_yaxis()
    ax.set_xlabel(labels.t(N_("Share of the coalition (%)")))
    ax.set_title(labels.t(N_("Burden sharing")))
    ax.legend(fontsize=8, loc="lower right" if not rtl else "lower left")
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()


def coverage_figure(a: Assessment, labels: Labels) -> Figure:
    """Two panels: coverage per requirement line, and the readiness grid."""
    import matplotlib as mpl

    rtl = labels.lang == "ar"
    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(11, 4.2 + 0.35 * len(a.coverage)), layout="constrained")
        FigureCanvasAgg(figure)
        # Right to left in Arabic: the bar chart (with the line names) on the right.
        first, second = figure.subplots(1, 2, width_ratios=[1, 1.4] if rtl else [1.4, 1])
        left, right = (second, first) if rtl else (first, second)
        _draw_coverage(left, a, labels, names_shown=True)
        _draw_readiness(right, a, labels, names_shown=False)
    return figure


def single_figure(kind: str, a: Assessment, labels: Labels) -> Figure:
    """One chart (``coverage``, ``readiness`` or ``burden``), to sit beside its table."""
    import matplotlib as mpl

    rows = len(a.burden) if kind == "burden" else len(a.coverage)
    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(7, 2.2 + 0.38 * rows), layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.subplots()
        if kind == "coverage":
            _draw_coverage(ax, a, labels, names_shown=True)
        elif kind == "readiness":
            _draw_readiness(ax, a, labels, names_shown=True)
        else:
            _draw_burden(ax, a, labels)
    return figure


def write_coverage_plot(a: Assessment, labels: Labels, path: Path) -> Path:
    """Render the coverage and readiness charts to ``path`` (PNG, SVG or PDF by suffix)."""
    import matplotlib as mpl

    figure = coverage_figure(a, labels)
    with mpl.rc_context(fonts(labels.lang)):
        figure.savefig(path, dpi=130)
    return path
