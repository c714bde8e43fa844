"""A negotiation as data: parties, tracks, issues with options, and each party's position.

Nothing here is specific to one conflict. A party's position gives a utility (0-100) to
every option of every issue, a weight per issue, a reservation value (the utility it gets
with no deal, on the same 0-100 scale) and red lines: combinations of options it will not
accept. Every number is a :class:`Figure` (cited or ``assumption: true``, with a range where
sources disagree or none exists) and every red line cites its sources or says it is an
assumption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from pydantic import Field, model_validator

from guarantor.model.base import Frozen, Text
from guarantor.model.provenance import Figure

TerritorialTerm = Literal["status_quo", "freeze", "cede_rest", "return_all", "mutual_withdrawal"]
"""What a deal does with one region, relative to the line of contact at the control date:
``status_quo`` recognises the line; ``freeze`` stops fighting on it without recognition;
``cede_rest`` hands the occupier what the defender still holds; ``return_all`` hands the
defender what the occupier holds; ``mutual_withdrawal`` pulls both sides back from the line
(a demilitarised strip, no change of control)."""

IssueKind = Literal[
    "territory",
    "alliance",
    "guarantee_form",
    "guarantors",
    "foreign_forces",
    "sequencing",
    "sanctions",
    "armed_forces",
    "other",
]


class Party(Frozen):
    """A state or a coalition at the table. Every party is modelled the same way."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    label: Text
    kind: Literal["state", "coalition"]
    members: tuple[str, ...] = ()
    """ISO 3166 alpha-3 codes of a coalition's members."""
    sources: tuple[str, ...] = ()


class Envoy(Frozen):
    """Someone who speaks for a party on a track."""

    name: Text
    party: str
    role: Text | None = None
    sources: tuple[str, ...] = ()


class Discussion(Frozen):
    """What was discussed on a track, when, and who reported it."""

    date: dt.date
    summary: Text
    issues: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class Track(Frozen):
    """One channel of the talks: which parties and envoys sit on it, what it has discussed."""

    id: str
    label: Text
    parties: tuple[str, ...]
    envoys: tuple[Envoy, ...] = ()
    discussed: tuple[Discussion, ...] = ()
    sources: tuple[str, ...] = ()


class Option(Frozen):
    """One way to settle an issue."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    label: Text
    description: Text | None = None
    instrument: str | None = None
    """The stress-test instrument this option stands for (guarantee-form issues)."""
    territory: TerritorialTerm | None = None
    """What the option does with the issue's region (territorial issues)."""
    guarantors: tuple[str, ...] = ()
    """The guarantor states this option names (guarantor issues)."""


class Issue(Frozen):
    """A question the deal must answer, with its options (two or more)."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    label: Text
    kind: IssueKind = "other"
    region: str | None = None
    """ISO 3166-2 code of the region a territorial issue is about."""
    options: tuple[Option, ...]
    sources: tuple[str, ...] = ()


class Condition(Frozen):
    """Part of a red line: the deal settles ``issue`` with one of ``in_`` (or with none of
    ``not_in``)."""

    issue: str
    in_: tuple[str, ...] = Field(default=(), alias="in")
    not_in: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_set(self) -> Condition:
        if bool(self.in_) == bool(self.not_in):
            raise ValueError("a condition names its options with exactly one of 'in' or 'not_in'")
        return self


class RedLine(Frozen):
    """A combination a party will not accept: every condition holding at once."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    label: Text
    when: tuple[Condition, ...] = Field(min_length=1)
    sources: tuple[str, ...] = ()
    quote: str | None = None
    assumption: bool = False
    note: str | None = None

    @property
    def provenanced(self) -> bool:
        """Cited or flagged as an assumption."""
        return bool(self.sources) or self.assumption


class Position(Frozen):
    """What one party wants: utilities per option, weights per issue, what no deal is worth
    to it, and its red lines."""

    party: str
    weights: Mapping[str, Figure]
    """Relative importance of each issue; an issue left out weighs nothing to this party."""
    utilities: Mapping[str, Mapping[str, Figure]]
    """Issue -> option -> utility, 0 (worst) to 100 (best)."""
    reservation: Figure
    """The utility of no deal, 0-100 on the weighted scale: a deal below it is refused."""
    red_lines: tuple[RedLine, ...] = ()
    sources: tuple[str, ...] = ()


class Negotiation(Frozen):
    """The whole negotiation of one scenario."""

    id: str
    label: Text
    date: dt.date
    """When the positions were read from the sources."""
    protected_state: str | None = None
    occupier: str | None = None
    """The party that holds territory in the regions (territorial issues)."""
    regions: str | None = None
    """Name of the shipped region data (areas, control, boundaries) the territory refers to."""
    parties: tuple[Party, ...]
    tracks: tuple[Track, ...] = ()
    issues: tuple[Issue, ...]
    positions: tuple[Position, ...]
    sources: tuple[str, ...] = ()
