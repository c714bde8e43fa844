"""``guarantor deals`` on the shipped scenario: no deal as shipped, deals with what-ifs,
formats, comparison, Arabic, and bad input as clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from guarantor.cli import app

FAST = ["--draws", "300", "--workers", "1"]
OPEN = ["--relax", "UKR.donetsk", "--relax", "UKR.luhansk"]


@pytest.fixture()
def run(db_url):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--db", db_url, "deals", *FAST, *args], catch_exceptions=False)

    return invoke


def test_as_shipped_no_deal_is_acceptable_and_the_red_lines_are_named(run):
    result = run()
    assert result.exit_code == 0, result.output
    assert "No deal is acceptable to every party" in result.output
    assert "Donetsk" in result.output


def test_relaxing_red_lines_gives_enforceable_deals_with_their_chain(run):
    result = run(*OPEN, "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["acceptable"] and out["enforceable_count"] >= 1
    deal = out["deals"][0]
    assert deal["holds"]["value"] >= out["min_hold"]
    assert deal["holds"]["low"] <= deal["holds"]["value"] <= deal["holds"]["high"]
    assert deal["line_km"] > 0 and deal["requirement"]
    assert set(deal["utility"]) == {"RUS", "UKR", "USA", "EUR"}
    # A warm cache: the same search computes nothing new.
    again = json.loads(run(*OPEN, "--format", "json", "--limit", "3").output)
    assert again["stats"]["computed"] == 0
    assert again["deals"][0]["holds"] == deal["holds"]


def test_a_threshold_no_deal_reaches_explains_the_shortfall(run):
    result = run(*OPEN, "--min-hold", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["enforceable_count"] == 0 and out["acceptable"]
    assert out["shortfalls"]
    first = out["shortfalls"][0]
    assert first["text"][0].startswith("P(holds) is")
    assert {f["kind"] for f in first["fixes"]} <= {"instrument", "condition", "units"}


def test_csv_and_comparison(run):
    table = list(csv.reader(io.StringIO(run(*OPEN, "--format", "csv", "--limit", "4").output)))
    assert table[0][0] == "rank" and "holds" in table[0] and len(table) == 5
    result = run(*OPEN, "--compare", "1", "--compare", "2")
    assert result.exit_code == 0, result.output
    assert "Deals side by side" in result.output and "#2" in result.output


def test_arabic(run):
    result = run(*OPEN, "--lang", "ar", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.output)


def test_what_ifs_say_which_deals_open_and_close(run):
    result = run(*OPEN, "--withdraw", "GBR", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "what_if" in json.loads(result.output)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--min-hold", "1.5"], "min_hold"),
        (["--withdraw", "XXX"], "no offer"),
        (["--add", "POL:brigade"], "COUNTRY:CAPABILITY:UNITS"),
        (["--instrument", "nato"], "guarantee_form"),
        (["--posture", "siege"], "unknown posture"),
        ([*OPEN, "--compare", "99"], "compare"),
        (["--seed", "-1"], "--seed"),
        (["--draws", "0"], "--draws"),
        (["--add", "FRA:land_brigade_medium:²"], "COUNTRY:CAPABILITY:UNITS"),
        (["--add", "FRA:land_brigade_medium:0"], "units"),
        (["--add", "FRA:land_brigade_medium:2:moon"], "moon"),
        (["--assume", "nonsense=true"], "nonsense"),
    ],
)
def test_bad_input_is_a_clear_error(run, args, expected):
    result = run(*args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert expected in result.output


# Ray starts its processes with fork/exec; when another test has imported JAX into this
# pytest process, JAX warns at the fork (its threads are not used by Ray's children).
@pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ray_sweep_gives_the_same_deals_as_local_processes(tmp_path):
    runner = CliRunner()
    db_url = f"sqlite:///{tmp_path / 'local.db'}"
    args = ["deals", "--draws", "300", *OPEN, "--format", "json", "--limit", "3"]
    local = runner.invoke(app, ["--db", db_url, *args, "--workers", "2"], catch_exceptions=False)
    fresh = f"sqlite:///{tmp_path / 'ray.db'}"
    on_ray = runner.invoke(app, ["--db", fresh, *args, "--ray"], catch_exceptions=False)
    assert local.exit_code == 0 and on_ray.exit_code == 0, on_ray.output
    a, b = json.loads(local.stdout), json.loads(on_ray.stdout)
    assert b["stats"]["computed"] > 0
    assert [d["holds"] for d in a["deals"]] == [d["holds"] for d in b["deals"]]


def test_a_package_with_no_offer_the_terms_allow_says_so(run, scenario):
    capitals = sorted({s.country for s in scenario.submissions if s.status == "submitted"})
    args = [a for c in capitals for a in ("--withdraw", c)]
    result = run(*OPEN, *args, "--limit", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert all(d["counted_offers"] == 0 for d in out["deals"])
    table = run(*OPEN, *args, "--limit", "3")
    assert "no offer counts under their terms" in table.output


@pytest.mark.parametrize("form", ["none", "budapest-like"])
def test_an_imposed_guarantee_form_keeps_only_its_deals(run, form):
    result = run(*OPEN, "--instrument", form, "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["enforceable_count"] >= 1
    assert {d["options"]["guarantee_form"] for d in out["deals"]} == {form}
    assert "what_if" in out


def test_showing_no_deal_is_not_a_shortfall(run):
    out = json.loads(run(*OPEN, "--limit", "0", "--format", "json").output)
    assert out["enforceable_count"] > 0
    assert out["deals"] == [] and out["shortfalls"] == []
