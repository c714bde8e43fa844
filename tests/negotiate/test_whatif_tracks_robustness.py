"""What-ifs, the track view, robustness sampling and the territory a deal moves."""

from __future__ import annotations

import numpy as np
import pytest

from guarantor.model.diagnostics import InvalidInput
from guarantor.model.territory import RegionSet
from guarantor.negotiate.analysis import analyse, compare
from guarantor.negotiate.problem import compile_problem
from guarantor.negotiate.robustness import acceptable_share
from guarantor.negotiate.territory import transfers
from guarantor.negotiate.tracks import stakeholders, track_report
from guarantor.negotiate.whatif import Change, apply_changes, parse_change
from tests.negotiate.builders import T, negotiation

BLOCKED = negotiation(
    [[[100, 0]], [[100, 0]]],
    red_lines=[
        [{"id": "no_o0", "when": [{"issue": "i0", "in": ["o0"]}]}],
        [{"id": "no_o1", "when": [{"issue": "i0", "in": ["o1"]}]}],
    ],
)


def test_relaxing_a_blocking_red_line_opens_deals():
    base = analyse(BLOCKED, samples=0)
    assert not base.feasible
    relaxed = analyse(BLOCKED, changes=(parse_change("relax", "P0.no_o0"),), samples=0)
    assert relaxed.feasible
    assert relaxed.deals[0].options == {"i0": "o0"}
    diff = compare(base, relaxed)
    assert diff.opened == ({"i0": "o0"},) and diff.closed == ()
    assert not diff.feasible_before and diff.feasible_after


def test_forbidding_and_reweighting_close_deals():
    n = negotiation([[[100, 0], [0, 100]], [[0, 100], [100, 0]]])
    base = analyse(n, samples=0)
    forbid = analyse(n, changes=(parse_change("forbid", "P1.i0=o0"),), samples=0)
    assert all(d.options["i0"] == "o1" for d in forbid.deals)
    assert compare(base, forbid).closed
    heavy = apply_changes(n, (parse_change("weight", "P0.i0=9"),))
    assert compile_problem(heavy).weight[0].tolist() == pytest.approx([0.9, 0.1])
    picky = analyse(n, changes=(parse_change("reservation", "P0=100"),), samples=0)
    assert [d.options for d in picky.deals] == [{"i0": "o0", "i1": "o1"}]


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("relax", "P0", "whatif.syntax"),
        ("forbid", "P0.i0", "whatif.syntax"),
        ("weight", "P0.i0=heavy", "whatif.syntax"),
        ("reservation", "P0.i0=5", "whatif.syntax"),
    ],
)
def test_malformed_what_ifs_are_refused(kind, text, code):
    with pytest.raises(InvalidInput) as caught:
        parse_change(kind, text)
    assert caught.value.diagnostics[0].code == code


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (Change("relax", "P0", "nope"), "whatif.unknown_red_line"),
        (Change("relax", "P9", "no_o0"), "party.unknown"),
        (Change("forbid", "P0", "i7", ("o0",)), "issue.unknown"),
        (Change("forbid", "P0", "i0", ("o5",)), "option.unknown"),
    ],
)
def test_what_ifs_on_unknown_names_are_refused(change, code):
    with pytest.raises(InvalidInput) as caught:
        apply_changes(BLOCKED, (change,))
    assert caught.value.diagnostics[0].code == code


def test_tracks_settle_what_only_their_parties_care_about():
    n = negotiation(
        [[[100, 0], [50, 50]], [[0, 100], [100, 0]], [[50, 50], [0, 100]]],
        weights=[[1, 0], [1, 1], [0, 1]],
        tracks=[
            {"id": "a", "label": T, "parties": ["P0", "P1"]},
            {"id": "b", "label": T, "parties": ["P1", "P2"]},
        ],
    )
    assert stakeholders(n) == {"i0": frozenset({"P0", "P1"}), "i1": frozenset({"P1", "P2"})}
    report = track_report(n)
    assert [(v.track, v.alone) for v in report.tracks] == [("a", ("i0",)), ("b", ("i1",))]
    assert report.shared == ()
    assert all(v.agree for v in report.tracks)


def test_robustness_counts_draws_in_which_everyone_still_accepts():
    n = negotiation([[[60, 40]], [[40, 60]]], reservation=[50, 0])
    data = n.model_dump(mode="json", by_alias=True)
    data["positions"][0]["reservation"]["range"] = [40.0, 80.0]  # 60 passes in half the draws
    problem = compile_problem(type(n).model_validate(data))
    deals = np.array([[0], [1]])
    share = acceptable_share(problem, deals, np.random.default_rng(1), samples=4000)
    assert share[0] == pytest.approx(0.5, abs=0.03)
    assert share[1] == 0.0  # 40 < every reservation drawn from 40-80 except the edge


def test_a_deal_moves_the_area_the_sources_give():
    regions = RegionSet.model_validate(
        {
            "id": "r",
            "label": T,
            "country": "UKR",
            "geometry": "g.geojson",
            "geometry_source": "s",
            "regions": [
                {
                    "code": "UA-14",
                    "name": T,
                    "area_km2": {"value": 26517, "unit": "km2", "assumption": True},
                    "control": {
                        "holder": "RUS",
                        "date": "2025-08-18",
                        "share": {
                            "value": 0.79,
                            "unit": "share",
                            "assumption": True,
                            "range": [0.76, 0.796],
                        },
                    },
                }
            ],
        }
    )
    n = negotiation([[[0, 0, 0]], [[0, 0, 0]]])
    data = n.model_dump(mode="json", by_alias=True)
    data["issues"][0].update(kind="territory", region="UA-14")
    for option, term in zip(
        data["issues"][0]["options"], ["cede_rest", "freeze", "return_all"], strict=True
    ):
        option["territory"] = term
    n = type(n).model_validate(data)
    cede = transfers(n, regions, {"i0": "o0"})[0]
    assert cede.km2 == pytest.approx(26517 * 0.21)
    assert (cede.low, cede.high) == pytest.approx((26517 * 0.204, 26517 * 0.24))
    assert transfers(n, regions, {"i0": "o1"})[0].km2 == 0
    back = transfers(n, regions, {"i0": "o2"})[0]
    assert back.km2 == pytest.approx(-26517 * 0.79)


def test_two_forbids_on_one_issue_are_two_red_lines():
    from guarantor.negotiate.whatif import apply_changes, parse_change
    from guarantor.scenario import load_negotiation

    negotiation = load_negotiation("ukraine-2025")
    changed = apply_changes(
        negotiation,
        (
            parse_change("forbid", "RUS.sanctions=lifted"),
            parse_change("forbid", "RUS.sanctions=maintained"),
        ),
    )
    russia = next(p for p in changed.positions if p.party == "RUS")
    ids = [r.id for r in russia.red_lines if r.id.startswith("whatif_")]
    assert ids == ["whatif_sanctions", "whatif_sanctions_1"]
