"""The enforceable-deals page in a real browser: the coordinator ticks two red lines to relax,
runs the what-if, ticks two deals and compares them, and sees the map of each deal's line,
in English and in Arabic (screenshots of both); too many deals ticked give a clear message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guarantor.web import deals as deals_page
from tests.e2e.conftest import LiveServer
from tests.e2e.test_portal import PNG_MAGIC, _check_direction, _shot, login, switch_language

RELAX = ["UKR.donetsk", "UKR.luhansk"]
ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(autouse=True)
def _few_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few stress-test draws, in the server's process (it runs in this one)."""
    monkeypatch.setattr(deals_page, "DRAWS", 500)
    monkeypatch.setattr(deals_page, "SHAPLEY_DRAWS", 50)
    monkeypatch.setattr(deals_page, "WORKERS", 1)


def _run_what_if(page: Page) -> None:
    """Tick the two red lines and run the what-if."""
    for value in RELAX:
        page.check(f'input[name="relax"][value="{value}"]')
    with page.expect_navigation() as navigation:
        page.locator("form.whatif button.primary").click()
    response = navigation.value
    assert response is not None and response.status == 200, response
    query = page.url.split("?", 1)[1]
    assert "relax=UKR.donetsk" in query and "relax=UKR.luhansk" in query, page.url


def _compare(page: Page, ranks: list[int]) -> int:
    """Tick the deals of ``ranks`` (only those) and press Compare; the answer's status."""
    boxes = page.locator('#deals input[name="rank"]')
    for i in range(boxes.count()):
        boxes.nth(i).set_checked(i + 1 in ranks)
    with page.expect_navigation() as navigation:
        page.locator("#compare").click()
    response = navigation.value
    assert response is not None
    return response.status


def test_coordinator_compares_two_deals(
    live_server: LiveServer, page: Page, artifacts: Path
) -> None:
    live_server.set_lang("coordinator", "en")
    login(page, "coordinator")
    page.locator("header nav a", has_text="Enforceable deals").click()
    page.wait_for_url("**/deals")

    # As shipped no deal is acceptable, and the page says which red lines clash.
    expect(page.locator("#blocking li")).to_have_count(2)
    expect(page.locator("#blocking")).to_contain_text("cannot both hold")
    expect(page.locator("#deals")).to_have_count(0)

    written = []
    for lang in ("en", "ar"):
        switch_language(page, lang)
        _run_what_if(page)
        _check_direction(page, lang)
        expect(page.locator('input[name="relax"]:checked')).to_have_count(2)
        rows = page.locator("#deals tbody tr")
        expect(rows).to_have_count(10)
        expect(rows.first.locator("th")).to_have_text("1 ★")
        expect(rows.first.locator("td.hold")).to_have_text(re.compile(r"%.*\[.*%.*%\]"))
        written.append(_shot(page, artifacts, f"deals-{lang}"))

        if lang == "en":
            # Five deals ticked: a clear message, the boxes kept, no comparison.
            assert _compare(page, [1, 2, 3, 4, 5]) == 400
            expect(page.locator("#compare-errors")).to_contain_text("At most 4 deals")
            expect(page.locator('#deals input[name="rank"]:checked')).to_have_count(5)

        assert _compare(page, [1, 3]) == 200
        page.wait_for_url("**/deals/compare?**")
        assert "rank=1" in page.url and "rank=3" in page.url and "relax=UKR.donetsk" in page.url
        _check_direction(page, lang)
        expect(page.locator("#compare thead th")).to_have_count(2)
        if lang == "ar":
            assert ARABIC.search(page.locator("h1").inner_text())
        # The map of each deal's line, inline, with every region and the line drawn.
        maps = page.locator("#maps figure.deal-map svg")
        expect(maps).to_have_count(2)
        for i in range(2):
            svg = maps.nth(i)
            expect(svg).to_be_visible()
            box = svg.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 200, box
            assert svg.locator('g[id^="UA-"]').count() == 27
            assert svg.locator('g[id="line-boundary"]').count() == 1
        expect(page.locator("#gaps figure svg")).to_have_count(2)
        expect(page.locator("#shapley tbody tr").first).to_be_visible()
        if lang == "en":
            link = page.locator("#pdf").get_attribute("href") or ""
            answer = page.request.get(link)
            assert answer.status == 200
            assert answer.headers["content-type"] == "application/pdf"
            assert answer.body().startswith(b"%PDF-")
        written.append(_shot(page, artifacts, f"deals-compare-{lang}"))
        page.locator("#back").click()
        page.wait_for_url("**/deals?**")

    for path in written:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC), path
        assert len(data) > 10_000, (path, len(data))
