"""Offers and submissions: what one capital says it would provide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from guarantor.model.base import Frozen
from guarantor.model.provenance import Provenance

SubmissionStatus = Literal["draft", "submitted"]


class Offer(Frozen):
    """Units of one capability a country would deploy, in one role and zone, under conditions."""

    country: str
    capability: str
    quantity: int = Field(ge=0)
    role: str
    zone: str
    readiness_days: int = Field(ge=0)
    duration_months: int = Field(ge=0)
    conditions: tuple[str, ...] = ()
    source_path: str = ""
    """Where the offer sits in its submission (``answers.forces[2]``), for tracing."""


class EquipmentOffer(Frozen):
    """Equipment a country would transfer: category, quantity, delivery time."""

    country: str
    category: str
    quantity: int = Field(ge=0)
    delivery_days: int = Field(ge=0)
    source_path: str = ""


class Submission(Frozen):
    """One capital's answers to one questionnaire version (one revision of them)."""

    country: str
    questionnaire: str
    version: int
    status: SubmissionStatus
    answers: Mapping[str, Any]
    provenance: Mapping[str, Provenance] = {}
    """For shipped data: answer path -> what it rests on."""


class Revision(Frozen):
    """A stored revision of a submission: who saved it, when, and what changed."""

    round_id: str
    country: str
    number: int
    status: SubmissionStatus
    author: str
    created_at: dt.datetime
    content_hash: str
    changed: tuple[str, ...]
    submission: Submission
