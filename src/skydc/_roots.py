"""Bracketed root finding on arrays: many independent roots solved in one NumPy pass.

Written here rather than calling ``scipy.optimize.brentq``/``toms748`` because those are scalar:
the callers solve one root per eclipse crossing (10^5 of them at scale) or per shell and study
point, and a Python loop of scalar solves would cost more than the physics.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

ArrayFn = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def illinois(
    g: ArrayFn,
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    g_lo: NDArray[np.float64],
    g_hi: NDArray[np.float64],
    bisections: int,
    steps: int,
) -> NDArray[np.float64]:
    """The root of ``g`` in each bracket ``[lo, hi]`` (its ends of opposite sign):
    ``bisections`` halvings, then ``steps`` steps of the Illinois variant of false position
    (Dowell & Jarratt 1971, BIT 11, 168-174: the end kept twice in a row has its value halved,
    which makes regula falsi superlinear, order ~1.44, while the bracket is kept)."""
    for _ in range(bisections):
        mid = 0.5 * (lo + hi)
        g_mid = g(mid)
        left = (g_mid < 0) == (g_lo < 0)  # the crossing lies in [mid, hi]
        lo, g_lo = np.where(left, mid, lo), np.where(left, g_mid, g_lo)
        hi, g_hi = np.where(left, hi, mid), np.where(left, g_hi, g_mid)
    side = np.zeros(lo.shape, np.int8)  # Illinois: halve the end that stayed twice
    for _ in range(steps):
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(g_hi != g_lo, (lo * g_hi - hi * g_lo) / (g_hi - g_lo), 0.5 * (lo + hi))
        x = np.clip(x, lo, hi)
        g_x = g(x)
        left = (g_x < 0) == (g_lo < 0)
        lo, hi = np.where(left, x, lo), np.where(left, hi, x)
        g_hi = np.where(left & (side == 1), 0.5 * g_hi, g_hi)
        g_lo = np.where(~left & (side == -1), 0.5 * g_lo, g_lo)
        g_lo, g_hi = np.where(left, g_x, g_lo), np.where(left, g_hi, g_x)
        side = np.where(left, 1, -1).astype(np.int8)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(g_hi != g_lo, (lo * g_hi - hi * g_lo) / (g_hi - g_lo), 0.5 * (lo + hi))
    return np.clip(x, lo, hi)
