"""Fused numba kernels for the sunlight statistics and the eclipse refinement (``backend="numba"``).

The NumPy paths (:class:`skydc.sunlight_stats.SunlightAccumulator`,
:func:`skydc.eclipse_refine.refine_crossings`) make ~15 passes over each chunk of sunlit
fractions (49 MB per 10^5 satellites and hour at 60 s) and ~40 array temporaries per root-finding
step; at a million satellites they cost more than the propagation itself. These kernels do the
same arithmetic in one pass per satellite (threads over satellites) and are tested equal to the
NumPy paths (``tests/test_sunlight_stats.py``, ``tests/test_eclipse_refine.py``). Run only where
the propagation already runs on numba (its import is paid for); importing this module imports
numba. Compiled once and cached on disk (``cache=True``).
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

from skydc._accel.circular_numba import _sunlit_exact
from skydc.constants import EARTH_MEAN_RADIUS_M

__all__ = ["fold_chunk", "refine_circular"]

_BLOCKS = 64  # fixed satellite blocks of the per-step sums: the result never depends on threads


@numba.njit(parallel=True, cache=True)
def _fold(
    f: NDArray[np.float64],
    prev: NDArray[np.float64],
    has_prev: bool,
    threshold: float,
    sunlit_sum: NDArray[np.float64],
    min_fraction: NDArray[np.float64],
    partial: NDArray[np.float64],
    n_events: NDArray[np.int64],
) -> None:
    """Per satellite: running sum and minimum, number of threshold crossings (including the one
    from ``prev``); per block of satellites: per-step sums of f, of f < threshold, of f <= 0."""
    n, k = f.shape
    blocks = partial.shape[0]
    per = (n + blocks - 1) // blocks
    for b in numba.prange(blocks):
        for s in range(b * per, min(n, (b + 1) * per)):
            total = 0.0
            low = min_fraction[s]
            count = 0
            dark_before = has_prev and prev[s] < threshold
            for j in range(k):
                x = f[s, j]
                total += x
                low = min(low, x)
                dark = x < threshold
                partial[b, 0, j] += x
                partial[b, 1, j] += 1.0 if dark else 0.0
                partial[b, 2, j] += 1.0 if x <= 0.0 else 0.0
                if (j > 0 or has_prev) and dark != dark_before:
                    count += 1
                dark_before = dark
            sunlit_sum[s] += total
            min_fraction[s] = low
            n_events[s] = count


@numba.njit(parallel=True, cache=True)
def _events(
    f: NDArray[np.float64],
    prev: NDArray[np.float64],
    has_prev: bool,
    threshold: float,
    offset: NDArray[np.int64],
    sat: NDArray[np.int64],
    step: NDArray[np.int64],
    f0: NDArray[np.float64],
    f1: NDArray[np.float64],
) -> None:
    """The crossings counted by :func:`_fold`, sorted by satellite then time: ``step`` indexes
    the chunk joined to ``prev`` (0 is ``prev`` when there is one), the crossing lies between
    ``step`` and ``step + 1``, with fractions ``f0`` and ``f1`` there."""
    n, k = f.shape
    shift = 1 if has_prev else 0
    for s in numba.prange(n):
        if offset[s + 1] == offset[s]:
            continue
        e = offset[s]
        before = prev[s] if has_prev else f[s, 0]
        for j in range(1 - shift, k):
            x = f[s, j]
            if (x < threshold) != (before < threshold):
                sat[e] = s
                step[e] = j - 1 + shift
                f0[e] = before
                f1[e] = x
                e += 1
            before = x


def fold_chunk(
    f: NDArray[np.float64],
    prev: NDArray[np.float64] | None,
    threshold: float,
    sunlit_sum: NDArray[np.float64],
    min_fraction: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], tuple[NDArray[Any], ...]]:
    """Fold one chunk ``f`` (n_sat, k), C-contiguous: updates ``sunlit_sum`` and
    ``min_fraction`` in place; returns the per-step means of f, of f < threshold and of f <= 0,
    and the crossings ``(sat, step, f0, f1)`` as :func:`_events` describes them."""
    n, k = f.shape
    has_prev = prev is not None
    p = prev if prev is not None else np.zeros(1)
    partial = np.zeros((_BLOCKS, 3, k))
    counts = np.zeros(n, np.int64)
    _fold(f, p, has_prev, threshold, sunlit_sum, min_fraction, partial, counts)
    sums = partial.sum(axis=0) / max(n, 1)
    offset = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=offset[1:])
    m = int(offset[-1])
    sat, step = np.empty(m, np.int64), np.empty(m, np.int64)
    f0, f1 = np.empty(m), np.empty(m)
    if m:
        _events(f, p, has_prev, threshold, offset, sat, step, f0, f1)
    return sums[0], sums[1], sums[2], (sat, step, f0, f1)


@numba.njit(cache=True)
def _g(
    tau: float,
    a: float,
    ci: float,
    si: float,
    u0: float,
    u_dot: float,
    n0: float,
    n_dot: float,
    sx: float,
    sy: float,
    sz: float,
    threshold: float,
) -> float:
    """Sunlit fraction minus ``threshold`` on the circular arc, ``tau`` [s] after its start
    (as ``skydc.eclipse_refine._Arc.__call__``; the shadow of
    :func:`skydc._accel.circular_numba._sunlit_exact`)."""
    u = u0 + u_dot * tau
    node = n0 + n_dot * tau
    cu, su, cn, sn = math.cos(u), math.sin(u), math.cos(node), math.sin(node)
    x = a * (cu * cn - su * ci * sn)
    y = a * (cu * sn + su * ci * cn)
    z = a * (su * si)
    return _sunlit_exact(x, y, z, sx, sy, sz) - threshold


@numba.njit(cache=True)
def _illinois(
    lo: float,
    hi: float,
    g_lo: float,
    g_hi: float,
    bisections: int,
    steps: int,
    arc: tuple[float, ...],
) -> float:
    """:func:`skydc._roots.illinois` for one bracket of the arc ``arc`` (:func:`_g`'s
    arguments after ``tau``)."""
    for _ in range(bisections):
        mid = 0.5 * (lo + hi)
        g_mid = _g(mid, *arc)
        if (g_mid < 0) == (g_lo < 0):
            lo, g_lo = mid, g_mid
        else:
            hi, g_hi = mid, g_mid
    side = 0
    for _ in range(steps):
        x = (lo * g_hi - hi * g_lo) / (g_hi - g_lo) if g_hi != g_lo else 0.5 * (lo + hi)
        x = min(max(x, lo), hi)
        g_x = _g(x, *arc)
        left = (g_x < 0) == (g_lo < 0)
        if left:
            if side == 1:
                g_hi = 0.5 * g_hi
            lo, g_lo = x, g_x
            side = 1
        else:
            if side == -1:
                g_lo = 0.5 * g_lo
            hi, g_hi = x, g_x
            side = -1
    x = (lo * g_hi - hi * g_lo) / (g_hi - g_lo) if g_hi != g_lo else 0.5 * (lo + hi)
    return min(max(x, lo), hi)


@numba.njit(parallel=True, cache=True)
def _refine(
    t0: NDArray[np.float64],
    dt: NDArray[np.float64],
    sun: NDArray[np.float64],
    sun_index: NDArray[np.int64],
    a_m: NDArray[np.float64],
    cos_i: NDArray[np.float64],
    sin_i: NDArray[np.float64],
    u_epoch: NDArray[np.float64],
    u_rate: NDArray[np.float64],
    node_epoch: NDArray[np.float64],
    node_rate: NDArray[np.float64],
    threshold: float,
    half_width: float,
    near_steps: int,
    bisections: int,
    false_position: int,
    out: NDArray[np.float64],
) -> None:
    for c in numba.prange(t0.size):
        a, ci, si = a_m[c], cos_i[c], sin_i[c]
        u_dot, n_dot = u_rate[c], node_rate[c]
        u0 = u_epoch[c] + u_dot * t0[c]
        n0 = node_epoch[c] + n_dot * t0[c]
        h = dt[c]
        k = sun_index[c]
        sx, sy, sz = sun[0, k], sun[1, k], sun[2, k]
        # the limb crossing in closed form (skydc.eclipse_refine._Arc.limb_tau)
        norm = math.sqrt(sx * sx + sy * sy + sz * sz)
        hx, hy, hz = sx / norm, sy / norm, sz / norm
        node = n0 + n_dot * 0.5 * h
        cn, sn = math.cos(node), math.sin(node)
        big_a = cn * hx + sn * hy
        big_b = ci * (cn * hy - sn * hx) + si * hz
        amp = math.hypot(big_a, big_b)
        cos_b = math.sqrt(1.0 - (EARTH_MEAN_RADIUS_M / a) ** 2)
        ratio = -cos_b / amp
        guess = math.nan
        if -1.0 <= ratio <= 1.0:
            delta = math.acos(ratio)
            phase = math.atan2(big_b, big_a)
            mid = u0 + u_dot * 0.5 * h
            for root in (phase + delta, phase - delta):
                w = root - mid + math.pi
                w -= 2.0 * math.pi * math.floor(w / (2.0 * math.pi))  # Python's (and NumPy's) %
                tau = 0.5 * h + (w - math.pi) / u_dot
                if math.isfinite(tau) and not (abs(tau - 0.5 * h) >= abs(guess - 0.5 * h)):
                    guess = tau
        arc = (a, ci, si, u0, u_dot, n0, n_dot, sx, sy, sz, threshold)
        x = math.nan
        if math.isfinite(guess):
            lo = min(max(guess - half_width, 0.0), h)
            hi = min(max(guess + half_width, 0.0), h)
            g_lo = _g(lo, *arc)
            g_hi = _g(hi, *arc)
            if (g_lo < 0) != (g_hi < 0):
                x = _illinois(lo, hi, g_lo, g_hi, 0, near_steps, arc)
        if not math.isfinite(x):  # grazing: the bracket missed, bisect the whole step
            g0 = _g(0.0, *arc)
            g1 = _g(h, *arc)
            if (g0 < 0) != (g1 < 0):
                x = _illinois(0.0, h, g0, g1, bisections, false_position, arc)
        out[c] = t0[c] + x


def refine_circular(
    t0_s: NDArray[np.float64],
    t1_s: NDArray[np.float64],
    sun_m: NDArray[np.float64],
    sun_index: NDArray[np.intp],
    arcs: dict[str, NDArray[np.float64]],
    threshold: float,
    steps: tuple[float, int, int, int],
) -> NDArray[np.float64]:
    """Crossing times [s] inside ``[t0_s, t1_s]`` (NaN: none) of circular arcs, one per
    crossing, with the Sun ``sun_m[:, sun_index]`` (TEME, m) and ``arcs`` (``a_m``, ``cos_i``,
    ``sin_i``, ``u_epoch_rad``, ``u_rate_rad_s``, ``node_epoch_rad``, ``node_rate_rad_s``, each
    of the crossings' shape): :func:`skydc.eclipse_refine._refine_circular` in one pass.
    ``steps``: the bracket's half-width [s] around the limb crossing, the Illinois steps in it,
    and the bisections and Illinois steps of the whole step where that bracket misses."""
    out = np.empty(t0_s.shape)
    if t0_s.size == 0:
        return out
    def c(name: str) -> NDArray[np.float64]:
        return np.ascontiguousarray(arcs[name], np.float64)

    _refine(
        np.ascontiguousarray(t0_s, np.float64), np.ascontiguousarray(t1_s - t0_s, np.float64),
        np.ascontiguousarray(sun_m, np.float64), np.ascontiguousarray(sun_index, np.int64),
        c("a_m"), c("cos_i"), c("sin_i"), c("u_epoch_rad"), c("u_rate_rad_s"),
        c("node_epoch_rad"), c("node_rate_rad_s"), float(threshold),
        float(steps[0]), int(steps[1]), int(steps[2]), int(steps[3]), out,
    )  # fmt: skip
    return out
