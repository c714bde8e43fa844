"""Administration use cases for the CLI: users, invitations, tokens, demo logins."""

from __future__ import annotations

import secrets
from pathlib import Path

from platformdirs import user_data_dir

from guarantor.model.portal import Actor, Role, User
from guarantor.services import accounts
from guarantor.services.portal import Portal

CLI = Actor(name="admin-cli", session="cli")
DEMO: tuple[tuple[str, Role, str | None], ...] = (
    ("coordinator", "coordinator", None),
    ("analyst", "analyst", None),
    ("fra", "capital", "FRA"),
    ("gbr", "capital", "GBR"),
    ("deu", "capital", "DEU"),
    ("pol", "capital", "POL"),
)


def demo_logins_file() -> Path:
    """Where the demo passwords are kept so a second start can show them again."""
    return Path(user_data_dir("guarantor")) / "demo-logins.txt"


def ensure_demo_users(portal: Portal) -> list[tuple[str, str, str]]:
    """On a database with no users, create demo logins with random passwords.

    Returns ``(username, password, role)`` rows to show, read back from the demo file when
    the users exist already; an empty list when the database has other users."""
    path = demo_logins_file()
    header = f"# {portal.settings.db_url}"
    if portal.accounts.users():
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if not lines or lines[0] != header:
            return []  # the file belongs to another database
        rows = [line.split("\t") for line in lines[1:]]
        names = {u.username for u in portal.accounts.users()}
        return [(r[0], r[1], r[2]) for r in rows if len(r) == 3 and r[0] in names]
    created: list[tuple[str, str, str]] = []
    for username, role, country in DEMO:
        password = secrets.token_urlsafe(12)
        accounts.add_user(portal, username, password, role, country, CLI)
        created.append((username, password, role + (f" {country}" if country else "")))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    body = "\n".join("\t".join(r) for r in created)
    path.write_text(f"{header}\n{body}\n", encoding="utf-8")
    return created


def add_user(
    portal: Portal, username: str, password: str | None, role: Role, country: str | None
) -> tuple[User, str]:
    """Create a user; a strong password is generated when none is given."""
    password = password or secrets.token_urlsafe(12)
    return accounts.add_user(portal, username, password, role, country, CLI), password


def set_disabled(portal: Portal, username: str, disabled: bool) -> User:
    """Disable or re-enable a user."""
    return portal.accounts.set_disabled(username, disabled, CLI)


def invite(portal: Portal, country: str, round_id: str | None, days: int) -> tuple[str, str]:
    """A one-time invitation link path for a capital, and when it expires."""
    coordinator = User(id=0, username="admin-cli", role="coordinator")
    secret, expires = accounts.invite(
        portal, coordinator, round_id or portal.context.scenario.round.id, country, CLI, days
    )
    return f"/invite/{secret}", expires.isoformat(timespec="minutes")


def create_token(portal: Portal, username: str, label: str) -> str:
    """A new API token for a user."""
    return accounts.create_token(portal, username, label, CLI)
