"""What each kind of user does in the portal, and the security behaviours around it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from tests.web.conftest import PASSWORDS, ROUND, csrf_of

FRA = f"/rounds/{ROUND}/countries/FRA"


def _latest(client, country="FRA"):
    return client.app.state.portal.revisions.history(ROUND, country)[-1]


def _save(client, fields, *, action="draft", expected=None, headers=None):
    data = {
        "csrf_token": client.csrf,
        "action": action,
        "expected": str(_latest(client).number if expected is None else expected),
    }
    data.update(fields)
    return client.post(FRA, data=data, headers=headers or {})


def _login(client, next_="/"):
    data = {
        "username": "fra",
        "password": PASSWORDS["fra"],
        "csrf_token": client.csrf,
        "next": next_,
    }
    return client.post("/login", data=data)


def test_session_cookie_is_httponly_and_samesite(client_for):
    client = client_for(None)
    response = _login(client)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_state_changing_requests_need_the_csrf_token(client_for):
    client = client_for("fra")
    assert client.post(FRA, data={"action": "draft", "expected": "1"}).status_code == 403
    forged = {"csrf_token": "forged", "action": "draft", "expected": "1"}
    assert client.post(FRA, data=forged).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    assert len(client.app.state.portal.revisions.history(ROUND, "FRA")) == 1


def test_lockout_after_repeated_failures(client_for):
    client = client_for(None)
    for _ in range(5):
        bad = client.post(
            "/login",
            data={"username": "fra", "password": "wrong-password", "csrf_token": client.csrf},
        )
        assert bad.status_code == 401
    locked = client.post(
        "/login", data={"username": "fra", "password": PASSWORDS["fra"], "csrf_token": client.csrf}
    )
    assert locked.status_code == 401
    assert "locked" in locked.text
    entries = client.app.state.portal.accounts.audit_entries("user/fra")
    failed = [e for e in entries if e.action == "login.failed"]
    assert len(failed) == 6  # five wrong passwords, then the right one while locked
    assert failed[0].details["locked"] is True


def test_login_rate_limit_per_client(client_for):
    client = client_for(None)
    codes = [
        client.post(
            "/login", data={"username": f"nobody{i}", "password": "x", "csrf_token": client.csrf}
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_bad_answer_is_shown_beside_its_field_and_not_stored(client_for):
    client = client_for("fra")
    response = _save(client, {"answers.force_size_personnel": "-5"})
    assert response.status_code == 422
    assert 'id="answers.force_size_personnel-error"' in response.text
    assert re.search(r'id="answers.force_size_personnel"[^>]*aria-invalid="true"', response.text)
    assert "-5 is below the minimum of 0" in response.text
    assert 'value="-5"' in response.text  # what the user typed is kept on the page
    assert _latest(client).number == 1


def test_draft_then_incomplete_submit_then_complete_submit(client_for):
    client = client_for("fra")
    saved = _save(client, {"answers.force_size_personnel": "45000"})
    assert saved.status_code == 303
    assert _latest(client).status == "draft"
    page = client.get(FRA)
    assert 'value="45000"' in page.text
    refused = _save(client, {"answers.force_size_personnel": "45000"}, action="submit")
    assert refused.status_code == 422 and "required, but not answered" in refused.text
    # The form posts every answer the page shows: resubmit the shipped answers, changed.
    portal = client.app.state.portal
    view_answers = dict(portal.revisions.get(ROUND, "FRA", 1).submission.answers)
    from guarantor.web.forms import field_values

    fields = {}
    for name, value in field_values(view_answers).items():
        if isinstance(value, list) and value and not isinstance(value[0], dict):
            fields[name] = value
        elif not isinstance(value, (list, dict)):
            fields[name] = str(value)
    fields["answers.force_size_personnel"] = "50000"
    done = _save(client, fields, action="submit")
    assert done.status_code == 303, done.text[:2000]
    latest = _latest(client)
    assert latest.status == "submitted"
    assert latest.submission.answers["force_size_personnel"] == 50000
    assert latest.submission.answers["forces"] == view_answers["forces"]


def test_two_tabs_never_lose_an_update(client_for):
    client = client_for("fra")
    start = _latest(client).number
    first = _save(client, {"answers.force_size_personnel": "11111"}, expected=start)
    assert first.status_code == 303
    second = _save(client, {"answers.force_size_personnel": "22222"}, expected=start)
    assert second.status_code == 409
    assert "11111" in second.text and "22222" in second.text  # both versions shown
    assert _latest(client).submission.answers["force_size_personnel"] == 11111


def test_autosave_through_htmx(client_for):
    client = client_for("fra")
    response = _save(
        client, {"answers.force_size_personnel": "33333"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    number = _latest(client).number
    assert f'name="expected" id="expected" value="{number}" hx-swap-oob="true"' in response.text
    invalid = _save(client, {"answers.force_size_personnel": "x"}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422 and _latest(client).number == number


def test_history_diff_and_restore(client_for):
    client = client_for("fra")
    _save(client, {"answers.force_size_personnel": "77777"})
    latest = _latest(client).number
    diff = client.get(f"{FRA}/diff?old=1&new={latest}")
    assert diff.status_code == 200 and "force_size_personnel" in diff.text and "77777" in diff.text
    restored = client.post(
        f"{FRA}/restore/1", data={"csrf_token": client.csrf, "expected": str(latest)}
    )
    assert restored.status_code == 303
    newest = _latest(client)
    assert newest.number == latest + 1
    assert newest.submission.answers["force_size_personnel"] == 30000
    history = client.get(f"{FRA}/history").text
    assert f"/revisions/{newest.number}" in history


def test_every_write_is_audited_and_the_trail_is_append_only(client_for):
    client = client_for("fra")
    _save(client, {"answers.force_size_personnel": "1000"})
    portal = client.app.state.portal
    entry = portal.accounts.audit_entries(f"{ROUND}/FRA")[0]
    assert entry.action == "submission.save" and entry.actor == "fra"
    assert len(entry.session) == 32 and entry.details["changed"]
    coordinator = client_for("coordinator")
    assert "submission.save" in coordinator.get("/audit").text
    with portal.revisions.engine.connect() as connection:
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("UPDATE audit_log SET actor = 'mallory'"))
        connection.rollback()
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("DELETE FROM audit_log"))
        connection.rollback()


def test_invitation_is_one_time(client_for):
    coordinator = client_for("coordinator")
    made = coordinator.post(
        f"/rounds/{ROUND}/invitations", data={"csrf_token": coordinator.csrf, "country": "nld"}
    )
    assert made.status_code == 303
    page = coordinator.get(f"/rounds/{ROUND}").text
    link = re.search(r"/invite/([A-Za-z0-9_-]+)", page).group(0)
    guest = client_for(None)
    form = guest.get(link)
    assert form.status_code == 200
    accepted = guest.post(
        link,
        data={
            "csrf_token": csrf_of(form.text),
            "username": "nld-desk",
            "password": "a-long-password",
        },
    )
    assert accepted.status_code == 303
    assert guest.get(f"/rounds/{ROUND}/countries/NLD").status_code == 200
    assert guest.get(f"/rounds/{ROUND}/countries/FRA").status_code == 403
    again = client_for(None)
    assert again.get(link).status_code == 404
    assert "nld-desk" in [u.username for u in again.app.state.portal.accounts.users()]


def test_language_is_remembered_per_user(client_for):
    client = client_for("fra")
    switched = client.post("/lang", data={"csrf_token": client.csrf, "lang": "ar", "next": "/"})
    assert switched.status_code == 303
    assert '<html lang="ar" dir="rtl">' in client.get("/").text
    later = client_for("fra")  # a new login, another browser
    page = later.get(FRA).text
    assert '<html lang="ar" dir="rtl">' in page
    assert "حفظ المسودة" in page


def test_exports(client_for):
    client = client_for("coordinator")
    csv_text = client.get(f"/rounds/{ROUND}/export.csv?table=burden").text
    assert csv_text.splitlines()[0].startswith("Country,")
    data = client.get(f"/rounds/{ROUND}/export.json?assume.us_backstop=false").json()
    assert data["assumptions"]["us_backstop"] is False
    pdf = client.get(f"/rounds/{ROUND}/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert len(pdf.content) > 50_000


def test_dashboard_toggles(client_for):
    client = client_for("analyst")
    page = client.get(f"/rounds/{ROUND}/dashboard?requirement=deterrence&assume.us_backstop=false")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert 'value="deterrence" selected' in page.text


def test_coordinator_grants_raw_access(client_for):
    analyst = client_for("analyst")
    assert analyst.get(FRA).status_code == 403
    coordinator = client_for("coordinator")
    granted = coordinator.post(
        "/users/analyst/raw-access", data={"csrf_token": coordinator.csrf, "granted": "true"}
    )
    assert granted.status_code == 303
    assert analyst.get(FRA).status_code == 200
    assert analyst.get(f"{FRA}/row?question=forces").status_code == 403  # read, not write


def test_a_disabled_user_is_logged_out(client_for):
    client = client_for("fra")
    portal = client.app.state.portal
    from guarantor.services import admin

    admin.set_disabled(portal, "fra", True)
    assert client.get(FRA).status_code == 303


def test_open_round(client_for):
    client = client_for("coordinator")
    made = client.post(
        "/rounds",
        data={
            "csrf_token": client.csrf,
            "id": "2026-spring",
            "deadline": "2026-04-01",
            "invited": "FRA, DEU",
        },
    )
    assert made.status_code == 303
    page = client.get("/rounds/2026-spring").text
    assert "FRA" in page or "France" in page
    fra = client_for("fra")
    assert fra.get("/rounds/2026-spring/countries/FRA").status_code == 200
    nld = client.post("/rounds", data={"csrf_token": client.csrf, "id": "bad id!"})
    assert nld.status_code == 422


def test_api_errors_carry_field_paths_and_conflicts(client_for, token_for):
    client = client_for(None)
    headers = token_for("fra")
    url = f"/api/v1/rounds/{ROUND}/submissions/FRA"
    bad = client.put(
        url,
        headers=headers,
        json={
            "answers": {"forces": [{"capability": "tank_army", "units": 0}]},
            "status": "draft",
            "expected_revision": 1,
        },
    )
    assert bad.status_code == 422
    paths = {e["path"] for e in bad.json()["errors"]}
    assert {"answers.forces[0].capability", "answers.forces[0].units"} <= paths
    ok = client.put(
        url,
        headers=headers,
        json={"answers": {"force_size_personnel": 9}, "status": "draft", "expected_revision": 1},
    )
    assert ok.status_code == 201 and ok.json()["revision"] == 2
    stale = client.put(
        url, headers=headers, json={"answers": {}, "status": "draft", "expected_revision": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["latest"]["revision"] == 2
    schema = client.get("/api/v1/questionnaires/us-cable-2025/1/schema")
    assert schema.json()["$schema"].endswith("2020-12/schema")


def test_no_redirect_to_another_site(client_for):
    client = client_for(None)
    response = _login(client, "//evil.example/x")
    assert response.status_code == 303 and response.headers["location"] == "/"
    switched = client.post(
        "/lang",
        data={"csrf_token": csrf_of(client.get("/").text), "lang": "ar", "next": "/\\evil.example"},
    )
    assert switched.headers["location"] == "/"


def test_logout_ends_the_session_for_every_copy_of_the_cookie(client_for, app):
    from fastapi.testclient import TestClient

    client = client_for("fra")
    cookie = client.cookies.get("guarantor_session")
    assert client.post("/logout", data={"csrf_token": client.csrf}).status_code == 303
    with TestClient(app, follow_redirects=False) as thief:
        thief.cookies.set("guarantor_session", cookie)
        assert thief.get(FRA).status_code == 303  # to the login page


def test_a_cookie_from_another_portal_is_worthless(client_for, tmp_path):
    from fastapi.testclient import TestClient

    from guarantor.config import Settings
    from guarantor.services import admin
    from guarantor.services.portal import Portal
    from guarantor.web import create_app

    cookie = client_for("fra").cookies.get("guarantor_session")
    other_settings = Settings(
        db_url=f"sqlite:///{tmp_path}/other.db", secret_key="test-secret-key", demo_users=False
    )
    with Portal(other_settings) as other:
        admin.add_user(other, "boss", "boss-password-1", "coordinator", None)
        with TestClient(create_app(other_settings, other), follow_redirects=False) as client:
            client.cookies.set("guarantor_session", cookie)
            assert client.get("/audit").status_code == 303


def test_bad_form_values_are_422_not_500(client_for):
    coordinator = client_for("coordinator")
    bad_date = coordinator.post(
        "/rounds", data={"csrf_token": coordinator.csrf, "id": "r2", "deadline": "next week"}
    )
    assert bad_date.status_code == 422 and "is not a date" in bad_date.text
    not_invited = coordinator.post(
        f"/rounds/{ROUND}/invitations", data={"csrf_token": coordinator.csrf, "country": "JPN"}
    )
    assert not_invited.status_code == 422
    fra = client_for("fra")
    bad_expected = fra.post(
        FRA, data={"csrf_token": fra.csrf, "action": "draft", "expected": "two"}
    )
    assert bad_expected.status_code == 422
    assert fra.get("/rounds/no-such-round/countries/FRA").status_code == 403


def test_unknown_export_format_is_not_audited(client_for):
    client = client_for("coordinator")
    assert client.get(f"/rounds/{ROUND}/export.xml").status_code == 404
    actions = [e.action for e in client.app.state.portal.accounts.audit_entries(ROUND)]
    assert "export" not in actions


def test_a_bad_condition_code_is_shown_beside_its_input(client_for):
    client = client_for("fra")
    response = _save(
        client,
        {
            "answers.general_other_conditions.0.code": "Bad Code!",
            "answers.general_other_conditions.0.text": "x",
        },
    )
    assert response.status_code == 422
    name = "answers.general_other_conditions.0.code"
    assert f'id="{name}-error"' in response.text
    assert re.search(rf'id="{re.escape(name)}"[^>]*aria-invalid="true"', response.text)
