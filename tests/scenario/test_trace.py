"""From a datum of the shipped scenario to what it rests on."""

from __future__ import annotations

import pytest

from guarantor.model.diagnostics import InvalidInput
from guarantor.scenario import load_negotiation, load_regions
from guarantor.scenario.trace import trace


@pytest.fixture(scope="module")
def data(reference, scenario):
    negotiation = load_negotiation("ukraine-2025")
    return {
        "reference": reference,
        "scenario": scenario,
        "negotiation": negotiation,
        "regions": load_regions(negotiation.regions),
    }


def test_a_red_line_leads_to_its_sources_and_quote(data):
    found = trace("parties.RUS.red_lines.nato_membership", **data)
    assert found.party == "RUS"
    assert "seed-003" in {s.id for s in found.sources}
    assert found.quote and found.provenanced
    assert found.extra["when"][0]["issue"] == "nato_membership"


def test_an_assumed_utility_says_so_with_its_range(data):
    found = trace("positions.UKR.utilities.nato_membership.join", **data)
    assert found.assumption and found.range is not None
    assert found.value == pytest.approx(100)


def test_region_control_and_submission_answers_and_assumptions(data):
    control = trace("regions.UA-14.control", **data)
    assert 0 < control.value <= 1 and control.sources and control.extra["holder"] == "RUS"
    submission = data["scenario"].submissions[0]
    answer = trace(f"submissions.{submission.country}.force_size_personnel", **data)
    assert answer.country == submission.country and answer.provenanced
    backstop = trace("assumptions.us_backstop", **data)
    assert backstop.value is True and backstop.assumption


@pytest.mark.parametrize(
    "path",
    [
        "parties.XXX.reservation",
        "parties.RUS.red_lines.nope",
        "submissions.ZZZ.force_size_personnel",
        "regions.UA-99.area_km2",
        "nonsense",
    ],
)
def test_a_path_with_no_datum_is_a_clear_error(data, path):
    with pytest.raises(InvalidInput) as caught:
        trace(path, **data)
    assert caught.value.diagnostics[0].code == "trace.not_found"
    assert caught.value.diagnostics[0].params["value"] == path
