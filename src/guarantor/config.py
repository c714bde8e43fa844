"""One typed Settings object, read at the edges (CLI, later the web app) and passed down."""

from __future__ import annotations

import getpass
import secrets
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_db_url() -> str:
    """A SQLite file in the user's data folder (``~/.local/share/guarantor`` on Linux)."""
    return f"sqlite:///{Path(user_data_dir('guarantor')) / 'guarantor.db'}"


def default_user() -> str:
    """Who the revisions are recorded as, unless told otherwise."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Settings(BaseSettings):
    """Settings from ``GUARANTOR_*`` environment variables, overridable by CLI options."""

    model_config = SettingsConfigDict(env_prefix="GUARANTOR_", extra="ignore")

    db_url: str = Field(default_factory=default_db_url)
    scenario: str = "ukraine-2025"
    lang: str = Field(default="en", pattern="^(en|ar)$")
    user: str = Field(default_factory=default_user)
    max_upload_bytes: int = 2_000_000
    """Answer files above this size are refused before they are parsed."""
    secret_key: SecretStr | None = None
    """Signs session cookies. Unset: a strong random key is generated once and kept in the
    user data folder (``secret.key``, readable by its owner only)."""
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: bool = False
    """Set when served over HTTPS, so session cookies are never sent in clear."""
    demo_users: bool = True
    """``guarantor serve`` creates demo logins on an empty database."""
    login_attempts: int = 5
    """Failed logins before an account is locked."""
    lockout_minutes: int = 15


def load_or_create_secret(settings: Settings) -> str:
    """The configured secret, or one generated once and stored in the user data folder."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = Path(user_data_dir("guarantor")) / "secret.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret, encoding="utf-8")
    return secret
