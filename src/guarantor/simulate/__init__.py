"""Stress tests: Lanchester attrition, guarantor activation, Monte Carlo, Shapley values.

Pure and vectorised: arrays shaped (draws, guarantors, days); every stochastic function
takes a ``numpy.random.Generator``.
"""

from guarantor.simulate.attrition import Law, lanchester, square_law_outcome
from guarantor.simulate.shapley import shapley_exact, shapley_sampled

__all__ = ["Law", "lanchester", "shapley_exact", "shapley_sampled", "square_law_outcome"]
