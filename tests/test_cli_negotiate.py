"""``guarantor negotiate`` and ``guarantor map`` on the shipped scenario, good and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from guarantor.cli import app


@pytest.fixture()
def run(db_url):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--db", db_url, *args], catch_exceptions=False)

    return invoke


def test_negotiate_names_the_red_lines_that_block_every_deal(run):
    result = run("negotiate")
    assert result.exit_code == 0, result.output
    assert "No deal is acceptable to every party." in result.output
    assert "cannot both hold" in result.output
    assert "Tracks" in result.output


def test_negotiate_json_lists_blocking_sets_with_their_parties(run):
    data = json.loads(run("negotiate", "--format", "json").output)
    assert data["feasible"] is False
    assert data["deals"] == []
    parties = {c["party"] for b in data["blocking"] for c in b["constraints"]}
    assert parties >= {"RUS", "UKR"}
    assert data["deals_possible"] > 1_000_000


def test_relaxing_red_lines_opens_ranked_explained_deals(run):
    result = run(
        "negotiate", "--relax", "RUS.donetsk", "--relax", "RUS.luhansk", "--format", "json"
    )
    data = json.loads(result.output)
    assert data["feasible"] is True
    assert data["what_if"]["feasible_before"] is False and data["what_if"]["opened"]
    first = data["deals"][0]
    assert first["options"] == data["nash"]["options"]
    assert all(g >= 0 for g in first["gain"].values())
    assert 0 <= first["acceptable_share"] <= 1
    assert {t["issue"] for t in first["terms"]} == set(first["options"])
    assert {t["region"] for t in first["territory"]} >= {"UA-14", "UA-09"}


def test_negotiate_csv_has_one_row_per_deal(run):
    out = run(
        "negotiate",
        "--relax",
        "RUS.donetsk",
        "--relax",
        "RUS.luhansk",
        "--format",
        "csv",
        "--limit",
        "4",
    )
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert len(rows) == 4
    assert rows[0]["rank"] == "1" and rows[0]["nash"] == "1"
    assert float(rows[0]["utility_RUS"]) > 0


def test_negotiate_in_arabic(run):
    result = run("negotiate", "--lang", "ar")
    assert result.exit_code == 0
    assert "لا يوجد اتفاق" in result.output
    assert "No deal" not in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--relax", "RUS"], "is not of the form PARTY.RED_LINE"),
        (["--relax", "RUS.no_such_line"], "RUS has no red line 'no_such_line'"),
        (
            ["--forbid", "UKR.territory_donetsk=nowhere"],
            "'nowhere' is not an option of territory_donetsk",
        ),
        (["--weight", "XXX.sanctions=2"], "unknown party 'XXX'"),
    ],
)
def test_bad_what_ifs_are_clear_errors(run, args, expected):
    result = CliRunner().invoke(app, ["negotiate", *args])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_map_writes_the_control_map(run, tmp_path, suffix):
    target = tmp_path / f"control.{suffix}"
    result = run("map", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000


def test_map_of_a_deal_in_arabic(run, tmp_path):
    target = tmp_path / "deal.svg"
    relax = ["--relax", "RUS.donetsk", "--relax", "RUS.luhansk"]
    result = run("map", "--deal", "1", *relax, "--lang", "ar", "--output", str(target))
    assert result.exit_code == 0, result.output
    svg = target.read_text(encoding="utf-8")
    assert "بند الاتفاق" in svg  # the legend title, in Arabic
    assert svg.count('id="UA-') == 27


def test_map_of_a_deal_that_does_not_exist_is_a_clear_error(run, tmp_path):
    # The shipped positions admit no deal, so there is no deal 1 without a what-if.
    result = run("map", "--deal", "1", "--output", str(tmp_path / "x.png"))
    assert result.exit_code == 2
    assert "there is no deal 1: the analysis ranked 0" in result.output
