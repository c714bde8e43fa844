"""Use case: analyse the scenario's negotiation, with what-ifs, and draw its territory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guarantor.config import Settings
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.negotiation import Negotiation
from guarantor.model.territory import RegionSet
from guarantor.negotiate.analysis import Analysis, Difference, analyse, compare
from guarantor.negotiate.whatif import Change, ChangeKind, parse_change
from guarantor.scenario import (
    load_negotiation,
    load_reference,
    load_regions,
    load_scenario,
    region_boundaries,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class NegotiationRequest:
    """What-ifs as the command line writes them, and how much to report."""

    scenario: str | None = None
    """A scenario name or file; the configured scenario when None."""
    relax: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    weight: tuple[str, ...] = ()
    reservation: tuple[str, ...] = ()
    limit: int = 10
    samples: int = 1000
    seed: int = 20250815

    def changes(self) -> tuple[Change, ...]:
        """The what-ifs, parsed (a clear error for a malformed one)."""
        kinds: tuple[tuple[ChangeKind, tuple[str, ...]], ...] = (
            ("relax", self.relax),
            ("forbid", self.forbid),
            ("weight", self.weight),
            ("reservation", self.reservation),
        )
        return tuple(parse_change(kind, text) for kind, texts in kinds for text in texts)


@dataclass(frozen=True)
class NegotiationRun:
    """The analysis (with the what-ifs applied) and, when there are what-ifs, the base case
    and what they open or close."""

    negotiation: Negotiation
    regions: RegionSet | None
    analysis: Analysis
    base: Analysis | None
    difference: Difference | None


def negotiation_of(settings: Settings, scenario: str | None = None) -> Negotiation:
    """The negotiation the scenario names."""
    name = scenario or settings.scenario
    loaded = load_scenario(name, load_reference())
    if loaded.negotiation is None:
        raise InvalidInput(
            [
                Diagnostic(
                    code="scenario.no_negotiation", path=("negotiation",), params={"value": name}
                )
            ]
        )
    return load_negotiation(loaded.negotiation)


def regions_of(negotiation: Negotiation) -> RegionSet | None:
    """The region data the negotiation's territory refers to."""
    return load_regions(negotiation.regions) if negotiation.regions else None


def run_negotiation(settings: Settings, request: NegotiationRequest) -> NegotiationRun:
    """Analyse the negotiation; with what-ifs, also the base case and the difference."""
    negotiation = negotiation_of(settings, request.scenario)
    regions = regions_of(negotiation)
    changes = request.changes()

    def run(what_ifs: tuple[Change, ...]) -> Analysis:
        return analyse(
            negotiation,
            changes=what_ifs,
            regions=regions,
            limit=request.limit,
            samples=request.samples,
            seed=request.seed,
        )

    analysis = run(changes)
    if not changes:
        return NegotiationRun(negotiation, regions, analysis, None, None)
    base = run(())
    return NegotiationRun(negotiation, regions, analysis, base, compare(base, analysis))


def map_figure(
    settings: Settings, request: NegotiationRequest, deal: int | None, lang: str
) -> Figure:
    """The regions coloured by control, or by the terms of ranked deal ``deal`` (1-based)."""
    from guarantor.i18n import N_, gettext
    from guarantor.report.maps import control_map, deal_map
    from guarantor.report.tables import Labels

    negotiation = negotiation_of(settings, request.scenario)
    regions = regions_of(negotiation)
    if regions is None:
        raise InvalidInput(
            [
                Diagnostic(
                    code="negotiation.no_regions",
                    path=("regions",),
                    params={"value": negotiation.id},
                )
            ]
        )
    boundaries = region_boundaries(regions)
    labels = Labels(lang, load_reference())
    if deal is None:
        return control_map(boundaries, regions, labels)
    run = run_negotiation(settings, request)
    deals = run.analysis.deals
    if not 1 <= deal <= len(deals):
        raise InvalidInput(
            [
                Diagnostic(
                    code="deal.out_of_range",
                    path=("deal",),
                    params={"value": deal, "count": len(deals)},
                )
            ]
        )
    title = gettext(lang, N_("Deal {rank}: territorial terms")).format(rank=deal)
    return deal_map(boundaries, regions, deals[deal - 1].transfers, labels, title=title)
