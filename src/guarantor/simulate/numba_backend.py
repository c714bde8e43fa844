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
LANES = 8
"""Battles fought in step by one thread."""
RULES = {"each_decides": 0, "consensus": 1, "un_security_council": 2}


def available() -> bool:
    """Whether Numba can be imported here."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _compile() -> dict[str, Any]:  # noqa: PLR0915 - one kernel, written out for speed
    if _KERNELS:
        return _KERNELS
    import numba

    @numba.njit(cache=True, fastmath=False, inline="always")
    def fight(  # type: ignore[no-untyped-def]
        defender,
        attacker,
        stop,
        live,
        arriving,
        share,
        lanes,
        a,
        b,
        breakthrough,
        horizon,
        square,
        holds,
        end,
        how,
    ):
        """``lanes`` battles day by day, side by side: the processor overlaps their
        dependency chains (a battle alone waits on its own latency every day). Each runs
        exactly the steps of ``stress._battle``."""
        for w in range(lanes):
            holds[w], end[w], how[w] = True, horizon, 2
        remaining = lanes
        for day in range(horizon):
            for w in range(lanes):
                if not live[w]:
                    continue
                d = defender[w] + arriving[w, day] * share[w]
                x = attacker[w]
                floor = d if d > 1e-9 else 1e-9
                if x >= breakthrough * floor:
                    holds[w], end[w], how[w] = False, day, 1
                elif x <= stop[w]:
                    holds[w], end[w], how[w] = True, day, 0
                else:
                    if square:
                        loss_d, loss_a = a * x, b * d
                    else:
                        loss_d, loss_a = a * x * d, b * x * d
                    defender[w] = max(d - loss_d, 0.0)
                    attacker[w] = max(x - loss_a, 0.0)
                    continue
                live[w] = False
                remaining -= 1
            if remaining == 0:
                break

    @numba.njit(nogil=True, cache=True, fastmath=False)
    def simulate(  # type: ignore[no-untyped-def]  # noqa: PLR0915 - one kernel, for speed
        c0,
        c1,
        k0,
        k1,
        members,
        common,
        own,
        attacker0,
        warning,
        share,
        outside,
        load,
        rest,
        threshold,
        backstop_threshold,
        backstop,
        rule,
        veto_guarantors,
        attacker_vetoes,
        un_threshold,
        un_support,
        outside_vetoes,
        defender0,
        in_theatre,
        reinforcement,
        readiness,
        consult,
        a,
        b,
        breakthrough,
        culmination,
        horizon,
        square,
        act,
        holds,
        end,
        how,
    ):
        """Draws ``k0:k1`` of coalitions ``c0:c1``, LANES at a time: decide who acts in
        each, then fight their battles day by day side by side, so that the processor
        overlaps their dependency chains (a battle alone waits on its own latency every
        day). Each battle runs exactly the steps of ``stress._battle``."""
        guarantors = members.shape[1]
        tranches = reinforcement.shape[1]
        latent = np.empty(guarantors)
        # The days each lane's tranches arrive on, to clear them after its battle.
        touched = np.empty((LANES, guarantors * tranches), dtype=np.int64)
        touches = np.zeros(LANES, dtype=np.int64)
        arriving = np.zeros((LANES, horizon))
        defender = np.empty(LANES)
        attacker = np.empty(LANES)
        stop = np.empty(LANES)
        live = np.zeros(LANES, dtype=np.bool_)
        for c in range(c0, c1):
            for lead in range(k0, k1, LANES):
                lanes = min(LANES, k1 - lead)
                for w in range(lanes):
                    k = lead + w
                    # Who acts, as stress._act (written out here: a helper function costs
                    # a fifth of the run time).
                    acts = act[c, k]
                    shared = load * common[k]
                    for g in range(guarantors):
                        latent[g] = shared + rest * own[k, g]
                    # The backstop stays out (or is not in the coalition): the others act on
                    # their lowered probabilities.
                    lowered = backstop >= 0 and not (
                        members[c, backstop] and latent[backstop] < threshold[backstop]
                    )
                    for g in range(guarantors):
                        if lowered and g != backstop:
                            acts[g] = members[c, g] and latent[g] < backstop_threshold[g]
                        else:
                            acts[g] = members[c, g] and latent[g] < threshold[g]
                    passed = True
                    if rule == 1:
                        for g in range(guarantors):
                            if members[c, g] and not acts[g]:
                                passed = False
                    elif rule == 2:
                        passed = not attacker_vetoes
                        for index in veto_guarantors:
                            if members[c, index]:
                                passed = passed and acts[index]
                            else:
                                passed = passed and latent[index] < un_threshold
                        if outside_vetoes:
                            for h in range(outside.shape[1]):
                                if not outside[k, h] < un_support:
                                    passed = False
                    if not passed:
                        for g in range(guarantors):
                            acts[g] = False
                    start = defender0
                    for g in range(guarantors):
                        start += acts[g] * in_theatre[g]
                    defender[w] = start * share[k]
                    # Each tranche on its own day, summed guarantor by guarantor, tranche
                    # by tranche, as stress._schedule (a zero tranche, padding included,
                    # would add nothing).
                    touches[w] = 0
                    for g in range(guarantors):
                        if not acts[g]:
                            continue
                        for j in range(tranches):
                            if reinforcement[g, j] != 0.0:
                                day = np.rint(consult + max(readiness[g, j] - warning[k], 0.0))
                                if day < horizon:
                                    arriving[w, int(day)] += reinforcement[g, j]
                                    touched[w, touches[w]] = int(day)
                                    touches[w] += 1
                    attacker[w] = attacker0[k]
                    stop[w] = (1.0 - culmination) * attacker0[k]
                    live[w] = True
                fight(
                    defender,
                    attacker,
                    stop,
                    live,
                    arriving,
                    share[lead:],
                    lanes,
                    a,
                    b,
                    breakthrough,
                    horizon,
                    square,
                    holds[c, lead:],
                    end[c, lead:],
                    how[c, lead:],
                )
                for w in range(lanes):
                    live[w] = False
                    for i in range(touches[w]):
                        arriving[w, touched[w, i]] = 0.0

    _KERNELS.update(simulate=simulate)
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
