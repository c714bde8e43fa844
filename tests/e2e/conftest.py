"""End-to-end fixtures: the portal served by uvicorn on loopback, and a headless Chromium.

The browser is Debian's Chromium (``/usr/bin/chromium``), driven by Playwright; nothing is
downloaded. Without it the tests are skipped, unless ``GUARANTOR_REQUIRE_BROWSER`` is set
(as in CI), when they fail instead.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from guarantor.config import Settings
from guarantor.model.portal import Actor
from guarantor.services import admin
from guarantor.services.portal import Portal
from guarantor.web.security import RateLimiter

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROUND = "2025-02-us-cable"
SECRET = "e2e-secret-key-not-for-production"
TIMEOUT_MS = 15_000
PASSWORDS = {
    "coordinator": "coordinator-pass-1",
    "fra": "fra-password-12",
    "deu": "deu-password-12",
}
TEST_ACTOR = Actor(name="e2e-fixture", session="e2e")


@dataclass
class LiveServer:
    """The running portal: its address and the open :class:`Portal` behind it."""

    url: str
    portal: Portal
    app: object

    def set_lang(self, username: str, lang: str) -> None:
        """Reset a user's remembered language (tests must not depend on each other's)."""
        self.portal.accounts.set_lang(username, lang, TEST_ACTOR)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skip without it (fail when ``GUARANTOR_REQUIRE_BROWSER`` is set)."""
    if not CHROMIUM.exists():
        if os.environ.get("GUARANTOR_REQUIRE_BROWSER"):
            pytest.fail(f"GUARANTOR_REQUIRE_BROWSER is set but {CHROMIUM} does not exist")
        pytest.skip("Chromium not installed")
    return CHROMIUM


@pytest.fixture(scope="module")
def live_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal on a fresh SQLite database, served on a free loopback port (started only
    when there is a browser to test it with)."""
    import uvicorn

    from guarantor.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    settings = Settings(db_url=url, secret_key=SECRET, demo_users=False)
    portal = Portal(settings)
    try:
        admin.add_user(portal, "coordinator", PASSWORDS["coordinator"], "coordinator", None)
        admin.add_user(portal, "fra", PASSWORDS["fra"], "capital", "FRA")
        admin.add_user(portal, "deu", PASSWORDS["deu"], "capital", "DEU")
        app = create_app(settings, portal)

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="none",
            lifespan="on",
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="e2e-uvicorn", daemon=True
        )
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    pytest.fail("the portal did not start")
                time.sleep(0.05)
            yield LiveServer(url=f"http://127.0.0.1:{port}", portal=portal, app=app)
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()
    finally:
        portal.close()


@pytest.fixture(autouse=True)
def _fresh_login_limit(live_server: LiveServer) -> None:
    """Every test logs in from 127.0.0.1: give each one the full login allowance."""
    live_server.app.state.login_limiter = RateLimiter(limit=10, window=60.0)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium driven by Playwright (its own browser downloads are never used)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture()
def new_page(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh browser contexts (own cookies); all are closed after the test."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        for page in context.pages:
            page.close()
        context.close()


@pytest.fixture()
def page(new_page: Callable[[], Page]) -> Page:
    """One page in a fresh browser context."""
    return new_page()


@pytest.fixture()
def artifacts() -> Path:
    """Where screenshots go: ``$GUARANTOR_ARTIFACTS`` or ``<repo>/artifacts/screenshots``."""
    configured = os.environ.get("GUARANTOR_ARTIFACTS")
    root = Path(__file__).resolve().parents[2]
    folder = Path(configured) if configured else root / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
