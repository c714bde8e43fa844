"""The questionnaire as an HTML form: field names, parsing posted forms into an answer
document, and mapping validation diagnostics back onto the fields.

Field names are answer paths with dots: ``answers.forces.2.units``. The form itself is
generated from the questionnaire data by the ``_form.html`` macros, never written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import FormData

from guarantor.model.diagnostics import Diagnostic
from guarantor.model.questionnaire import Question, Questionnaire
from guarantor.report.messages import describe

CODED_FIELDS = (
    Question.model_validate({"id": "code", "type": "text", "label": {"en": "Code", "ar": "الرمز"}}),
    Question.model_validate({"id": "text", "type": "text", "label": {"en": "Text", "ar": "النص"}}),
)


def name_of(path: Iterable[str | int]) -> str:
    """``("answers", "forces", 2, "units")`` -> ``"answers.forces.2.units"``."""
    return ".".join(str(p) for p in path)


def _scalar(question: Question, raw: str) -> Any:
    text = raw.strip()
    if text == "":
        return None
    if question.type == "integer":
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else text
    if question.type == "number":
        try:
            return float(text) if not re.fullmatch(r"[-+]?\d+", text) else int(text)
        except ValueError:
            return text
    if question.type == "boolean":
        return text in ("true", "on", "1", "yes")
    return text


def _indices(form: FormData, prefix: str) -> list[int]:
    found = set()
    for key in form:
        if key.startswith(prefix + "."):
            head = key[len(prefix) + 1 :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _parse(question: Question, form: FormData, name: str) -> Any:
    if question.type == "multi_choice":
        return [v for v in form.getlist(name) if isinstance(v, str) and v]
    if question.type in ("list", "coded_list"):
        fields = question.fields if question.type == "list" else CODED_FIELDS
        items = []
        for index in _indices(form, name):
            prefix = f"{name}.{index}"
            if form.get(f"{prefix}._remove"):
                continue
            item = {}
            for field in fields:
                value = _parse(field, form, f"{prefix}.{field.id}")
                if value not in (None, []):
                    item[field.id] = value
            if item:
                items.append(item)
        return items
    raw = form.get(name)
    return _scalar(question, raw) if isinstance(raw, str) else None


def parse_form(questionnaire: Questionnaire, form: FormData) -> dict[str, Any]:
    """An answer document from a posted form; what is left empty is simply not answered."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions():
        value = _parse(question, form, f"answers.{question.id}")
        if value is not None:
            answers[question.id] = value
    return {"answers": answers}


def field_values(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answer values keyed by field name, to fill the form (lists keep their items)."""
    out: dict[str, Any] = {}

    def walk(value: Any, name: str) -> None:
        out[name] = value
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{name}.{key}")
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            for index, item in enumerate(value):
                walk(item, f"{name}.{index}")

    for key, value in answers.items():
        walk(value, f"answers.{key}")
    return out


def field_errors(
    diagnostics: Iterable[Diagnostic], lang: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Messages per field name (shown beside the field), and those that fit no field."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for diagnostic in diagnostics:
        message = describe(diagnostic.model_copy(update={"path": ()}), lang)
        path = list(diagnostic.path)
        if path and path[0] == "answers" and len(path) > 1:
            # A bad item inside a multiple choice belongs to the question, not to the item.
            if isinstance(path[-1], int) and diagnostic.code == "value.not_in_choices":
                path = path[:-1]
            by_field.setdefault(name_of(path), []).append(message)
        else:
            general.append(describe(diagnostic, lang))
    return by_field, general
