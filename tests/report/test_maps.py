"""Control and deal maps: every region drawn, coloured by share or by term, in both languages."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.text import Text

from guarantor.model.territory import RegionSet
from guarantor.negotiate.territory import Transfer
from guarantor.report.maps import (
    NO_DATA_GREY,
    STATE_GREY,
    TERM_COLOURS,
    TERMS,
    UNTOUCHED_GREY,
    control_map,
    deal_map,
    save,
    short_name,
)
from guarantor.report.tables import Labels

matplotlib.use("Agg")

GEOJSON = "data/geo/ukraine-regions.geojson"


@pytest.fixture(scope="module")
def boundaries() -> dict[str, Any]:
    text = (resources.files("guarantor") / GEOJSON).read_text(encoding="utf-8")
    return json.loads(text)


def _region(code: str, en: str, ar: str, share: float | None = None, span=None) -> dict:
    region: dict[str, Any] = {
        "code": code,
        "name": {"en": en, "ar": ar},
        "area_km2": {"value": 26_000, "unit": "km2", "sources": ["test"]},
    }
    if share is not None:
        region["control"] = {
            "holder": "RUS",
            "date": "2025-08-18",
            "share": {"value": share, "unit": "share", "sources": ["isw"], "range": span},
        }
    return region


@pytest.fixture(scope="module")
def regions() -> RegionSet:
    """Five regions: two mostly held, one barely, one not at all (control None), and Crimea.
    Chernivtsi (UA-77) and the rest are left out: no data."""
    return RegionSet.model_validate(
        {
            "id": "test",
            "label": {"en": "Ukraine", "ar": "أوكرانيا"},
            "country": "UKR",
            "geometry": "ukraine-regions.geojson",
            "geometry_source": "Natural Earth",
            "sources": ["test"],
            "regions": [
                _region("UA-14", "Donetsk Oblast", "أوبلاست دونيتسك", 0.78, (0.76, 0.80)),
                _region("UA-09", "Luhansk Oblast", "لوهانسك أوبلاست", 1.0),
                _region("UA-59", "Sumy Oblast", "سومي أوبلاست", 0.01),
                _region("UA-05", "Vinnytsia Oblast", "فينيتسا أوبلاست"),
                _region("UA-43", "Autonomous Republic of Crimea", "جمهورية القرم ذاتية الحكم", 1.0),
            ],
        }
    )


TRANSFERS = [
    Transfer("donetsk", "UA-14", "cede_rest", 5_600, 5_300, 6_400, 0.78),
    Transfer("luhansk", "UA-09", "status_quo", 0, 0, 0, 1.0),
    Transfer("crimea", "UA-43", "freeze", 0, 0, 0, 1.0),
]


@pytest.fixture(params=["en", "ar"])
def labels(request: pytest.FixtureRequest, reference) -> Labels:
    return Labels(request.param, reference)


def _regions_drawn(figure) -> dict[str, PatchCollection]:
    ax = figure.axes[0]
    return {c.get_gid(): c for c in ax.collections if isinstance(c, PatchCollection)}


def _face(figure, code: str) -> tuple[float, ...]:
    return tuple(_regions_drawn(figure)[code].get_facecolor()[0])


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text)]


def _legend(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].get_legend().get_texts()]


def test_control_map_draws_one_collection_per_region(boundaries, regions, labels):
    figure = control_map(boundaries, regions, labels)
    drawn = _regions_drawn(figure)
    assert len(drawn) == len(boundaries["features"]) == 27
    assert set(drawn) == {f["properties"]["iso_3166_2"] for f in boundaries["features"]}
    assert len(figure.axes) == 2  # the map and its colour bar


def test_control_map_colours_by_share(boundaries, regions, labels):
    figure = control_map(boundaries, regions, labels)
    full, barely = _face(figure, "UA-09"), _face(figure, "UA-59")
    assert not np.allclose(full, barely)
    grey = {to_rgba(STATE_GREY), to_rgba(NO_DATA_GREY)}
    assert full not in grey and barely not in grey
    # Darker where more is held.
    assert sum(full[:3]) < sum(barely[:3])


def test_control_map_greys_the_state_and_the_unknown(boundaries, regions, reference):
    figure = control_map(boundaries, regions, Labels("en", reference))
    missing = _regions_drawn(figure)["UA-77"]  # Chernivtsi: not in the set
    r, g, b, _ = missing.get_facecolor()[0]
    assert r == g == b
    assert missing.get_hatch()
    assert _face(figure, "UA-05") == to_rgba(STATE_GREY)  # in the set, control None
    assert not _regions_drawn(figure)["UA-05"].get_hatch()
    assert _legend(figure) == ["Held entirely by Ukraine", "No data"]


def test_control_map_writes_the_range_and_the_date(boundaries, regions, reference):
    figure = control_map(boundaries, regions, Labels("en", reference))
    texts = _texts(figure)
    assert "Donetsk\n76–80%" in texts
    assert "Luhansk\n100%" in texts
    assert "Crimea\n100%" in texts
    assert "Vinnytsia" in texts  # held by the state: no share written
    caption = figure.get_supxlabel()
    assert "2025-08-18" in caption and "isw" in caption and "Natural Earth" in caption
    assert "Russian Federation" in figure.axes[1].get_ylabel()


def test_holder_label_overrides_the_country_name(boundaries, regions, reference):
    figure = control_map(boundaries, regions, Labels("en", reference), holder_label="Russia")
    assert figure.axes[1].get_ylabel() == "Share of the region held by Russia"


def test_deal_map_colours_by_term(boundaries, regions, labels):
    figure = deal_map(boundaries, regions, TRANSFERS, labels)
    assert len(_regions_drawn(figure)) == 27
    assert _face(figure, "UA-14") == to_rgba(TERM_COLOURS["cede_rest"])
    assert _face(figure, "UA-09") == to_rgba(TERM_COLOURS["status_quo"])
    assert _face(figure, "UA-63") == to_rgba(UNTOUCHED_GREY)  # Kharkiv: not in the deal
    legend = _legend(figure)
    for term in ("cede_rest", "status_quo", "freeze"):
        assert labels.t(TERMS[term]) in legend
    assert labels.t(TERMS["return_all"]) not in legend
    assert len(legend) == 4  # three terms and "not covered"


def test_deal_map_writes_the_area_changing_hands(boundaries, regions, reference):
    figure = deal_map(boundaries, regions, TRANSFERS, Labels("en", reference), title="Plan A")
    assert "Donetsk\n→ 5,600 km²\n(5,300–6,400)" in _texts(figure)
    assert "Luhansk" in _texts(figure)
    assert figure.get_suptitle() == "Plan A"
    assert "Total passing to Russian Federation: 5,600 km² (5,300–6,400)." in (
        figure.get_supxlabel()
    )


def test_deal_map_with_nothing_changing_hands(boundaries, regions, reference):
    figure = deal_map(boundaries, regions, TRANSFERS[1:], Labels("en", reference))
    assert "No area changes hands under this deal." in figure.get_supxlabel()


def test_save_writes_png_and_svg(boundaries, regions, labels, tmp_path):
    for figure, name in (
        (control_map(boundaries, regions, labels), "control"),
        (deal_map(boundaries, regions, TRANSFERS, labels), "deal"),
    ):
        png = save(figure, tmp_path / f"{name}-{labels.lang}.png")
        svg = save(figure, tmp_path / f"{name}-{labels.lang}.svg")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        text = svg.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        assert 'id="UA-14"' in text  # regions keep their code in the SVG


def test_arabic_map_is_right_to_left(boundaries, regions, reference, tmp_path):
    labels = Labels("ar", reference)
    figure = control_map(boundaries, regions, labels)
    texts = _texts(figure)
    # Short Arabic names, from the region set.
    assert any(t.startswith("دونيتسك\n") for t in texts)
    assert any(t.startswith("القرم\n") for t in texts)
    # The colour bar on the left of the map, the caption aligned right.
    figure.canvas.draw()
    assert figure.axes[1].get_position().x0 < figure.axes[0].get_position().x0
    caption = next(t for t in figure.texts if t.get_text() == figure.get_supxlabel())
    assert caption.get_horizontalalignment() == "right"
    # Ranges and dates are left-to-right islands, so the bidi algorithm keeps their order.
    assert any("\u206676–80%\u2069" in t for t in texts)
    assert "\u20662025-08-18\u2069" in figure.get_supxlabel()
    svg = save(figure, tmp_path / "control-ar.svg").read_text(encoding="utf-8")
    assert "أوكرانيا" in svg  # the title, as the SVG's text comment


def test_arabic_names_fall_back_to_the_geojson(boundaries, regions, reference):
    figure = deal_map(boundaries, regions, TRANSFERS, Labels("ar", reference))
    texts = _texts(figure)
    assert "خاركيف" in texts  # Kharkiv: not in the set, name_ar from the GeoJSON
    assert "كييف" in texts and "كييف أوبلاست" in texts  # city and oblast kept apart


def test_holes_are_cut_out(boundaries, regions, reference):
    """Kyiv Oblast's ring around Kyiv city runs against its exterior, so the city shows."""
    figure = control_map(boundaries, regions, Labels("en", reference))
    oblast = _regions_drawn(figure)["UA-32"].get_paths()[0]
    rings = oblast.to_polygons()
    assert len(rings) == 2

    def signed(ring):
        x, y = ring[:, 0], ring[:, 1]
        return np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))

    assert signed(rings[0]) > 0 > signed(rings[1])


def test_the_map_keeps_its_shape(boundaries, regions, reference):
    figure = control_map(boundaries, regions, Labels("en", reference))
    ax = figure.axes[0]
    # Plain lon/lat stretched by 1/cos(mean latitude): about 1.5 at Ukraine's 48.4°N.
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(48.4)), rel=0.01)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Donetsk Oblast", "Donetsk"),
        ("Autonomous Republic of Crimea", "Crimea"),
        ("أوبلاست دونيتسك", "دونيتسك"),
        ("خاركيف أوبلاست", "خاركيف"),
        ("جمهورية القرم ذاتية الحكم", "القرم"),
        ("Sevastopol", "Sevastopol"),
    ],
)
def test_short_name(name, short):
    assert short_name(name) == short
