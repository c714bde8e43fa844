"""The portal's use cases: one capital's answers, revisions, diffs, restores; the round's
status, dashboard and exports; rounds and access grants. Each checks permissions first
(:mod:`guarantor.services.access`), so the web pages and the API share one rule book."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guarantor.config import Settings
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.offers import Revision
from guarantor.model.portal import Actor, AuditEntry, RoundInfo, User
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Reference
from guarantor.questionnaire import load_questionnaire, validate_answers
from guarantor.questionnaire.answers import flatten
from guarantor.services.access import (
    Forbidden,
    can_administer,
    can_read_submission,
    can_see_assessment,
    can_see_round_status,
    can_write_submission,
    require,
)
from guarantor.services.rounds import (
    AssessRequest,
    AssessResult,
    Progress,
    QuestionnaireContext,
    assess_revisions,
    questionnaire_context,
    seed_scenario_round,
)
from guarantor.store import RevisionStore
from guarantor.store.accounts import AccountStore
from guarantor.store.repository import StoreError


class Portal:
    """Open stores and loaded reference data, shared by the requests of one process."""

    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self.context: QuestionnaireContext = questionnaire_context(settings)
        self.revisions = RevisionStore.open(settings.db_url)
        self.accounts = AccountStore(self.revisions.db)
        seed_scenario_round(self.revisions, self.context.scenario, progress)

    @property
    def reference(self) -> Reference:
        """The reference data (countries, capabilities, sources)."""
        return self.context.reference

    def close(self) -> None:
        """Release database connections."""
        self.revisions.close()

    def __enter__(self) -> Portal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def questionnaire(self, info: RoundInfo) -> Questionnaire:
        """The questionnaire a round uses."""
        return load_questionnaire(info.questionnaire, info.version)

    def round(self, round_id: str) -> RoundInfo:
        """A round, or :class:`StoreError` ``round.unknown``."""
        return self.revisions.round(round_id)


def _in_round(info: RoundInfo, country: str) -> bool:
    return not info.invited or country in info.invited


def _readable(portal: Portal, user: User, round_id: str, country: str) -> RoundInfo:
    # Permission first, existence second: a refusal must not reveal whether a round exists.
    require(can_read_submission(user, country), "read")
    try:
        info = portal.round(round_id)
    except StoreError:
        if user.role == "capital":
            raise Forbidden("read") from None  # the same answer as for a round not theirs
        raise
    if user.role == "capital":
        require(_in_round(info, country), "read")
    return info


@dataclass(frozen=True)
class SubmissionView:
    """What a capital's page shows: the round, the questionnaire and the latest revision."""

    round: RoundInfo
    questionnaire: Questionnaire
    country: str
    latest: Revision | None


def submission_view(portal: Portal, user: User, round_id: str, country: str) -> SubmissionView:
    """The latest revision (drafts included) of one capital's answers."""
    info = _readable(portal, user, round_id, country)
    history = portal.revisions.history(round_id, country)
    return SubmissionView(
        info, portal.questionnaire(info), country, history[-1] if history else None
    )


def save_answers(
    portal: Portal,
    user: User,
    round_id: str,
    country: str,
    document: Mapping[str, Any],
    *,
    draft: bool,
    expected: int,
    actor: Actor,
) -> Revision:
    """Validate and append a revision for the user's own country.

    ``expected`` is the revision the edit started from; a save that landed since raises
    :class:`~guarantor.store.repository.Conflict` and nothing is written."""
    require(can_write_submission(user, country), "write")
    info = portal.round(round_id)
    require(_in_round(info, country), "write")
    submission = validate_answers(
        portal.questionnaire(info), portal.reference, document, country=country, draft=draft
    )
    return portal.revisions.save(
        round_id, submission, user.username, expected=expected, actor=actor
    )


def history(portal: Portal, user: User, round_id: str, country: str) -> list[Revision]:
    """Every revision of one capital's answers."""
    _readable(portal, user, round_id, country)
    return portal.revisions.history(round_id, country)


def revision(portal: Portal, user: User, round_id: str, country: str, number: int) -> Revision:
    """One past revision."""
    _readable(portal, user, round_id, country)
    return portal.revisions.get(round_id, country, number)


@dataclass(frozen=True)
class Change:
    """One answer that differs between two revisions."""

    path: str
    before: Any
    after: Any


def diff(
    portal: Portal, user: User, round_id: str, country: str, old: int, new: int
) -> list[Change]:
    """What changed, answer by answer, from revision ``old`` to revision ``new``."""
    _readable(portal, user, round_id, country)
    before = flatten(portal.revisions.get(round_id, country, old).submission.answers)
    after = flatten(portal.revisions.get(round_id, country, new).submission.answers)
    return [
        Change(path, before.get(path), after.get(path))
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]


def restore(
    portal: Portal,
    user: User,
    round_id: str,
    country: str,
    number: int,
    *,
    expected: int,
    actor: Actor,
) -> Revision:
    """Save an old revision's answers again, as a new revision (history is never rewritten)."""
    require(can_write_submission(user, country), "write")
    old = portal.revisions.get(round_id, country, number)
    document = {"answers": dict(old.submission.answers)}
    return save_answers(
        portal,
        user,
        round_id,
        country,
        document,
        draft=old.status == "draft",
        expected=expected,
        actor=actor,
    )


@dataclass(frozen=True)
class CountryStatus:
    """Whether an invited capital has answered."""

    country: str
    number: int | None
    status: str | None
    saved_at: dt.datetime | None
    author: str | None


def round_status(portal: Portal, user: User, round_id: str) -> list[CountryStatus]:
    """For every invited capital (and any that answered): its latest revision, if any."""
    require(can_see_round_status(user), "round_status")
    info = portal.round(round_id)
    latest = {r.country: r for r in portal.revisions.latest(round_id, submitted_only=False)}
    countries = sorted(set(info.invited) | set(latest))
    return [
        CountryStatus(c, latest[c].number, latest[c].status, latest[c].created_at, latest[c].author)
        if c in latest
        else CountryStatus(c, None, None, None, None)
        for c in countries
    ]


def dashboard(portal: Portal, user: User, round_id: str, request: AssessRequest) -> AssessResult:
    """The round's package assessed (aggregates only; capitals may not see it)."""
    require(can_see_assessment(user), "assessment")
    portal.round(round_id)
    revisions = tuple(portal.revisions.latest(round_id))
    return assess_revisions(portal.context, revisions, request)


def visible_rounds(portal: Portal, user: User) -> list[RoundInfo]:
    """Rounds a user may open: all for coordinators and analysts, invited ones for capitals."""
    rounds = portal.revisions.rounds()
    if user.role == "capital":
        return [r for r in rounds if user.country and _in_round(r, user.country)]
    return rounds


def open_round(
    portal: Portal,
    user: User,
    round_id: str,
    deadline: dt.date | None,
    invited: Sequence[str],
    actor: Actor,
) -> RoundInfo:
    """A new round of the scenario's questionnaire, with a deadline and invited capitals."""
    require(can_administer(user), "open_round")
    unknown = [c for c in invited if c not in portal.reference.countries]
    problems = [
        Diagnostic(code="country.unknown", path=("invited",), params={"value": c}) for c in unknown
    ]
    if not round_id or len(round_id) > 100 or not round_id.replace("-", "").isalnum():
        problems.append(Diagnostic(code="round.bad_id", path=("id",), params={"value": round_id}))
    if problems:
        raise InvalidInput(problems)
    base = portal.context.scenario.round
    info = RoundInfo(
        id=round_id,
        scenario=portal.context.scenario.id,
        questionnaire=base.questionnaire,
        version=base.version,
        coordinator=base.coordinator,
        created_at=dt.datetime.now(dt.UTC),
        deadline=deadline,
        invited=tuple(invited),
    )
    return portal.revisions.open_round(info, actor)


def set_raw_access(portal: Portal, user: User, username: str, granted: bool, actor: Actor) -> User:
    """Grant an analyst access to raw national submissions, or withdraw it."""
    require(can_administer(user), "grant")
    found = portal.accounts.find(username)
    if found is None or found[0].role != "analyst":
        raise StoreError("user.unknown", username=username)
    return portal.accounts.set_raw_access(username, granted, actor)


def editable_questionnaire(
    portal: Portal, user: User, round_id: str, country: str
) -> Questionnaire:
    """The questionnaire of a round, for the capital that may edit its answers."""
    require(can_write_submission(user, country), "write")
    info = portal.round(round_id)
    require(_in_round(info, country), "write")
    return portal.questionnaire(info)


def list_users(portal: Portal, user: User) -> list[User]:
    """Every account (coordinator only)."""
    require(can_administer(user), "users")
    return portal.accounts.users()


def audit_trail(portal: Portal, user: User, prefix: str = "") -> list[AuditEntry]:
    """The newest audit entries (read-only: the application has no way to change them)."""
    require(can_administer(user), "audit")
    return portal.accounts.audit_entries(prefix)


__all__ = ["Forbidden", "Portal"]
