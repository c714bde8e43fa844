"""The battle on JAX: the same equations as :func:`guarantor.simulate.stress._battle`, as
one ``lax.scan`` over days that XLA compiles for a GPU (or the CPU). Optional: install the
``gpu`` extra (``pip install 'guarantor[gpu]'``); nothing imports JAX unless asked.

It computes in 32-bit floats (what GPUs are fast at), so it agrees with the NumPy backend
statistically, not bit for bit: ``tests/simulate/test_jax_backend.py`` checks that.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from guarantor.simulate.stress import _Draws, _Model


def available() -> bool:
    """Whether JAX can be imported here."""
    try:
        import jax  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _compiled(horizon: int, square: bool) -> Any:
    import jax
    import jax.numpy as jnp

    def run(
        defender: Any,
        attacker0: Any,
        schedule: Any,
        share: Any,
        a: float,
        b: float,
        breakthrough: float,
        culmination: float,
    ) -> Any:
        floor = jnp.float32(1e-9)

        def day(carry: Any, inputs: Any) -> Any:
            defender, attacker, open_, holds, end, how = carry
            t, arriving = inputs
            defender = defender + arriving * share
            broke = open_ & (attacker >= breakthrough * jnp.maximum(defender, floor))
            culminated = open_ & ~broke & (attacker <= (1.0 - culmination) * attacker0)
            end = jnp.where(broke | culminated, t, end)
            how = jnp.where(broke, 1, jnp.where(culminated, 0, how))
            holds = holds | culminated
            open_ = open_ & ~(broke | culminated)
            if square:
                loss_d, loss_a = a * attacker, b * defender
            else:
                loss_d, loss_a = a * attacker * defender, b * attacker * defender
            defender = jnp.maximum(defender - loss_d, 0.0)
            attacker = jnp.maximum(attacker - loss_a, 0.0)
            return (defender, attacker, open_, holds, end, how), None

        shape = defender.shape
        start = (
            defender,
            attacker0,
            jnp.ones(shape, bool),
            jnp.zeros(shape, bool),
            jnp.full(shape, horizon, jnp.int32),
            jnp.full(shape, 2, jnp.int32),
        )
        days = (jnp.arange(horizon, dtype=jnp.int32), jnp.moveaxis(schedule, -1, 0))
        (_, _, open_, holds, end, how), _ = jax.lax.scan(day, start, days)
        return holds | open_, end, how

    return jax.jit(run)


def battle(
    model: _Model, draws: _Draws, act: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Holds, end day and how it ended, per (coalition, draw): as the NumPy backend."""
    import jax.numpy as jnp

    from guarantor.simulate.stress import _arrival, _defender_start, _schedule

    share = draws.share[None, :]
    defender = _defender_start(model, act) * share
    attacker0 = np.broadcast_to(draws.attacker[None, :], defender.shape)
    # Each guarantor's tranches on their own days, as the NumPy backend.
    schedule = _schedule(
        act[..., None] * model.reinforcement, _arrival(model, draws), model.horizon
    )
    run = _compiled(model.horizon, model.law == "square")
    holds, end, how = run(
        jnp.asarray(defender, jnp.float32),
        jnp.asarray(attacker0, jnp.float32),
        jnp.asarray(schedule, jnp.float32),
        jnp.asarray(share, jnp.float32),
        model.a,
        model.b,
        model.breakthrough,
        model.culmination,
    )
    return (
        np.asarray(holds, dtype=bool),
        np.asarray(end, dtype=np.int64),
        np.asarray(how, dtype=np.int64),
    )
