"""Fused numba kernel for :func:`skydc.orbits.circular.circular_states` (``backend="numba"``).

One pass per satellite (``prange``, threads over satellites) writes position and sunlit fraction
for every step: the angle-addition recurrence of the module :mod:`skydc.orbits.circular`, the
GMST rotation, and the conical shadow. Satellites that share their rates (a shell) take
:func:`_kernel_shared` instead: per-step rotations computed once for all of them, no
recurrence. The exact shadow formula of
:func:`skydc.environment.shadow.sunlit_fraction` is repeated in :func:`_sunlit_exact` (numba
cannot call the NumPy kernel per element) and tested equal to it. Compiled once and cached on
disk (``cache=True``); importing this module imports numba.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

from skydc._accel.plan import CircularPlan
from skydc.constants import EARTH_MEAN_RADIUS_M, SUN_RADIUS_M

__all__ = ["fill_circular_states"]

MIN_SAT_STEPS_PER_THREAD = 250_000  # ~2 ms of kernel work per thread at ~1.4e8 sat-steps/s
_R_EARTH = EARTH_MEAN_RADIUS_M
_R_SUN = SUN_RADIUS_M


@numba.njit(cache=True)
def _sunlit_exact(x: float, y: float, z: float, sx: float, sy: float, sz: float) -> float:
    """Conical shadow, Montenbruck & Gill (2000) Sec. 3.4.2, step for step as
    :func:`skydc.environment.shadow.sunlit_fraction` (default radii)."""
    rr = x * x + y * y + z * z
    dot = x * sx + y * sy + z * sz
    dist = max(math.sqrt(max(rr - 2.0 * dot + (sx * sx + sy * sy + sz * sz), 0.0)), 1.0)
    r = max(math.sqrt(rr), 1.0)
    cos_c = (rr - dot) / r / dist
    if math.isnan(cos_c):
        return math.nan
    c = math.acos(min(max(cos_c, -1.0), 1.0))
    a = math.asin(min(_R_SUN / dist, 1.0))
    b = math.asin(min(_R_EARTH / r, 1.0))
    if c <= b - a:
        return 0.0
    if c <= a - b:
        return min(max(1.0 - (b / a) ** 2, 0.0), 1.0)
    if c >= a + b:
        return 1.0
    xx = (c * c + a * a - b * b) / (2.0 * c)
    yy = math.sqrt(max(a * a - xx * xx, 0.0))
    area = a * a * math.atan2(yy, xx) + b * b * math.atan2(yy, c - xx) - c * yy
    return min(max(1.0 - area / (math.pi * a * a), 0.0), 1.0)


@numba.njit(parallel=True, cache=True)
def _kernel(
    a_m: NDArray[np.float64],
    cos_i: NDArray[np.float64],
    sin_i: NDArray[np.float64],
    u_epoch: NDArray[np.float64],
    u_rate: NDArray[np.float64],
    raan_epoch: NDArray[np.float64],
    raan_rate: NDArray[np.float64],
    t0: float,
    dt: float,
    k0: int,
    reseed: int,
    earth_fixed: bool,
    cos_g: NDArray[np.float64],
    sin_g: NDArray[np.float64],
    sun: NDArray[np.float64],
    sun2: NDArray[np.float64],
    full2: NDArray[np.float64],
    umbra2: NDArray[np.float64],
    exact_only: NDArray[np.bool_],
    with_sun: bool,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64],
) -> None:
    n_sat, m = r_out.shape[1], r_out.shape[2]
    for s in numba.prange(n_sat):
        a = a_m[s]
        ci, si = cos_i[s], sin_i[s]
        du, dO = u_rate[s] * dt, raan_rate[s] * dt
        cdu, sdu, cdo, sdo = math.cos(du), math.sin(du), math.cos(dO), math.sin(dO)
        # Positions: exact seed every `reseed` steps, angle addition in between.
        for j0 in range(0, m, reseed):
            t = t0 + (k0 + j0) * dt
            ang_u = u_epoch[s] + u_rate[s] * t
            ang_o = raan_epoch[s] + raan_rate[s] * t
            cu, su = a * math.cos(ang_u), a * math.sin(ang_u)
            co, so = math.cos(ang_o), math.sin(ang_o)
            for j in range(j0, min(j0 + reseed, m)):
                if earth_fixed:  # lambda = Omega - GMST
                    cg, sg = cos_g[k0 + j], sin_g[k0 + j]
                    cl, sl = co * cg + so * sg, so * cg - co * sg
                else:
                    cl, sl = co, so
                q = su * ci
                r_out[0, s, j] = cu * cl - q * sl
                r_out[1, s, j] = cu * sl + q * cl
                r_out[2, s, j] = su * si
                # angle addition: 4 mul + 2 add per angle
                cu, su = cu * cdu - su * sdu, su * cdu + cu * sdu
                co, so = co * cdo - so * sdo, so * cdo + co * sdo
        if with_sun:
            _sunlit_row(
                k0, a, sun, sun2, full2[s], umbra2[s], exact_only[s],
                r_out[0, s], r_out[1, s], r_out[2, s], f_out[s],
            )  # fmt: skip


@numba.njit(parallel=True, cache=True)
def _kernel_shared(
    cu0: NDArray[np.float64],
    su0: NDArray[np.float64],
    cl0: NDArray[np.float64],
    sl0: NDArray[np.float64],
    cos_i: NDArray[np.float64],
    sin_i: NDArray[np.float64],
    rot_u: NDArray[np.float64],
    rot_l: NDArray[np.float64],
    a_m: NDArray[np.float64],
    k0: int,
    sun: NDArray[np.float64],
    sun2: NDArray[np.float64],
    full2: NDArray[np.float64],
    umbra2: NDArray[np.float64],
    exact_only: NDArray[np.bool_],
    with_sun: bool,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64],
) -> None:
    """Satellites that share their rates (a shell): each step's rotation of the argument of
    latitude (``rot_u``: cos, sin of ``u_rate t``) and of the Earth-fixed node (``rot_l``: of
    ``raan_rate t - GMST``, or ``raan_rate t`` in TEME) is the same for all of them, so a
    position is two angle additions from the satellite's epoch angles (``a cos u0, a sin u0``
    and ``cos, sin`` of its node): no recurrence, every step independent (vectorised)."""
    n_sat, m = r_out.shape[1], r_out.shape[2]
    for s in numba.prange(n_sat):
        cu_e, su_e, cl_e, sl_e = cu0[s], su0[s], cl0[s], sl0[s]
        ci, si = cos_i[s], sin_i[s]
        x, y, z = r_out[0, s], r_out[1, s], r_out[2, s]
        for j in range(m):
            cu = cu_e * rot_u[0, j] - su_e * rot_u[1, j]
            su = su_e * rot_u[0, j] + cu_e * rot_u[1, j]
            cl = cl_e * rot_l[0, j] - sl_e * rot_l[1, j]
            sl = sl_e * rot_l[0, j] + cl_e * rot_l[1, j]
            q = su * ci
            x[j] = cu * cl - q * sl
            y[j] = cu * sl + q * cl
            z[j] = su * si
        if with_sun:
            _sunlit_row(
                k0, a_m[s], sun, sun2, full2[s], umbra2[s], exact_only[s], x, y, z, f_out[s]
            )


@numba.njit(cache=True)
def _sunlit_row(
    k0: int,
    a: float,
    sun: NDArray[np.float64],
    sun2: NDArray[np.float64],
    full2: float,
    umbra2: float,
    exact_only: bool,
    rx: NDArray[np.float64],
    ry: NDArray[np.float64],
    rz: NDArray[np.float64],
    f: NDArray[np.float64],
) -> None:
    """Sunlit fraction of one satellite's row: a branch-free (vectorised) classification pass,
    -1 marking the shadow's edges, then the exact formula on the marked steps only."""
    m = f.shape[0]
    a2 = a * a
    lim_full, lim_umbra = full2 * a2, umbra2 * a2
    sx, sy, sz, s2 = sun[0, k0 : k0 + m], sun[1, k0 : k0 + m], sun[2, k0 : k0 + m], sun2[k0:]
    n_edge = 0
    for j in range(m):
        rs = rx[j] * sx[j] + ry[j] * sy[j] + rz[j] * sz[j]
        num = a2 - rs  # |r| |s - r| cos c
        d2 = s2[j] - 2.0 * rs + a2  # |s - r|^2
        num2 = num * num
        full = (num <= 0.0) | (num2 <= lim_full * d2)
        umbra = (num > 0.0) & (num2 >= lim_umbra * d2)
        value = 1.0 if full else (0.0 if umbra else -1.0)
        f[j] = value
        n_edge += value < 0.0
    if n_edge or exact_only:
        for j in range(m):
            if exact_only or f[j] < 0.0:
                f[j] = _sunlit_exact(rx[j], ry[j], rz[j], sx[j], sy[j], sz[j])


def fill_circular_states(
    p: CircularPlan,
    k0: int,
    reseed: int,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64] | None,
) -> None:
    """Write steps ``k0 .. k0 + m`` of plan ``p`` into ``r_out`` (3, n_sat, m) and ``f_out``
    (n_sat, m) or skip the sunlit fraction when ``f_out`` is None. C-contiguous float64 only."""
    with_sun = f_out is not None
    empty = np.zeros((3, 1))
    one = np.zeros(1)
    threads = numba.get_num_threads()
    # threads over satellites only where each has enough work: below ~MIN_SAT_STEPS_PER_THREAD
    # the fork-join costs more than it saves, and on a loaded machine extra threads only wait
    numba.set_num_threads(
        max(1, min(threads, r_out.shape[1] * r_out.shape[2] // MIN_SAT_STEPS_PER_THREAD))
    )
    try:
        if _shared_rates(p):
            _run_shared(p, k0, r_out, f_out, with_sun, empty, one)
        else:
            _run_kernel(p, k0, reseed, r_out, f_out, with_sun, empty, one)
    finally:
        numba.set_num_threads(threads)


def _run_kernel(
    p: CircularPlan,
    k0: int,
    reseed: int,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64] | None,
    with_sun: bool,
    empty: NDArray[np.float64],
    one: NDArray[np.float64],
) -> None:
    _kernel(
        p.a_m,
        p.cos_i,
        p.sin_i,
        p.u_epoch_rad,
        p.u_rate_rad_s,
        p.raan_epoch_rad,
        p.raan_rate_rad_s,
        p.t0_s,
        p.dt_s,
        k0,
        max(1, reseed),
        p.earth_fixed,
        p.cos_g,
        p.sin_g,
        p.sun_m if p.sun_m is not None else empty,
        p.sun2_m2 if p.sun2_m2 is not None else one,
        p.full2 if p.full2 is not None else one,
        p.umbra2 if p.umbra2 is not None else one,
        p.exact_only if p.exact_only is not None else np.zeros(1, dtype=np.bool_),
        with_sun,
        r_out,
        f_out if f_out is not None else np.zeros((1, 1)),
    )


def _shared_rates(p: CircularPlan) -> bool:
    """Every satellite advances its argument of latitude and node at the same rates."""
    return p.a_m.size > 1 and all(
        float(x.min()) == float(x.max()) for x in (p.u_rate_rad_s, p.raan_rate_rad_s)
    )


def _run_shared(
    p: CircularPlan,
    k0: int,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64] | None,
    with_sun: bool,
    empty: NDArray[np.float64],
    one: NDArray[np.float64],
) -> None:
    """:func:`_kernel_shared`: per-step rotations (exact sines and cosines, no drift) and
    per-satellite epoch angles, from the plan."""
    m = r_out.shape[2]
    t = p.t0_s + (k0 + np.arange(m)) * p.dt_s
    w_u, w_o = float(p.u_rate_rad_s[0]), float(p.raan_rate_rad_s[0])
    rot_u = np.stack([np.cos(w_u * t), np.sin(w_u * t)])
    # Earth-fixed node: Omega(t) - GMST, i.e. (cos, sin)(w_o t) rotated back by GMST
    c_o, s_o = np.cos(w_o * t), np.sin(w_o * t)
    cg, sg = p.cos_g[k0 : k0 + m], p.sin_g[k0 : k0 + m]
    rot_l = np.stack([c_o * cg + s_o * sg, s_o * cg - c_o * sg])
    u0, o0 = p.u_epoch_rad, p.raan_epoch_rad
    _kernel_shared(
        p.a_m * np.cos(u0), p.a_m * np.sin(u0), np.cos(o0), np.sin(o0), p.cos_i, p.sin_i,
        rot_u, rot_l, p.a_m, k0,
        p.sun_m if p.sun_m is not None else empty,
        p.sun2_m2 if p.sun2_m2 is not None else one,
        p.full2 if p.full2 is not None else one,
        p.umbra2 if p.umbra2 is not None else one,
        p.exact_only if p.exact_only is not None else np.zeros(1, dtype=np.bool_),
        with_sun, r_out, f_out if f_out is not None else np.zeros((1, 1)),
    )  # fmt: skip
