"""Decisions and battles compiled with Numba: one pass per draw that decides who acts and
fights the battle until the day it ends, in blocks spread over the CPU cores by
:mod:`guarantor.simulate.parallel`. The same equations as
:func:`guarantor.simulate.stress._act` and :func:`guarantor.simulate.stress._battle` (same
order of checks, sums and steps, 64-bit floats), so the results are identical; it is the
default backend where Numba is installed, because elementwise NumPy must carry every draw
to the last day any battle lasts, and makes (coalitions x draws x days) arrays to do it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from guarantor.simulate.stress import Outcome, _Draws, _Model

_KERNELS: dict[str, Any] = {}
BLOCK = 8192
"""Battles per unit of work on the thread pool: each unit allocates its scratch once."""
RULES = {"each_decides": 0, "consensus": 1, "un_security_council": 2}


def available() -> bool:
    """Whether Numba can be imported here."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _compile() -> dict[str, Any]:
    if _KERNELS:
        return _KERNELS
    from guarantor.simulate import numba_kernels

    _KERNELS.update(simulate=numba_kernels.simulate)
    return _KERNELS


def _blocks(coalitions: int, draws: int) -> list[tuple[int, int, int, int]]:
    """Units of work of about ``BLOCK`` battles: (first coalition, end, first draw, end)."""
    if draws >= BLOCK:
        return [
            (c, c + 1, k, min(draws, k + BLOCK))
            for c in range(coalitions)
            for k in range(0, draws, BLOCK)
        ]
    step = max(1, BLOCK // draws)
    return [(c, min(coalitions, c + step), 0, draws) for c in range(0, coalitions, step)]


def simulate(model: _Model, draws: _Draws, members: NDArray[np.bool_]) -> Outcome:
    """Who acts (C, D, G) and holds, end day, how it ended (C, D), per coalition of
    participating guarantors ``members`` (C, G): ``stress._act`` then ``stress._battle``."""
    from guarantor.simulate.parallel import run_all

    coalitions, guarantors = members.shape
    n = draws.common.shape[0]
    act = np.zeros((coalitions, n, guarantors), dtype=np.bool_)
    holds = np.zeros((coalitions, n), dtype=np.bool_)
    end = np.zeros((coalitions, n), dtype=np.int64)
    how = np.zeros((coalitions, n), dtype=np.int64)
    arguments = (
        np.ascontiguousarray(members),
        draws.common,
        draws.own,
        draws.attacker,
        draws.warning,
        draws.share,
        draws.outside,
        math.sqrt(model.correlation),
        math.sqrt(1.0 - model.correlation),
        model.threshold,
        model.backstop_threshold,
        -1 if model.backstop is None else model.backstop,
        RULES[model.rule],
        model.veto_guarantors.astype(np.int64),
        model.attacker_vetoes,
        model.un_threshold,
        model.un_support,
        model.outside_vetoes,
        model.defender,
        model.in_theatre,
        np.ascontiguousarray(model.reinforcement),
        np.ascontiguousarray(model.readiness),
        model.consult,
        model.a,
        model.b,
        model.breakthrough,
        model.culmination,
        model.horizon,
        model.law == "square",
        act,
        holds,
        end,
        how,
    )
    kernel = _compile()["simulate"]
    run_all(lambda block: kernel(*block, *arguments), _blocks(coalitions, n))
    return act, holds, end, how
