"""The shipped Ukraine 2025 negotiation: complete, sourced, and what the engine makes of it."""

from __future__ import annotations

import pytest

from guarantor.model.provenance import Figure
from guarantor.negotiate.analysis import analyse
from guarantor.negotiate.problem import compile_problem
from guarantor.negotiate.solver import Constraint
from guarantor.negotiate.whatif import parse_change
from guarantor.scenario import (
    check_negotiation,
    check_regions,
    load_negotiation,
    load_regions,
    region_boundaries,
)


@pytest.fixture(scope="module")
def shipped():
    negotiation = load_negotiation("ukraine-2025")
    return negotiation, load_regions(negotiation.regions)


def test_every_datum_is_sourced_or_an_assumption_with_a_range(shipped, reference):
    negotiation, regions = shipped
    assert check_negotiation(negotiation, reference, regions) == []
    assert check_regions(regions, reference) == []


def test_the_check_catches_an_unsourced_utility(shipped, reference):
    negotiation, regions = shipped
    position = negotiation.positions[0]
    issue = next(iter(position.utilities))
    option = next(iter(position.utilities[issue]))
    bare = Figure(value=50, unit="utility")
    table = {**position.utilities, issue: {**position.utilities[issue], option: bare}}
    changed = negotiation.model_copy(
        update={
            "positions": (
                position.model_copy(update={"utilities": table}),
                *negotiation.positions[1:],
            )
        }
    )
    found = {(d.code, d.path_text()) for d in check_negotiation(changed, reference, regions)}
    path = f"negotiations.ukraine-2025.positions.{position.party}.utilities.{issue}.{option}"
    assert ("provenance.missing", path) in found


def test_the_issues_the_talks_are_about_are_all_there(shipped):
    negotiation, regions = shipped
    kinds = {i.kind for i in negotiation.issues}
    assert kinds >= {
        "alliance",
        "territory",
        "guarantee_form",
        "guarantors",
        "foreign_forces",
        "sequencing",
        "sanctions",
        "armed_forces",
    }
    territorial = {i.region for i in negotiation.issues if i.kind == "territory"}
    assert territorial >= {"UA-14", "UA-09", "UA-23", "UA-65", "UA-43"}
    assert all(regions.region(code) for code in territorial)
    guarantors = next(i for i in negotiation.issues if i.kind == "guarantors")
    assert any("CHN" in o.guarantors for o in guarantors.options)
    assert {t.id for t in negotiation.tracks} == {"russian", "ukrainian_european"}


def test_every_region_of_the_data_has_a_boundary(shipped):
    _, regions = shipped
    codes = {f["properties"]["iso_3166_2"] for f in region_boundaries(regions)["features"]}
    assert len(codes) == 27
    assert {r.code for r in regions.regions} <= codes


def test_as_shipped_the_donbas_red_lines_block_every_deal(shipped):
    negotiation, regions = shipped
    analysis = analyse(negotiation, regions=regions, samples=0)
    assert not analysis.feasible
    assert (
        Constraint("red_line", "RUS", "donetsk"),
        Constraint("red_line", "UKR", "donetsk"),
    ) in analysis.blocking


def test_relaxing_one_side_opens_deals_that_move_territory_or_not(shipped):
    negotiation, regions = shipped
    ukraine_yields = analyse(
        negotiation,
        regions=regions,
        changes=(parse_change("relax", "UKR.donetsk"), parse_change("relax", "UKR.luhansk")),
        samples=200,
    )
    assert ukraine_yields.feasible
    donetsk = {t.region: t for t in ukraine_yields.deals[0].transfers}["UA-14"]
    assert donetsk.term == "cede_rest" and donetsk.km2 > 0
    problem = compile_problem(ukraine_yields.negotiation)
    assert problem.size == compile_problem(negotiation).size
