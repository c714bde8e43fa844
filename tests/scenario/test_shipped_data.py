"""The shipped data: every figure sourced or flagged, names bilingual, the scenario valid."""

from __future__ import annotations

import pytest

from guarantor.model.diagnostics import InvalidInput
from guarantor.scenario import (
    check_provenance,
    check_scenario,
    list_requirements,
    load_requirement,
    load_scenario,
)

NATO = set(
    [
        "ALB",
        "BEL",
        "BGR",
        "CAN",
        "HRV",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "ISL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MNE",
        "NLD",
        "MKD",
        "NOR",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
        "TUR",
        "GBR",
        "USA",
    ]
)
EU = set(
    [
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
    ]
)


def test_every_shipped_figure_and_answer_has_provenance(reference, scenario):
    requirements = [load_requirement(name) for name in list_requirements()]
    assert check_provenance(reference, scenario, requirements) == []
    assert check_scenario(scenario, reference) == []


def test_the_check_finds_an_uncited_figure(reference, scenario):
    france = next(s for s in scenario.submissions if s.country == "FRA")
    stripped = france.model_copy(update={"provenance": {}})
    broken = scenario.model_copy(update={"submissions": (stripped,)})
    found = check_provenance(reference, broken)
    paths = {d.path_text() for d in found}
    assert "submissions.FRA.force_size_personnel" in paths
    assert all(d.code == "provenance.missing" for d in found)


def test_countries_cover_nato_eu_and_the_others(reference):
    codes = set(reference.countries)
    assert NATO | EU | {"UKR", "RUS", "CHN", "TUR", "JPN", "AUS"} <= codes
    for code, country in reference.countries.items():
        assert country.name.en and country.name.ar != country.name.en, code
    assert reference.countries["FRA"].name.ar == "فرنسا"
    assert "nato" in reference.countries["FRA"].groups


def test_unknown_figures_stay_unknown(reference):
    # facts.md has no personnel figure for the United States: it must not be guessed.
    assert reference.countries["USA"].active_personnel is None
    assert reference.countries["FRA"].gdp_usd_bn.value == 3170


def test_capability_catalogue(reference):
    forces = {c.code for c in reference.forces()}
    assert len(forces) >= 12
    assert {
        "land_brigade_heavy",
        "land_brigade_medium",
        "land_brigade_light",
        "fighter_squadron",
        "air_defence_long_range_battery",
        "air_defence_medium_range_battery",
        "mcm_vessel",
        "frigate",
        "isr_drone_orbit",
        "training_team",
        "engineer_demining_battalion",
        "logistics_battalion",
        "sof_task_group",
    } <= forces
    assert "eq_shells_155mm" in {c.code for c in reference.equipment()}
    for cap in reference.forces():
        assert cap.personnel and cap.personnel.known and cap.max_quantity > 0


def test_requirement_templates(reference):
    assert {"reassurance", "deterrence", "monitoring"} <= set(list_requirements())
    for name in list_requirements():
        requirement = load_requirement(name)
        assert requirement.basis, name
        for item in requirement.items:
            assert set(item.capabilities) <= set(reference.capabilities)


def test_scenario_round_and_submissions(scenario):
    assert scenario.protected_state == "UKR"
    assert scenario.round.coordinator == "USA"
    countries = {s.country for s in scenario.submissions}
    assert {"GBR", "FRA", "DEU"} <= countries
    assert scenario.assumptions["us_backstop"].value is True


def test_a_user_scenario_file_with_bad_answers_is_reported(tmp_path, reference):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "round: {questionnaire: us-cable-2025, version: 1}\n"
        "submissions:\n  - country: FRA\n    answers: {forces: [{capability: x}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        load_scenario(str(path), reference)
    paths = {d.path_text() for d in caught.value.diagnostics}
    assert "submissions[0].answers.forces[0].capability" in paths


def test_seed_reports_are_stored_as_sources(reference):
    from importlib import resources

    seed = reference.sources["seed-000"]
    assert seed.lang == "ar" and seed.document
    text = (resources.files("guarantor") / "data" / seed.document).read_text(encoding="utf-8")
    assert "كيلوغ" in text or "كيلوج" in text
