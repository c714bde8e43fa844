"""The line of contact a deal leaves, and its length.

After a deal each region is held by the protected state, by the occupier, or divided
between them. The line is then:

- inside every divided region, the current line there (``Segment``, scenario data);
- along every boundary between a region the protected state holds and one the occupier
  holds (computed from the geometry);
- along the borders the guarantee must watch (``Border``, data): those marked ``always``,
  and those of regions the protected state holds whole.

- along the boundary between a divided region and a neighbour the deal moves to the other
  side, in proportion to the divided region's share held by the other side (a region 4 %
  occupied next to an occupied one puts 96 % of their shared boundary on the line). Where
  a divided region meets another divided region, the segments already count the line.

The proportional rule is an approximation: the geometry does not say where inside a
region the line runs (docs/enforcement.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from guarantor.enforce.geometry import Boundaries
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.enforcement import Enforcement
from guarantor.model.negotiation import Negotiation
from guarantor.model.provenance import Figure
from guarantor.model.territory import Region, RegionSet

Holding = Literal["protected", "occupied", "divided"]
PartKind = Literal["segment", "boundary", "border"]
WHOLE = 1e-6
"""A control share within this of 0 or 1 counts as none or all of the region."""


@dataclass(frozen=True)
class LinePart:
    """A stretch of the line: its kind, the regions it runs along, its length and range, and
    the posture that watches it (``None``: the deal's)."""

    kind: PartKind
    regions: tuple[str, ...]
    km: float
    low: float
    high: float
    label: str = ""
    posture: str | None = None
    front: bool = True
    """Part of the front line (not a border watched in every deal): what thins the
    defender."""


@dataclass(frozen=True)
class Line:
    """The line a deal leaves."""

    holdings: Mapping[str, Holding]
    parts: tuple[LinePart, ...]

    @property
    def km(self) -> float:
        """Total length."""
        return sum(p.km for p in self.parts)

    @property
    def low(self) -> float:
        """Total length with every part at the low end of its range."""
        return sum(p.low for p in self.parts)

    @property
    def high(self) -> float:
        """Total length with every part at the high end of its range."""
        return sum(p.high for p in self.parts)

    @property
    def front_km(self) -> float:
        """Length of the front line: every part but the borders watched in every deal."""
        return sum(p.km for p in self.parts if p.front)

    def km_by_posture(self, deal_posture: str) -> dict[str, float]:
        """Length watched under each posture (parts without one take the deal's)."""
        out: dict[str, float] = {}
        for part in self.parts:
            posture = part.posture or deal_posture
            out[posture] = out.get(posture, 0.0) + part.km
        return out


def _range(figure: Figure) -> tuple[float, float, float]:
    value = float(figure.value or 0.0)
    low, high = figure.range if figure.range else (value, value)
    return value, float(low), float(high)


def _share(region: Region) -> tuple[float, float, float]:
    """The occupier's share of a region, with its range."""
    if region.control is None:
        return 0.0, 0.0, 0.0
    return _range(region.control.share)


def holdings(
    negotiation: Negotiation,
    regions: RegionSet,
    options: Mapping[str, str],
    follows: Mapping[str, str] | None = None,
    *,
    terms: bool = True,
) -> dict[str, Holding]:
    """Who holds each region of ``regions`` after the deal ``{issue: option}``.

    A region with a territorial issue follows the option's term; one without keeps the
    control it had at the control date (so does a term that leaves the line where it is).
    ``follows`` maps a region to the region whose term it shares (a city settled with the
    region around it). A territorial issue the deal does not settle is an error. With
    ``terms=False``: who held what at the control date."""
    problems = []
    settled: dict[str, str] = {}
    for issue in negotiation.issues if terms else ():
        if issue.kind != "territory" or issue.region is None:
            continue
        chosen = options.get(issue.id)
        option = next((o for o in issue.options if o.id == chosen), None)
        if option is None:
            problems.append(
                Diagnostic(
                    code="deal.region_unassigned",
                    path=("deal", issue.id),
                    params={"value": chosen, "region": issue.region},
                )
            )
        elif option.territory is not None:
            settled[issue.region] = option.territory
    if problems:
        raise InvalidInput(problems)
    for code, leader in (follows or {}).items():
        if leader in settled and code not in settled:
            settled[code] = settled[leader]
    out: dict[str, Holding] = {}
    for region in regions.regions:
        control = region.control
        share = float(control.share.value or 0.0) if control else 0.0
        term = settled.get(region.code)
        if term == "cede_rest":
            out[region.code] = "occupied"
        elif term == "return_all":
            out[region.code] = "protected"
        elif share >= 1.0 - WHOLE:
            out[region.code] = "occupied"
        elif share <= WHOLE:
            out[region.code] = "protected"
        else:
            out[region.code] = "divided"
    return out


def line_of_contact(
    negotiation: Negotiation,
    regions: RegionSet,
    enforcement: Enforcement,
    boundaries: Boundaries,
    options: Mapping[str, str],
) -> Line:
    """The line the deal ``{issue: option}`` leaves: its parts and their lengths."""
    held = holdings(negotiation, regions, options, enforcement.follows)

    def holding(code: str) -> Holding:
        # Regions outside the region set (the rest of the state) are the protected state's.
        return held.get(code, "protected")

    parts: list[LinePart] = []
    segments = {s.region: s for s in enforcement.segments}
    problems = []
    for code in sorted(held):
        if held[code] != "divided":
            continue
        segment = segments.get(code)
        if segment is None or segment.km.value is None:
            problems.append(
                Diagnostic(
                    code="line.segment_missing",
                    path=("enforcement", "segments"),
                    params={"value": code},
                )
            )
            continue
        value, low, high = _range(segment.km)
        parts.append(LinePart("segment", (code,), value, low, high))
    if problems:
        raise InvalidInput(problems)
    shares = {r.code: _share(r) for r in regions.regions}
    before = holdings(negotiation, regions, options, enforcement.follows, terms=False)
    for pair in sorted(boundaries.shared, key=sorted):
        a, b = sorted(pair)
        kinds = {holding(a), holding(b)}
        length = boundaries.between(a, b)
        if kinds == {"protected", "occupied"}:
            parts.append(LinePart("boundary", (a, b), length, length, length))
        elif "divided" in kinds and kinds != {"divided"}:
            divided, whole = (a, b) if holding(a) == "divided" else (b, a)
            if before.get(whole, "protected") == holding(whole):
                continue
            value, low, high = shares[divided]
            if holding(whole) == "occupied":
                value, low, high = 1 - value, 1 - high, 1 - low
            parts.append(LinePart("boundary", (a, b), value * length, low * length, high * length))
    for border in enforcement.borders:
        if border.watch == "always" or holding(border.region) == "protected":
            value, low, high = _range(border.km)
            parts.append(
                LinePart(
                    "border",
                    (border.region,),
                    value,
                    low,
                    high,
                    label=border.id,
                    posture=border.posture,
                    front=border.watch == "when_held",
                )
            )
    return Line(held, tuple(parts))
