"""What each track of the talks can settle alone, and what needs more than one track.

An issue's stakeholders are the parties that give it weight or draw a red line on it. A
track can settle an issue alone when every stakeholder sits on it. Whether the parties on a
track could agree among themselves is the same feasibility question asked of their
positions only.
"""

from __future__ import annotations

from dataclasses import dataclass

from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.problem import compile_problem
from guarantor.negotiate.solver import feasible_deal


def stakeholders(negotiation: Negotiation) -> dict[str, frozenset[str]]:
    """Issue -> the parties that care about it."""
    out: dict[str, set[str]] = {i.id: set() for i in negotiation.issues}
    for position in negotiation.positions:
        for issue, weight in position.weights.items():
            if issue in out and (weight.value or 0) > 0:
                out[issue].add(position.party)
        for red_line in position.red_lines:
            for condition in red_line.when:
                if condition.issue in out:
                    out[condition.issue].add(position.party)
    return {issue: frozenset(parties) for issue, parties in out.items()}


@dataclass(frozen=True)
class TrackView:
    """One track: the issues it can settle alone, and whether its parties could agree."""

    track: str
    parties: tuple[str, ...]
    alone: tuple[str, ...]
    """Issues whose every stakeholder sits on this track."""
    agree: bool | None
    """Whether some deal is acceptable to every party on the track (None: one party)."""


@dataclass(frozen=True)
class TrackReport:
    """Every track, and the issues no single track can settle."""

    tracks: tuple[TrackView, ...]
    shared: tuple[str, ...]


def track_report(negotiation: Negotiation) -> TrackReport:
    """What each track can settle alone, and what needs more than one."""
    holders = stakeholders(negotiation)
    views = []
    for track in negotiation.tracks:
        seated = set(track.parties)
        alone = tuple(i.id for i in negotiation.issues if holders[i.id] and holders[i.id] <= seated)
        agree = None
        if len(seated) > 1:
            sub = negotiation.model_copy(
                update={
                    "parties": tuple(p for p in negotiation.parties if p.id in seated),
                    "positions": tuple(p for p in negotiation.positions if p.party in seated),
                    "tracks": (),
                }
            )
            agree = feasible_deal(compile_problem(sub)) is not None
        views.append(TrackView(track.id, track.parties, alone, agree))
    settled = {issue for view in views for issue in view.alone}
    shared = tuple(i.id for i in negotiation.issues if i.id not in settled)
    return TrackReport(tuple(views), shared)
