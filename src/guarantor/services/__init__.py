"""Use cases: the only layer the CLI (and the web app) call. Records run provenance."""

from guarantor.services.rounds import (
    AssessRequest,
    AssessResult,
    QuestionnaireContext,
    assess_round,
    history,
    questionnaire_context,
    show_revision,
    submit,
)

__all__ = [
    "AssessRequest",
    "AssessResult",
    "QuestionnaireContext",
    "assess_round",
    "history",
    "questionnaire_context",
    "show_revision",
    "submit",
]
