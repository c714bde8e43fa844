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


def coverage_figure(a: Assessment, labels: Labels) -> Figure:
    """Two panels: coverage per requirement line, and the readiness curve."""
    rtl = labels.lang == "ar"
    import matplotlib as mpl

    with mpl.rc_context(fonts(labels.lang)):
        figure = Figure(figsize=(11, 4.2 + 0.35 * len(a.coverage)), layout="constrained")
        FigureCanvasAgg(figure)
        # Right to left in Arabic: the bar chart (with the line names) on the right.
        first, second = figure.subplots(1, 2, width_ratios=[1, 1.4] if rtl else [1.4, 1])
        left, right = (second, first) if rtl else (first, second)
        names = [labels.item(c.item) for c in a.coverage]
        at_once = [100 * min(c.offered / c.required, 1.5) if c.required else 0 for c in a.coverage]
        sustained = [
            100 * min(c.sustained / c.required, 1.5) if c.required else 0 for c in a.coverage
        ]
        rows = list(range(len(names)))
        left.barh(
            [r - 0.2 for r in rows],
            at_once,
            height=0.4,
            color="#3b6ea5",
            label=labels.t(N_("Offered at once")),
        )
        left.barh(
            [r + 0.2 for r in rows],
            sustained,
            height=0.4,
            color="#9cc3e4",
            label=labels.t(N_("Sustained over the horizon")),
        )
        left.axvline(100, color="#b23b3b", linewidth=1.2, linestyle="--")
        left.set_yticks(rows, names)
        left.invert_yaxis()
        left.set_xlim(0, 150)
        left.set_xlabel(labels.t(N_("Share of the requirement (%)")))
        left.set_title(labels.t(N_("Coverage per requirement line")))
        left.legend(loc="lower right" if not rtl else "lower left", fontsize=8)
        if rtl:
            # Mirror: bars grow leftwards, names on the right, the grid on the left.
            left.invert_xaxis()
            left.yaxis.tick_right()

        # Readiness as a grid (line x day) annotated "in place/required": nine overlapping
        # step lines are unreadable, a table-like heat map is not.
        days = [p.day for p in a.readiness]
        grid = [
            [
                min(p.units.get(c.item, 0) / c.required, 1.0) if c.required else 1.0
                for p in a.readiness
            ]
            for c in a.coverage
        ]
        columns = list(range(len(days)))
        if rtl:
            columns.reverse()
        shown = [[row[i] for i in columns] for row in grid]
        right.imshow(shown, cmap="Blues", vmin=0, vmax=1, aspect="auto")
        for r, c in enumerate(a.coverage):
            for x, i in enumerate(columns):
                point = a.readiness[i]
                right.text(
                    x,
                    r,
                    f"{point.units.get(c.item, 0)}/{c.required:g}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if grid[r][i] > 0.6 else "black",
                )
        right.set_xticks(range(len(days)), [str(days[i]) for i in columns])
        right.set_yticks(rows, [])
        right.set_xlabel(labels.t(N_("Days after the decision to deploy")))
        right.set_title(
            labels.t(N_("Readiness: units in place by day (in place / required)")), fontsize=10
        )
    return figure


def write_coverage_plot(a: Assessment, labels: Labels, path: Path) -> Path:
    """Render the coverage and readiness charts to ``path`` (PNG, SVG or PDF by suffix)."""
    import matplotlib as mpl

    figure = coverage_figure(a, labels)
    with mpl.rc_context(fonts(labels.lang)):
        figure.savefig(path, dpi=130)
    return path
