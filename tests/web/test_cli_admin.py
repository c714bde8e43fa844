"""The admin CLI: users, invitations, tokens; serve's demo logins."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from guarantor.cli import app


@pytest.fixture()
def run(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--db", db_url, *args], catch_exceptions=False)

    return invoke


def test_user_add_list_disable(run):
    added = run("user", "add", "paris", "--role", "capital", "--country", "fra")
    assert added.exit_code == 0, added.output
    name, role, country, password = added.output.strip().split("\t")
    assert (name, role, country) == ("paris", "capital", "FRA") and len(password) >= 12
    assert "paris\tcapital\tFRA\tactive" in run("user", "list").output
    assert run("user", "disable", "paris").output.strip() == "paris\tdisabled"
    assert "paris\tcapital\tFRA\tdisabled" in run("user", "list").output
    again = run("user", "add", "paris", "--role", "analyst")
    assert again.exit_code == 1 and "paris" in again.output


def test_bad_user_input(run):
    result = run(
        "user", "add", "x y", "--role", "capital", "--country", "XXX", "--password", "short"
    )
    assert result.exit_code == 2
    assert "'XXX' is not a known" in result.output


def test_invite_and_token(run):
    link = run("invite", "--country", "NLD").output.strip()
    assert "/invite/" in link
    run("user", "add", "analyst1", "--role", "analyst")
    token = run("token", "add", "analyst1").output.strip()
    assert token.startswith("gt_") and len(token) > 30


def test_demo_logins_are_created_once(tmp_path, monkeypatch):
    from guarantor.config import Settings
    from guarantor.services.admin import CLI, ensure_demo_users
    from guarantor.services.portal import Portal

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    with Portal(Settings(db_url=f"sqlite:///{tmp_path}/d.db")) as portal:
        first = ensure_demo_users(portal)
        again = ensure_demo_users(portal)
    with Portal(Settings(db_url=f"sqlite:///{tmp_path}/other.db")) as other:
        other.accounts.add_user("someone", "x" * 20, "analyst", None, CLI)
        assert ensure_demo_users(other) == []  # the demo file belongs to the first database
    assert {r[0] for r in first} >= {"coordinator", "analyst", "fra"}
    assert again == first  # shown again, not recreated
