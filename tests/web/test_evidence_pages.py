"""The evidence pages: who may see them, adding documents through the form (all or nothing,
each document once), the claims filters, a document highlighted (right to left in Arabic),
a person's page across languages, the trace of a datum, and the links from the dashboard
and the negotiation page."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from guarantor.evidence.ingest import Meta
from guarantor.services.evidence import list_documents
from guarantor.services.evidence_web import add_uploads
from tests.web.conftest import ROUND

# Written for these tests (not taken from the development corpus).
ARABIC = (
    "قال المبعوث الأمريكي كيث كيلوغ يوم السبت إن الإدارة تدرس خيارات عدة للضمانات الأمنية.\n"
    "وقال ثلاثة مسؤولين أوروبيين إن الرد سيستغرق أسابيع."
)
ENGLISH = (
    "U.S. envoy Keith Kellogg said on Saturday that the administration was weighing several "
    "options for security guarantees. Two European officials said the answers would take weeks."
)
TRACE = "parties.RUS.red_lines.nato_membership"
PAGES = (
    "/evidence",
    "/evidence/claims",
    "/evidence/claims?kind=anonymous",
    "/evidence/people/kellogg",
    f"/evidence/trace?path={TRACE}",
)
DOCUMENT_LINK = re.compile(r'href="/evidence/documents/([0-9a-f]{64})"')


@pytest.fixture()
def stored(portal) -> dict[str, str]:
    """The two test documents, added through the service: language -> document id."""
    done = add_uploads(
        portal.settings,
        [("kellogg-ar.txt", ARABIC.encode("utf-8")), ("kellogg-en.txt", ENGLISH.encode("utf-8"))],
        Meta(date="2025-02-15"),
    )
    assert len(done.added) == 2
    documents = {d.document.lang: d.document.id for d in list_documents(portal.settings)}
    return documents


def _upload(client, files, **fields):
    data = {"csrf_token": client.csrf, **fields}
    return client.post(
        "/evidence",
        data=data,
        files=[("files", (name, content, "text/plain")) for name, content in files],
    )


def _count(portal) -> int:
    return len(list_documents(portal.settings))


def _rows(html: str, table: str) -> list[str]:
    body = re.search(rf'<table id="{table}".*?<tbody>(.*?)</tbody>', html, flags=re.S)
    assert body is not None, f"no table {table}"
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S)


@pytest.mark.parametrize("username", ["coordinator", "analyst"])
def test_every_page_renders_for_coordinator_and_analyst(client_for, stored, username):
    client = client_for(username)
    for url in (*PAGES, f"/evidence/documents/{stored['ar']}"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:2000])
        assert "Traceback" not in response.text
    assert '<a href="/evidence">Evidence</a>' in client.get("/").text


def test_capitals_are_refused_and_anonymous_users_log_in(client_for, stored):
    capital = client_for("fra")
    for url in (*PAGES, f"/evidence/documents/{stored['ar']}"):
        assert capital.get(url).status_code == 403, url
    refused = _upload(capital, [("x.txt", ENGLISH.encode())])
    assert refused.status_code == 403
    assert 'href="/evidence"' not in capital.get("/").text
    anonymous = client_for(None)
    response = anonymous.get(f"/evidence/trace?path={TRACE}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fevidence%2Ftrace%3Fpath")


def test_upload_stores_once_and_a_second_upload_stores_nothing(client_for, portal):
    client = client_for("analyst")
    files = [("report-ar.txt", ARABIC.encode("cp1256")), ("report-en.txt", ENGLISH.encode())]
    first = _upload(client, files, outlet="Test Wire", date="2025-02-15", lang="")
    assert first.status_code == 303, first.text[:3000]
    assert first.headers["location"] == "/evidence?added=2&claims=4&already=0"
    page = client.get(first.headers["location"]).text
    assert "2 documents added (4 attributions); 0 already stored." in page
    assert len(DOCUMENT_LINK.findall(page)) == 2
    assert page.count("Test Wire") == 2
    stored = list_documents(portal.settings)
    assert {d.added_by for d in stored} == {"analyst"}
    assert {d.document.origin for d in stored} == {"report-ar.txt", "report-en.txt"}

    again = _upload(client, files[:1])
    assert again.status_code == 303
    assert again.headers["location"] == "/evidence?added=0&claims=0&already=1"
    assert _count(portal) == 2
    audit = portal.accounts.audit_entries("evidence")
    assert [e.action for e in audit] == ["evidence.add", "evidence.add"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("empty.txt", b"")], "empty.txt is empty"),
        (
            [("batch.jsonl", b'{"text": "Officials said the talks were over."}\n{broken\n')],
            "batch.jsonl, line 2: not valid JSON",
        ),
        ([("blob.bin", bytes(range(256)) * 8)], "blob.bin is not a text file"),
        (
            [("figures.txt", b"2025 -- 30000 / 25000")],
            "figures.txt: cannot tell the language; choose it under",
        ),
    ],
)
def test_a_bad_upload_shows_the_error_and_stores_nothing(client_for, portal, files, message):
    client = client_for("coordinator")
    response = _upload(client, [("good.txt", ENGLISH.encode()), *files])
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert message in response.text, response.text[:4000]
    assert "Traceback" not in response.text
    assert _count(portal) == 0
    # What was typed stays in the form.
    again = _upload(client, files, outlet="Kept Outlet")
    assert 'value="Kept Outlet"' in again.text


def test_skip_bad_stores_the_good_lines_and_lists_the_bad(client_for, portal):
    client = client_for("coordinator")
    lines = [json.dumps({"text": ENGLISH, "lang": "en"}), "{broken"]
    response = _upload(client, [("batch.jsonl", "\n".join(lines).encode())], skip_bad="1")
    assert response.status_code == 200
    assert "1 documents added" in response.text
    assert "batch.jsonl, line 2: not valid JSON" in response.text
    assert _count(portal) == 1


def test_upload_needs_a_file_a_valid_date_and_the_csrf_token(client_for, portal):
    client = client_for("coordinator")
    nothing = client.post("/evidence", data={"csrf_token": client.csrf})
    assert nothing.status_code == 422
    assert "Choose at least one file to add." in nothing.text
    bad_date = _upload(client, [("en.txt", ENGLISH.encode())], date="15/02/2025")
    assert bad_date.status_code == 422
    assert "is not a date (YYYY-MM-DD)" in bad_date.text
    long_outlet = _upload(client, [("en.txt", ENGLISH.encode())], outlet="x" * 201)
    assert long_outlet.status_code == 422
    assert "outlet: too long (at most 200 characters)" in long_outlet.text
    forged = client.post(
        "/evidence",
        data={"csrf_token": "forged"},
        files=[("files", ("en.txt", ENGLISH.encode(), "text/plain"))],
    )
    assert forged.status_code == 403
    assert _count(portal) == 0


def test_claims_filters(client_for, stored):
    client = client_for("analyst")
    everything = client.get("/evidence/claims").text
    assert len(_rows(everything, "claims")) == 4
    # The selects offer the values present.
    assert '<option value="anonymous" >anonymous</option>' in everything
    assert '<option value="european" >European</option>' in everything

    anonymous = _rows(client.get("/evidence/claims?kind=anonymous").text, "claims")
    assert len(anonymous) == 2
    assert all(">anonymous<" in row and ">named<" not in row for row in anonymous)

    for name in ("Kellogg", "كيلوغ", "كيلوج", "kellogg"):
        page = client.get(f"/evidence/claims?speaker={quote(name)}").text
        rows = _rows(page, "claims")
        assert len(rows) == 2, name
        assert all('href="/evidence/people/kellogg"' in row for row in rows)
        assert set(DOCUMENT_LINK.findall("".join(rows))) == set(stored.values())
        assert 'id="entity-link"' in page

    european = _rows(client.get("/evidence/claims?affiliation=european").text, "claims")
    assert len(european) == 2
    topic = _rows(client.get("/evidence/claims?topic=guarantee_form&kind=named").text, "claims")
    assert len(topic) == 2
    written = client.get(f"/evidence/claims?speaker={quote('officials')}").text
    assert len(_rows(written, "claims")) == 1
    none = client.get("/evidence/claims?kind=outlet").text
    assert 'id="no-claims"' in none and "0 of 4 claims match." in none


def test_document_page_is_right_to_left_for_arabic_and_highlights(client_for, stored):
    client = client_for("coordinator")
    page = client.get(f"/evidence/documents/{stored['ar'][:10]}").text  # a prefix will do
    assert '<html lang="en" dir="ltr">' in page
    text = re.search(
        r'<div class="evidence-text" id="document-text" ([^>]*)>(.*?)</div>', page, re.S
    )
    assert text is not None
    assert 'lang="ar" dir="rtl"' in text.group(1)
    speakers = re.findall(r'<span class="speaker">(.*?)</span>', text.group(2))
    assert any("كيلوغ" in s for s in speakers), text.group(2)
    assert '<span class="cue">' in text.group(2) and "quote" in text.group(2)
    assert 'id="legend"' in page
    assert len(_rows(page, "document-claims")) == 2

    english = client.get(f"/evidence/documents/{stored['en']}?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in english
    assert re.search(r'id="document-text" lang="en" dir="ltr"', english)

    missing = client.get("/evidence/documents/abcdef")
    assert missing.status_code == 404
    assert "no stored document starts with &#39;abcdef&#39;" in missing.text


def test_person_page_merges_both_languages(client_for, stored):
    client = client_for("analyst")
    for who in ("kellogg", quote("كيلوج")):
        response = client.get(f"/evidence/people/{who}")
        assert response.status_code == 200
        page = response.text
        assert "<h1>Keith Kellogg</h1>" in page
        assert "كيث كيلوغ" in page  # the Arabic name
        assert re.search(r'id="aliases">.*كيلوج.*</ul>', page, re.S)
        rows = _rows(page, "person-claims")
        assert len(rows) == 2
        assert set(DOCUMENT_LINK.findall("".join(rows))) == set(stored.values())
        assert "2 claims in 2 documents" in page
    arabic = client.get("/evidence/people/kellogg?lang=ar").text
    assert "<h1>كيث كيلوغ</h1>" in arabic and '<html lang="ar" dir="rtl">' in arabic
    unknown = client.get("/evidence/people/nobody-at-all")
    assert unknown.status_code == 404


def test_trace_lists_the_seed_report_and_its_claims(client_for):
    client = client_for("coordinator")
    response = client.get(f"/evidence/trace?path={TRACE}")
    assert response.status_code == 200
    page = response.text
    sources = _rows(page, "sources")
    assert any(">seed-003</code>" in row for row in sources)
    assert "shipped with Guarantor" in page
    assert 'id="doc-seed-003"' in page
    assert len(_rows(page, "trace-claims")) >= 1
    assert 'id="datum-value"' in page and 'id="datum-assumption"' in page

    assumption = client.get("/evidence/trace?path=assumptions.us_backstop").text
    assert "Yes: an assumption, not a sourced figure." in assumption

    bad = client.get("/evidence/trace?path=parties.XXX.reservation")
    assert bad.status_code == 400
    assert 'role="alert"' in bad.text
    assert "no datum at &#39;parties.XXX.reservation&#39;" in bad.text
    assert 'value="parties.XXX.reservation"' in bad.text  # kept in the form

    arabic = client.get(f"/evidence/trace?path={TRACE}&lang=ar").text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "تتبّع" in arabic


def test_pages_in_arabic(client_for, stored):
    client = client_for("coordinator")
    for url in PAGES:
        page = client.get(url + ("&" if "?" in url else "?") + "lang=ar").text
        assert '<html lang="ar" dir="rtl">' in page, url
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert heading is not None and re.search(r"[\u0600-\u06FF]", heading.group(1)), url
    claims = client.get("/evidence/claims?lang=ar").text
    assert "مجهول" in claims or "مجهولة" in claims  # the kind, in Arabic


def test_dashboard_and_negotiation_link_to_traces(client_for):
    client = client_for("coordinator")
    dashboard = client.get(f"/rounds/{ROUND}/dashboard").text
    assert 'href="/evidence/trace?path=assumptions.us_backstop"' in dashboard
    assert 'href="/evidence/trace?path=assumptions.ceasefire_in_force"' in dashboard
    negotiation = client.get("/negotiation").text
    assert f'href="/evidence/trace?path={TRACE}"' in negotiation
    assert 'id="red-line-traces"' in negotiation
