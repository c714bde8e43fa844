"""The Numba kernels of :mod:`guarantor.simulate.numba_backend`, at module level so that
Numba's on-disk cache works across processes: a kernel defined inside a function captures
its helpers as closure values, which Numba cannot key its cache on, so every process
recompiled them (seconds per worker of a sweep). Importing this module imports Numba."""

# ruff: noqa: PLR0915

from __future__ import annotations

import numba
import numpy as np

LANES = 8
"""Battles fought in step by one thread."""


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
def simulate(  # type: ignore[no-untyped-def]
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
