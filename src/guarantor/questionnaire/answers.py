"""Reading, validating and interpreting answer documents.

Everything here returns :class:`Diagnostic` records (code, path, params) or raises
:class:`InvalidInput` carrying them; no message text is written here.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from guarantor.model.diagnostics import Diagnostic, InvalidInput, PathPart
from guarantor.model.offers import EquipmentOffer, Offer, Submission, SubmissionStatus
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Reference
from guarantor.questionnaire.schema import json_schema

MAX_DEPTH = 32


@dataclass(frozen=True)
class AnswerDocument:
    """A parsed answer file, before validation against a questionnaire."""

    data: dict[str, Any]
    filename: str


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: they add nothing to an answer file and allow
    'billion laughs' documents that expand far beyond the file size."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="aliases are not allowed in answer files", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


def read_answer_document(raw: bytes, filename: str, *, max_bytes: int) -> AnswerDocument:
    """Decode and parse an answer file (YAML or JSON). Raises :class:`InvalidInput`."""
    if len(raw) > max_bytes:
        raise InvalidInput(
            [Diagnostic(code="file.too_large", params={"size": len(raw), "limit": max_bytes})]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [Diagnostic(code="file.encoding", params={"offset": exc.start, "encoding": "UTF-8"})]
        ) from None
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InvalidInput(
            [
                Diagnostic(
                    code="file.not_yaml",
                    params={
                        "line": mark.line + 1 if mark else None,
                        "column": mark.column + 1 if mark else None,
                        "problem": exc.problem or str(exc),
                    },
                )
            ]
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise InvalidInput(
            [Diagnostic(code="file.not_yaml", params={"problem": type(exc).__name__})]
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput([Diagnostic(code="file.not_mapping", params={"found": _kind(data)})])
    return AnswerDocument(data=data, filename=filename)


def validate_answers(
    questionnaire: Questionnaire,
    reference: Reference,
    document: Mapping[str, Any],
    *,
    country: str | None,
    draft: bool,
) -> Submission:
    """Validate a parsed document and return the :class:`Submission` it stands for.

    ``country`` is the capital the caller acts for; a document naming another one is
    refused. Raises :class:`InvalidInput` with every problem found, in document order.
    """
    found = list(_check_structure(document, ()))
    if found:
        raise InvalidInput(found)
    document = _drop_unanswered(document)
    named = document.get("country")
    effective = country or named
    if effective is None:
        found.append(Diagnostic(code="country.missing", path=("country",)))
    elif not isinstance(effective, str) or effective not in reference.countries:
        found.append(
            Diagnostic(code="country.unknown", path=("country",), params={"value": effective})
        )
    elif named is not None and country is not None and named != country:
        found.append(
            Diagnostic(
                code="country.mismatch",
                path=("country",),
                params={"value": named, "expected": country},
            )
        )
    for key, expected in (("questionnaire", questionnaire.id), ("version", questionnaire.version)):
        if key in document and document[key] != expected:
            found.append(
                Diagnostic(
                    code="questionnaire.mismatch",
                    path=(key,),
                    params={"value": document[key], "expected": expected},
                )
            )
    schema = json_schema(questionnaire, reference, draft=draft)
    validator = Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        if tuple(error.path) in {("country",), ("questionnaire",), ("version",)}:
            continue  # reported above, with a clearer code
        found.extend(_from_schema_error(error))
    answers = document.get("answers")
    if isinstance(answers, Mapping):
        found.extend(_check_semantics(questionnaire, answers))
    if found:
        raise InvalidInput(_dedupe(found))
    assert isinstance(effective, str)
    status: SubmissionStatus = "draft" if draft else "submitted"
    return Submission(
        country=effective,
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        status=status,
        answers=dict(answers) if isinstance(answers, Mapping) else {},
    )


def _drop_unanswered(document: Mapping[str, Any]) -> dict[str, Any]:
    """A ``null`` answer (as in a fresh template) means "not answered yet", at the top level
    of ``answers`` and inside list items; what is left is validated as written."""
    out = dict(document)
    answers = out.get("answers")
    if isinstance(answers, Mapping):
        cleaned: dict[str, Any] = {}
        for key, value in answers.items():
            if value is None:
                continue
            if isinstance(value, list):
                cleaned[key] = [
                    {k: v for k, v in item.items() if v is not None}
                    if isinstance(item, Mapping)
                    else item
                    for item in value
                ]
            else:
                cleaned[key] = value
        out["answers"] = cleaned
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _check_structure(value: Any, path: tuple[PathPart, ...]) -> Iterator[Diagnostic]:
    """What JSON Schema cannot see: non-text keys, NaN and infinities, absurd depth."""
    if len(path) > MAX_DEPTH:
        yield Diagnostic(
            code="document.too_deep", path=path[:MAX_DEPTH], params={"limit": MAX_DEPTH}
        )
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield Diagnostic(code="key.not_text", path=path, params={"key": repr(key)})
                continue
            yield from _check_structure(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _check_structure(item, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        yield Diagnostic(code="value.not_finite", path=path, params={"value": str(value)})


_SCHEMA_CODES = {
    "type": "value.wrong_type",
    "enum": "value.not_in_choices",
    "minimum": "value.too_small",
    "maximum": "value.too_large",
    "exclusiveMinimum": "value.too_small",
    "exclusiveMaximum": "value.too_large",
    "minLength": "value.too_short",
    "maxLength": "value.too_long",
    "maxItems": "value.too_many_items",
    "uniqueItems": "value.repeated_choice",
    "pattern": "value.bad_code",
    "const": "value.wrong_constant",
}


def _jsonable(value: Any) -> Any:
    """A short, JSON-safe rendering of an offending value for the message."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value[:80] if isinstance(value, str) else value
    return _kind(value)


def _from_schema_error(error: ValidationError) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    validator = str(error.validator)
    if validator == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in error.validator_value:
            if name not in instance:
                yield Diagnostic(code="value.required", path=(*path, name))
        return
    if validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in instance:
            if name not in known:
                yield Diagnostic(
                    code="field.unknown", path=(*path, name), params={"known": sorted(known)}
                )
        return
    params: dict[str, Any] = {"value": _jsonable(error.instance)}
    if validator == "type":
        params["expected"] = error.validator_value
        params["found"] = _kind(error.instance)
    elif validator == "enum":
        params["choices"] = list(error.validator_value)
    elif validator in ("minimum", "maximum", "minLength", "maxLength", "maxItems"):
        params["limit"] = error.validator_value
    elif validator == "const":
        params["expected"] = error.validator_value
    code = _SCHEMA_CODES.get(validator, "value.invalid")
    if code == "value.invalid":
        params["rule"] = validator
    yield Diagnostic(code=code, path=path, params=params)


def _check_semantics(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """Duplicates by a question's ``unique_by`` fields; exclusive choices combined with others."""
    exclusive = {
        name: {c.code for c in options if c.exclusive}
        for name, options in questionnaire.choices.items()
    }
    for question in questionnaire.questions():
        value = answers.get(question.id)
        if question.type == "multi_choice" and isinstance(value, list) and len(value) > 1:
            alone = exclusive.get(question.choices or "", set()) & set(map(str, value))
            for code in sorted(alone):
                yield Diagnostic(
                    code="choice.exclusive", path=("answers", question.id), params={"value": code}
                )
        if question.type == "list" and question.unique_by and isinstance(value, list):
            first_seen: dict[tuple[Any, ...], int] = {}
            for index, item in enumerate(value):
                if not isinstance(item, Mapping):
                    continue
                key = tuple(json.dumps(item.get(f), sort_keys=True) for f in question.unique_by)
                if key in first_seen:
                    yield Diagnostic(
                        code="list.duplicate",
                        path=("answers", question.id, index),
                        params={"first": first_seen[key], "fields": list(question.unique_by)},
                    )
                else:
                    first_seen[key] = index


def _dedupe(found: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[str] = set()
    out = []
    for d in found:
        key = json.dumps([d.code, list(d.path), d.params], sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def offers_from(submission: Submission) -> tuple[tuple[Offer, ...], tuple[EquipmentOffer, ...]]:
    """The force and equipment offers a submission makes; general conditions apply to all."""
    answers = submission.answers
    general = tuple(answers.get("general_conditions") or ()) + tuple(
        c["code"] for c in answers.get("general_other_conditions") or ()
    )
    offers = []
    for i, item in enumerate(answers.get("forces") or ()):
        own = tuple(item.get("conditions") or ()) + tuple(
            c["code"] for c in item.get("other_conditions") or ()
        )
        offers.append(
            Offer(
                country=submission.country,
                capability=item["capability"],
                quantity=int(item["units"]),
                role=item["role"],
                zone=item["zone"],
                readiness_days=int(item["readiness_days"]),
                duration_months=int(item["duration_months"]),
                conditions=tuple(dict.fromkeys(own + general)),
                source_path=f"answers.forces[{i}]",
            )
        )
    equipment = tuple(
        EquipmentOffer(
            country=submission.country,
            category=item["category"],
            quantity=int(item["quantity"]),
            delivery_days=int(item["delivery_days"]),
            source_path=f"answers.equipment[{i}]",
        )
        for i, item in enumerate(answers.get("equipment") or ())
    )
    return tuple(offers), equipment


def canonical_json(submission: Submission) -> str:
    """The submission as canonical JSON: what is hashed and stored."""
    return json.dumps(
        submission.model_dump(mode="json", exclude={"provenance"}),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def content_hash(submission: Submission) -> str:
    """SHA-256 of the canonical JSON of a submission."""
    return hashlib.sha256(canonical_json(submission).encode("utf-8")).hexdigest()


def flatten(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Leaf values by path (``forces[0].units``); empty lists and mappings are leaves too."""
    out: dict[str, Any] = {}

    def walk(value: Any, prefix: str) -> None:
        if isinstance(value, Mapping):
            if not value and prefix:
                out[prefix] = {}
            for key, item in value.items():
                walk(item, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list):
            if not value:
                out[prefix] = []
            for index, item in enumerate(value):
                walk(item, f"{prefix}[{index}]")
        else:
            out[prefix] = value

    walk(answers or {}, "")
    return out


def diff_paths(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> tuple[str, ...]:
    """Leaf paths that were added, removed or changed between two answer mappings."""
    before, after = flatten(old), flatten(new)
    return tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))
