"""REST API under ``/api/v1``: the same use cases and permissions as the pages, bearer
tokens instead of cookies, JSON errors that carry field paths."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from guarantor.model.offers import Revision
from guarantor.model.portal import User
from guarantor.questionnaire import json_schema
from guarantor.services import portal as uc
from guarantor.services.portal import Portal
from guarantor.services.rounds import AssessRequest, parse_assumptions
from guarantor.store.repository import Conflict
from guarantor.web.security import actor, bearer_user

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token"},
    403: {"description": "Not allowed for this user"},
    404: {"description": "No such round or revision"},
    422: {"description": "Invalid input: errors with code, field path and message"},
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def _caller(request: Request) -> User:
    """The token's user; a dependency, so authentication comes before body validation."""
    return bearer_user(request, _portal(request))


Caller = Annotated[User, Depends(_caller)]


class RoundOut(BaseModel):
    """A questionnaire round."""

    id: str
    questionnaire: str
    version: int
    coordinator: str
    deadline: dt.date | None
    invited: list[str]


class RevisionOut(BaseModel):
    """One revision of a capital's answers."""

    round: str
    country: str
    revision: int
    status: Literal["draft", "submitted"]
    author: str
    saved_at: dt.datetime
    content_hash: str
    changed: list[str]
    answers: dict[str, Any]


class AnswersIn(BaseModel):
    """Answers to save as a new revision."""

    answers: dict[str, Any]
    status: Literal["draft", "submitted"] = "draft"
    expected_revision: int = Field(
        ge=0, description="The revision this edit starts from (0 if none); a newer one wins a 409"
    )


class StatusOut(BaseModel):
    """Whether a capital has answered."""

    country: str
    revision: int | None
    status: str | None
    saved_at: dt.datetime | None


def _revision(r: Revision) -> RevisionOut:
    return RevisionOut(
        round=r.round_id,
        country=r.country,
        revision=r.number,
        status=r.status,
        author=r.author,
        saved_at=r.created_at,
        content_hash=r.content_hash,
        changed=list(r.changed),
        answers=dict(r.submission.answers),
    )


@router.get("/rounds")
def rounds(request: Request, user: Caller) -> list[RoundOut]:
    """Rounds the caller may see."""
    return [
        RoundOut(
            id=r.id,
            questionnaire=r.questionnaire,
            version=r.version,
            coordinator=r.coordinator,
            deadline=r.deadline,
            invited=list(r.invited),
        )
        for r in uc.visible_rounds(_portal(request), user)
    ]


@router.get("/rounds/{round_id}/status")
def round_status(request: Request, user: Caller, round_id: str) -> list[StatusOut]:
    """Who has answered (coordinator, or analysts granted access)."""
    return [
        StatusOut(country=s.country, revision=s.number, status=s.status, saved_at=s.saved_at)
        for s in uc.round_status(_portal(request), user, round_id)
    ]


@router.get("/rounds/{round_id}/submissions/{country}")
def latest(request: Request, user: Caller, round_id: str, country: str) -> RevisionOut:
    """The latest revision (drafts included) of one capital's answers."""
    view = uc.submission_view(_portal(request), user, round_id, country.upper())
    if view.latest is None:
        from guarantor.store import StoreError

        raise StoreError("revision.none", round=round_id, country=country.upper())
    return _revision(view.latest)


@router.put(
    "/rounds/{round_id}/submissions/{country}",
    status_code=201,
    responses={409: {"description": "A newer revision exists; nothing was stored"}},
)
def save(
    request: Request, user: Caller, round_id: str, country: str, body: AnswersIn
) -> RevisionOut:
    """Validate and store the caller's own answers as a new revision."""
    try:
        revision = uc.save_answers(
            _portal(request),
            user,
            round_id,
            country.upper(),
            {"answers": body.answers},
            draft=body.status == "draft",
            expected=body.expected_revision,
            actor=actor(request, user, api=True),
        )
    except Conflict as conflict:
        return JSONResponse(  # type: ignore[return-value]
            {
                "errors": [
                    {
                        "code": "revision.conflict",
                        "expected": conflict.expected,
                        "latest": _revision(conflict.latest).model_dump(mode="json"),
                    }
                ]
            },
            status_code=409,
        )
    return _revision(revision)


@router.get("/rounds/{round_id}/submissions/{country}/revisions")
def revisions(request: Request, user: Caller, round_id: str, country: str) -> list[RevisionOut]:
    """Every revision, oldest first."""
    return [_revision(r) for r in uc.history(_portal(request), user, round_id, country.upper())]


@router.get("/rounds/{round_id}/submissions/{country}/revisions/{number}")
def revision(
    request: Request, user: Caller, round_id: str, country: str, number: int
) -> RevisionOut:
    """One revision."""
    return _revision(uc.revision(_portal(request), user, round_id, country.upper(), number))


@router.get("/rounds/{round_id}/assessment")
def assessment(
    request: Request,
    user: Caller,
    round_id: str,
    requirement: str | None = None,
    assume: list[str] = Query(default=[], description="name=true|false, repeatable"),  # noqa: B008
) -> dict[str, Any]:
    """The round's package assessed against a requirement (aggregates only)."""
    result = uc.dashboard(
        _portal(request),
        user,
        round_id,
        AssessRequest(requirement=requirement, assume=parse_assumptions(assume)),
    )
    return {**result.assessment.to_dict(), "run": result.run.__dict__}


@router.get("/questionnaires/{questionnaire_id}/{version}/schema")
def schema(
    request: Request, questionnaire_id: str, version: int, draft: bool = False
) -> dict[str, Any]:
    """The JSON Schema of an answer document (no login needed: it is the public form)."""
    from guarantor.questionnaire import load_questionnaire

    try:
        questionnaire = load_questionnaire(questionnaire_id, version)
    except KeyError:
        from guarantor.store import StoreError

        raise StoreError(
            "questionnaire.unknown", questionnaire=questionnaire_id, version=version
        ) from None
    return json_schema(questionnaire, _portal(request).reference, draft=draft)
