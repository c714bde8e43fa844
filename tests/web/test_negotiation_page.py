"""The negotiation page: who may see it, the blocking red lines, a what-if through the query,
bad what-ifs shown inline (400), the deal map, the exports, and Arabic."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from guarantor.web.negotiation import WhatIfs, analysed

PAGE = "/negotiation"
RELAX = "relax=RUS.donetsk&relax=RUS.luhansk"
REGION_ID = re.compile(r'<g id="(UA-[0-9A-Z]+)"')


def _text(html: str) -> str:
    """The page without its inline map (which is large and full of path data)."""
    return re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)


@pytest.mark.parametrize("username", ["coordinator", "analyst"])
def test_page_for_coordinator_and_analyst(client_for, username):
    client = client_for(username)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = _text(response.text)
    assert "<h1>Negotiation · " in page
    # No deal as shipped: the clashing red lines, named in words.
    assert "No deal is acceptable to every party." in page
    assert 'id="blocking"' in page
    assert "Russia's red line “Ukraine must withdraw from the rest of Donetsk”" in page.replace(
        "&#39;", "'"
    )
    assert "cannot both hold" in page
    # The tracks, the issues that need several tracks, the control map in a figure.
    assert '<table id="tracks"' in page and 'id="shared"' in page
    assert '<th scope="col">Track</th>' in page
    assert '<figure class="map">' in page and "<figcaption>" in page
    assert len(set(REGION_ID.findall(response.text))) == 27
    # The form lists every red line for relax.
    assert '<option value="UKR.donetsk"' in page and '<option value="RUS.luhansk"' in page
    # The header links to the page.
    assert '<a href="/negotiation">Negotiation</a>' in page


def test_capitals_are_refused_and_anonymous_users_log_in(client_for):
    capital = client_for("fra")
    for url in (PAGE, f"{PAGE}?{RELAX}", f"{PAGE}/deals/1/map.svg?{RELAX}", f"{PAGE}/export.csv"):
        assert capital.get(url).status_code == 403, url
    assert 'href="/negotiation"' not in capital.get("/").text
    anonymous = client_for(None)
    response = anonymous.get(f"{PAGE}?{RELAX}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fnegotiation%3Frelax")


def test_relax_what_if_opens_deals(client_for):
    client = client_for("coordinator")
    response = client.get(f"{PAGE}?{RELAX}")
    assert response.status_code == 200
    page = _text(response.text)
    assert "No deal is acceptable" not in page
    rows = re.search(r'<table id="deals".*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert rows is not None
    assert rows.group(1).count("<tr>") == 10
    assert '<th scope="row" class="num">1</th>' in rows.group(1)
    assert "Nash" in rows.group(1)
    opened = re.search(r'id="whatif-opened">Deals opened: ([\d,]+)<', page)
    assert opened is not None and int(opened.group(1).replace(",", "")) > 0
    assert "Before: a deal does not exist; after: a deal exists." in page
    # The first three deals issue by issue, with links to their maps under the same what-if.
    assert page.count("issue by issue (the party") == 3
    assert f'href="/negotiation/deals/1/map.svg?{RELAX.replace("&", "&amp;")}"' in page
    # The relaxed red lines stay selected in the form.
    assert '<option value="RUS.donetsk" selected>' in page
    assert '<option value="UKR.donetsk" >' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("relax=nonsense", "Relax red lines: &#39;nonsense&#39; is not of the form PARTY.RED_LINE"),
        ("relax=RUS.nope", "Relax red lines: RUS has no red line &#39;nope&#39;"),
        ("forbid=UKR.territory_donetsk=sell", "&#39;sell&#39; is not an option"),
        ("weight=RUS.nato_membership=lots", "Set a weight: &#39;RUS.nato_membership=lots&#39;"),
        ("reservation=RUS=500", "500.0 is outside the range 0.0 to 100.0"),
        ("reservation=XYZ=10", "unknown party &#39;XYZ&#39;"),
        ("&".join(f"relax=RUS.r{i}" for i in range(30)), "too many entries (at most 24)"),
    ],
)
def test_bad_what_if_is_shown_inline(client_for, query, message):
    """A bad what-if answers 400 with the message above the form, and the analysis without
    what-ifs below it; never a 500 or a traceback."""
    client = client_for("analyst")
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    page = _text(response.text)
    assert 'role="alert"' in page and message in page, page[:3000]
    assert "Traceback" not in page
    assert 'id="blocking"' in page  # the base case is still shown
    assert 'href="/negotiation/export.csv"' in page  # exports of what is shown


def test_bad_what_if_in_the_map_and_exports(client_for):
    client = client_for("coordinator")
    refused = client.get(f"{PAGE}/export.json?relax=nonsense")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "whatif.syntax"
    assert client.get(f"{PAGE}/export.csv?relax=nonsense").status_code == 400
    svg = client.get(f"{PAGE}/deals/1/map.svg?relax=nonsense")
    assert svg.status_code == 400
    assert "PARTY.RED_LINE" in svg.text


def test_deal_map_svg(client_for):
    client = client_for("analyst")
    response = client.get(f"{PAGE}/deals/1/map.svg?{RELAX}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert len(set(REGION_ID.findall(response.text))) == 27
    assert "<svg" in response.text
    # Out of range: a clear 404, for a rank past the list and for a case with no deal.
    missing = client.get(f"{PAGE}/deals/11/map.svg?{RELAX}")
    assert missing.status_code == 404
    assert "there is no deal 11: the analysis ranked 10" in missing.text
    none = client.get(f"{PAGE}/deals/1/map.svg")
    assert none.status_code == 404
    assert "there is no deal 1: the analysis ranked 0" in none.text


def test_exports(client_for):
    client = client_for("coordinator")
    response = client.get(f"{PAGE}/export.json?{RELAX}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.text)
    assert body["feasible"] is True and len(body["deals"]) == 10
    assert body["changes"] == ["relax RUS.donetsk", "relax RUS.luhansk"]
    assert body["what_if"]["feasible_before"] is False and body["what_if"]["opened"]
    plain = client.get(f"{PAGE}/export.json")
    assert plain.json()["blocking"][0]["text"].endswith("cannot both hold")

    table = client.get(f"{PAGE}/export.csv?{RELAX}")
    assert table.status_code == 200
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][0] == "rank" and "utility_RUS" in rows[0] and "km2_to_occupier" in rows[0]
    assert len(rows) == 11
    assert client.get(f"{PAGE}/export.xml").status_code == 404
    audited = client.app.state.portal.accounts.audit_entries("negotiation/")
    assert {e.details["format"] for e in audited if e.action == "export"} == {"json", "csv"}


def test_arabic(client_for):
    client = client_for("coordinator")
    switched = client.post("/lang", data={"csrf_token": client.csrf, "lang": "ar", "next": "/"})
    assert switched.status_code == 303
    page = _text(client.get(f"{PAGE}?{RELAX}").text)
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>التفاوض · " in page
    assert '<h2 id="whatif-title">ماذا لو</h2>' in page
    assert "الاتفاقات التي يفتحها التغيير" in page
    assert '<th scope="col">القضية</th>' in page
    # Codes stay left to right inside the right-to-left page.
    assert '<input name="forbid" dir="ltr"' in page
    blocked = _text(client.get(PAGE).text)
    assert "لا يوجد اتفاق مقبول لدى جميع الأطراف." in blocked
    assert "الخط الأحمر" in blocked
    refused = _text(client.get(f"{PAGE}?relax=nonsense").text)
    assert "التخلي عن خطوط حمراء: 'nonsense'" in refused.replace("&#39;", "'")


def test_the_analysis_is_cached_per_what_if():
    what_ifs = WhatIfs(relax=("RUS.donetsk", "RUS.luhansk"))
    first = analysed("ukraine-2025", what_ifs)
    hits = analysed.cache_info().hits
    assert analysed("ukraine-2025", WhatIfs(relax=("RUS.donetsk", "RUS.luhansk"))) is first
    assert analysed.cache_info().hits == hits + 1
    assert analysed("ukraine-2025", WhatIfs()) is not first


def test_switching_language_keeps_the_what_if(client_for):
    client = client_for("coordinator")
    page = client.get(f"{PAGE}?{RELAX}").text
    # The language form sends the page back with its query, so the what-if survives.
    assert f'name="next" value="{PAGE}?{RELAX.replace("&", "&amp;")}"' in page
    switched = client.post(
        "/lang", data={"csrf_token": client.csrf, "lang": "ar", "next": f"{PAGE}?{RELAX}"}
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == f"{PAGE}?{RELAX}"
