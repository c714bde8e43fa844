"""Small negotiations built from plain numbers, and a brute force that visits every deal."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.problem import Problem

T = {"en": "x", "ar": "س"}


def fig(value: float, spread: float = 0.0) -> dict[str, Any]:
    out: dict[str, Any] = {"value": float(value), "unit": "utility", "assumption": True}
    if spread:
        out["range"] = [max(0.0, value - spread), min(100.0, value + spread)]
    return out


def negotiation(
    utilities: Sequence[Sequence[Sequence[float]]],
    *,
    weights: Sequence[Sequence[float]] | None = None,
    reservation: Sequence[float] | None = None,
    red_lines: Sequence[Sequence[dict[str, Any]]] = (),
    tracks: Sequence[dict[str, Any]] = (),
) -> Negotiation:
    """``utilities[party][issue][option]``; red lines per party as lists of
    ``{"id", "when": [{"issue": "i0", "in": ["o1"]}, ...]}``."""
    parties = len(utilities)
    issues = len(utilities[0])
    positions = []
    for p in range(parties):
        lines = [
            {"label": T, "assumption": True, **line}
            for line in (red_lines[p] if p < len(red_lines) else [])
        ]
        positions.append(
            {
                "party": f"P{p}",
                "weights": {f"i{i}": fig(weights[p][i] if weights else 1.0) for i in range(issues)},
                "utilities": {
                    f"i{i}": {f"o{o}": fig(u) for o, u in enumerate(utilities[p][i])}
                    for i in range(issues)
                },
                "reservation": fig(reservation[p] if reservation else 0.0),
                "red_lines": lines,
            }
        )
    return Negotiation.model_validate(
        {
            "id": "test",
            "label": T,
            "date": "2025-08-18",
            "parties": [{"id": f"P{p}", "label": T, "kind": "state"} for p in range(parties)],
            "tracks": list(tracks),
            "issues": [
                {
                    "id": f"i{i}",
                    "label": T,
                    "options": [{"id": f"o{o}", "label": T} for o in range(len(utilities[0][i]))],
                }
                for i in range(issues)
            ],
            "positions": positions,
        }
    )


def all_deals(problem: Problem) -> np.ndarray:
    return np.array(
        list(itertools.product(*(range(len(o)) for o in problem.options))), dtype=np.int64
    ).reshape(-1, len(problem.issues))


def brute_front(problem: Problem) -> set[tuple[int, ...]]:
    """Score vectors of the Pareto-optimal acceptable deals, by visiting every deal."""
    deals = all_deals(problem)
    scores = np.unique(problem.scores(deals[problem.acceptable(deals)]), axis=0)
    if len(scores) == 0:
        return set()
    dominated = (
        (scores[None, :, :] >= scores[:, None, :]).all(axis=2)
        & (scores[None, :, :] > scores[:, None, :]).any(axis=2)
    ).any(axis=1)
    return {tuple(int(v) for v in row) for row in scores[~dominated]}
