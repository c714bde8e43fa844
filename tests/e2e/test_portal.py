"""The portal in a real browser: a capital answering in Arabic, autosave, the coordinator's
pages, access refusals between capitals, and screenshots of the main pages in both languages.

Every test resets the languages it depends on and counts revisions from where it starts, so
the tests do not depend on each other's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guarantor.services import portal as uc
from tests.e2e.conftest import PASSWORDS, ROUND, TEST_ACTOR, LiveServer

FORM = f"/rounds/{ROUND}/countries/FRA"
HISTORY = f"{FORM}/history"
ARABIC = re.compile(r"[\u0600-\u06FF]")
PERSONNEL = '[id="answers.force_size_personnel"]'
PERSONNEL_ERROR = '[id="answers.force_size_personnel-error"]'
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def login(page: Page, username: str) -> None:
    """Log in through the login form; the portal redirects to the start page."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    with page.expect_navigation():
        page.click("button.primary")
    assert page.url.split("?")[0].endswith("/"), f"login as {username} landed on {page.url}"
    expect(page.locator("header .who")).to_contain_text(username)


def switch_language(page: Page, lang: str) -> None:
    """Press the header's language button (when the page is not in ``lang`` already)."""
    if page.locator("html").get_attribute("lang") == lang:
        return
    label = "العربية" if lang == "ar" else "English"
    with page.expect_navigation():
        page.locator("header button", has_text=label).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def revision_count(server: LiveServer, country: str = "FRA") -> int:
    return len(server.portal.revisions.history(ROUND, country))


def history_rows(page: Page) -> list[list[str]]:
    """The cells of the history table, newest revision first."""
    page.goto(HISTORY)
    rows = page.locator("table tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def save(page: Page, action: str) -> int:
    """Press Save draft or Submit on the form; the HTTP status of the answer."""
    with page.expect_navigation() as navigation:
        page.click(f"button[name=action][value={action}]")
    response = navigation.value
    assert response is not None
    return response.status


def _refused_inline(page: Page, value: str) -> None:
    """Save a bad personnel figure: 422, and the error beside the field, in Arabic."""
    field = page.locator(PERSONNEL)
    expect(field).to_be_editable()
    field.fill(value)
    assert save(page, "draft") == 422
    error = page.locator(PERSONNEL_ERROR)
    expect(error).to_be_visible()
    assert ARABIC.search(error.inner_text()), error.inner_text()
    # Beside the field: in the same question block, and the field points at it.
    question = page.locator(".question", has=page.locator(PERSONNEL)).last
    expect(question.locator("p.field-error")).to_have_count(1)
    expect(question).to_have_class(re.compile(r"\bhas-error\b"))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "answers.force_size_personnel-error")
    expect(field).to_have_value(value)  # what was typed is kept, to be corrected
    expect(page.locator("main p.error[role=alert]")).to_be_visible()


def test_capital_answers_in_arabic(live_server: LiveServer, new_page: Callable[[], Page]) -> None:
    live_server.set_lang("fra", "en")
    before = revision_count(live_server)
    page = new_page()
    login(page, "fra")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The choice is remembered for the user: a new login (other browser) is in Arabic too.
    other = new_page()
    login(other, "fra")
    expect(other.locator("html")).to_have_attribute("dir", "rtl")
    expect(other.locator("html")).to_have_attribute("lang", "ar")
    other.close()

    page.goto(FORM)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _refused_inline(page, "-5")
    # Nothing was stored.
    assert revision_count(live_server) == before
    assert len(history_rows(page)) == before

    page.goto(FORM)
    page.locator(PERSONNEL).fill("45000")
    assert save(page, "draft") == 200
    assert page.url.endswith(f"?saved={before + 1}"), page.url
    expect(page.locator("p.ok")).to_be_visible()
    expect(page.locator(PERSONNEL_ERROR)).to_have_count(0)

    page.reload()
    expect(page.locator(PERSONNEL)).to_have_value("45000")
    expect(page.locator("main p.meta").first).to_contain_text("مسودة")
    latest = live_server.portal.revisions.get(ROUND, "FRA")
    assert (latest.number, latest.status) == (before + 1, "draft")
    assert latest.submission.answers["force_size_personnel"] == 45000

    assert save(page, "submit") == 200
    assert page.url.endswith(f"?saved={before + 2}"), page.url
    ok = page.locator("p.ok")
    expect(ok).to_be_visible()
    expect(ok).to_contain_text(str(before + 2))
    assert ARABIC.search(ok.inner_text()), ok.inner_text()
    expect(page.locator("main p.meta").first).to_contain_text("مقدَّمة")
    latest = live_server.portal.revisions.get(ROUND, "FRA")
    assert (latest.number, latest.status, latest.author) == (before + 2, "submitted", "fra")
    assert latest.submission.answers["force_size_personnel"] == 45000


def _submit_for_france(server: LiveServer, personnel: int) -> int:
    """A submitted revision by the fra user, through the same service the page calls."""
    found = server.portal.accounts.find("fra")
    assert found is not None
    user = found[0]
    latest = server.portal.revisions.get(ROUND, "FRA")
    answers = dict(latest.submission.answers)
    answers["force_size_personnel"] = personnel
    revision = uc.save_answers(
        server.portal,
        user,
        ROUND,
        "FRA",
        {"answers": answers},
        draft=False,
        expected=latest.number,
        actor=TEST_ACTOR,
    )
    return revision.number


def test_coordinator_sees_the_submission_and_the_dashboard(
    live_server: LiveServer, page: Page
) -> None:
    live_server.set_lang("coordinator", "en")
    number = _submit_for_france(live_server, 31000)
    login(page, "coordinator")

    response = page.goto(f"/rounds/{ROUND}")
    assert response is not None and response.status == 200
    row = page.locator("table tbody tr", has=page.locator(f'a[href="{FORM}"]'))
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("France")
    expect(cells.nth(1)).to_have_text(str(number))
    expect(cells.nth(2)).to_have_text("submitted")
    expect(cells.nth(4)).to_have_text("fra")
    # A capital that has not answered has no link and says so.
    expect(page.locator("table tbody tr", has_text="not answered").first).to_be_visible()

    response = page.goto(f"/rounds/{ROUND}/dashboard")
    assert response is not None and response.status == 200
    charts = page.locator(".chart svg")
    expect(charts).to_have_count(3)  # coverage, readiness, burden sharing: each by its table
    chart = charts.first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100, box
    coverage = page.locator('section[aria-labelledby="t-coverage"]')
    expect(coverage).to_be_visible()
    assert coverage.locator("tbody tr").count() > 0
    expect(coverage.locator("thead th").first).not_to_be_empty()
    for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
        link = page.locator(f'a[href^="/rounds/{ROUND}/export.{fmt}"]')
        expect(link).to_have_count(1)
        exported = page.request.get(link.get_attribute("href") or "")
        assert exported.status == 200, (fmt, exported.status)
        assert exported.headers["content-type"].startswith(media), exported.headers
        assert len(exported.body()) > 20


LABELS_OUTSIDE_THE_PLOT = """() => {
  const box = (e) => e.getBoundingClientRect();
  const bad = [];
  for (const svg of document.querySelectorAll(".chart svg")) {
  for (const axes of svg.querySelectorAll("g[id^=axes_]")) {
    const frame = box(axes.querySelector(":scope > g[id^=patch_] path"));
    for (const text of axes.querySelectorAll("g[id^=ytick] g[id^=text_]")) {
      const t = box(text);
      if (t.width > 0 && t.right > frame.left + 1 && t.left < frame.right - 1) {
        bad.push(["tick label over the plot", text.id]);
      }
    }
    for (const legend of axes.querySelectorAll("g[id^=legend_]")) {
      const f = box(legend.querySelector("g[id^=patch_] path"));
      for (const text of legend.querySelectorAll("g[id^=text_]")) {
        const t = box(text);
        if (t.left < f.left - 1 || t.right > f.right + 1) {
          bad.push(["legend text outside its box", text.id]);
        }
      }
    }
  }
  }
  return bad;
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_dashboard_chart_labels_are_readable(
    live_server: LiveServer, page: Page, lang: str
) -> None:
    """The inline SVG chart: line names beside the bars, legend text inside the legend, in
    both directions (the page's ``dir`` must not move the chart's text)."""
    live_server.set_lang("coordinator", lang)
    login(page, "coordinator")
    response = page.goto(f"/rounds/{ROUND}/dashboard")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".chart svg").first).to_be_visible()
    # Text is drawn as glyph paths (matplotlib shapes the Arabic itself), one group per label.
    assert page.locator('.chart svg g[id^="ytick"] g[id^="text_"]').count() >= 5
    assert page.evaluate(LABELS_OUTSIDE_THE_PLOT) == []


def test_other_capital_is_refused(live_server: LiveServer, page: Page) -> None:
    live_server.set_lang("deu", "en")
    latest = live_server.portal.revisions.get(ROUND, "FRA")
    personnel = latest.submission.answers["force_size_personnel"]
    login(page, "deu")
    links = page.locator("main a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert not [h for h in hrefs if "FRA" in h.upper()], hrefs
    assert f"/rounds/{ROUND}/countries/DEU" in hrefs, hrefs

    for url in (FORM, HISTORY, f"{FORM}/diff?old=1&new=1", f"{FORM}/revisions/1"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 403, (url, response.status)
        assert page.title().startswith("Forbidden"), (url, page.title())
        expect(page.locator(PERSONNEL)).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text(f"{personnel}")
        expect(page.locator("main")).not_to_contain_text(f"{personnel:,}")

    # In Arabic the refusal is translated.
    page.goto("/")
    switch_language(page, "ar")
    response = page.goto(FORM)
    assert response is not None and response.status == 403
    assert page.title().startswith("غير مسموح"), page.title()


def test_language_switch_works_on_an_error_page(live_server: LiveServer, page: Page) -> None:
    """The header's language button is on every page, the 403 page included."""
    live_server.set_lang("deu", "en")
    login(page, "deu")
    response = page.goto(FORM)
    assert response is not None and response.status == 403
    with page.expect_response(lambda r: r.url.endswith("/lang")) as posted:
        page.locator("header button", has_text="العربية").click()
    page.wait_for_load_state()
    # 303 back to the page; a 403 here is the CSRF check refusing the error page's form.
    assert posted.value.status == 303, (posted.value.status, page.locator("main").inner_text())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.title().startswith("غير مسموح"), page.title()


def test_autosave_stores_drafts(live_server: LiveServer, page: Page) -> None:
    live_server.set_lang("fra", "en")
    before = revision_count(live_server)
    login(page, "fra")
    page.goto(FORM)
    status = page.locator("#save-status")
    expect(status).to_contain_text("saved as a draft automatically")
    expect(page.locator("#expected")).to_have_value(str(before))

    page.locator(PERSONNEL).fill("46000")
    page.locator(PERSONNEL).press("Tab")  # leaving the field fires "change"
    expect(status).to_contain_text(f"Draft saved (revision {before + 1}).", timeout=10_000)
    # The next autosave starts from the revision just saved (no false conflict).
    expect(page.locator("#expected")).to_have_value(str(before + 1))
    page.locator(PERSONNEL).fill("47000")
    page.locator(PERSONNEL).press("Tab")
    expect(status).to_contain_text(f"Draft saved (revision {before + 2}).", timeout=10_000)

    latest = live_server.portal.revisions.get(ROUND, "FRA")
    assert (latest.number, latest.status, latest.author) == (before + 2, "draft", "fra")
    assert latest.submission.answers["force_size_personnel"] == 47000
    rows = history_rows(page)
    assert len(rows) == before + 2
    assert rows[0][:3] == [str(before + 2), "draft", "fra"], rows[0]
    assert rows[1][:3] == [str(before + 1), "draft", "fra"], rows[1]


def test_autosave_reports_invalid_answers(live_server: LiveServer, page: Page) -> None:
    live_server.set_lang("fra", "en")
    before = revision_count(live_server)
    login(page, "fra")
    page.goto(FORM)
    status = page.locator("#save-status")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator(PERSONNEL).fill("-5")
        page.locator(PERSONNEL).press("Tab")
    assert posted.value.status == 422
    expect(status).to_contain_text("Not saved", timeout=5_000)
    assert revision_count(live_server) == before


def _shot(page: Page, folder: Path, name: str) -> Path:
    """The whole page as a PNG. The window is made as tall as the page first, so the form's
    sticky button bar sits at the bottom instead of being painted over the middle."""
    path = folder / f"{name}.png"
    path.unlink(missing_ok=True)
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    height = int(page.evaluate("() => document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": viewport["width"], "height": max(min(height, 12_000), 600)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


def _check_direction(page: Page, lang: str) -> None:
    """The page is in ``lang`` and really laid out that way (brand at the start edge)."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    box = page.locator("header .brand").bounding_box()
    assert box is not None
    width = page.viewport_size["width"] if page.viewport_size else 1280
    if lang == "ar":
        assert box["x"] > width / 2, box
    else:
        assert box["x"] + box["width"] < width / 2, box


def test_screenshots(
    live_server: LiveServer, new_page: Callable[[], Page], artifacts: Path
) -> None:
    for username in ("fra", "coordinator"):
        live_server.set_lang(username, "en")
    written: list[Path] = []

    page = new_page()
    page.goto("/login")
    _check_direction(page, "en")
    written.append(_shot(page, artifacts, "login-en"))
    switch_language(page, "ar")
    _check_direction(page, "ar")
    written.append(_shot(page, artifacts, "login-ar"))

    capital = new_page()
    login(capital, "fra")
    coordinator = new_page()
    login(coordinator, "coordinator")
    pages = (
        (capital, "capital-form", FORM, PERSONNEL),
        (capital, "history", HISTORY, "table tbody tr"),
        (coordinator, "round-status", f"/rounds/{ROUND}", "table tbody tr"),
        (coordinator, "dashboard", f"/rounds/{ROUND}/dashboard", ".chart svg >> nth=0"),
    )
    for lang in ("en", "ar"):
        for browser_page, name, url, ready in pages:
            switch_language(browser_page, lang)
            response = browser_page.goto(url)
            assert response is not None and response.status == 200, (url, response)
            expect(browser_page.locator(ready).first).to_be_visible()
            _check_direction(browser_page, lang)
            written.append(_shot(browser_page, artifacts, f"{name}-{lang}"))

    assert len(written) == 10
    for path in written:
        assert path.is_file(), path
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC), path
        assert len(data) > 10_000, (path, len(data))
