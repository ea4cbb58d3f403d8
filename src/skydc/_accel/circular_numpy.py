"""NumPy backend of :func:`skydc.orbits.circular.circular_states` (no numba needed).

Works in blocks of ``_BLOCK_SATS`` satellites x ``_BLOCK_STEPS`` steps, small enough for the
work arrays to stay in cache. Inside a block the angles of each satellite are advanced by
doubling: column 0 gets exact sines and cosines, then columns ``[w, 2w)`` are columns
``[0, w)`` rotated by ``w`` steps (angle addition, the cosine and sine of ``w`` steps exact per
satellite), so ``log2(_BLOCK_STEPS)`` vectorised passes replace a sine and a cosine per step and
rounding grows only with the number of levels. The satellite blocks are split over threads
(NumPy releases the GIL inside ufuncs); blocks are independent, so positions do not depend on
the number of threads (edge sunlit fractions at most in the last bit). The sunlit fraction
uses the fast classification of the numba kernel and calls
:func:`skydc.environment.shadow.sunlit_fraction` itself on the shadow's edges.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from skydc._accel.plan import CircularPlan
from skydc.environment.shadow import sunlit_fraction

__all__ = ["fill_circular_states_numpy"]

# Satellites x steps per block: 7 work arrays of 256 kB (larger blocks spend less time in
# NumPy's per-call overhead; these measured best on a 2-core EPYC, see docs/benchmarks.md).
_BLOCK_SATS = 256
_BLOCK_STEPS = 128
# Steps taken from an exact per-satellite table before doubling starts.
_TABLE_STEPS = 8
# Fewest satellites per thread worth a thread.
_MIN_SATS_PER_THREAD = 2048


def fill_circular_states_numpy(
    p: CircularPlan, k0: int, r_out: NDArray[np.float64], f_out: NDArray[np.float64] | None
) -> None:
    """Write steps ``k0 .. k0 + m`` of plan ``p`` into ``r_out`` (3, n_sat, m) and ``f_out``
    (n_sat, m), or skip the sunlit fraction when ``f_out`` is None."""
    n_sat, m = r_out.shape[1], r_out.shape[2]
    if n_sat == 0 or m == 0:
        return
    n_threads = max(1, min(os.cpu_count() or 1, n_sat // _MIN_SATS_PER_THREAD))
    bounds = np.linspace(0, n_sat, n_threads + 1).astype(int)
    parts = [slice(int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)]
    if n_threads == 1:
        _fill_part(p, k0, parts[0], r_out, f_out)
        return
    with ThreadPoolExecutor(n_threads) as pool:
        for done in [pool.submit(_fill_part, p, k0, part, r_out, f_out) for part in parts]:
            done.result()


def _fill_part(
    p: CircularPlan,
    k0: int,
    part: slice,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64] | None,
) -> None:
    """Satellites ``part`` (one thread), block by block, with one set of work arrays."""
    m = r_out.shape[2]
    bs, bt = min(_BLOCK_SATS, part.stop - part.start), min(_BLOCK_STEPS, m)
    k0_cols = min(_TABLE_STEPS, bt)
    widths = k0_cols * 2.0 ** np.arange(max(1, int(np.ceil(np.log2(bt / k0_cols)))))
    steps_in_table = np.arange(k0_cols) * p.dt_s
    work = np.empty((7, bs, bt))
    for s0 in range(part.start, part.stop, bs):
        sat = slice(s0, min(s0 + bs, part.stop))
        nb = sat.stop - s0
        a = p.a_m[sat]
        # Exact cos/sin of 0..k0_cols-1 steps, and of k0_cols * 2**l steps (doubling levels).
        rates = (p.u_rate_rad_s[sat], p.raan_rate_rad_s[sat])
        tables = [
            (np.cos(ang), np.sin(ang)) for ang in (np.outer(w, steps_in_table) for w in rates)
        ]
        levels = [
            (np.cos(ang), np.sin(ang)) for ang in (np.outer(widths * p.dt_s, w) for w in rates)
        ]
        for j0 in range(0, m, bt):
            steps = slice(j0, min(j0 + bt, m))
            w = steps.stop - j0
            cu, su, co, so, t1, t2, t3 = (work[k, :nb, :w] for k in range(7))
            t_s = p.t0_s + (k0 + j0) * p.dt_s
            ang = p.u_epoch_rad[sat] + p.u_rate_rad_s[sat] * t_s
            _advance(cu, su, a * np.cos(ang), a * np.sin(ang), tables[0], levels[0], t1)
            ang = p.raan_epoch_rad[sat] + p.raan_rate_rad_s[sat] * t_s
            _advance(co, so, np.cos(ang), np.sin(ang), tables[1], levels[1], t1)
            if p.earth_fixed:  # lambda = Omega - GMST: cos, sin by angle subtraction
                cg = p.cos_g[k0 + j0 : k0 + steps.stop][None, :]
                sg = p.sin_g[k0 + j0 : k0 + steps.stop][None, :]
                np.multiply(co, cg, out=t1)
                np.multiply(so, sg, out=t2)
                np.add(t1, t2, out=t1)
                np.multiply(so, cg, out=t2)
                np.multiply(co, sg, out=t3)
                np.subtract(t2, t3, out=t2)
                cl, sl, tmp = t1, t2, t3
            else:
                cl, sl, tmp = co, so, t1
            rx, ry, rz = (r_out[c, sat, steps] for c in range(3))
            np.multiply(su, p.sin_i[sat][:, None], out=rz)
            np.multiply(su, p.cos_i[sat][:, None], out=su)  # a sin u cos i
            np.multiply(cu, cl, out=rx)
            np.multiply(su, sl, out=tmp)
            np.subtract(rx, tmp, out=rx)
            np.multiply(cu, sl, out=ry)
            np.multiply(su, cl, out=tmp)
            np.add(ry, tmp, out=ry)
            if f_out is not None:
                ks = slice(k0 + j0, k0 + steps.stop)
                _sunlit_block(p, sat, ks, rx, ry, rz, f_out[sat, steps], work[:, :nb, :w])


def _advance(
    c: NDArray[np.float64],
    s: NDArray[np.float64],
    c0: NDArray[np.float64],
    s0: NDArray[np.float64],
    table: tuple[NDArray[np.float64], NDArray[np.float64]],
    levels: tuple[NDArray[np.float64], NDArray[np.float64]],
    tmp: NDArray[np.float64],
) -> None:
    """Fill (c, s) = r (cos, sin) of a linearly advancing angle for every column (step).

    Columns ``0 .. k-1`` are the seed ``(c0, s0)`` rotated by the exact per-satellite table of
    ``0 .. k-1`` steps; then, doubling, columns ``[w, 2w)`` are columns ``[0, w)`` rotated by
    ``w`` steps (``levels[.][l]`` holds the cosine and sine of ``k 2**l`` steps, per row).
    """
    n_col = c.shape[1]
    k = min(table[0].shape[1], n_col)
    tc, ts = table[0][:, :k], table[1][:, :k]
    _rotate(tc, ts, c0[:, None], s0[:, None], c[:, :k], s[:, :k], tmp[:, :k])
    width, level = k, 0
    while width < n_col:
        n = min(width, n_col - width)
        cd, sd = levels[0][level][:, None], levels[1][level][:, None]
        _rotate(
            c[:, :n], s[:, :n], cd, sd, c[:, width : width + n], s[:, width : width + n], tmp[:, :n]
        )
        width, level = 2 * width, level + 1


def _rotate(
    c: NDArray[np.float64],
    s: NDArray[np.float64],
    cd: NDArray[np.float64],
    sd: NDArray[np.float64],
    c_out: NDArray[np.float64],
    s_out: NDArray[np.float64],
    tmp: NDArray[np.float64],
) -> None:
    """Angle addition: ``c_out = c cd - s sd``, ``s_out = s cd + c sd`` (4 mul + 2 add)."""
    np.multiply(c, cd, out=c_out)
    np.multiply(s, sd, out=tmp)
    np.subtract(c_out, tmp, out=c_out)
    np.multiply(s, cd, out=s_out)
    np.multiply(c, sd, out=tmp)
    np.add(s_out, tmp, out=s_out)


def _sunlit_block(
    p: CircularPlan,
    sat: slice,
    ks: slice,
    rx: NDArray[np.float64],
    ry: NDArray[np.float64],
    rz: NDArray[np.float64],
    f: NDArray[np.float64],
    work: NDArray[np.float64],
) -> None:
    """Sunlit fraction of one block: fast classification, exact kernel on the shadow's edges."""
    assert p.sun_m is not None and p.sun2_m2 is not None
    assert p.full2 is not None and p.umbra2 is not None and p.exact_only is not None
    rs, tmp, num, lim = work[0], work[1], work[2], work[3]
    sun = p.sun_m[:, ks]
    a2 = (p.a_m[sat] ** 2)[:, None]
    np.multiply(rx, sun[0][None, :], out=rs)  # r . s
    np.multiply(ry, sun[1][None, :], out=tmp)
    np.add(rs, tmp, out=rs)
    np.multiply(rz, sun[2][None, :], out=tmp)
    np.add(rs, tmp, out=rs)
    np.subtract(a2, rs, out=num)  # -r . (s - r) = |r| |s - r| cos c
    np.multiply(rs, -2.0, out=tmp)  # |s - r|^2
    np.add(tmp, p.sun2_m2[ks][None, :], out=tmp)
    np.add(tmp, a2, out=tmp)
    np.multiply(num, num, out=rs)  # (|r| |s - r| cos c)^2
    np.multiply(tmp, (p.full2[sat] * a2[:, 0])[:, None], out=lim)
    full = (rs <= lim) | (num <= 0.0)
    np.multiply(tmp, (p.umbra2[sat] * a2[:, 0])[:, None], out=lim)
    umbra = (rs >= lim) & (num > 0.0)
    np.subtract(1.0, umbra, out=f)
    edge = ~(full | umbra)
    exact_rows = p.exact_only[sat]
    if exact_rows.any():
        edge[exact_rows] = True
    rows, cols = np.nonzero(edge)
    if rows.size:
        r_edge = np.stack([rx[rows, cols], ry[rows, cols], rz[rows, cols]])
        f[rows, cols] = sunlit_fraction(r_edge, sun[:, cols])
