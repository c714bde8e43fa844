"""Provenance: where a number comes from.

Every figure in shipped data is a :class:`Figure` that either cites sources or says
``assumption: true``. The named check :func:`guarantor.scenario.checks.check_provenance`
reports figures that do neither.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from guarantor.model.base import Frozen

Reliability = Literal["P", "M", "S", "D", "A"]
"""Tags from the reference fact sheet: Primary, Major outlet, Secondary, Derived, Assumption."""

SourceKind = Literal["news", "report", "dataset", "treaty", "statement", "reference"]


class Source(Frozen):
    """A document a datum rests on: a news report, a treaty text, a data set."""

    id: str
    kind: SourceKind
    title: str
    publisher: str | None = None
    date: dt.date | str | None = None
    url: str | None = None
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    reliability: Reliability | None = None
    reference: str | None = None
    document: str | None = None
    """Path of the stored text inside the package data, when the document itself is shipped."""
    machine_translated: bool = False
    note: str | None = None


class Figure(Frozen):
    """A number with its provenance. ``value`` is ``None`` when the figure is unknown."""

    value: float | None
    unit: str
    year: int | None = None
    sources: tuple[str, ...] = ()
    locator: str | None = None
    reliability: Reliability | None = None
    assumption: bool = False
    range: tuple[float, float] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _range_ordered(self) -> Figure:
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {self.range} is not ordered low to high")
        return self

    @property
    def known(self) -> bool:
        """Whether the figure has a value."""
        return self.value is not None

    @property
    def cited(self) -> bool:
        """Whether the figure cites at least one source."""
        return bool(self.sources)

    @property
    def provenanced(self) -> bool:
        """A known value must be cited or flagged as an assumption; an unknown one needs neither."""
        return self.value is None or self.cited or self.assumption

    def with_value(self, value: float, note: str) -> Figure:
        """A user override: same unit, marked as an assumption with the user's note."""
        return Figure(value=value, unit=self.unit, assumption=True, reliability="A", note=note)


def assumed(value: float, unit: str, note: str) -> Figure:
    """A figure the user set by hand (for example with ``--assume``)."""
    return Figure(value=value, unit=unit, assumption=True, reliability="A", note=note)


class Provenance(Frozen):
    """Provenance of a non-figure datum (an answer in a shipped submission, a position)."""

    sources: tuple[str, ...] = ()
    locator: str | None = None
    reliability: Reliability | None = None
    assumption: bool = False
    note: str | None = None
    quote: str | None = Field(default=None, description="A short quote the datum rests on")

    @property
    def provenanced(self) -> bool:
        """Cited or flagged."""
        return bool(self.sources) or self.assumption
