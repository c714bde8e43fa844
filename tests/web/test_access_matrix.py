"""Every route x every role x own/other country: the exact status for each.

No capital can read, list, diff, export or infer another capital's answers, through the
pages or the API; permissions live in the services, so pages and API agree.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import ROUND

OWN = "FRA"
READ = ["page", "history", "diff", "revision"]
PAGES = {
    "page": ("GET", f"/rounds/{ROUND}/countries/{OWN}"),
    "history": ("GET", f"/rounds/{ROUND}/countries/{OWN}/history"),
    "diff": ("GET", f"/rounds/{ROUND}/countries/{OWN}/diff?old=1&new=1"),
    "revision": ("GET", f"/rounds/{ROUND}/countries/{OWN}/revisions/1"),
    "row": ("GET", f"/rounds/{ROUND}/countries/{OWN}/row?question=forces"),
    "save": ("POST", f"/rounds/{ROUND}/countries/{OWN}"),
    "restore": ("POST", f"/rounds/{ROUND}/countries/{OWN}/restore/1"),
    "round": ("GET", f"/rounds/{ROUND}"),
    "dashboard": ("GET", f"/rounds/{ROUND}/dashboard"),
    "export": ("GET", f"/rounds/{ROUND}/export.csv"),
    "invite": ("POST", f"/rounds/{ROUND}/invitations"),
    "audit": ("GET", "/audit"),
    "users": ("GET", "/users"),
}
ALL_403 = dict.fromkeys(PAGES, 403)
EXPECTED = {
    None: dict.fromkeys(PAGES, 303),  # anonymous: to the login page
    "coordinator": {
        **dict.fromkeys(PAGES, 200),
        "row": 403,
        "save": 403,
        "restore": 403,
        "invite": 303,
    },
    "analyst": {**ALL_403, "dashboard": 200, "export": 200},
    "analyst-raw": {
        **ALL_403,
        **dict.fromkeys(READ, 200),
        "round": 200,
        "dashboard": 200,
        "export": 200,
    },
    "fra": {**ALL_403, **dict.fromkeys(READ, 200), "row": 200, "save": 303, "restore": 303},
    "deu": ALL_403,  # another capital: refused everywhere, whether FRA answered or not
}


def _call(client, name: str):
    method, url = PAGES[name]
    if method == "GET":
        return client.get(url)
    data = {"csrf_token": client.csrf}
    if name in ("save", "restore"):
        latest = client.get(f"/api/v1/rounds/{ROUND}/submissions/{OWN}")  # 401: cookies only
        assert latest.status_code == 401
        data["expected"] = _latest_number(client)
    if name == "save":
        data.update({"action": "draft", "answers.force_size_personnel": "1234"})
    if name == "invite":
        data["country"] = "NLD"
    return client.post(url, data=data)


def _latest_number(client) -> str:
    from tests.web.conftest import PASSWORDS  # noqa: F401  (kept for clarity of the fixture)

    portal = client.app.state.portal
    history = portal.revisions.history(ROUND, OWN)
    return str(history[-1].number)


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda r: r or "anonymous")
def test_pages(client_for, role):
    client = client_for(role)
    got = {name: _call(client, name).status_code for name in PAGES}
    assert got == EXPECTED[role]


API = {
    "latest": ("GET", f"/api/v1/rounds/{ROUND}/submissions/{OWN}"),
    "revisions": ("GET", f"/api/v1/rounds/{ROUND}/submissions/{OWN}/revisions"),
    "revision": ("GET", f"/api/v1/rounds/{ROUND}/submissions/{OWN}/revisions/1"),
    "save": ("PUT", f"/api/v1/rounds/{ROUND}/submissions/{OWN}"),
    "status": ("GET", f"/api/v1/rounds/{ROUND}/status"),
    "assessment": ("GET", f"/api/v1/rounds/{ROUND}/assessment"),
    "rounds": ("GET", "/api/v1/rounds"),
}
API_403 = {**dict.fromkeys(API, 403), "rounds": 200}
API_EXPECTED = {
    "coordinator": {**dict.fromkeys(API, 200), "save": 403},
    "analyst": {**API_403, "assessment": 200},
    "analyst-raw": {**dict.fromkeys(API, 200), "save": 403},
    "fra": {**API_403, "latest": 200, "revisions": 200, "revision": 200, "save": 201},
    "deu": API_403,
}


@pytest.mark.parametrize("role", list(API_EXPECTED))
def test_api(client_for, token_for, role):
    client = client_for(None)
    headers = token_for(role)
    got = {}
    for name, (method, url) in API.items():
        if method == "PUT":
            latest = client.app.state.portal.revisions.history(ROUND, OWN)[-1].number
            body = {
                "answers": {"force_size_personnel": 5},
                "status": "draft",
                "expected_revision": latest,
            }
            got[name] = client.put(url, json=body, headers=headers).status_code
        else:
            got[name] = client.get(url, headers=headers).status_code
    assert got == API_EXPECTED[role]


def test_api_without_token_is_401(client_for):
    client = client_for(None)
    for method, url in API.values():
        response = client.request(method, url, json={})
        assert response.status_code == 401, url
        assert response.headers["www-authenticate"] == "Bearer"


def test_refusals_do_not_reveal_whether_a_capital_answered(client_for):
    """DEU gets the same answer for a capital that answered (FRA) and one that did not."""
    client = client_for("deu")
    answered = client.get(f"/rounds/{ROUND}/countries/FRA/history")
    silent = client.get(f"/rounds/{ROUND}/countries/NLD/history")
    assert answered.status_code == silent.status_code == 403
    # Identical pages but for the address itself (echoed in the language switch).
    assert answered.text.replace("/FRA/", "/X/") == silent.text.replace("/NLD/", "/X/")
    home = client.get("/").text
    assert "/countries/FRA" not in home


def test_a_capital_sees_only_its_own_rounds_and_links(client_for):
    home = client_for("fra").get("/")
    assert home.status_code == 200
    assert f"/rounds/{ROUND}/countries/FRA" in home.text
    assert "/dashboard" not in home.text
