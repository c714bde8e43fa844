"""The shipped instruments and threat: valid, sourced or flagged, and telling apart."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guarantor.cli import app
from guarantor.scenario import (
    check_instrument,
    check_threat,
    list_instruments,
    list_threats,
    load_instrument,
    load_threat,
)


def test_every_shipped_instrument_and_threat_passes_its_checks(reference):
    assert {
        "article5-like",
        "bilateral-pledges",
        "budapest-like",
        "istanbul-2022",
        "reassurance-tripwire",
    } <= set(list_instruments())
    for name in list_instruments():
        assert check_instrument(load_instrument(name), reference) == [], name
    for name in list_threats():
        assert check_threat(load_threat(name), reference) == [], name


def test_the_istanbul_draft_lists_the_attacker_among_guarantors():
    instrument = load_instrument("istanbul-2022")
    threat = load_threat("ukraine-2025")
    assert instrument.decision_rule == "consensus"
    assert threat.attacker in {g.country for g in instrument.guarantors}


@pytest.fixture()
def stress(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'stress.db'}"
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["--db", db_url, "stress", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    return invoke


def _json(stress, *args):
    return json.loads(
        stress("--format", "json", "--draws", "4000", "--shapley-draws", "300", *args).output
    )


def test_stress_cli_reports_intervals_and_reproduces_with_its_seed(stress):
    first = _json(stress, "--seed", "3")
    again = _json(stress, "--seed", "3")
    assert first["holds"] == again["holds"]
    assert first["run"]["seed"] == 3 and len(first["run"]["inputs_hash"]) == 64
    assert first["holds"]["low"] <= first["holds"]["value"] <= first["holds"]["high"]
    countries = [g["country"] for g in first["guarantors"]]
    assert "USA" in countries and "FRA" in countries


def test_the_attackers_veto_costs_the_guarantee_what_article5_adds(stress):
    article5 = _json(stress, "--instrument", "article5-like")
    istanbul = _json(stress, "--instrument", "istanbul-2022")
    budapest = _json(stress, "--instrument", "budapest-like")
    # Consensus with the attacker among the guarantors, and the UN rule with the attacker a
    # permanent member, both leave the defender alone: the same draws, the same outcome.
    assert istanbul["holds"]["value"] == budapest["holds"]["value"]
    assert all(g["acts"]["value"] == 0 for g in istanbul["guarantors"])
    assert article5["holds"]["low"] > istanbul["holds"]["high"]
    russia = next(g for g in istanbul["guarantors"] if g["country"] == "RUS")
    assert russia["shapley"]["value"] < 0


def test_stress_table_in_arabic_and_plot(stress, tmp_path):
    target = tmp_path / "stress.png"
    result = stress(
        "--draws", "2000", "--shapley-draws", "100", "--lang", "ar", "--plot", str(target)
    )
    assert "احتمال صمود الدفاع" in result.output
    assert target.read_bytes()[:4] == b"\x89PNG"


def test_stress_bad_input(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'bad.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "stress", "--draws", "0"])
    assert result.exit_code == 2 and "0 draws: use between 1 and" in result.output
    result = runner.invoke(app, ["--db", db_url, "stress", "--instrument", "nato-membership"])
    assert result.exit_code == 2 and "no instruments named 'nato-membership'" in result.output


def test_tornado_from_the_cli(stress, tmp_path):
    target = tmp_path / "tornado.png"
    result = stress("--draws", "2000", "--shapley-draws", "50", "--tornado", str(target))
    assert "Sensitivity of P(holds)" in result.output
    assert "threat.defender_effectiveness" in result.output
    assert target.read_bytes()[:4] == b"\x89PNG"
