"""JSON Schema (draft 2020-12) generated from a questionnaire definition.

The same schema validates answers (through the ``jsonschema`` library), documents the API
and drives forms, so a question exists in exactly one place: the data file.
"""

from __future__ import annotations

from typing import Any

from guarantor.model.base import Lang
from guarantor.model.questionnaire import Question, Questionnaire
from guarantor.model.reference import Reference
from guarantor.questionnaire.definition import choice_codes

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
CODE_PATTERN = r"^[a-z][a-z0-9_]{1,40}$"


def json_schema(
    questionnaire: Questionnaire, reference: Reference, *, draft: bool = False, lang: Lang = "en"
) -> dict[str, Any]:
    """The schema of an answer document. A draft schema requires nothing but keeps every type
    and bound: drafts may be incomplete, never malformed."""
    answers = _object(questionnaire.questions(), questionnaire, reference, draft=draft, lang=lang)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:guarantor:questionnaire:{questionnaire.id}:{questionnaire.version}"
        + (":draft" if draft else ""),
        "title": questionnaire.title.get(lang),
        "description": questionnaire.intro.get(lang),
        "type": "object",
        "properties": {
            "questionnaire": {"const": questionnaire.id},
            "version": {"const": questionnaire.version},
            "country": {"type": "string", "enum": sorted(reference.countries)},
            "status": {"enum": ["draft", "submitted"]},
            "answers": answers,
        },
        "required": ["answers"],
        "additionalProperties": False,
    }


def _object(
    questions: Any, questionnaire: Questionnaire, reference: Reference, *, draft: bool, lang: Lang
) -> dict[str, Any]:
    questions = list(questions)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            q.id: _question(q, questionnaire, reference, draft=draft, lang=lang) for q in questions
        },
        "additionalProperties": False,
    }
    required = [q.id for q in questions if q.required]
    if required and not draft:
        schema["required"] = required
    bounds = [_catalogue_bound(q, reference) for q in questions if q.max_from_catalogue is not None]
    if bounds:
        schema["allOf"] = [rule for rules in bounds for rule in rules]
    return schema


def _question(
    q: Question, questionnaire: Questionnaire, reference: Reference, *, draft: bool, lang: Lang
) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": q.label.get(lang)}
    if q.help is not None:
        schema["description"] = q.help.get(lang)
    if q.unit:
        schema["x-unit"] = q.unit
    if q.type == "text":
        schema.update(type="string", maxLength=q.max_length or 4000)
    elif q.type in ("integer", "number"):
        schema["type"] = q.type
        if q.min is not None:
            schema["minimum"] = q.min
        if q.max is not None:
            schema["maximum"] = q.max
    elif q.type == "boolean":
        schema["type"] = "boolean"
    elif q.type == "choice":
        schema.update(type="string", enum=choice_codes(questionnaire, reference, q.choices or ""))
    elif q.type == "multi_choice":
        codes = choice_codes(questionnaire, reference, q.choices or "")
        schema.update(type="array", items={"type": "string", "enum": codes}, uniqueItems=True)
    elif q.type == "coded_list":
        schema.update(
            type="array",
            maxItems=20,
            items={
                "type": "object",
                "properties": {
                    "code": {"type": "string", "pattern": CODE_PATTERN},
                    "text": {"type": "string", "minLength": 1, "maxLength": 500},
                },
                "required": ["code", "text"],
                "additionalProperties": False,
            },
        )
    elif q.type == "list":
        schema.update(
            type="array",
            items=_object(q.fields, questionnaire, reference, draft=draft, lang=lang),
        )
        if q.max_items:
            schema["maxItems"] = q.max_items
    return schema


def _catalogue_bound(q: Question, reference: Reference) -> list[dict[str, Any]]:
    """One if/then rule per catalogue entry: the quantity may not exceed its ``max_quantity``."""
    selector = q.max_from_catalogue or ""
    return [
        {
            "if": {"properties": {selector: {"const": cap.code}}, "required": [selector]},
            "then": {"properties": {q.id: {"maximum": cap.max_quantity}}},
        }
        for cap in reference.capabilities.values()
    ]
