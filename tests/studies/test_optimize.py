"""The NSGA-II driver behind ``skydc optimize`` on a problem whose Pareto front is known."""

from __future__ import annotations

import numpy as np

from skydc.studies.analysis import pareto_front
from skydc.studies.optimize import nsga2_front


def _zdt1(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ZDT1 (Zitzler, Deb & Thiele 2000, Evol. Comput. 8(2), 173-195): f1 = x1,
    g = 1 + 9 sum(x2..xn)/(n-1), f2 = g (1 - sqrt(f1/g)); the Pareto front is g = 1,
    f2 = 1 - sqrt(f1) for f1 in [0, 1]."""
    f1 = x[:, 0]
    g = 1.0 + 9.0 * x[:, 1:].sum(axis=1) / (x.shape[1] - 1)
    f2 = g * (1.0 - np.sqrt(f1 / g))
    return np.column_stack([f1, f2]), np.ones(x.shape[0], dtype=bool)


def _dominated(f: np.ndarray) -> bool:
    """Any row of ``f`` dominated by another (both minimised), by brute force."""
    for i in range(len(f)):
        better_eq = np.all(f <= f[i], axis=1) & np.any(f < f[i], axis=1)
        if better_eq.any():
            return True
    return False


def test_nsga2_front_on_zdt1_is_non_dominated_and_near_the_true_front() -> None:
    n = 10
    x, f = nsga2_front(_zdt1, np.zeros(n), np.ones(n), 2, population=60, generations=150,
                       seed=1)  # fmt: skip
    assert len(f) >= 20
    assert not _dominated(f)
    assert pareto_front(f, ["min", "min"]).all()
    # the objectives reported are those of the decision vectors reported
    np.testing.assert_allclose(_zdt1(x)[0], f, rtol=1e-12)
    # generational distance to the analytic front: within 0.05 in f2 everywhere
    gap = f[:, 1] - (1.0 - np.sqrt(f[:, 0]))
    assert np.all(gap > -1e-9) and np.max(gap) < 0.05
    assert f[:, 0].min() < 0.05 and f[:, 0].max() > 0.95  # spread over the whole front


def test_infeasible_points_are_never_on_the_front() -> None:
    def half_infeasible(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f, _ = _zdt1(x)
        return f, x[:, 0] > 0.5  # only the right half of the front is allowed

    _, f = nsga2_front(half_infeasible, np.zeros(6), np.ones(6), 2, population=40,
                       generations=60, seed=2)  # fmt: skip
    assert len(f) > 0 and np.all(f[:, 0] > 0.5) and not _dominated(f)
