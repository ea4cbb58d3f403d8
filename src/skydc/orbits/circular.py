"""Fast Earth-fixed states and sunlit fraction for circular orbits on a uniform time grid.

For a circular orbit (e = 0) under secular J2 the satellite's radius stays ``a`` and two angles
advance linearly in time: the argument of latitude
:math:`u(t) = \\omega_0 + M_0 + (\\dot\\omega + \\dot M) t` and the node
:math:`\\Omega(t) = \\Omega_0 + \\dot\\Omega t` (rates from
:func:`skydc.orbits.j2.secular_rates`).
The position in TEME is

.. math::

    x = a (\\cos\\Omega \\cos u - \\sin\\Omega \\sin u \\cos i), \\quad
    y = a (\\sin\\Omega \\cos u + \\cos\\Omega \\sin u \\cos i), \\quad
    z = a \\sin u \\sin i,

and Earth-fixed (PEF) uses :math:`\\lambda = \\Omega - \\theta_{GMST}` in place of
:math:`\\Omega`, with GMST taken per time step from :func:`skydc.orbits.frames.gmst_rad`
(Vallado 2013, Eqs. 2-96 and 3-45). On a uniform grid :math:`t_k = t_0 + k\\,\\Delta t` the
cosine and sine of a linearly advancing angle follow from angle addition,
:math:`\\cos(\\phi + \\delta) = \\cos\\phi\\cos\\delta - \\sin\\phi\\sin\\delta` (and likewise
for the sine): the cosine and sine of the step are computed once per satellite, then each step
costs 4 multiplications and 2 additions instead of a sine and a cosine. The recurrence is
re-seeded with exact sines and cosines at every call (every chunk) and every
:data:`RESEED_STEPS` steps, so rounding cannot accumulate.

The sunlit fraction is the conical Earth shadow of
:func:`skydc.environment.shadow.sunlit_fraction` (Montenbruck & Gill 2000, Sec. 3.4.2). Most
points are plainly sunlit or in umbra: a test on squared dot products, with thresholds that
bound the Sun's apparent radius over the whole time grid and keep a 1e-9 rad margin, classifies
them exactly; the few points near the shadow's edge go through the exact formula.

Two backends compute the same numbers: ``"numpy"`` (``skydc._accel.circular_numpy``, always
available; in cache-sized blocks, threaded over satellites, it advances the angles by doubling:
the first ``m`` steps rotated by ``m`` steps give the next ``m``) and ``"numba"``
(``skydc._accel.circular_numba``: one fused pass, threads over satellites;
``pip install skydc[fast]``; where every satellite shares its rates, as in a Walker or
sun-synchronous shell, the per-step rotations are exact sines and cosines shared by all of them
and each position is two angle additions from the satellite's epoch angles, with no
recurrence: every step independent, so the loop vectorises, ~3x faster). ``"auto"`` takes
numba when it can be imported. Measured rates and the memory-bandwidth floor:
``docs/benchmarks.md``.

Accuracy (``tests/orbits/test_circular.py``): equal to ``teme_to_ecef(propagate_j2(...))`` within
0.25 um over a day at 60 s and 8.3 um a month after the epoch (float64 rounding of the angles,
shared with the reference); sunlit fraction equal to the NumPy shadow kernel within 1.5e-10.
Without re-seeding the recurrence would drift by ~3.4e-10 m per step (0.5 um after 1,440 steps,
50 um after 144,000); re-seeding every :data:`RESEED_STEPS` steps bounds it at ~0.2 um.

References
----------
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., Microcosm
Press. Eq. 2-96 / Alg. 10 (COE2RV), Eq. 3-45 (GMST).
Montenbruck, O., Gill, E. (2000). *Satellite Orbits*, Springer, Sec. 3.4.2 (conical shadow).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc import _accel
from skydc._accel.circular_numpy import fill_circular_states_numpy
from skydc._accel.plan import CircularPlan
from skydc._args import choice
from skydc.constants import EARTH_MEAN_RADIUS_M, SUN_RADIUS_M
from skydc.environment.sun import sun_position_teme_m
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.frames import gmst_rad
from skydc.orbits.j2 import secular_rates
from skydc.timescale import jd_utc_at

__all__ = [
    "AUTO_NUMBA_MIN_SAT_STEPS",
    "BACKENDS",
    "FRAMES",
    "RESEED_STEPS",
    "CircularStates",
    "chunk_buffer_size",
    "circular_chunk_bytes",
    "circular_states",
    "iter_circular_states",
    "resolve_backend",
]

BACKENDS = ("auto", "numpy", "numba")
FRAMES = ("ecef", "teme")
# Steps between exact re-seeds of the angle-addition recurrence (numba backend; the numpy
# backend re-seeds at every block of 128 steps, skydc._accel.circular_numpy._BLOCK_STEPS).
RESEED_STEPS = 256
# ``backend="auto"`` takes numba from this many satellite-steps per call. numba costs ~0.5-0.9 s
# CPU and ~140 MB to import and load its cached kernels once per process; NumPy runs ~1.4e7
# sat-steps/s here, numba ~1.4e8 (docs/benchmarks.md, Propagation), so numba pays back from
# 0.7 s / (1/1.4e7 - 1/1.4e8) ~ 1.1e7 sat-steps (the default scenario: 400 x 1441 = 5.8e5).
AUTO_NUMBA_MIN_SAT_STEPS = 10_000_000
# Largest deviation of t_s from a uniform grid that is accepted: 1 us is < 1 cm along track.
_UNIFORM_TOLERANCE_S = 1e-6
# Margin [rad] kept between the fast sunlit/umbra test and the shadow's edges.
_SHADOW_MARGIN_RAD = 1e-9


@dataclass(frozen=True)
class CircularStates:
    """Positions and sunlit fraction of ``n_sat`` circular-orbit satellites at ``n_time`` times.

    Attributes
    ----------
    r_m : ndarray, shape (3, n_sat, n_time)
        Position [m] in the frame asked for (Earth-fixed PEF "ecef", or TEME).
    sunlit_fraction : ndarray, shape (n_sat, n_time), or None
        Fraction of the solar disc seen [-], 0 in umbra, 1 in full sunlight; None when not asked.
    """

    r_m: NDArray[np.float64]
    sunlit_fraction: NDArray[np.float64] | None


def _uniform_grid(t_s: ArrayLike) -> tuple[NDArray[np.float64], float]:
    """The time grid as float64 and its step; ValueError unless uniform within 1 us."""
    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"t_s must be a non-empty 1-D array of seconds, got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ValueError("t_s must be finite")
    n = t.size
    dt = float(t[-1] - t[0]) / (n - 1) if n > 1 else 0.0
    if n > 1:
        deviation = float(np.max(np.abs(t - (t[0] + dt * np.arange(n)))))
        if deviation > _UNIFORM_TOLERANCE_S:
            raise ValueError(
                f"circular_states needs uniformly spaced t_s (step {dt:g} s), but t_s deviates "
                f"from that grid by up to {deviation:g} s; use propagate_j2 for irregular times"
            )
    return t, dt


def resolve_backend(backend: str, sat_steps: int) -> str:
    """The backend ``backend`` stands for on ``sat_steps`` satellite-steps of work in all
    (``"auto"``: numba from :data:`AUTO_NUMBA_MIN_SAT_STEPS` when installed, else NumPy).
    A caller that evaluates a run in many calls resolves once, from the run's total."""
    return _check_choices("ecef", backend, sat_steps)


def _check_choices(frame: str, backend: str, sat_steps: int | None = None) -> str:
    """Validate frame and backend names; the backend actually used (``"auto"``: numba when
    installed and the call has at least :data:`AUTO_NUMBA_MIN_SAT_STEPS` satellite-steps)."""
    choice("frame", frame, FRAMES)
    choice("backend", backend, BACKENDS)
    have_numba = _accel.numba_available()
    if backend == "numba" and not have_numba:
        raise ValueError(
            "backend='numba' needs numba, which is not installed: pip install skydc[fast], "
            "or use backend='numpy'"
        )
    if backend == "auto":
        small = sat_steps is not None and sat_steps < AUTO_NUMBA_MIN_SAT_STEPS
        return "numba" if have_numba and not small else "numpy"
    return backend


def _make_plan(
    elements: OrbitalElements, t: NDArray[np.float64], dt: float, frame: str, with_sunlit: bool
) -> CircularPlan:
    """Per-satellite rates and per-step GMST and Sun for one call."""
    e = np.asarray(elements.e, dtype=float)
    eccentric = np.flatnonzero(e != 0.0)
    if eccentric.size:
        shown = ", ".join(str(k) for k in eccentric[:10])
        more = f" and {eccentric.size - 10} more" if eccentric.size > 10 else ""
        raise ValueError(
            f"circular_states needs e == 0; satellites {shown}{more} are eccentric "
            "(use propagate_j2 for them)"
        )
    a = np.ascontiguousarray(elements.a_m, dtype=float)
    i = np.asarray(elements.i_rad, dtype=float)
    raan_dot, argp_dot, m_dot = secular_rates(a, e, i)
    jd = jd_utc_at(elements.epoch_jd_utc, t)
    if frame == "ecef":
        g = gmst_rad(jd)  # UT1 = UTC (skydc.timescale)
        cos_g, sin_g = np.cos(g), np.sin(g)
    else:
        cos_g, sin_g = np.ones_like(t), np.zeros_like(t)
    sun = sun2 = full2 = umbra2 = exact_only = None
    if with_sunlit:
        s_teme = np.asarray(sun_position_teme_m(jd), dtype=float).reshape(3, t.size)
        sun = np.stack(
            [
                cos_g * s_teme[0] + sin_g * s_teme[1],
                cos_g * s_teme[1] - sin_g * s_teme[0],
                s_teme[2],
            ]
        )
        sun2 = np.einsum("ij,ij->j", sun, sun)
        full2, umbra2, exact_only = _shadow_thresholds(a, float(np.sqrt(sun2.min())))
    return CircularPlan(
        t0_s=float(t[0]),
        dt_s=dt,
        earth_fixed=frame == "ecef",
        a_m=a,
        cos_i=_contiguous(np.cos(i)),
        sin_i=_contiguous(np.sin(i)),
        u_epoch_rad=_contiguous(np.add(elements.argp_rad, elements.mean_anomaly_rad)),
        u_rate_rad_s=_contiguous(argp_dot + m_dot),
        raan_epoch_rad=_contiguous(elements.raan_rad),
        raan_rate_rad_s=_contiguous(raan_dot),
        cos_g=np.ascontiguousarray(cos_g),
        sin_g=np.ascontiguousarray(sin_g),
        sun_m=sun,
        sun2_m2=sun2,
        full2=full2,
        umbra2=umbra2,
        exact_only=exact_only,
    )


def _contiguous(x: ArrayLike) -> NDArray[np.float64]:
    """C-contiguous float64 (one numba specialisation, whatever views the elements hold)."""
    return np.ascontiguousarray(x, dtype=np.float64)


def _shadow_thresholds(
    a_m: NDArray[np.float64], sun_min_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Squared cosines of the separations that are surely sunlit / surely umbra, per satellite.

    Conical shadow (Montenbruck & Gill 2000, Sec. 3.4.2): with the Sun's apparent radius
    ``a_sun = asin(R_sun / |s - r|)``, the Earth's ``b = asin(R_E / |r|)`` and their separation
    ``c``, full light when ``c >= a_sun + b`` and umbra when ``c <= b - a_sun``. ``|s - r|`` is
    at least ``|s|_min - a``, so ``a_sun <= a_max`` and ``c >= a_max + b + margin`` is surely
    sunlit, ``c <= b - a_max - margin`` surely umbra. Satellites for which either threshold
    leaves (0, pi/2) (inside the Earth, or too far for an umbra) always take the exact path.
    """
    if a_m.size >= 64 and a_m.min() == a_m.max():  # one shell, one radius: evaluate once
        full2, umbra2, exact = _shadow_thresholds(a_m[:1], sun_min_m)
        n = a_m.shape
        return np.full(n, full2[0]), np.full(n, umbra2[0]), np.full(n, exact[0])
    with np.errstate(invalid="ignore"):
        b = np.arcsin(EARTH_MEAN_RADIUS_M / a_m)
        a_max = np.arcsin(SUN_RADIUS_M / (sun_min_m - a_m))
    c_full = b + a_max + _SHADOW_MARGIN_RAD
    c_umbra = b - a_max - _SHADOW_MARGIN_RAD
    ok = np.isfinite(c_full) & np.isfinite(c_umbra) & (c_full < 0.5 * np.pi) & (c_umbra > 0.0)
    full2 = np.where(ok, np.cos(np.where(ok, c_full, 0.0)) ** 2, 0.0)
    umbra2 = np.where(ok, np.cos(np.where(ok, c_umbra, 0.0)) ** 2, 0.0)
    return full2, umbra2, ~ok


def _fill(
    backend: str,
    p: CircularPlan,
    k0: int,
    r_out: NDArray[np.float64],
    f_out: NDArray[np.float64] | None,
) -> None:
    """Run one backend over steps ``k0 .. k0 + m``."""
    if backend == "numpy":
        fill_circular_states_numpy(p, k0, r_out, f_out)
        return
    # numba is an optional extra, and importing it costs ~0.5 s: only when this backend runs
    from skydc._accel.circular_numba import fill_circular_states

    fill_circular_states(p, k0, RESEED_STEPS, r_out, f_out)


def _check_out(out: CircularStates, n_sat: int, n_time: int, with_sunlit: bool) -> None:
    """``out=`` must hold C-contiguous float64 arrays of the result's shapes."""
    want: list[tuple[NDArray[np.float64], tuple[int, ...], str]] = [
        (out.r_m, (3, n_sat, n_time), "r_m")
    ]
    if with_sunlit:
        if out.sunlit_fraction is None:
            raise ValueError("out.sunlit_fraction is None but with_sunlit=True")
        want.append((out.sunlit_fraction, (n_sat, n_time), "sunlit_fraction"))
    for arr, shape, name in want:
        if arr.shape != shape or arr.dtype != np.float64 or not arr.flags.c_contiguous:
            raise ValueError(
                f"out.{name} must be a C-contiguous float64 array of shape {shape}, "
                f"got {arr.dtype} {arr.shape}"
            )


def circular_states(
    elements: OrbitalElements,
    t_s: ArrayLike,
    *,
    frame: str = "ecef",
    with_sunlit: bool = True,
    backend: str = "auto",
    out: CircularStates | None = None,
) -> CircularStates:
    """Positions and sunlit fraction of circular orbits under secular J2, on a uniform grid.

    Same model as ``teme_to_ecef(propagate_j2(elements, t_s), jd)`` for e = 0 (measured
    agreement: see ``tests/orbits/test_circular.py``), computed by angle addition (module
    docstring). Memory: the result, 32 bytes per satellite-step (24 without the sunlit
    fraction); use :func:`iter_circular_states` to stream in bounded memory.

    Parameters
    ----------
    elements : OrbitalElements
        Mean elements with ``e == 0`` for every satellite.
    t_s : array_like, shape (n_time,)
        Uniformly spaced times [s] since ``elements.epoch_jd_utc`` (to within 1 us).
    frame : {"ecef", "teme"}
        Earth-fixed (PEF: TEME rotated by GMST, polar motion ignored) or TEME.
    with_sunlit : bool
        Also compute the conical-shadow sunlit fraction [-].
    backend : {"auto", "numpy", "numba"}
        ``"auto"`` uses numba when it can be imported and the call has at least
        :data:`AUTO_NUMBA_MIN_SAT_STEPS` satellite-steps, else NumPy.
    out : CircularStates, optional
        Preallocated C-contiguous float64 result to write into (and return).

    Returns
    -------
    CircularStates
        ``r_m`` (3, n_sat, n_time) [m] and ``sunlit_fraction`` (n_sat, n_time) or None.

    Raises
    ------
    ValueError
        Unknown ``frame`` / ``backend``, numba asked for but missing, non-uniform ``t_s``,
        eccentric satellites (named), or an ``out`` of the wrong shape.
    """
    _check_choices(frame, backend)  # names first, then the grid
    t, dt = _uniform_grid(t_s)
    used = _check_choices(frame, backend, elements.n_sat * t.size)
    plan = _make_plan(elements, t, dt, frame, with_sunlit)
    n_sat, n_time = elements.n_sat, t.size
    if out is None:
        f = np.empty((n_sat, n_time)) if with_sunlit else None
        out = CircularStates(r_m=np.empty((3, n_sat, n_time)), sunlit_fraction=f)
    else:
        _check_out(out, n_sat, n_time, with_sunlit)
    _fill(used, plan, 0, out.r_m, out.sunlit_fraction if with_sunlit else None)
    return out if with_sunlit or out.sunlit_fraction is None else CircularStates(out.r_m, None)


def circular_chunk_bytes(n_sat: int, chunk_steps: int, with_sunlit: bool = True) -> int:
    """Peak memory [bytes] of :func:`iter_circular_states` beyond the elements themselves.

    The reused chunk buffers (24 bytes per satellite-step for positions, 8 more for the sunlit
    fraction) plus ~9 float64 per satellite of rates, seeds and shadow thresholds (the NumPy
    backend adds ~2 MB of block work arrays; per-step GMST and Sun arrays are negligible).
    For ``n_sat = 1e6`` and 32 steps: 1.02 GB with the sunlit fraction.
    """
    per_step = 32 if with_sunlit else 24
    return n_sat * (per_step * chunk_steps + 9 * 8)


def iter_circular_states(
    elements: OrbitalElements,
    t_s: ArrayLike,
    *,
    chunk_steps: int = 32,
    frame: str = "ecef",
    with_sunlit: bool = True,
    backend: str = "auto",
    buffer: NDArray[np.float64] | None = None,
) -> Iterator[tuple[slice, CircularStates]]:
    """Stream :func:`circular_states` over ``t_s`` in chunks of ``chunk_steps`` time steps.

    Yields ``(steps, states)``: ``steps`` is the slice of ``t_s`` covered and ``states`` holds
    that chunk, ``r_m`` (3, n_sat, m) and ``sunlit_fraction`` (n_sat, m). The arrays are ONE
    buffer reused for every chunk: copy what you keep. Peak memory is
    :func:`circular_chunk_bytes` (about 1 GB for a million satellites and 32 steps). Arguments
    are checked at once (ValueError as for :func:`circular_states`); every chunk re-seeds the
    recurrence exactly, so chunked and whole results agree to rounding.

    ``buffer``: a flat, C-contiguous float64 array of at least :func:`chunk_buffer_size`
    elements to write the chunks into (a caller streaming several shells in turn reuses one,
    instead of the operating system mapping fresh pages for each shell).
    """
    if int(chunk_steps) < 1:
        raise ValueError(f"chunk_steps must be >= 1, got {chunk_steps}")
    _check_choices(frame, backend)
    t, dt = _uniform_grid(t_s)
    used = _check_choices(frame, backend, elements.n_sat * t.size)
    chunk = min(int(chunk_steps), t.size)
    need = chunk_buffer_size(elements.n_sat, chunk, with_sunlit)
    if buffer is None:
        buffer = np.empty(need)
    elif buffer.dtype != np.float64 or buffer.ndim != 1 or buffer.size < need:
        raise ValueError(
            f"buffer must be a flat float64 array of at least {need} elements, "
            f"got {buffer.dtype} {buffer.shape}"
        )
    plan = _make_plan(elements, t, dt, frame, with_sunlit)
    return _chunks(used, plan, elements.n_sat, t.size, chunk, with_sunlit, buffer)


def chunk_buffer_size(n_sat: int, chunk_steps: int, with_sunlit: bool = True) -> int:
    """Elements of the flat buffer :func:`iter_circular_states` writes its chunks into."""
    return (4 if with_sunlit else 3) * n_sat * chunk_steps


def _chunks(
    backend: str,
    plan: CircularPlan,
    n_sat: int,
    n_time: int,
    chunk: int,
    with_sunlit: bool,
    buffer: NDArray[np.float64],
) -> Iterator[tuple[slice, CircularStates]]:
    """The generator behind :func:`iter_circular_states` (contiguous views of one buffer)."""
    r_buf = buffer[: 3 * n_sat * chunk]
    f_buf = buffer[3 * n_sat * chunk : 4 * n_sat * chunk] if with_sunlit else None
    for k0 in range(0, n_time, chunk):
        m = min(chunk, n_time - k0)
        r = r_buf[: 3 * n_sat * m].reshape(3, n_sat, m)
        f = None if f_buf is None else f_buf[: n_sat * m].reshape(n_sat, m)
        _fill(backend, plan, k0, r, f)
        yield slice(k0, k0 + m), CircularStates(r_m=r, sunlit_fraction=f)
