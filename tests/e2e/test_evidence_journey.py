"""The evidence pages in a real browser: the coordinator uploads two reports, opens the Arabic
one with its attributions highlighted, follows the speaker to his page (both languages
merged), filters the claims, and traces a figure from the dashboard, in English and in Arabic
(screenshots of each page in both)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROUND, LiveServer
from tests.e2e.test_portal import PNG_MAGIC, _check_direction, _shot, login, switch_language

# Written for this test (not taken from the development corpus).
ARABIC = (
    "قال المبعوث الأمريكي كيث كيلوغ يوم السبت إن الإدارة تدرس خيارات عدة للضمانات الأمنية.\n"
    "وقال ثلاثة مسؤولين أوروبيين إن الرد سيستغرق أسابيع."
)
ENGLISH = (
    "U.S. envoy Keith Kellogg said on Saturday that the administration was weighing several "
    "options for security guarantees. Two European officials said the answers would take weeks."
)
ARABIC_TITLE = "كيلوغ: الإدارة تدرس خيارات الضمانات"
ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF]")


def _upload(page: Page, name: str, text: str, title: str, outlet: str) -> None:
    """Fill the form on /evidence and add one file."""
    page.set_input_files(
        "#files", files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    page.fill("#title", title)
    page.fill("#outlet", outlet)
    page.fill("#date", "2025-02-15")
    with page.expect_navigation():
        page.locator("form.upload button.primary").click()
    expect(page.locator("#evidence-outcome")).to_be_visible()


def _document(page: Page) -> None:
    """Open the Arabic document: right to left whatever the page's language, speakers marked."""
    with page.expect_navigation():
        page.locator("#documents a", has_text=ARABIC_TITLE).click()
    text = page.locator("#document-text")
    expect(text).to_have_attribute("dir", "rtl")
    expect(text.locator(".speaker").first).to_contain_text("كيلوغ")
    expect(text.locator(".cue").first).to_be_visible()
    expect(page.locator("#legend .speaker")).to_be_visible()
    expect(page.locator("#document-claims tbody tr")).to_have_count(2)


def _person(page: Page, lang: str) -> None:
    """Follow the speaker to his page: what he said in both languages."""
    with page.expect_navigation():
        page.locator('#document-claims a[href="/evidence/people/kellogg"]').first.click()
    expect(page.locator("#person-claims tbody tr")).to_have_count(2)
    expect(page.locator("#aliases")).to_contain_text("Kellogg")
    expect(page.locator("h1")).to_have_text("كيث كيلوغ" if lang == "ar" else "Keith Kellogg")


def _claims(page: Page) -> None:
    """Every claim, then only anonymous sources, through the filter form."""
    page.goto("/evidence/claims")
    expect(page.locator("#claims tbody tr")).to_have_count(4)
    page.select_option("#kind", "anonymous")
    with page.expect_navigation():
        page.locator("form.filters button.primary").click()
    assert "kind=anonymous" in page.url
    expect(page.locator("#claims tbody tr")).to_have_count(2)


def _trace(page: Page) -> None:
    """From the dashboard's assumption to its trace, then a red line typed in."""
    page.goto(f"/rounds/{ROUND}/dashboard")
    with page.expect_navigation():
        page.locator('a[href="/evidence/trace?path=assumptions.us_backstop"]').click()
    expect(page.locator("#datum-assumption .flag")).to_be_visible()
    page.fill("#path", "parties.RUS.red_lines.nato_membership")
    with page.expect_navigation():
        page.locator("form.trace-form button.primary").click()
    expect(page.locator("#sources")).to_contain_text("seed-003")
    expect(page.locator("#trace-claims tbody tr").first).to_be_visible()
    expect(page.locator("details #doc-seed-003")).to_be_visible()


def test_coordinator_reads_the_evidence(
    live_server: LiveServer, page: Page, artifacts: Path
) -> None:
    live_server.set_lang("coordinator", "en")
    login(page, "coordinator")
    page.locator("header nav a", has_text="Evidence").click()
    page.wait_for_url("**/evidence")
    expect(page.locator("#no-documents")).to_be_visible()

    _upload(page, "kellogg-ar.txt", ARABIC, ARABIC_TITLE, "Test Wire")
    expect(page.locator("#evidence-outcome")).to_contain_text("1 documents added")
    _upload(page, "kellogg-en.txt", ENGLISH, "Kellogg: options for guarantees", "Other Wire")
    expect(page.locator("#documents tbody tr")).to_have_count(2)

    written = []
    for lang in ("en", "ar"):
        switch_language(page, lang)
        page.goto("/evidence")
        _check_direction(page, lang)
        if lang == "ar":
            # The same file again: nothing new is stored.
            _upload(page, "kellogg-ar.txt", ARABIC, ARABIC_TITLE, "Test Wire")
            expect(page.locator("#evidence-outcome")).to_contain_text(ARABIC_LETTERS)
            expect(page.locator("#documents tbody tr")).to_have_count(2)
        written.append(_shot(page, artifacts, f"evidence-documents-{lang}"))
        _document(page)
        written.append(_shot(page, artifacts, f"evidence-document-{lang}"))
        _person(page, lang)
        written.append(_shot(page, artifacts, f"evidence-person-{lang}"))
        _claims(page)
        written.append(_shot(page, artifacts, f"evidence-claims-{lang}"))
        _trace(page)
        _check_direction(page, lang)
        written.append(_shot(page, artifacts, f"evidence-trace-{lang}"))

    for path in written:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC), path
        assert len(data) > 10_000, (path, len(data))
