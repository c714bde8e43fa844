"""Questionnaire documents for people: Markdown, and a commented YAML answer template.

Both derive from the questionnaire data; the words around the questions come from the
gettext catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from guarantor.i18n import N_, gettext
from guarantor.model.base import Lang
from guarantor.model.questionnaire import Question, Questionnaire
from guarantor.model.reference import Reference

_WORDS: dict[str, str] = {
    "required": N_("required"),
    "optional": N_("optional"),
    "choices": N_("choices"),
    "range": N_("range"),
    "unit": N_("unit"),
    "each_item": N_("each item has"),
    "catalogue_max": N_("at most the catalogue bound of the"),
    "free_code": N_("a code (a-z, 0-9, _) and a text"),
    "version": N_("version"),
    "template_head": N_(
        "Answer file. Fill in, then: guarantor submit THIS_FILE --country {country} [--draft]"
    ),
}


_TYPES: dict[str, str] = {
    "text": N_("text"),
    "integer": N_("whole number"),
    "number": N_("number"),
    "boolean": N_("yes or no"),
    "choice": N_("one choice"),
    "multi_choice": N_("several choices"),
    "list": N_("list"),
    "coded_list": N_("list of codes"),
}


def _bound(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _w(key: str, lang: Lang) -> str:
    return gettext(lang, _WORDS[key])


def _choices_text(
    questionnaire: Questionnaire, reference: Reference, q: Question, lang: Lang
) -> list[tuple[str, str]]:
    if q.choices == "catalogue.force":
        return [(c.code, f"{c.label.get(lang)} ({c.unit.get(lang)})") for c in reference.forces()]
    if q.choices == "catalogue.equipment":
        return [
            (c.code, f"{c.label.get(lang)} ({c.unit.get(lang)})") for c in reference.equipment()
        ]
    return [(c.code, c.label.get(lang)) for c in questionnaire.choices.get(q.choices or "", ())]


def _constraint(q: Question, lang: Lang) -> str:
    parts = [_w("required" if q.required else "optional", lang), gettext(lang, _TYPES[q.type])]
    if q.min is not None or q.max is not None:
        low = "" if q.min is None else _bound(q.min)
        high = "" if q.max is None else _bound(q.max)
        parts.append(f"{_w('range', lang)} {low}..{high}")
    if q.max_from_catalogue:
        parts.append(f"{_w('catalogue_max', lang)} {q.max_from_catalogue}")
    if q.unit:
        parts.append(f"{_w('unit', lang)}: {q.unit}")
    if q.type == "coded_list":
        parts.append(_w("free_code", lang))
    return ", ".join(parts)


def to_markdown(questionnaire: Questionnaire, reference: Reference, lang: Lang = "en") -> str:
    """The questionnaire as a Markdown document (in Arabic wrapped in a right-to-left div)."""
    lines = [
        f"# {questionnaire.title.get(lang)}",
        "",
        f"*{questionnaire.id}, {_w('version', lang)} {questionnaire.version}*",
        "",
        questionnaire.intro.get(lang),
        "",
    ]
    for number, section in enumerate(questionnaire.sections, start=1):
        lines += [f"## {number}. {section.title.get(lang)}", ""]
        for q in section.questions:
            lines += _question_md(questionnaire, reference, q, lang, level=0)
    body = "\n".join(lines).rstrip() + "\n"
    return f'<div dir="rtl" lang="ar">\n\n{body}\n</div>\n' if lang == "ar" else body


def _question_md(
    questionnaire: Questionnaire, reference: Reference, q: Question, lang: Lang, level: int
) -> list[str]:
    indent = "  " * level
    lines = [f"{indent}- **{q.label.get(lang)}** (`{q.id}`; {_constraint(q, lang)})"]
    if q.help is not None:
        lines.append(f"{indent}  {q.help.get(lang)}")
    if q.choices:
        listed = ", ".join(
            f"`{code}` {label}" for code, label in _choices_text(questionnaire, reference, q, lang)
        )
        lines.append(f"{indent}  {_w('choices', lang)}: {listed}")
    if q.fields:
        lines.append(f"{indent}  {_w('each_item', lang)}:")
        for field in q.fields:
            lines += _question_md(questionnaire, reference, field, lang, level + 2)
    lines.append("")
    return lines


def _example(q: Question) -> Any:
    if q.type in ("list", "multi_choice", "coded_list"):
        return []
    return None


def answer_template(
    questionnaire: Questionnaire,
    reference: Reference,
    country: str,
    *,
    lang: Lang = "en",
    answers: Mapping[str, Any] | None = None,
) -> str:
    """A YAML answer file for one capital, commented question by question and pre-filled with
    ``answers`` (its latest revision) when given."""
    out = [
        f"# {questionnaire.title.get(lang)}",
        f"# {_w('template_head', lang).format(country=country)}",
        f"# {reference.country_name(country, lang)}",
        f"questionnaire: {questionnaire.id}",
        f"version: {questionnaire.version}",
        f"country: {country}",
        "answers:",
    ]
    given = dict(answers or {})
    for section in questionnaire.sections:
        out.append(f"  # == {section.title.get(lang)} ==")
        for q in section.questions:
            out.append(f"  # {q.label.get(lang)}")
            out.append(f"  #   {_constraint(q, lang)}")
            if q.choices:
                codes = ", ".join(
                    code for code, _ in _choices_text(questionnaire, reference, q, lang)
                )
                out.append(f"  #   {_w('choices', lang)}: {codes}")
            if q.fields:
                out.append(f"  #   {_w('each_item', lang)}:")
                for field in q.fields:
                    out.append(
                        f"  #     {field.id}: {field.label.get(lang)} ({_constraint(field, lang)})"
                    )
            value = given.get(q.id, _example(q))
            dumped = yaml.safe_dump(
                {q.id: value},
                allow_unicode=True,
                sort_keys=False,
                default_flow_style=False,
                width=100,
            )
            out += ["  " + line for line in dumped.rstrip("\n").split("\n")]
    return "\n".join(out) + "\n"
