"""People, rounds and the audit trail of the questionnaire portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from guarantor.model.base import Frozen

Role = Literal["coordinator", "capital", "analyst"]
ROLES: tuple[Role, ...] = ("coordinator", "capital", "analyst")


class User(Frozen):
    """Someone who logs in. A capital is bound to one country; an analyst sees raw national
    submissions only when the coordinator has granted ``raw_access``."""

    id: int
    username: str
    role: Role
    country: str | None = None
    lang: str = "en"
    disabled: bool = False
    raw_access: bool = False


class Actor(Frozen):
    """Who performs a write, and from which session (for the audit trail)."""

    name: str
    session: str


class AuditEntry(Frozen):
    """One write: who, when, from which session, what, and the details."""

    id: int
    at: dt.datetime
    actor: str
    session: str
    action: str
    target: str
    details: Mapping[str, Any]


class RoundInfo(Frozen):
    """A round as the database knows it."""

    id: str
    scenario: str
    questionnaire: str
    version: int
    coordinator: str
    created_at: dt.datetime
    deadline: dt.date | None = None
    invited: tuple[str, ...] = ()
