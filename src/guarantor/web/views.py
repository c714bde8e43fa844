"""View models: what templates need, in the request's language, computed from domain data."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from guarantor.i18n import N_
from guarantor.model.assessment import Assessment
from guarantor.model.questionnaire import Question, Questionnaire
from guarantor.report.tables import TABLES, TITLES, Labels
from guarantor.scenario import list_requirements, load_requirement
from guarantor.services.portal import Portal

# Words templates translate with _(variable): marked here so the catalogue has them.
WORDS = (
    N_("coordinator"),
    N_("capital"),
    N_("analyst"),
    N_("not answered"),
    N_("disabled"),
    N_("Forbidden"),
    N_("Too many attempts"),
    N_("Invalid input"),
    N_("Not found"),
    N_("Conflict"),
    N_("Invalid request"),
)
UNITS = {
    "persons": N_("persons"),
    "months": N_("months"),
    "days": N_("days"),
    "usd_m": N_("US$ million"),
}


def country_names(portal: Portal) -> dict[str, str]:
    """Country code -> name in the request's language."""
    from guarantor.web.templating import current_lang

    lang = "ar" if current_lang.get() == "ar" else "en"
    return {code: c.name.get(lang) for code, c in portal.reference.countries.items()}


@dataclass
class FieldModel:
    """One question or list field, ready to render: label, help, choices in one language."""

    question: Question
    label: str
    help: str | None
    choices: list[tuple[str, str]] = field(default_factory=list)
    fields: list[FieldModel] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def type(self) -> str:
        return self.question.type


@dataclass
class SectionModel:
    """A section of the form."""

    id: str
    title: str
    questions: list[FieldModel]


@dataclass
class FormModel:
    """The whole form."""

    title: str
    intro: str
    sections: list[SectionModel]

    def question(self, question_id: str) -> FieldModel:
        for section in self.sections:
            for q in section.questions:
                if q.id == question_id:
                    return q
        raise KeyError(question_id)


def form_model(portal: Portal, questionnaire: Questionnaire, lang: str) -> FormModel:
    """The questionnaire as a form model in ``lang`` (labels, help, choice labels)."""
    code = "ar" if lang == "ar" else "en"
    reference = portal.reference

    def choices(name: str | None) -> list[tuple[str, str]]:
        if name == "catalogue.force":
            return [(c.code, c.label.get(code)) for c in reference.forces()]
        if name == "catalogue.equipment":
            return [(c.code, c.label.get(code)) for c in reference.equipment()]
        return [(c.code, c.label.get(code)) for c in questionnaire.choices.get(name or "", ())]

    def model(q: Question) -> FieldModel:
        return FieldModel(
            question=q,
            label=q.label.get(code),
            help=q.help.get(code) if q.help else None,
            choices=choices(q.choices),
            fields=[model(f) for f in q.fields],
        )

    return FormModel(
        title=questionnaire.title.get(code),
        intro=questionnaire.intro.get(code),
        sections=[
            SectionModel(s.id, s.title.get(code), [model(q) for q in s.questions])
            for s in questionnaire.sections
        ],
    )


def assessment_tables(assessment: Assessment, labels: Labels) -> list[dict[str, Any]]:
    """Every table of an assessment: title, headers, rows, which columns are numeric."""
    out = []
    for name, (rows_of, numeric) in TABLES.items():
        headers, rows = rows_of(assessment, labels)
        out.append(
            {
                "name": name,
                "title": labels.t(TITLES[name]),
                "headers": headers,
                "rows": rows,
                "numeric": numeric or [False] + [True] * (len(headers) - 1),
            }
        )
    return out


def chart_svg(assessment: Assessment, labels: Labels, kind: str | None = None) -> str:
    """A chart as inline SVG: coverage and readiness together, or one ``kind`` alone."""
    import matplotlib as mpl

    from guarantor.report.plots import coverage_figure, fonts, single_figure

    figure = (
        coverage_figure(assessment, labels)
        if kind is None
        else single_figure(kind, assessment, labels)
    )
    buffer = io.StringIO()
    # Glyphs as paths: matplotlib has already shaped and ordered the Arabic; text elements
    # would be laid out again by the browser under dir="rtl" and land in the wrong place.
    with mpl.rc_context({**fonts(labels.lang), "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def requirement_choices(lang: str) -> list[tuple[str, str]]:
    """Shipped requirement templates with labels."""
    code = "ar" if lang == "ar" else "en"
    return [(name, load_requirement(name).label.get(code)) for name in list_requirements()]
