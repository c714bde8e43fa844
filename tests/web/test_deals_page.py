"""The enforceable-deals pages: who may see them, the blocking red lines as shipped, the deals a
what-if opens, the comparison (maps, gap charts, Shapley), its limits, the exports, the PDF
brief in both languages, bad what-ifs shown inline, and Arabic.

The stress tests run with few draws, in this process (``WORKERS = 1``): every test starts
from a fresh database, so each what-if is computed once per test."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib

import pytest

from guarantor.web import deals as deals_page

PAGE = "/deals"
RELAX = "relax=UKR.donetsk&relax=UKR.luhansk"
REGION_ID = re.compile(r'<g id="(UA-[0-9A-Z]+)"')


@pytest.fixture(autouse=True)
def _few_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deals_page, "DRAWS", 500)
    monkeypatch.setattr(deals_page, "SHAPLEY_DRAWS", 50)
    monkeypatch.setattr(deals_page, "WORKERS", 1)


def _text(html: str) -> str:
    """The page without its inline figures (large, and full of path data)."""
    return re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S).replace("&#39;", "'")


def _deal_rows(page: str) -> list[str]:
    rows = re.search(r'<table id="deals".*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert rows is not None, page[:3000]
    return re.findall(r"<tr>(.*?)</tr>", rows.group(1), flags=re.S)


def _compare_refusals(client) -> None:
    """Five deals, none, one that is not there, a rank that is not a number: a clear
    message on the deals page (400), the ticked boxes kept, no traceback."""
    ranks = "&".join(f"rank={r}" for r in range(1, 6))
    refused = client.get(f"{PAGE}/compare?{RELAX}&{ranks}")
    assert refused.status_code == 400
    page = _text(refused.text)
    assert 'id="compare-errors"' in page
    assert "At most 4 deals can be compared; 5 were ticked." in page
    assert "Traceback" not in page
    assert '<input type="checkbox" name="rank" value="5" id="pick-5" checked' in page
    # No deal ticked, a deal that is not there, a rank that is not a number.
    nothing = client.get(f"{PAGE}/compare?{RELAX}")
    assert nothing.status_code == 400 and "Tick at least one deal" in nothing.text
    missing = client.get(f"{PAGE}/compare?{RELAX}&rank=11")
    assert missing.status_code == 400
    assert "There is no such deal to compare: 11 is outside the range 1 to 10" in missing.text
    wrong = client.get(f"{PAGE}/compare?{RELAX}&rank=first")
    assert wrong.status_code == 400 and "expected integer, found text (first)" in wrong.text


@pytest.mark.parametrize("username", ["coordinator", "analyst"])
def test_as_shipped_the_blocking_red_lines(client_for, username):
    client = client_for(username)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = _text(response.text)
    assert "<h1>Enforceable deals · " in page
    assert "No deal is acceptable to every party." in page
    blocking = re.search(r'<ul id="blocking">(.*?)</ul>', page, flags=re.S)
    assert blocking is not None
    assert blocking.group(1).count("<li>") == 2
    assert "cannot both hold" in blocking.group(1)
    assert "Ukraine's red line" in blocking.group(1) and "Russia's red line" in blocking.group(1)
    assert 'id="deals"' not in page
    # The form: every party's red lines as checkboxes, and the other what-ifs.
    assert '<input type="checkbox" name="relax" value="UKR.donetsk" >' in page
    assert '<input type="checkbox" name="relax" value="RUS.luhansk" >' in page
    for name in ("min_hold", "instrument", "withdraw", "posture"):
        assert f'name="{name}"' in page, name
    assert '<option value="article5-like" >' in page
    assert '<option value="monitoring" >' in page
    assert '<option value="FRA" >' in page
    # The header links to the page.
    assert '<a href="/deals">Enforceable deals</a>' in page


def test_capitals_are_refused_and_anonymous_users_log_in(client_for):
    capital = client_for("fra")
    for url in (
        PAGE,
        f"{PAGE}?{RELAX}",
        f"{PAGE}/compare?{RELAX}&rank=1&rank=2",
        f"{PAGE}/compare.pdf?{RELAX}&rank=1",
        f"{PAGE}/export.json",
        f"{PAGE}/export.csv",
    ):
        assert capital.get(url).status_code == 403, url
    assert 'href="/deals"' not in capital.get("/").text
    anonymous = client_for(None)
    response = anonymous.get(f"{PAGE}?{RELAX}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fdeals%3Frelax")


def test_relax_lists_deals_and_compares_them(client_for):
    client = client_for("analyst")
    response = client.get(f"{PAGE}?{RELAX}")
    assert response.status_code == 200
    page = _text(response.text)
    assert "No deal is acceptable" not in page
    rows = _deal_rows(page)
    assert len(rows) == 10
    assert '<th scope="row" class="num">1 ★</th>' in rows[0]
    # Every row: a box to tick, its terms, and P(holds) with its interval.
    for rank, row in enumerate(rows, start=1):
        assert f'name="rank" value="{rank}"' in row
        hold = re.search(r'class="num hold"><bdi dir="ltr">([^<]+)</bdi>', row)
        assert hold is not None, row
        assert re.fullmatch(r"[\d.]+% \[[\d.]+%–[\d.]+%\]", hold.group(1)), hold.group(1)
        assert "<details><summary>All terms</summary>" in row
    assert "Deals acceptable to every party that the offered forces hold with P ≥ 80%" in page
    # The relaxed red lines stay ticked; the comparison form carries the what-if along.
    assert '<input type="checkbox" name="relax" value="UKR.donetsk" checked>' in page
    assert '<input type="hidden" name="relax" value="UKR.luhansk">' in page
    assert f'href="/deals/export.csv?{RELAX.replace("&", "&amp;")}"' in page

    # Two deals side by side: two columns, two maps of the line, two gap charts.
    compared = client.get(f"{PAGE}/compare?{RELAX}&rank=1&rank=3")
    assert compared.status_code == 200
    html = compared.text
    page = _text(html)
    head = re.search(r'<table id="compare".*?<thead><tr>(.*?)</tr>', page, flags=re.S)
    assert head is not None
    assert re.findall(r'<th scope="col">(.*?)</th>', head.group(1)) == ["Deal 1 ★", "Deal 3"]
    body = re.search(r'<table id="compare".*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert body is not None
    assert "Territory: Donetsk" in body.group(1)
    assert "P(holds) [95% interval]" in body.group(1)
    maps = re.findall(r'<figure class="map deal-map">(.*?)</figure>', html, flags=re.S)
    assert len(maps) == 2
    for svg in maps:
        assert "<svg" in svg
        assert len(set(REGION_ID.findall(svg))) == 27
        assert 'id="line-boundary"' in svg
    assert len(re.findall(r'<figure class="chart gap-chart">', html)) == 2
    assert '<table id="shapley"' in page
    assert '<h2 id="t-provenance">Provenance</h2>' in page
    assert "20250815" in page  # the seed
    assert f'href="/deals/compare.pdf?{RELAX.replace("&", "&amp;")}&amp;rank=1&amp;rank=3"' in page

    _compare_refusals(client)


def test_exports(client_for):
    client = client_for("coordinator")
    response = client.get(f"{PAGE}/export.json?{RELAX}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.text)
    for key in ("negotiation", "min_hold", "parties", "deals", "nash", "blocking", "run"):
        assert key in body, key
    assert len(body["deals"]) == 10 and body["enforceable_count"] >= 10
    first = body["deals"][0]
    assert 0 <= first["holds"]["low"] <= first["holds"]["value"] <= first["holds"]["high"] <= 1
    assert body["what_ifs"] == ["relax UKR.donetsk", "relax UKR.luhansk"]
    assert body["run"]["seed"] == 20250815 and len(body["run"]["inputs_hash"]) == 64
    plain = client.get(f"{PAGE}/export.json")
    assert plain.json()["deals"] == []
    assert plain.json()["blocking"][0]["text"].endswith("cannot both hold")

    table = client.get(f"{PAGE}/export.csv?{RELAX}")
    assert table.status_code == 200
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][0] == "rank" and "utility_UKR" in rows[0]
    assert rows[0][-3:] == ["holds", "holds_low", "holds_high"]
    assert len(rows) == 11
    assert client.get(f"{PAGE}/export.xml").status_code == 404
    refused = client.get(f"{PAGE}/export.json?relax=nonsense")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "whatif.syntax"
    audited = client.app.state.portal.accounts.audit_entries("deals/")
    assert {e.details["format"] for e in audited if e.action == "export"} == {"json", "csv"}


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: its objects (WeasyPrint packs them in compressed object
    streams), page contents and font maps."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_pdf_brief_in_both_languages(client_for):
    client = client_for("coordinator")
    response = client.get(f"{PAGE}/compare.pdf?{RELAX}&rank=1&rank=2")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    streams = pdf_streams(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b", streams))
    assert pages >= 6, pages  # each language: the table, the maps, the gap charts
    # Both languages: the embedded Arabic font, with Arabic letters in its glyph map.
    assert b"Guarantor-Arabic" in streams
    assert re.search(rb"<06[2-4][0-9a-fA-F]>", streams), "no Arabic glyphs mapped"
    # Too many deals, or a bad what-if: 400 with the message.
    ranks = "&".join(f"rank={r}" for r in range(1, 6))
    refused = client.get(f"{PAGE}/compare.pdf?{RELAX}&{ranks}")
    assert refused.status_code == 400
    assert refused.text == "At most 4 deals can be compared; 5 were ticked."
    bad = client.get(f"{PAGE}/compare.pdf?relax=nonsense&rank=1")
    assert bad.status_code == 400 and "PARTY.RED_LINE" in bad.text
    audited = client.app.state.portal.accounts.audit_entries("deals/")
    assert [e.details["ranks"] for e in audited if e.details.get("format") == "pdf"] == [[1, 2]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("relax=nonsense", "Relax red lines: 'nonsense' is not of the form PARTY.RED_LINE"),
        ("relax=UKR.nope", "Relax red lines: UKR has no red line 'nope'"),
        ("min_hold=lots", "Least P(holds): expected number, found text (lots)"),
        ("min_hold=1.5", "Least P(holds): 1.5 is outside the range 0 to 1"),
        ("instrument=treaty", "Guarantee form for every deal: 'treaty' is not an option"),
        ("posture=siege", "Posture for every deal: unknown posture 'siege'"),
        ("withdraw=XYZ", "Withdraw a capital's offers: XYZ has no offer to withdraw"),
        ("&".join(f"relax=RUS.r{i}" for i in range(30)), "too many entries (at most 24)"),
    ],
)
def test_bad_what_if_is_shown_inline(client_for, query, message):
    """A bad what-if answers 400 with the message above the form and the deals without
    what-ifs below it (the blocking red lines); never a 500 or a traceback."""
    client = client_for("analyst")
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    page = _text(response.text)
    assert 'id="whatif-errors"' in page and message in page, page[:3000]
    assert "Traceback" not in page
    assert 'id="blocking"' in page
    assert 'href="/deals/export.csv"' in page  # the exports of what is shown


def test_shortfall_sentences_and_fixes(client_for):
    """With a threshold no deal clears, the page says why, deal by deal, and what would fix
    it."""
    client = client_for("coordinator")
    response = client.get(f"{PAGE}?{RELAX}&min_hold=0.99")
    assert response.status_code == 200
    page = _text(response.text)
    assert 'id="deals"' not in page
    assert "but the offered forces hold none of them with P ≥ 99%" in page
    shortfalls = re.search(r'<div id="shortfalls">(.*?)</div>', page, flags=re.S)
    assert shortfalls is not None
    assert "<h3>Acceptable deal 1:</h3>" in shortfalls.group(1)
    assert "below 99%" in shortfalls.group(1)
    assert 'value="0.99"' in page


def test_arabic(client_for):
    client = client_for("coordinator")
    switched = client.post("/lang", data={"csrf_token": client.csrf, "lang": "ar", "next": "/"})
    assert switched.status_code == 303
    page = _text(client.get(PAGE).text)
    assert '<html lang="ar" dir="rtl">' in page
    assert "لا يوجد اتفاق مقبول لدى جميع الأطراف." in page
    assert "الخط الأحمر" in page
    # Codes stay left to right inside the right-to-left page.
    assert '<code dir="ltr">UKR.donetsk</code>' in page
    assert '<input id="min_hold" name="min_hold" dir="ltr"' in page
    compared = client.get(f"{PAGE}/compare?{RELAX}&rank=1&rank=2")
    assert compared.status_code == 200
    assert '<html lang="ar" dir="rtl">' in compared.text
    assert len(re.findall(r'<figure class="map deal-map">', compared.text)) == 2
