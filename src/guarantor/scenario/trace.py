"""From a datum of the scenario to what it rests on: its value, its sources, its quote.

Paths name a datum the way a person reads the data:

- ``parties.RUS.red_lines.nato_membership`` (``positions.`` works too),
  ``parties.RUS.utilities.nato_membership.join``, ``parties.RUS.weights.sanctions``,
  ``parties.RUS.reservation``;
- ``submissions.FRA.offers[2].quantity`` (any answer path of a capital's submission);
- ``regions.UA-14.area_km2``, ``regions.UA-14.control``;
- ``assumptions.us_backstop``;
- ``countries.FRA.gdp_usd_bn`` (any figure of the reference data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.negotiation import Negotiation
from guarantor.model.provenance import Figure, Provenance, Source
from guarantor.model.reference import Reference
from guarantor.model.scenario import Scenario
from guarantor.model.territory import RegionSet
from guarantor.questionnaire.answers import flatten
from guarantor.scenario.checks import _covered


@dataclass(frozen=True)
class Trace:
    """A datum and what it rests on."""

    path: str
    value: Any
    sources: tuple[Source, ...]
    unknown_sources: tuple[str, ...] = ()
    assumption: bool = False
    quote: str | None = None
    locator: str | None = None
    note: str | None = None
    party: str | None = None
    """The negotiation party the datum is about, when it is about one."""
    country: str | None = None
    """The country the datum is about, when it is about one."""
    range: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def provenanced(self) -> bool:
        """Cited, or flagged as an assumption."""
        return bool(self.sources or self.unknown_sources) or self.assumption


def _not_found(path: str, known: list[str] | None = None) -> InvalidInput:
    params: dict[str, Any] = {"value": path}
    if known is not None:
        params["known"] = known[:30]
    return InvalidInput([Diagnostic(code="trace.not_found", path=("path",), params=params)])


def _sources(
    ids: tuple[str, ...], reference: Reference
) -> tuple[tuple[Source, ...], tuple[str, ...]]:
    found = tuple(reference.sources[s] for s in ids if s in reference.sources)
    missing = tuple(s for s in ids if s not in reference.sources)
    return found, missing


def _from_figure(path: str, figure: Figure, reference: Reference, **extra: Any) -> Trace:
    found, missing = _sources(figure.sources, reference)
    return Trace(
        path=path,
        value=figure.value,
        sources=found,
        unknown_sources=missing,
        assumption=figure.assumption,
        locator=figure.locator,
        note=figure.note,
        range=figure.range,
        **extra,
    )


def _from_provenance(
    path: str, value: Any, p: Provenance, reference: Reference, **extra: Any
) -> Trace:
    found, missing = _sources(p.sources, reference)
    return Trace(
        path=path,
        value=value,
        sources=found,
        unknown_sources=missing,
        assumption=p.assumption,
        quote=p.quote,
        locator=p.locator,
        note=p.note,
        **extra,
    )


def _party(path: str, parts: list[str], negotiation: Negotiation, reference: Reference) -> Trace:
    positions = {p.party: p for p in negotiation.positions}
    if len(parts) < 3 or parts[1] not in positions:
        raise _not_found(path, [f"parties.{p}" for p in positions])
    position = positions[parts[1]]
    what, rest = parts[2], parts[3:]
    if what == "reservation" and not rest:
        return _from_figure(path, position.reservation, reference, party=position.party)
    if what == "weights" and len(rest) == 1 and rest[0] in position.weights:
        return _from_figure(path, position.weights[rest[0]], reference, party=position.party)
    if what == "utilities" and len(rest) == 2 and rest[1] in position.utilities.get(rest[0], {}):
        figure = position.utilities[rest[0]][rest[1]]
        return _from_figure(path, figure, reference, party=position.party)
    if what == "red_lines" and len(rest) == 1:
        red = {r.id: r for r in position.red_lines}
        if rest[0] not in red:
            raise _not_found(path, [f"parties.{position.party}.red_lines.{r}" for r in red])
        line = red[rest[0]]
        found, missing = _sources(line.sources, reference)
        conditions = [
            {"issue": c.issue, "in": list(c.in_), "not_in": list(c.not_in)} for c in line.when
        ]
        return Trace(
            path=path,
            value=line.label.en,
            sources=found,
            unknown_sources=missing,
            assumption=line.assumption,
            quote=line.quote,
            note=line.note,
            party=position.party,
            extra={"when": conditions},
        )
    raise _not_found(path)


_INDEX = re.compile(r"^(?P<key>[^\[\]]+)(?P<index>(\[\d+\])*)$")


def trace(
    path: str,
    *,
    reference: Reference,
    scenario: Scenario,
    negotiation: Negotiation | None = None,
    regions: RegionSet | None = None,
) -> Trace:
    """What the datum at ``path`` rests on; :class:`InvalidInput` when no datum is there."""
    parts = path.split(".")
    head = parts[0]
    if head in ("parties", "positions"):
        if negotiation is None:
            raise _not_found(path)
        return _party(path, parts, negotiation, reference)
    if head == "submissions" and len(parts) >= 3:
        country = parts[1]
        submission = next((s for s in scenario.submissions if s.country == country), None)
        if submission is None:
            raise _not_found(path, [f"submissions.{s.country}" for s in scenario.submissions])
        answer = ".".join(parts[2:])
        values = flatten(submission.answers)
        if answer not in values and not any(
            k.startswith(answer + ".") or k.startswith(answer + "[") for k in values
        ):
            raise _not_found(path, [f"submissions.{country}.{k}" for k in sorted(values)])
        value = values.get(answer, {k: v for k, v in values.items() if k.startswith(answer)})
        provenance = _covered(answer, submission.provenance) or Provenance()
        return _from_provenance(path, value, provenance, reference, country=country)
    if head == "regions" and len(parts) == 3 and regions is not None:
        region = regions.region(parts[1])
        if region is None:
            raise _not_found(path, [f"regions.{r.code}" for r in regions.regions])
        if parts[2] == "area_km2":
            return _from_figure(path, region.area_km2, reference)
        if parts[2] == "control" and region.control is not None:
            return _from_figure(
                path, region.control.share, reference, extra={"holder": region.control.holder}
            )
        raise _not_found(path)
    if head == "assumptions" and len(parts) == 2 and parts[1] in scenario.assumptions:
        item = scenario.assumptions[parts[1]]
        return _from_provenance(path, item.value, item.provenance, reference)
    if head == "countries" and len(parts) == 3 and parts[1] in reference.countries:
        figure = reference.countries[parts[1]].figure(parts[2])
        if figure is not None:
            return _from_figure(path, figure, reference, country=parts[1])
    raise _not_found(path, ["parties.", "submissions.", "regions.", "assumptions.", "countries."])
