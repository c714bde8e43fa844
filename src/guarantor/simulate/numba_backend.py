"""The battle compiled with Numba: one loop per draw that stops the day its battle ends,
spread over the CPU cores. The same equations as :func:`guarantor.simulate.stress._battle`
(same order of checks and steps, 64-bit floats), so the results are identical; it is the
default backend where Numba is installed, because elementwise NumPy must carry every draw
to the last day any battle lasts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from guarantor.simulate.stress import _Draws, _Model

_KERNEL: Any = None


def available() -> bool:
    """Whether Numba can be imported here."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _kernel() -> Any:
    global _KERNEL  # noqa: PLW0603 - compiled once per process, on first use
    if _KERNEL is not None:
        return _KERNEL
    import numba

    @numba.njit(parallel=True, cache=True, fastmath=False)
    def run(  # type: ignore[no-untyped-def]
        defender0,
        attacker0,
        reinforcement,
        arrival,
        share,
        a,
        b,
        breakthrough,
        culmination,
        horizon,
        square,
        holds,
        end,
        how,
    ):
        battles, guarantors = reinforcement.shape[0], reinforcement.shape[1]
        for k in numba.prange(battles):
            # This battle's arrivals by day, in one pass over the guarantors.
            arriving = np.zeros(horizon)
            for g in range(guarantors):
                if 0 <= arrival[k, g] < horizon:
                    arriving[arrival[k, g]] += reinforcement[k, g]
            defender = defender0[k]
            attacker = attacker0[k]
            start = attacker
            ended = False
            for day in range(horizon):
                defender += arriving[day] * share[k]
                floor = defender if defender > 1e-9 else 1e-9
                if attacker >= breakthrough * floor:
                    holds[k], end[k], how[k] = False, day, 1
                    ended = True
                    break
                if attacker <= (1.0 - culmination) * start:
                    holds[k], end[k], how[k] = True, day, 0
                    ended = True
                    break
                if square:
                    loss_d, loss_a = a * attacker, b * defender
                else:
                    loss_d, loss_a = a * attacker * defender, b * attacker * defender
                defender = max(defender - loss_d, 0.0)
                attacker = max(attacker - loss_a, 0.0)
            if not ended:
                holds[k], end[k], how[k] = True, horizon, 2

    _KERNEL = run
    return run


def battle(
    model: _Model, draws: _Draws, act: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Holds, end day and how it ended, per (coalition, draw)."""
    coalitions, n, guarantors = act.shape
    share = np.broadcast_to(draws.share[None, :], (coalitions, n)).reshape(-1)
    defender = (
        (model.defender + act.astype(float) @ model.in_theatre) * draws.share[None, :]
    ).reshape(-1)
    attacker = np.broadcast_to(draws.attacker[None, :], (coalitions, n)).reshape(-1).copy()
    arrival = np.rint(
        model.consult + np.maximum(model.readiness[None, :] - draws.warning[:, None], 0.0)
    ).astype(np.int64)
    arrival = np.broadcast_to(arrival[None], (coalitions, n, guarantors)).reshape(-1, guarantors)
    reinforcement = (act * model.reinforcement).reshape(-1, guarantors)
    holds = np.zeros(coalitions * n, dtype=np.bool_)
    end = np.zeros(coalitions * n, dtype=np.int64)
    how = np.zeros(coalitions * n, dtype=np.int64)
    _kernel()(
        np.ascontiguousarray(defender),
        attacker,
        np.ascontiguousarray(reinforcement),
        np.ascontiguousarray(arrival),
        np.ascontiguousarray(share),
        model.a,
        model.b,
        model.breakthrough,
        model.culmination,
        model.horizon,
        model.law == "square",
        holds,
        end,
        how,
    )
    shape = (coalitions, n)
    return holds.reshape(shape), end.reshape(shape), how.reshape(shape)
