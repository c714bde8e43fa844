"""``guarantor evidence``: add, claims, who, trace, with good and bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guarantor.cli import app

# Written for these tests (not taken from the development corpus).
ARABIC = (
    "قال المبعوث الأمريكي كيث كيلوغ يوم السبت إن الإدارة تدرس خيارات عدة للضمانات الأمنية.\n"
    "وأضاف أن العواصم الأوروبية ستتلقى أسئلة مفصلة خلال أيام.\n"
    "وقال ثلاثة مسؤولين أوروبيين إن الرد سيستغرق أسابيع."
)
ENGLISH = (
    "U.S. envoy Keith Kellogg said on Saturday that the administration was weighing several "
    "options for security guarantees. Two European officials said the answers would take weeks."
)


@pytest.fixture()
def run(db_url):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--db", db_url, *args], catch_exceptions=False)

    return invoke


@pytest.fixture()
def files(tmp_path):
    ar = tmp_path / "ar.txt"
    ar.write_bytes(ARABIC.encode("cp1256"))  # Windows Arabic, as old newsroom files are
    en = tmp_path / "en.txt"
    en.write_text(ENGLISH, encoding="utf-8")
    return ar, en


def _ids(output: str) -> list[str]:
    return [line for line in output.splitlines() if len(line) == 64]


def test_add_stores_each_document_once(run, files):
    ar, en = files
    first = run("evidence", "add", str(ar), str(en), "--outlet", "Test", "--date", "2025-02-15")
    assert first.exit_code == 0, first.output
    assert len(_ids(first.output)) == 2
    again = run("evidence", "add", str(ar))
    assert again.exit_code == 0
    assert _ids(again.output) == []
    assert "1 already stored" in again.output
    listed = run("evidence", "documents").output
    assert listed.count("Test") == 2


def test_claims_of_an_arabic_document(run, files, tmp_path):
    ar, _ = files
    document = _ids(run("evidence", "add", str(ar)).output)[0]
    data = json.loads(run("evidence", "claims", document[:10], "--format", "json").output)
    speakers = [c["speaker"]["text"] for c in data if c["speaker"]]
    assert any("كيلوغ" in s for s in speakers)
    counted = [c for c in data if c["sources"] == 3]
    assert counted and counted[0]["kind"] == "anonymous"
    page = tmp_path / "claims.html"
    shown = run("evidence", "claims", document[:10], "--html", str(page), "--lang", "ar")
    assert shown.exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and 'class="speaker"' in html


def test_who_merges_spellings_across_languages(run, files):
    ar, en = files
    run("evidence", "add", str(ar), str(en))
    for name in ("Kellogg", "كيلوغ", "كيلوج"):
        data = json.loads(run("evidence", "who", name, "--format", "json").output)
        assert data["entity"] is not None
        documents = {c["document"] for c in data["claims"]}
        assert len(documents) == 2, name


def test_trace_a_red_line_to_the_seed_report(run):
    result = run("evidence", "trace", "parties.RUS.red_lines.nato_membership", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "seed-003" in {s["id"] for s in data["sources"]}
    assert any(d["source"] == "seed-003" for d in data["documents"])


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "empty.txt", "is empty"),
        (bytes(range(256)) * 8, "blob.bin", "is not a text file"),
        (b'{"text": "ok"}\n{broken\n', "batch.jsonl", "line 2: not valid JSON"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(run, tmp_path, files, content, name, expected):
    bad = tmp_path / name
    bad.write_bytes(content)
    good, _ = files
    result = run("evidence", "add", str(good), str(bad))
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert run("evidence", "documents").output.strip() == ""


def test_skip_bad_stores_the_good_lines(run, tmp_path):
    batch = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": ENGLISH, "lang": "en"}),
        "{broken",
        json.dumps({"text": ARABIC}, ensure_ascii=False),
    ]
    batch.write_text("\n".join(lines), encoding="utf-8")
    result = run("evidence", "add", str(batch), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert len(_ids(result.output)) == 2
    assert "line 2" in " ".join(result.output.split())


def test_unknown_document_and_datum_are_clear_errors(run):
    missing = run("evidence", "claims", "abcdef").output
    assert "no stored document starts with 'abcdef'" in " ".join(missing.split())
    result = run("evidence", "trace", "parties.XXX.reservation")
    assert result.exit_code == 2
    assert "no datum at 'parties.XXX.reservation'" in " ".join(result.output.split())
