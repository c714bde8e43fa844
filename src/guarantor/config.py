"""One typed Settings object, read at the edges (CLI, later the web app) and passed down."""

from __future__ import annotations

import getpass
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
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
