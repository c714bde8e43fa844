"""The CLI in process (Typer's CliRunner): every command, good and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from typer.testing import CliRunner

from guarantor.cli import app


@pytest.fixture()
def run(db_url, monkeypatch):
    monkeypatch.setenv("GUARANTOR_USER", "tester")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--db", db_url, *args], catch_exceptions=False)

    return invoke


def test_assess_prints_every_table(run):
    result = run("assess")
    assert result.exit_code == 0, result.output
    for title in (
        "Coverage per requirement line",
        "Burden sharing",
        "Readiness",
        "Who could close the gaps",
        "Yearly cost of counted forces",
        "What these numbers rest on",
    ):
        assert title in result.output


def test_assess_in_arabic(run):
    result = run("assess", "--lang", "ar")
    assert result.exit_code == 0
    assert "التغطية لكل بند من المتطلبات" in result.output
    assert "تقاسم الأعباء" in result.output
    assert "Coverage per requirement line" not in result.output


def test_assess_json_is_machine_readable(run):
    result = run("assess", "--format", "json")
    data = json.loads(result.output)
    assert data["requirement"] == "reassurance"
    assert data["run"]["inputs_hash"]
    assert {c["item"] for c in data["coverage"]} >= {"land", "air_policing"}


def test_assumptions_change_the_package(run):
    base = json.loads(run("assess", "--format", "json").output)
    without = json.loads(run("assess", "--format", "json", "--assume", "us_backstop=false").output)
    land = {c["item"]: c for c in base["coverage"]}["land"]
    land_without = {c["item"]: c for c in without["coverage"]}["land"]
    # The UK's brigade is conditioned on a US backstop.
    assert land_without["offered"] == land["offered"] - 1
    assert any(
        e["offer"]["country"] == "GBR" and e["unmet"] == ["us_backstop"]
        for e in without["excluded"]
    )
    assert without["run"]["inputs_hash"] != base["run"]["inputs_hash"]


def test_requirement_changes_the_assessment(run):
    data = json.loads(run("assess", "--format", "json", "--requirement", "deterrence").output)
    assert data["requirement"] == "deterrence"
    assert data["assumptions"]["combat_role"] is True
    # Offers conditioned on staying away from the line do not count for deterrence.
    assert any("away_from_contact_line" in e["unmet"] for e in data["excluded"])


def test_assess_csv(run):
    rows = list(
        csv.reader(io.StringIO(run("assess", "--format", "csv", "--table", "burden").output))
    )
    assert rows[0][0] == "Country"
    assert any(r[0] == "France" for r in rows[1:])


def test_bad_assumptions_are_clear_errors(run):
    result = run("assess", "--assume", "us_backstop=maybe", "--assume", "nonsense")
    assert result.exit_code == 2
    assert "'maybe' is not true or false" in result.output
    assert "not of the form name=true|false" in result.output
    result = run("assess", "--assume", "martians=true")
    assert result.exit_code == 2 and "unknown assumption 'martians'" in result.output


def test_unknown_requirement(run):
    result = run("assess", "--requirement", "conquest")
    assert result.exit_code == 2
    assert "no requirements named 'conquest'" in result.output


def test_assess_writes_plots(run, tmp_path):
    for lang in ("en", "ar"):
        target = tmp_path / f"coverage-{lang}.png"
        result = run("assess", "--lang", lang, "--plot", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size > 20_000


def test_questionnaire_commands(run):
    shown = run("questionnaire", "show")
    assert "force_size_personnel" in shown.output
    assert "حجم القوة" in run("questionnaire", "show", "--lang", "ar").output
    schema = json.loads(run("questionnaire", "schema").output)
    assert schema["$schema"].endswith("2020-12/schema")
    template = yaml.safe_load(run("questionnaire", "template", "--country", "GBR").output)
    assert template["country"] == "GBR"
    # Pre-filled from the UK's latest revision (the shipped scenario's answers).
    assert template["answers"]["force_size_personnel"] == 30000


def test_submit_history_show(run, tmp_path):
    template = run("questionnaire", "template", "--country", "FRA").output
    data = yaml.safe_load(template)
    data["answers"]["force_size_personnel"] = 40000
    path = tmp_path / "fra.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    stored = run("submit", str(path), "--country", "FRA", "--as", "paris-desk")
    assert stored.exit_code == 0, stored.output
    assert "Stored revision 2 of FRA" in stored.output

    history = run("history", "--country", "FRA")
    assert "paris-desk" in history.output and "scenario:ukraine-2025" in history.output
    assert "force_size_personnel" in history.output

    first = yaml.safe_load(run("show", "--country", "FRA", "--revision", "1").output)
    latest = yaml.safe_load(run("show", "--country", "FRA").output)
    assert first["answers"]["force_size_personnel"] == 30000
    assert latest["answers"]["force_size_personnel"] == 40000
    assert latest["revision"] == 2


def test_invalid_submission_stores_nothing(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "answers:\n  force_size_personnel: -5\n  forces:\n"
        "    - {capability: death_star, units: 1}\n",
        encoding="utf-8",
    )
    result = run("submit", str(path), "--country", "FRA")
    assert result.exit_code == 2
    assert "nothing was stored" in result.output
    assert "answers.force_size_personnel: -5 is below the minimum of 0" in result.output
    assert "answers.forces[0].capability: 'death_star' is not one of" in result.output
    assert "Traceback" not in result.output
    assert yaml.safe_load(run("show", "--country", "FRA").output)["revision"] == 1


def test_invalid_submission_in_arabic(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("answers: [1, 2\n", encoding="utf-8")
    result = run("submit", str(path), "--country", "FRA", "--lang", "ar")
    assert result.exit_code == 2
    assert "ليس YAML أو JSON صالحًا" in result.output


def test_draft_then_submit(run, tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text("answers:\n  force_size_personnel: 12000\n", encoding="utf-8")
    assert run("submit", str(path), "--country", "NLD").exit_code == 2
    drafted = run("submit", str(path), "--country", "NLD", "--draft")
    assert drafted.exit_code == 0 and "(draft)" in drafted.output


def test_missing_file_and_unknown_country(run, tmp_path):
    result = run("submit", str(tmp_path / "nope.yaml"), "--country", "FRA")
    assert result.exit_code == 2 and "cannot read the file" in result.output
    result = run("history", "--country", "XYZ")
    assert result.exit_code == 2 and "'XYZ' is not a known" in result.output
    result = run("show", "--country", "FRA", "--revision", "9")
    assert result.exit_code == 1 and "has no revision 9" in result.output


def test_check_and_requirements(run):
    result = run("check")
    assert result.exit_code == 0 and "All checks passed." in result.output
    listed = run("requirements").output
    assert "deterrence" in listed and "monitoring" in listed


def test_a_misspelled_capability_in_a_user_requirement_is_an_error(run, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: mine\nlabel: {en: Mine, ar: متطلبي}\ndescription: {en: d, ar: و}\n"
        "posture: reassurance\n"
        "sustain_years: {value: 2, unit: years, assumption: true}\n"
        "rotation_ratio: {value: 3, unit: ratio, assumption: true}\n"
        "items:\n  - id: land\n    label: {en: Land, ar: بر}\n"
        "    capabilities: [land_brigade_medum]\n    roles: [reassurance]\n"
        "    units: {value: 2, unit: units, assumption: true}\n",
        encoding="utf-8",
    )
    result = run("assess", "--requirement", str(path))
    assert result.exit_code == 2
    assert "unknown capability 'land_brigade_medum'" in result.output


def test_a_capitals_own_condition_can_be_assumed(run, tmp_path):
    data = yaml.safe_load(run("questionnaire", "template", "--country", "FRA").output)
    data["answers"]["forces"][0]["other_conditions"] = [
        {"code": "referendum", "text": "Approved by referendum"}
    ]
    path = tmp_path / "fra.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("submit", str(path), "--country", "FRA").exit_code == 0
    held = json.loads(run("assess", "--format", "json").output)
    assert any(e["unmet"] == ["referendum"] for e in held["excluded"])
    met = json.loads(run("assess", "--format", "json", "--assume", "referendum=true").output)
    assert not any("referendum" in e["unmet"] for e in met["excluded"])
