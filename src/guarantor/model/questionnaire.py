"""A questionnaire definition: sections of typed, bilingual questions, as data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from guarantor.model.base import Frozen, Text

QuestionType = Literal[
    "text", "integer", "number", "boolean", "choice", "multi_choice", "list", "coded_list"
]


class Choice(Frozen):
    """One option of a choice list."""

    code: str
    label: Text
    exclusive: bool = False
    """An option that cannot be combined with others (such as "none")."""
    assumption: str | None = None
    met_when: bool = True


class Question(Frozen):
    """A question or, inside a ``list`` question, a field of each list item."""

    id: str
    type: QuestionType
    label: Text
    help: Text | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    max_from_catalogue: str | None = None
    """For a quantity: take the bound from the catalogue entry named by this sibling field."""
    max_length: int | None = None
    max_items: int | None = None
    unit: str | None = None
    choices: str | None = None
    """A choice list of the questionnaire, or ``catalogue.force`` / ``catalogue.equipment``."""
    unique_by: tuple[str, ...] = ()
    fields: tuple[Question, ...] = ()


class Section(Frozen):
    """A group of questions with a title."""

    id: str
    title: Text
    sources: tuple[str, ...] = ()
    questions: tuple[Question, ...]


class Questionnaire(Frozen):
    """A versioned questionnaire. Answers are keyed by question id, across sections."""

    id: str
    version: int
    title: Text
    intro: Text
    sources: tuple[str, ...] = ()
    choices: Mapping[str, tuple[Choice, ...]]
    sections: tuple[Section, ...]

    def questions(self) -> Iterator[Question]:
        """Every top-level question, in order."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        """A top-level question by id."""
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def key(self) -> str:
        """``id@version``, how revisions name the questionnaire they answer."""
        return f"{self.id}@{self.version}"
