"""Questionnaires as data: definitions, JSON Schema, forms and templates, answer validation."""

from guarantor.questionnaire.answers import (
    AnswerDocument,
    content_hash,
    diff_paths,
    offers_from,
    read_answer_document,
    validate_answers,
)
from guarantor.questionnaire.definition import (
    check_questionnaire,
    list_questionnaires,
    load_questionnaire,
)
from guarantor.questionnaire.schema import json_schema

__all__ = [
    "AnswerDocument",
    "check_questionnaire",
    "content_hash",
    "diff_paths",
    "json_schema",
    "list_questionnaires",
    "load_questionnaire",
    "offers_from",
    "read_answer_document",
    "validate_answers",
]
