"""The negotiation page in a real browser: the coordinator runs a what-if through the form and
reads the ranked deals and the map, in English and in Arabic (screenshots of both)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_portal import PNG_MAGIC, _check_direction, _shot, login, switch_language

RELAX = ["RUS.donetsk", "RUS.luhansk"]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _run_what_if(page: Page) -> None:
    """Pick the two red lines in the form's list and run the what-if."""
    page.select_option("#relax", RELAX)
    with page.expect_navigation() as navigation:
        page.locator("form.whatif button.primary").click()
    response = navigation.value
    assert response is not None and response.status == 200, response
    query = page.url.split("?", 1)[1]
    assert "relax=RUS.donetsk" in query and "relax=RUS.luhansk" in query, page.url


def test_coordinator_runs_a_what_if(live_server: LiveServer, page: Page, artifacts: Path) -> None:
    live_server.set_lang("coordinator", "en")
    login(page, "coordinator")
    page.locator("header nav a", has_text="Negotiation").click()
    page.wait_for_url("**/negotiation")

    # Without what-ifs no deal is possible, and the page says which red lines clash.
    expect(page.locator("#blocking li")).to_have_count(2)
    expect(page.locator("#blocking")).to_contain_text("cannot both hold")
    expect(page.locator("#deals")).to_have_count(0)

    written = []
    for lang in ("en", "ar"):
        switch_language(page, lang)
        _run_what_if(page)
        _check_direction(page, lang)
        expect(page.locator("#relax option:checked")).to_have_count(2)
        rows = page.locator("#deals tbody tr")
        expect(rows).to_have_count(10)
        expect(rows.first.locator("th")).to_have_text("1")
        opened = page.locator("#whatif-opened")
        expect(opened).to_contain_text(re.compile(r"\d"))
        if lang == "ar":
            assert ARABIC.search(page.locator("h1").inner_text())
            assert ARABIC.search(opened.inner_text())
        # The control map, inline, with every region, and its caption.
        svg = page.locator("figure.map svg")
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 500 and box["height"] > 300, box
        assert svg.locator('g[id^="UA-"]').count() == 27
        expect(page.locator("figure.map figcaption")).not_to_be_empty()
        # The first deal's own map answers as SVG.
        link = page.locator('#deals a[href^="/negotiation/deals/1/map.svg"]')
        answer = page.request.get(link.get_attribute("href") or "")
        assert answer.status == 200
        assert answer.headers["content-type"].startswith("image/svg+xml")
        written.append(_shot(page, artifacts, f"negotiation-{lang}"))

    for path in written:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC), path
        assert len(data) > 10_000, (path, len(data))
