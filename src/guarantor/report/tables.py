"""Assessment and history as tables a person reads: rich tables (terminal), CSV and JSON.

Arabic tables run right to left: columns are reversed and right-justified, so the first
column a reader meets is at the right edge.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from guarantor.i18n import N_, direction, gettext, number, percent
from guarantor.model.assessment import Assessment
from guarantor.model.offers import Revision
from guarantor.model.questionnaire import Questionnaire
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement
from guarantor.model.scenario import Scenario

Justify = Literal["left", "right"]

STATUS = {"covered": N_("covered"), "partial": N_("partial"), "gap": N_("gap")}
REVISION_STATUS = {"draft": N_("draft"), "submitted": N_("submitted")}
IMPLIED = {"combat_role": N_("Combat role"), "at_contact_line": N_("Forces at the line of contact")}


class Labels:
    """Bilingual names of the things tables mention (items, capabilities, countries, codes)."""

    def __init__(
        self,
        lang: str,
        reference: Reference,
        requirement: Requirement | None = None,
        questionnaire: Questionnaire | None = None,
        scenario: Scenario | None = None,
    ) -> None:
        self.lang = lang
        self.reference = reference
        self.items = (
            {i.id: i.label.get(self._lang) for i in requirement.items} if requirement else {}
        )
        self.choices: dict[str, str] = {}
        if questionnaire:
            for options in questionnaire.choices.values():
                for option in options:
                    self.choices.setdefault(option.code, option.label.get(self._lang))
        self.assumptions = {k: gettext(lang, v) for k, v in IMPLIED.items()}
        if scenario:
            self.assumptions.update(
                {k: a.label.get(self._lang) for k, a in scenario.assumptions.items()}
            )

    @property
    def _lang(self) -> Any:
        return "ar" if self.lang == "ar" else "en"

    @property
    def sep(self) -> str:
        """List separator: the Arabic comma in Arabic."""
        return "، " if self.lang == "ar" else ", "

    def t(self, message: str) -> str:
        return gettext(self.lang, message)

    def country(self, code: str) -> str:
        return self.reference.country_name(code, self._lang)

    def capability(self, code: str) -> str:
        cap = self.reference.capabilities.get(code)
        return cap.label.get(self._lang) if cap else code

    def item(self, code: str) -> str:
        return self.items.get(code, code)

    def choice(self, code: str) -> str:
        return self.choices.get(code, code)

    def num(self, value: float | None, digits: int = 1) -> str:
        return "?" if value is None else number(value, self.lang, digits)

    def pct(self, value: float | None) -> str:
        return "?" if value is None else percent(value, self.lang)

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return "?"
        return self.t(N_("yes")) if value else self.t(N_("no"))


def _table(
    labels: Labels,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool] | None = None,
) -> Table:
    rtl = direction(labels.lang) == "rtl"
    numeric = numeric or [False] * len(headers)
    order = list(range(len(headers)))
    if rtl:
        order.reverse()
    table = Table(title=title, title_justify="right" if rtl else "left", show_lines=False)
    for i in order:
        justify: Justify = "right" if rtl or numeric[i] else "left"
        table.add_column(headers[i], justify=justify, overflow="fold")
    for row in rows:
        table.add_row(*[row[i] for i in order])
    return table


def coverage_rows(a: Assessment, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the coverage table."""
    headers = [
        labels.t(N_("Requirement")),
        labels.t(N_("Required")),
        labels.t(N_("Offered")),
        labels.t(N_("Sustained")),
        labels.t(N_("Gap")),
        labels.t(N_("Pool needed")),
        labels.t(N_("Status")),
        labels.t(N_("Contributors")),
    ]
    rows = [
        [
            labels.item(c.item),
            labels.num(c.required, 0),
            labels.num(c.offered, 0),
            labels.num(c.sustained),
            labels.num(c.gap),
            labels.num(c.required_pool),
            labels.t(STATUS[c.status]),
            labels.sep.join(f"{labels.country(k)} {v}" for k, v in c.contributors.items()) or "-",
        ]
        for c in a.coverage
    ]
    return headers, rows


def burden_rows(a: Assessment, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the burden-sharing table."""
    headers = [
        labels.t(N_("Country")),
        labels.t(N_("Units")),
        labels.t(N_("Personnel")),
        labels.t(N_("Personnel share")),
        labels.t(N_("Cost per year (US$ m)")),
        labels.t(N_("Cost share")),
        labels.t(N_("GDP share")),
        labels.t(N_("Cost share / GDP share")),
        labels.t(N_("Rotation pool / active forces")),
        labels.t(N_("Sustainable")),
    ]
    rows = [
        [
            labels.country(b.country),
            labels.num(b.units, 0),
            labels.num(b.personnel, 0),
            labels.pct(b.personnel_share),
            labels.num(b.cost_usd_m),
            labels.pct(b.cost_share),
            labels.pct(b.gdp_share),
            labels.num(b.burden_ratio, 2),
            labels.pct(b.pool_share_of_active),
            labels.yes_no(b.sustainable),
        ]
        for b in a.burden
    ]
    return headers, rows


def readiness_rows(a: Assessment, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the readiness curve: units in place by day, per requirement line."""
    required = {c.item: c.required for c in a.coverage}
    days = [p.day for p in a.readiness]
    headers = [labels.t(N_("Requirement"))] + [
        labels.t(N_("Day {day}")).format(day=d) for d in days
    ]
    rows = [
        [labels.item(item)]
        + [f"{labels.num(p.units[item], 0)}/{labels.num(required[item], 0)}" for p in a.readiness]
        for item in required
    ]
    rows.append(
        [labels.t(N_("Personnel in place"))] + [labels.num(p.personnel, 0) for p in a.readiness]
    )
    return headers, rows


def excluded_rows(a: Assessment, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """Header and rows of offers that do not count."""
    headers = [
        labels.t(N_("Country")),
        labels.t(N_("Capability")),
        labels.t(N_("Units")),
        labels.t(N_("Unmet conditions")),
    ]
    rows = [
        [
            labels.country(e.offer.country),
            labels.capability(e.offer.capability),
            labels.num(e.offer.quantity, 0),
            labels.sep.join(labels.choice(c) for c in e.unmet),
        ]
        for e in a.excluded
    ]
    return headers, rows


def closer_rows(a: Assessment, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """Header and rows of who could close each gap, one row per gap and reason."""
    headers = [
        labels.t(N_("Requirement")),
        labels.t(N_("Gap")),
        labels.t(N_("Why")),
        labels.t(N_("Countries (units)")),
    ]
    gaps = {c.item: c.gap for c in a.coverage}
    grouped: dict[tuple[str, str], list[str]] = {}
    for g in a.gap_closers:
        if g.reason == "unmet_conditions":
            why = labels.t(N_("offered, if these conditions were met: {conditions}")).format(
                conditions=labels.sep.join(labels.choice(c) for c in g.conditions)
            )
        else:
            why = labels.t(N_("headroom in their rotation pools (active personnel)"))
        grouped.setdefault((g.item, why), []).append(
            f"{labels.country(g.country)} {labels.num(g.units, 0)}"
        )
    rows = [
        [labels.item(item), labels.num(gaps.get(item, 0)), why, labels.sep.join(names)]
        for (item, why), names in grouped.items()
    ]
    return headers, rows


TABLES = {
    "coverage": (coverage_rows, [False, True, True, True, True, True, False, False]),
    "burden": (burden_rows, [False] + [True] * 8 + [False]),
    "readiness": (readiness_rows, None),
    "excluded": (excluded_rows, [False, False, True, False]),
    "gaps": (closer_rows, [False, True, False, False]),
}
TITLES = {
    "coverage": N_("Coverage per requirement line"),
    "burden": N_("Burden sharing"),
    "readiness": N_("Readiness: units in place by day (in place / required)"),
    "excluded": N_("Offers that do not count (conditions not met)"),
    "gaps": N_("Who could close the gaps"),
}


def assessment_renderables(
    a: Assessment, requirement: Requirement, labels: Labels, scenario: Scenario
) -> RenderableType:
    """The whole assessment as a group of rich renderables."""
    lang = labels._lang
    parts: list[RenderableType] = []
    justify: Justify = "right" if lang == "ar" else "left"
    head = Text(justify=justify)
    head.append(f"{scenario.title.get(lang)}\n", style="bold")
    requirement_word = labels.t(N_("Requirement"))
    head.append(f"{requirement_word}: {requirement.label.get(lang)} ({requirement.posture})\n")
    assumed = labels.sep.join(
        f"{labels.assumptions.get(k, labels.choice(k))}: {labels.yes_no(v)}"
        for k, v in sorted(a.assumptions.items())
    )
    assumptions_word = labels.t(N_("Assumptions"))
    head.append(f"{assumptions_word}: {assumed}\n")
    head.append(
        labels.t(N_("Rotation ratio {ratio}, horizon {months} months")).format(
            ratio=labels.num(a.rotation_ratio), months=labels.num(a.horizon_months, 0)
        )
    )
    parts.append(head)
    for name, (rows_of, numeric) in TABLES.items():
        headers, rows = rows_of(a, labels)
        if rows:
            parts.append(
                _table(
                    labels,
                    labels.t(TITLES[name]),
                    headers,
                    rows,
                    numeric or [False] + [True] * (len(headers) - 1),
                )
            )
    totals = Text(justify=justify)
    totals.append(
        labels.t(N_("Yearly cost of counted forces: US$ {cost} m")).format(
            cost=labels.num(a.yearly_cost_usd_m, 0)
        )
        + "\n"
    )
    totals.append(
        labels.t(N_("Equipment offered: US$ {value} m")).format(
            value=labels.num(a.equipment_value_usd_m, 0)
        )
        + "\n"
    )
    totals.append(
        labels.t(N_("Personnel deployed: {people}")).format(people=labels.num(a.total_personnel, 0))
        + "\n"
    )
    verdict = (
        N_("Every requirement line is covered.")
        if a.covered
        else N_("{n} of {total} requirement lines have a gap.")
    )
    totals.append(
        labels.t(verdict).format(
            n=sum(1 for c in a.coverage if c.gap > 0 or c.sustained_gap > 0), total=len(a.coverage)
        ),
        style="bold",
    )
    parts.append(totals)
    if a.caveats:
        notes = Text(justify=justify)
        notes.append(labels.t(N_("What these numbers rest on")) + "\n", style="bold")
        for line in caveat_lines(a, labels):
            notes.append("- " + line + "\n")
        parts.append(notes)
    return Group(*parts)


FIGURES = {
    "personnel": N_("personnel per unit"),
    "cost_per_year_usd_m": N_("yearly cost per unit"),
    "unit_cost_usd_m": N_("cost per item"),
    "units": N_("units required"),
    "sustain_years": N_("years to sustain"),
    "rotation_ratio": N_("rotation ratio"),
    "gdp_usd_bn": N_("GDP"),
    "active_personnel": N_("active personnel"),
}


def _subject(subject: str, labels: Labels) -> str:
    kind, _, rest = subject.partition(":")
    if kind == "capability":
        return labels.capability(rest)
    if kind == "country":
        return labels.country(rest)
    if kind == "requirement" and ":" in rest:
        return labels.item(rest.split(":", 1)[1])
    return labels.t(N_("the requirement"))


def caveat_lines(a: Assessment, labels: Labels) -> list[str]:
    """The assessment's caveats grouped: which figures are assumptions, which are unknown."""
    groups: dict[tuple[str, str], list[str]] = {}
    for caveat in a.caveats:
        subject = str(caveat.params.get("subject", ""))
        figure = str(caveat.params.get("figure", ""))
        groups.setdefault((caveat.code, figure), []).append(_subject(subject, labels))
    lines = []
    for (code, figure), subjects in groups.items():
        template = (
            N_("Unknown {figure} (results that use it are incomplete): {subjects}")
            if code == "figure.unknown"
            else N_("{figure} is an assumption, not a sourced figure: {subjects}")
        )
        lines.append(
            labels.t(template).format(
                figure=labels.t(FIGURES.get(figure, figure)), subjects=labels.sep.join(subjects)
            )
        )
    return lines


def assessment_csv(a: Assessment, labels: Labels, table: str = "coverage") -> str:
    """One table of the assessment as CSV (headers in the chosen language)."""
    rows_of, _ = TABLES[table]
    headers, rows = rows_of(a, labels)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def assessment_json(a: Assessment, extra: dict[str, Any]) -> str:
    """The assessment as JSON, with run provenance and labels in ``extra``."""
    return json.dumps({**a.to_dict(), **extra}, ensure_ascii=False, indent=2)


def history_table(revisions: Sequence[Revision], labels: Labels, country: str) -> Table:
    """Revisions of one capital: number, status, who, when, hash, what changed."""
    headers = [
        labels.t(N_("Revision")),
        labels.t(N_("Status")),
        labels.t(N_("Author")),
        labels.t(N_("Saved at (UTC)")),
        labels.t(N_("Content hash")),
        labels.t(N_("What changed")),
    ]
    rows = []
    for r in revisions:
        # Stored paths are leaf-precise; a person wants the questions that changed.
        questions = dict.fromkeys(re.split(r"[.\[]", path, maxsplit=1)[0] for path in r.changed)
        changed = labels.sep.join(questions)
        rows.append(
            [
                str(r.number),
                labels.t(REVISION_STATUS.get(r.status, r.status)),
                r.author,
                r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                r.content_hash[:12],
                changed or "-",
            ]
        )
    title = labels.t(N_("Revisions of {country}")).format(country=labels.country(country))
    return _table(labels, title, headers, rows, [True, False, False, False, False, False])
