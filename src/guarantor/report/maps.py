"""Maps of a state's regions: who controls how much of each, and what a deal does with each.

Pure matplotlib (object API, no pyplot state, no shapely): each region of the GeoJSON is one
:class:`~matplotlib.collections.PatchCollection` (its ``gid`` is the ISO 3166-2 code, so the
SVG names it), built from every ring of its Polygon or MultiPolygon, holes included. The map
is plain lon/lat with the aspect ``1/cos(mean latitude)``, so the country keeps its shape at
its own latitude without a projection library.

Arabic is passed as raw Unicode (matplotlib 3.11+ shapes it; see :mod:`guarantor.report.plots`).
In Arabic the colour bar sits on the left, legends and captions are aligned right, with the
swatch on the right of its entry; the map itself is geography and is never mirrored.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import Colormap, ListedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from guarantor.enforce.line import Line
from guarantor.i18n import N_
from guarantor.model.territory import Region, RegionSet
from guarantor.negotiate.territory import Transfer
from guarantor.report.plots import fonts
from guarantor.report.tables import Labels

FIGSIZE = (12.0, 8.0)
DPI = 100
"""12 x 8 inches at 100 dpi: a 1200 x 800 px PNG, the size the maps are laid out for."""

EDGE = "#4d4d4d"
STATE_GREY = "#d4d4d4"
"""A region in the set with no control record: the state holds all of it."""
NO_DATA_GREY = "#f0f0f0"
"""A region the set does not describe, or whose share is unknown: drawn hatched."""
NO_DATA_HATCH = "///"
NO_DATA_HATCH_COLOUR = "#a6a6a6"
UNTOUCHED_GREY = "#e3e3e3"

TERMS: dict[str, str] = {
    "status_quo": N_("Line of contact recognised"),
    "freeze": N_("Frozen on the line, not recognised"),
    "cede_rest": N_("Rest of the region ceded"),
    "return_all": N_("Occupied part returned"),
    "mutual_withdrawal": N_("Mutual withdrawal from the line"),
}
"""Legend names of the territorial terms (``TerritorialTerm``), in that order."""
TERM_COLOURS: dict[str, str] = {
    "status_quo": "#e6a15c",
    "freeze": "#8fb8de",
    "cede_rest": "#b2182b",
    "return_all": "#3a8f4e",
    "mutual_withdrawal": "#a48ccf",
}

_SMALL = 0.3
"""Regions smaller than this (square degrees, latitude-corrected: about 3,700 km²) are
labelled through a call-out: Kyiv city, Sevastopol."""

_SHORT = [
    (re.compile(r"^Autonomous Republic of (.+)$", re.IGNORECASE), r"\1"),
    (re.compile(r"^Republic of (.+)$", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*\b(oblast|region|province)\b\s*", re.IGNORECASE), " "),
    (re.compile(r"^جمهورية (.+) ذاتية الحكم$"), r"\1"),
    (re.compile(r"\s*(أوبلاست|مقاطعة|محافظة|إقليم)\s*"), " "),
]

_LANGS: WeakKeyDictionary[Figure, str] = WeakKeyDictionary()
"""The language each map was drawn in, so :func:`save` renders it with the same fonts."""

Polygon = list[np.ndarray]
"""One polygon: its exterior ring, then its holes, each an (n, 2) array of lon/lat."""


# --- geometry -------------------------------------------------------------------------------


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon or MultiPolygon (other types draw nothing)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        parts = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        parts = geometry["coordinates"]
    elif kind == "GeometryCollection":
        return [p for g in geometry.get("geometries", []) for p in _polygons(g)]
    else:
        return []
    out = []
    for part in parts:
        rings = [np.asarray(ring, dtype=float)[:, :2] for ring in part if len(ring) >= 3]
        if rings:
            out.append(rings)
    return out


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _path(polygons: Sequence[Polygon]) -> MplPath:
    """One compound path: exteriors counter-clockwise, holes clockwise, so the non-zero fill
    rule (Agg, SVG, PDF) leaves the holes open whatever order the file wrote them in."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            points = ring[:-1] if np.array_equal(ring[0], ring[-1]) else ring
            if (_signed_area(points) > 0) != (i == 0):
                points = points[::-1]
            vertices.append(np.vstack([points, points[:1]]))
            ring_codes = np.full(len(points) + 1, MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.vstack(vertices), np.concatenate(codes))


def _segment_distances(points: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Distance from each point to the nearest edge of any ring."""
    starts = np.vstack([r for r in rings])
    ends = np.vstack([np.roll(r, -1, axis=0) for r in rings])
    edge = ends - starts
    length2 = np.maximum((edge**2).sum(axis=1), 1e-18)
    rel = points[:, None, :] - starts[None, :, :]
    t = np.clip((rel * edge[None]).sum(axis=2) / length2[None], 0.0, 1.0)
    nearest = starts[None] + t[..., None] * edge[None]
    distance: np.ndarray = np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
    return distance


def _inside(points: np.ndarray, polygon: Polygon) -> np.ndarray:
    inside = MplPath(polygon[0]).contains_points(points)
    for hole in polygon[1:]:
        inside &= ~MplPath(hole).contains_points(points)
    return inside


def _label_point(polygons: Sequence[Polygon], kx: float) -> tuple[float, float, float]:
    """Where to write on a region: the point of its largest part farthest from any edge
    (a grid search for the pole of inaccessibility, in latitude-corrected units). Returns
    lon, lat and the part's latitude-corrected area in square degrees."""
    scaled = [[ring * (kx, 1.0) for ring in polygon] for polygon in polygons]
    areas = [abs(_signed_area(p[0])) - sum(abs(_signed_area(h)) for h in p[1:]) for p in scaled]
    best = int(np.argmax(areas))
    polygon = scaled[best]
    low, high = polygon[0].min(axis=0), polygon[0].max(axis=0)
    centre, half = (low + high) / 2, (high - low) / 2
    point, score = centre, -1.0
    # A 21 x 21 grid over the part, then three 7 x 7 grids, each one cell around the best.
    for n in (21, 7, 7, 7):
        axes = [np.linspace(centre[i] - half[i], centre[i] + half[i], n) for i in (0, 1)]
        grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, 2)
        inside = grid[_inside(grid, polygon)]
        if len(inside):
            distance = _segment_distances(inside, polygon)
            if distance.max() > score:
                point, score = inside[int(np.argmax(distance))], float(distance.max())
        centre, half = point, 2 * half / (n - 1)
    return float(point[0] / kx), float(point[1]), float(sum(areas))


class _Geo:
    """The regions of a GeoJSON FeatureCollection, ready to draw."""

    def __init__(self, boundaries: dict[str, Any]) -> None:
        self.features: list[tuple[str, dict[str, Any], list[Polygon]]] = []
        for feature in boundaries.get("features", []):
            props = feature.get("properties") or {}
            code = str(props.get("iso_3166_2") or props.get("code") or feature.get("id") or "")
            polygons = _polygons(feature.get("geometry") or {})
            if polygons:
                self.features.append((code, props, polygons))
        rings = [ring for _, _, polygons in self.features for p in polygons for ring in p[:1]]
        if not rings:
            raise ValueError("the boundaries hold no Polygon or MultiPolygon feature")
        points = np.vstack(rings)
        self.low, self.high = points.min(axis=0), points.max(axis=0)
        self.mean_lat = float((self.low[1] + self.high[1]) / 2)
        self.kx = math.cos(math.radians(self.mean_lat))
        self.centre = (self.low + self.high) / 2


# --- text ------------------------------------------------------------------------------------


def short_name(name: str) -> str:
    """A region's name without its kind ("Donetsk Oblast" -> "Donetsk", "أوبلاست دونيتسك"
    -> "دونيتسك", "Autonomous Republic of Crimea" -> "Crimea")."""
    short = name.strip()
    for pattern, replacement in _SHORT:
        short = pattern.sub(replacement, short).strip()
    return re.sub(r"\s+", " ", short) or name


def _names(geo: _Geo, regions: RegionSet, lang: str) -> dict[str, str]:
    """Short names in ``lang``: the region set's, else the GeoJSON's ``name_ar``/``name_en``.
    A name whose short form would collide with another region's (Kyiv Oblast and Kyiv city)
    stays whole."""
    full = {}
    for code, props, _ in geo.features:
        region = regions.region(code)
        if region is not None:
            full[code] = region.name.get(lang)
        else:
            key = "name_ar" if lang == "ar" else "name_en"
            full[code] = str(props.get(key) or props.get("name_en") or props.get("name") or code)
    short = {code: short_name(name) for code, name in full.items()}
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    return {
        code: full[code] if counts[name] > 1 and name != full[code] else name
        for code, name in short.items()
    }


def _ltr(text: str, labels: Labels) -> str:
    """In Arabic, a left-to-right island (dates, ranges, source ids): without it the bidi
    algorithm reads "2025-08-18" after Arabic words as three Arabic numbers and shows
    "18-08-2025", and a range "5,300–6,400" as "6,400–5,300"."""
    return f"\u2066{text}\u2069" if labels.lang == "ar" and text else text


def _text_colour(face: Any) -> str:
    r, g, b = to_rgb(face)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "#1a1a1a"


def _wrap(parts: Iterable[str], width: int = 190) -> str:
    return "\n".join(
        line
        for part in parts
        if part
        for line in textwrap.wrap(part, width, break_on_hyphens=False)
    )


def _share_text(value: float | None, span: tuple[float, float] | None, labels: Labels) -> str:
    """ "76–80%" where sources disagree, else "78%"."""
    if span is not None and span[0] != span[1]:
        return _ltr(f"{labels.num(100 * span[0])}–{labels.pct(span[1])}", labels)
    return _ltr(labels.pct(value), labels)


def _area_text(km2: float, labels: Labels) -> str:
    return labels.t(N_("{area} km²")).format(area=labels.num(abs(km2), 0))


def _range_text(low: float, high: float, labels: Labels) -> str:
    a, b = sorted((abs(low), abs(high)))
    if round(a) == round(b):
        return ""
    return _ltr(f"({labels.num(a, 0)}–{labels.num(b, 0)})", labels)


def _party(codes: Iterable[str], labels: Labels, fallback: str) -> str:
    names = [labels.country(c) for c in dict.fromkeys(codes)]
    return labels.sep.join(names) if names else labels.t(fallback)


# --- drawing --------------------------------------------------------------------------------


def _new_map(geo: _Geo, labels: Labels) -> tuple[Figure, Axes]:
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    _LANGS[figure] = labels.lang
    ax = figure.subplots()
    pad = 0.25
    ax.set_xlim(geo.low[0] - pad, geo.high[0] + pad)
    ax.set_ylim(geo.low[1] - pad - 0.35, geo.high[1] + pad)
    ax.set_aspect(1 / geo.kx)
    ax.set_axis_off()
    return figure, ax


def _draw_regions(
    ax: Axes,
    geo: _Geo,
    styles: dict[str, dict[str, Any]],
    texts: dict[str, str],
    labels: Labels,
    *,
    fontsize: float = 7.5,
) -> None:
    """One patch collection per region with its style, and its text at its label point."""
    # Arabic fonts have tall ascenders and descenders: their default line gap is too wide.
    spacing = 0.95 if labels.lang == "ar" else 1.15
    for code, _, polygons in geo.features:
        style = styles[code]
        collection = PatchCollection(
            [PathPatch(_path(polygons))],
            facecolor=style["face"],
            edgecolor=EDGE,
            linewidth=0.6,
            hatch=style.get("hatch"),
            hatchcolor=NO_DATA_HATCH_COLOUR if style.get("hatch") else "edge",
            zorder=1,
        )
        collection.set_gid(code)
        ax.add_collection(collection)
        x, y, area = _label_point(polygons, geo.kx)
        text = texts.get(code, "")
        if not text:
            continue
        if area < _SMALL:
            # A call-out, away from the middle of the map, where the text has room.
            away = np.array([x, y]) - geo.centre
            away = away / (np.hypot(away[0] * geo.kx, away[1]) or 1.0)
            ax.annotate(
                text,
                (x, y),
                xytext=(x + 0.8 * away[0] / geo.kx, y + 0.8 * away[1]),
                ha="center",
                va="center",
                fontsize=fontsize,
                color="#1a1a1a",
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": EDGE, "lw": 0.5},
                arrowprops={"arrowstyle": "-", "color": EDGE, "lw": 0.7},
                linespacing=spacing,
                zorder=4,
            )
        else:
            ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=fontsize,
                color=_text_colour(style["face"]),
                linespacing=spacing,
                # A halo in the region's colour keeps the text clear of borders and hatching.
                path_effects=[withStroke(linewidth=2.5, foreground=style["face"])],
                zorder=3,
            )


def _legend(ax: Axes, handles: list[Patch], labels: Labels, title: str | None = None) -> None:
    rtl = labels.lang == "ar"
    legend = ax.legend(
        handles=handles,
        loc="lower left",
        fontsize=9,
        title=title,
        title_fontsize=9,
        frameon=True,
        framealpha=0.9,
        alignment="right" if rtl else "left",
        markerfirst=not rtl,
    )
    legend.set_zorder(5)


def _caption(figure: Figure, text: str, labels: Labels) -> None:
    rtl = labels.lang == "ar"
    figure.supxlabel(
        text,
        x=0.99 if rtl else 0.01,
        ha="right" if rtl else "left",
        fontsize=8,
        color="#333333",
        linespacing=1.0 if rtl else 1.2,
    )


def _control_style(region: Region | None, cmap: Colormap) -> tuple[dict[str, Any], str]:
    """Fill and legend class of a region: ``share``, ``state`` or ``no_data``."""
    if region is None:
        return {"face": NO_DATA_GREY, "hatch": NO_DATA_HATCH}, "no_data"
    if region.control is None:
        return {"face": STATE_GREY}, "state"
    share = region.control.share
    value = share.value
    if value is None and share.range is not None:
        value = sum(share.range) / 2
    if value is None:
        return {"face": NO_DATA_GREY, "hatch": NO_DATA_HATCH}, "no_data"
    return {"face": cmap(min(max(value, 0.0), 1.0))}, "share"


def _share_cmap() -> Colormap:
    """OrRd without its near-white end, so a region held 1 % is visibly not grey."""
    import matplotlib as mpl

    return ListedColormap(mpl.colormaps["OrRd"](np.linspace(0.12, 1.0, 256)), name="share")


def control_map(
    boundaries: dict[str, Any],
    regions: RegionSet,
    labels: Labels,
    *,
    holder_label: str | None = None,
) -> Figure:
    """Regions coloured by the share their control holder holds (0-1), with the range written
    where sources disagree; grey for regions the state holds entirely, hatched grey for
    regions without data."""
    import matplotlib as mpl
    from matplotlib.cm import ScalarMappable

    geo = _Geo(boundaries)
    cmap = _share_cmap()
    names = _names(geo, regions, labels.lang)
    state = labels.country(regions.country)
    controls = [r.control for r in regions.regions if r.control is not None]
    holder = holder_label or _party((c.holder for c in controls), labels, N_("the occupier"))
    styles, texts, classes = {}, {}, set()
    ranged = False
    for code, _, _ in geo.features:
        region = regions.region(code)
        styles[code], kind = _control_style(region, cmap)
        classes.add(kind)
        texts[code] = names[code]
        if kind == "share" and region is not None and region.control is not None:
            share = region.control.share
            if share.range is not None and share.range[0] != share.range[1]:
                ranged = True
            texts[code] += "\n" + _share_text(share.value, share.range, labels)

    with mpl.rc_context(fonts(labels.lang)):
        figure, ax = _new_map(geo, labels)
        _draw_regions(ax, geo, styles, texts, labels)
        handles = []
        if "state" in classes:
            text = labels.t(N_("Held entirely by {state}")).format(state=state)
            handles.append(Patch(facecolor=STATE_GREY, edgecolor=EDGE, label=text))
        if "no_data" in classes:
            handles.append(
                Patch(
                    facecolor=NO_DATA_GREY,
                    edgecolor=EDGE,
                    hatch=NO_DATA_HATCH,
                    hatchcolor=NO_DATA_HATCH_COLOUR,
                    label=labels.t(N_("No data")),
                )
            )
        if handles:
            _legend(ax, handles, labels)
        bar = figure.colorbar(
            ScalarMappable(norm=Normalize(0.0, 1.0), cmap=cmap),
            ax=ax,
            location="left" if labels.lang == "ar" else "right",
            shrink=0.55,
            aspect=25,
            pad=0.01,
        )
        ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        bar.set_ticks(ticks, labels=[labels.pct(t) for t in ticks])
        bar.ax.tick_params(labelsize=9)
        bar.set_label(
            labels.t(N_("Share of the region held by {holder}")).format(holder=holder),
            fontsize=10,
        )
        figure.suptitle(
            labels.t(N_("Territorial control by region: {country}")).format(country=state),
            fontsize=14,
        )
        dates = sorted({c.date for c in controls})
        sources = list(
            dict.fromkeys([*regions.sources, *(s for c in controls for s in c.share.sources)])
        )
        parts = []
        if dates:
            parts.append(
                labels.t(N_("Control at {date}; sources: {sources}.")).format(
                    date=labels.sep.join(_ltr(d.isoformat(), labels) for d in dates),
                    sources=labels.sep.join(_ltr(s, labels) for s in sources) or "-",
                )
            )
        if ranged:
            parts.append(
                labels.t(N_("Where sources disagree, the range is written on the region."))
            )
        parts.append(
            labels.t(N_("Boundaries: {source}.")).format(
                source=_ltr(regions.geometry_source, labels)
            )
        )
        _caption(figure, _wrap(parts), labels)
    return figure


def deal_map(
    boundaries: dict[str, Any],
    regions: RegionSet,
    transfers: Sequence[Transfer],
    labels: Labels,
    *,
    title: str | None = None,
) -> Figure:
    """Regions coloured by what the deal does with each (its territorial term), with the area
    changing hands written on the region; regions the deal does not touch in light grey."""
    import matplotlib as mpl

    geo = _Geo(boundaries)
    names = _names(geo, regions, labels.lang)
    state = labels.country(regions.country)
    holders = [
        r.control.holder
        for t in transfers
        if (r := regions.region(t.region)) is not None and r.control is not None
    ]
    holder = _party(holders, labels, N_("the occupier"))
    by_region: dict[str, list[Transfer]] = {}
    for t in transfers:
        by_region.setdefault(t.region, []).append(t)

    styles: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    used: set[str] = set()
    untouched = False
    for code, _, _ in geo.features:
        texts[code] = names[code]
        deal = by_region.get(code)
        if not deal:
            styles[code] = {"face": UNTOUCHED_GREY}
            untouched = True
            continue
        # One region normally has one term; several issues on one region add up their areas
        # and take the colour of the first.
        term = deal[0].term
        used.update(t.term for t in deal)
        styles[code] = {"face": TERM_COLOURS.get(term, "#999999")}
        km2 = sum(t.km2 for t in deal)
        low, high = sum(t.low for t in deal), sum(t.high for t in deal)
        if round(km2) != 0 or round(low) != 0 or round(high) != 0:
            arrow = "→" if km2 >= 0 else "←"
            texts[code] += f"\n{arrow} {_area_text(km2, labels)}"
            span = _range_text(low, high, labels)
            if span:
                texts[code] += f"\n{span}"

    gained = [t for t in transfers if t.km2 > 0]
    returned = [t for t in transfers if t.km2 < 0]

    with mpl.rc_context(fonts(labels.lang)):
        figure, ax = _new_map(geo, labels)
        _draw_regions(ax, geo, styles, texts, labels)
        handles = [
            Patch(facecolor=TERM_COLOURS[term], edgecolor=EDGE, label=labels.t(name))
            for term, name in TERMS.items()
            if term in used
        ]
        handles += [
            Patch(facecolor=TERM_COLOURS.get(term, "#999999"), edgecolor=EDGE, label=term)
            for term in sorted(used - TERMS.keys())
        ]
        if untouched:
            handles.append(
                Patch(
                    facecolor=UNTOUCHED_GREY,
                    edgecolor=EDGE,
                    label=labels.t(N_("Not covered by the deal")),
                )
            )
        _legend(ax, handles, labels, title=labels.t(N_("Term of the deal")))
        figure.suptitle(
            title
            or labels.t(N_("What the deal does with each region: {country}")).format(country=state),
            fontsize=14,
        )
        parts = []
        for group, message, party in (
            (gained, N_("Total passing to {party}: {area} {range}"), holder),
            (returned, N_("Total returned to {party}: {area} {range}"), state),
        ):
            if group:
                parts.append(
                    labels.t(message)
                    .format(
                        party=party,
                        area=_area_text(sum(t.km2 for t in group), labels),
                        range=_range_text(
                            sum(t.low for t in group), sum(t.high for t in group), labels
                        ),
                    )
                    .strip()
                    + "."
                )
        if not parts:
            parts.append(labels.t(N_("No area changes hands under this deal.")))
        parts.append(
            labels.t(
                N_(
                    "→ area passing to {holder}, ← area returned to {state}; in brackets, "
                    "the range where sources disagree on control."
                )
            ).format(holder=holder, state=state)
        )
        parts.append(
            labels.t(N_("Boundaries: {source}.")).format(
                source=_ltr(regions.geometry_source, labels)
            )
        )
        _caption(figure, _wrap(parts), labels)
    return figure


def save(figure: Figure, path: Path | str, *, dpi: float = DPI) -> Path:
    """Write a map to ``path``: PNG, SVG or PDF by suffix (1200 x 800 px as PNG)."""
    import matplotlib as mpl

    target = Path(path)
    with mpl.rc_context(fonts(_LANGS.get(figure, "en"))):
        figure.savefig(target, dpi=dpi)
    return target


# --- the line a deal leaves ----------------------------------------------------------------

HOLDING_COLOURS: dict[str, str] = {
    "protected": "#a9cbe8",
    "occupied": "#d6604d",
    "divided": "#f4c28f",
}
"""Fill of a region by who holds it after the deal (``enforce.line.Holding``)."""
DIVIDED_HATCH = ".."
LINE_COLOURS: dict[str, str] = {"boundary": "#111111", "border": "#6a3d9a"}
"""Colour of the line's parts that follow the geometry (``enforce.line.LinePart.kind``)."""
LINE_WIDTHS: dict[str, float] = {"boundary": 3.2, "border": 2.4}
LINE_STYLES: dict[str, Any] = {"boundary": "solid", "border": (0, (3, 1.5))}
LINE_KINDS = ("segment", "boundary", "border")
"""The kinds of the line's parts (``enforce.line.PartKind``), in the caption's order."""

Edge = tuple[tuple[float, float], tuple[float, float]]


def _edges(polygons: Sequence[Polygon]) -> set[Edge]:
    """The edges of every ring, as sorted pairs of rounded points (neighbours in the shipped
    file share identical edges, so a shared boundary is the intersection of two sets)."""
    out: set[Edge] = set()
    for polygon in polygons:
        for ring in polygon:
            points = [(round(float(x), 5), round(float(y), 5)) for x, y in ring]
            if points and points[0] != points[-1]:
                points.append(points[0])
            for a, b in pairwise(points):
                if a != b:
                    out.add((a, b) if a < b else (b, a))
    return out


def _line_edges(geo: _Geo, line: Line) -> dict[str, list[Edge]]:
    """The edges the line's boundary parts follow (the boundary two regions share) and the
    borders it watches (the region's edges no other region shares)."""
    edges = {code: _edges(polygons) for code, _, polygons in geo.features}
    drawn: dict[str, list[Edge]] = {"boundary": [], "border": []}
    for part in line.parts:
        if part.kind == "boundary" and len(part.regions) == 2:
            a, b = part.regions
            drawn["boundary"].extend(edges.get(a, set()) & edges.get(b, set()))
        elif part.kind == "border":
            for code in part.regions:
                others = set().union(*(e for c, e in edges.items() if c != code))
                drawn["border"].extend(edges.get(code, set()) - others)
    return drawn


def _line_styles(
    geo: _Geo, regions: RegionSet, line: Line, labels: Labels
) -> tuple[dict[str, dict[str, Any]], dict[str, str], set[str]]:
    """Fill and text of each region by who holds it after the deal (the km of line inside
    a divided region written on it), and the holdings used."""
    names = _names(geo, regions, labels.lang)
    held: dict[str, str] = dict(line.holdings)
    segments: dict[str, float] = {}
    for part in line.parts:
        if part.kind == "segment":
            for code in part.regions:
                segments[code] = segments.get(code, 0.0) + part.km
    styles: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    used: set[str] = set()
    for code, _, _ in geo.features:
        holding = held.get(code, "protected")
        used.add(holding)
        styles[code] = {"face": HOLDING_COLOURS.get(holding, STATE_GREY)}
        if holding == "divided":
            styles[code]["hatch"] = DIVIDED_HATCH
        texts[code] = names[code]
        if code in segments:
            texts[code] += "\n" + labels.t(N_("{km} km of line")).format(
                km=labels.num(segments[code], 0)
            )
    return styles, texts, used


def _line_caption(regions: RegionSet, line: Line, labels: Labels) -> str:
    totals = {kind: sum(p.km for p in line.parts if p.kind == kind) for kind in LINE_KINDS}
    span = ""
    if round(line.low) != round(line.high):
        span = " " + _ltr(f"({labels.num(line.low, 0)}–{labels.num(line.high, 0)})", labels)
    parts = [
        labels.t(
            N_(
                "Line to watch: {km} km{range}: {segment} km inside divided regions, "
                "{boundary} km along region boundaries, {border} km of state borders."
            )
        ).format(
            km=labels.num(line.km, 0),
            range=span,
            segment=labels.num(totals["segment"], 0),
            boundary=labels.num(totals["boundary"], 0),
            border=labels.num(totals["border"], 0),
        ),
        labels.t(
            N_(
                "The line inside a divided region is not drawn: the data give its length,"
                " not its course. A border is drawn along its region's whole outer edge,"
                " coast included."
            )
        ),
        labels.t(N_("Boundaries: {source}.")).format(source=_ltr(regions.geometry_source, labels)),
    ]
    return _wrap(parts)


def line_map(
    boundaries: dict[str, Any],
    regions: RegionSet,
    line: Line,
    labels: Labels,
    *,
    title: str | None = None,
) -> Figure:
    """The line a deal leaves (``enforce.line.Line``): regions coloured by who holds them
    after the deal (``line.holdings``: protected, occupied or divided; regions it does not
    name are the protected state's), the line's boundary parts drawn on the boundaries they
    follow, the borders it watches along their region's outer edge, and the length of the
    line inside each divided region written on it (the geometry does not say where it runs
    there, so it is not drawn)."""
    import matplotlib as mpl
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    geo = _Geo(boundaries)
    state = labels.country(regions.country)
    holder = _party(
        (r.control.holder for r in regions.regions if r.control is not None),
        labels,
        N_("the occupier"),
    )
    styles, texts, used = _line_styles(geo, regions, line, labels)
    drawn = _line_edges(geo, line)
    legend_names = {
        "protected": labels.t(N_("Held by {party}")).format(party=state),
        "occupied": labels.t(N_("Held by {party}")).format(party=holder),
        "divided": labels.t(N_("Divided: the line runs inside the region")),
        "boundary": labels.t(N_("Line along a region boundary")),
        "border": labels.t(N_("State border watched")),
    }

    with mpl.rc_context(fonts(labels.lang)):
        figure, ax = _new_map(geo, labels)
        _draw_regions(ax, geo, styles, texts, labels)
        handles: list[Any] = [
            Patch(
                facecolor=HOLDING_COLOURS[kind],
                edgecolor=EDGE,
                hatch=DIVIDED_HATCH if kind == "divided" else None,
                label=legend_names[kind],
            )
            for kind in ("protected", "occupied", "divided")
            if kind in used
        ]
        for kind, colour in LINE_COLOURS.items():
            if not drawn[kind]:
                continue
            collection = LineCollection(
                [list(edge) for edge in drawn[kind]],
                colors=colour,
                linewidths=LINE_WIDTHS[kind],
                linestyles=LINE_STYLES[kind],
                capstyle="round",
                zorder=2,
            )
            collection.set_gid(f"line-{kind}")
            ax.add_collection(collection)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour,
                    linewidth=LINE_WIDTHS[kind],
                    linestyle=LINE_STYLES[kind],
                    label=legend_names[kind],
                )
            )
        _legend(ax, handles, labels, title=labels.t(N_("After the deal")))
        figure.suptitle(
            title or labels.t(N_("The line the deal leaves: {country}")).format(country=state),
            fontsize=14,
        )
        _caption(figure, _line_caption(regions, line, labels), labels)
    return figure
