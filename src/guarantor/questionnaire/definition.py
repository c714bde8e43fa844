"""Loading questionnaire definitions from the package data, and checking them by name."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from guarantor.model.diagnostics import Diagnostic
from guarantor.model.questionnaire import Question, Questionnaire
from guarantor.model.reference import Reference

DATA = resources.files("guarantor") / "data" / "questionnaires"
CATALOGUE_CHOICES = ("catalogue.force", "catalogue.equipment")


def list_questionnaires() -> list[tuple[str, int]]:
    """``(id, version)`` of every shipped questionnaire."""
    found = []
    for entry in DATA.iterdir():
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            found.append((str(data["id"]), int(data["version"])))
    return sorted(found)


@lru_cache(maxsize=16)
def load_questionnaire(qid: str = "us-cable-2025", version: int = 1) -> Questionnaire:
    """A shipped questionnaire by id and version."""
    path = DATA / f"{qid}-v{version}.yaml"
    if not path.is_file():
        raise KeyError(f"no questionnaire {qid} version {version}")
    return Questionnaire.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def choice_codes(questionnaire: Questionnaire, reference: Reference, name: str) -> list[str]:
    """The codes a choice question accepts: a named list or a catalogue part."""
    if name == "catalogue.force":
        return [c.code for c in reference.forces()]
    if name == "catalogue.equipment":
        return [c.code for c in reference.equipment()]
    return [c.code for c in questionnaire.choices[name]]


def check_questionnaire(questionnaire: Questionnaire, reference: Reference) -> list[Diagnostic]:
    """Named consistency check: choice lists exist, ids are unique, sources are known."""
    found: list[Diagnostic] = []
    seen: set[str] = set()

    def check(question: Question, path: tuple[str | int, ...]) -> None:
        if (
            question.choices
            and question.choices not in CATALOGUE_CHOICES | questionnaire.choices.keys()
        ):
            found.append(
                Diagnostic(
                    code="questionnaire.unknown_choices",
                    path=path,
                    params={"choices": question.choices},
                )
            )
        if question.type in ("choice", "multi_choice") and not question.choices:
            found.append(Diagnostic(code="questionnaire.missing_choices", path=path))
        names = {f.id for f in question.fields}
        for key in question.unique_by:
            if key not in names:
                found.append(
                    Diagnostic(code="questionnaire.unknown_field", path=path, params={"field": key})
                )
        for i, field in enumerate(question.fields):
            check(field, (*path, "fields", i))

    for s, section in enumerate(questionnaire.sections):
        for source in section.sources:
            if source not in reference.sources:
                found.append(
                    Diagnostic(
                        code="source.unknown", path=("sections", s), params={"source": source}
                    )
                )
        for q, question in enumerate(section.questions):
            if question.id in seen:
                found.append(
                    Diagnostic(
                        code="questionnaire.duplicate_id",
                        path=("sections", s, "questions", q),
                        params={"id": question.id},
                    )
                )
            seen.add(question.id)
            check(question, ("sections", s, "questions", q))
    for source in questionnaire.sources:
        if source not in reference.sources:
            found.append(
                Diagnostic(code="source.unknown", path=("sources",), params={"source": source})
            )
    return found
