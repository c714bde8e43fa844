"""A portal with one user per role, and logged-in test clients (in process, ASGI)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from guarantor.config import Settings
from guarantor.model.portal import Actor
from guarantor.services import admin
from guarantor.services.portal import Portal
from guarantor.web import create_app

ROUND = "2025-02-us-cable"
PASSWORDS = {
    "coordinator": "coordinator-pass-1",
    "analyst": "analyst-password-1",
    "analyst-raw": "analyst-password-2",
    "fra": "fra-password-123",
    "deu": "deu-password-123",
}


@pytest.fixture()
def portal(db_url: str) -> Iterator[Portal]:
    settings = Settings(db_url=db_url, secret_key="test-secret-key", demo_users=False)
    with Portal(settings) as portal:
        admin.add_user(portal, "coordinator", PASSWORDS["coordinator"], "coordinator", None)
        admin.add_user(portal, "analyst", PASSWORDS["analyst"], "analyst", None)
        admin.add_user(portal, "analyst-raw", PASSWORDS["analyst-raw"], "analyst", None)
        portal.accounts.set_raw_access("analyst-raw", True, Actor(name="test", session="t"))
        admin.add_user(portal, "fra", PASSWORDS["fra"], "capital", "FRA")
        admin.add_user(portal, "deu", PASSWORDS["deu"], "capital", "DEU")
        yield portal


@pytest.fixture()
def app(portal: Portal):
    return create_app(portal.settings, portal)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture()
def client_for(app) -> Iterator[Callable[[str | None], TestClient]]:
    """``client_for("fra")``: a client logged in as fra (``None``: anonymous)."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        page = client.get("/login")
        client.csrf = csrf_of(page.text)  # type: ignore[attr-defined]
        if username is not None:
            response = client.post(
                "/login",
                data={
                    "username": username,
                    "password": PASSWORDS[username],
                    "csrf_token": client.csrf,
                    "next": "/",
                },
            )  # type: ignore[attr-defined]
            assert response.status_code == 303, response.text
            client.csrf = csrf_of(client.get("/").text)  # type: ignore[attr-defined]
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture()
def token_for(portal: Portal) -> Callable[[str], dict[str, str]]:
    def make(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {admin.create_token(portal, username, 'test')}"}

    return make
