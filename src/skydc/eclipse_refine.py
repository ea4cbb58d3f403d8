"""Sub-step eclipse timing for J2 shells: re-evaluate the shadow around each crossing.

At the run's time step (60 s by default) the Sun's disc disappears within one step (the penumbra
lasts ~10 s in LEO), so interpolating the sampled sunlit fraction places an eclipse edge anywhere
inside the step: up to half a step wrong. Crossings are few (two per orbit per satellite), so
each one is re-evaluated on a fine grid inside its step with the same propagator and shadow
model, and the half-disc crossing found there: sub-second timing at any step
(``tests/test_eclipse_refine.py`` checks it against 1 s sampling).

Circular orbits (every J2 shell) take a closed form: at the J2 secular rates the position is
``a (cos u cos O - sin u cos i sin O, cos u sin O + sin u cos i cos O, sin u sin i)`` with the
argument of latitude ``u`` and the node ``O`` linear in time, so each shadow evaluation is a
few multiplications per crossing instead of the general propagator. The time the Sun's centre
meets the Earth's limb has a closed form (:meth:`_Arc.limb_tau`); the half-disc crossing lies
within 0.15 s of it, and one Illinois false-position step (Dowell & Jarratt 1971, BIT 11,
168-174) on the exact conical sunlit fraction in a +-0.5 s bracket places it within 1 us of the
root (measured: 5e-7 s at most against 50 bisections of the step; the half-disc profile is odd
about its middle, so the secant across a bracket around the root is already close): 3 shadow
evaluations per crossing instead of a 31-point grid. Grazing eclipses,
where the bracket misses, take 6 bisections of the whole step and 4 Illinois steps. The Sun is
evaluated once per step (its middle; it moves 0.0007 deg in a minute), not once per crossing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from skydc._args import choice
from skydc._roots import illinois
from skydc.constants import EARTH_MEAN_RADIUS_M, SECONDS_PER_DAY
from skydc.environment.shadow import sunlit_fraction
from skydc.environment.sun import sun_position_teme_m
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.j2 import propagate_j2, secular_rates

SUB_STEP_S = 2.0  # fine-grid spacing inside a step [s] (eccentric orbits); penumbra ~8-10 s
_BISECTIONS = 6  # 60 s step -> bracket under 1 s, inside the ~8-10 s penumbra
_FALSE_POSITION = 4  # Illinois steps on the smooth penumbra profile
_GUESS_HALF_WIDTH_S = 0.5  # bracket around the closed-form limb crossing [s] (guess: <= 0.15 s off)
_NEAR_STEPS = 1  # Illinois steps in that bracket
_BATCH = 20_000  # crossings re-evaluated at once (memory: 3 x batch x sub-steps floats)


def refine_crossings(
    elements: OrbitalElements,
    sat: NDArray[np.intp],
    t0_s: NDArray[np.float64],
    t1_s: NDArray[np.float64],
    threshold: float = 0.5,
    *,
    backend: str = "numpy",
) -> NDArray[np.float64]:
    """Times [s since the elements' epoch] where satellites ``sat`` cross ``threshold``
    between ``t0_s`` and ``t1_s`` (one crossing each; NaN where none is found on the fine grid).

    Each satellite's mean elements are advanced to its ``t0_s`` at the J2 secular rates, then
    propagated on a common relative grid of ``SUB_STEP_S`` spacing; the Sun is taken at the step's
    middle (it moves 0.0007 deg in a minute). ``backend="numba"`` solves the circular orbits'
    crossings in one fused pass (``skydc._accel.sunlight_numba``, the same arithmetic; for callers
    that already run on numba), ``"numpy"`` in NumPy batches.
    """
    choice("backend", backend, ("numpy", "numba"))
    solve = _refine_circular_numba if backend == "numba" else _refine_circular
    out = np.full(sat.shape, np.nan)
    if sat.size == 0:
        return out
    circular = elements.e[sat] == 0.0
    if circular.all():
        return solve(elements, sat, t0_s, t1_s, threshold)
    if circular.any():
        out[circular] = solve(elements, sat[circular], t0_s[circular], t1_s[circular], threshold)
        rest = ~circular
        out[rest] = _refine_grid(elements, sat[rest], t0_s[rest], t1_s[rest], threshold)
        return out
    return _refine_grid(elements, sat, t0_s, t1_s, threshold)


def _sun_steps(
    epoch_jd: float, t0_s: NDArray[np.float64], t1_s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The Sun (3, n_steps) at the middle of each distinct step, and each crossing's step."""
    mid, inverse = np.unique(0.5 * (t0_s + t1_s), return_inverse=True)
    return sun_position_teme_m(epoch_jd + mid / SECONDS_PER_DAY), inverse.ravel()


def _sun_per_step(
    epoch_jd: float, t0_s: NDArray[np.float64], t1_s: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The Sun at the middle of each crossing's step, evaluated once per distinct step (3, n)."""
    sun, index = _sun_steps(epoch_jd, t0_s, t1_s)
    return sun[:, index]


def _refine_circular_numba(
    elements: OrbitalElements,
    sat: NDArray[np.intp],
    t0_s: NDArray[np.float64],
    t1_s: NDArray[np.float64],
    threshold: float,
) -> NDArray[np.float64]:
    """:func:`_refine_circular` in the fused numba kernel (one pass, no batches)."""
    from skydc._accel.sunlight_numba import refine_circular

    el = elements.take(sat)
    raan_dot, argp_dot, m_dot = secular_rates(el.a_m, el.e, el.i_rad)
    arcs = {
        "a_m": el.a_m,
        "cos_i": np.cos(el.i_rad),
        "sin_i": np.sin(el.i_rad),
        "u_epoch_rad": el.argp_rad + el.mean_anomaly_rad,
        "u_rate_rad_s": argp_dot + m_dot,
        "node_epoch_rad": el.raan_rad,
        "node_rate_rad_s": raan_dot,
    }
    sun, index = _sun_steps(el.epoch_jd_utc, t0_s, t1_s)
    steps = (_GUESS_HALF_WIDTH_S, _NEAR_STEPS, _BISECTIONS, _FALSE_POSITION)
    return refine_circular(t0_s, t1_s, sun, index, arcs, threshold, steps)


class _Arc:
    """Sunlit fraction minus the threshold along circular orbits, ``tau`` after ``t0``."""

    def __init__(
        self,
        el: OrbitalElements,
        t0: NDArray[np.float64],
        r_sun: NDArray[np.float64],
        threshold: float,
    ):
        raan_dot, argp_dot, m_dot = secular_rates(el.a_m, el.e, el.i_rad)
        self.u_dot = argp_dot + m_dot
        self.u0 = el.argp_rad + el.mean_anomaly_rad + self.u_dot * t0
        self.node_dot = raan_dot
        self.node0 = el.raan_rad + raan_dot * t0
        self.cos_i, self.sin_i, self.a = np.cos(el.i_rad), np.sin(el.i_rad), el.a_m
        self.r_sun = r_sun
        self.threshold = threshold

    def __call__(self, tau: NDArray[np.float64]) -> NDArray[np.float64]:
        u = self.u0 + self.u_dot * tau
        node = self.node0 + self.node_dot * tau
        cu, su, cn, sn = np.cos(u), np.sin(u), np.cos(node), np.sin(node)
        ci = self.cos_i
        r = self.a * np.stack([cu * cn - su * ci * sn, cu * sn + su * ci * cn, su * self.sin_i])
        return sunlit_fraction(r, self.r_sun) - self.threshold

    def limb_tau(self, dt: NDArray[np.float64]) -> NDArray[np.float64]:
        """When the Sun's centre crosses the Earth's limb, the closed form [s after ``t0``].

        The satellite sees the Earth's centre at ``-r`` and its limb at the apparent radius
        ``b = asin(R_E / a)``: the Sun's centre is on the limb when ``r_hat . s_hat = -cos b``.
        With the node frozen at the step's middle, ``r_hat . s_hat = A cos u + B sin u``, so
        ``u = atan2(B, A) +- acos(-cos b / hypot(A, B))``; of the two roots (entry, exit) the
        one nearest the step's middle. Half of the solar disc is hidden there to within the
        limb's curvature (1e-5) and the Sun's parallax (~0.05 s of timing); NaN: no root.
        """
        s = self.r_sun / np.sqrt(np.einsum("ij,ij->j", self.r_sun, self.r_sun))
        node = self.node0 + self.node_dot * 0.5 * dt
        cn, sn = np.cos(node), np.sin(node)
        big_a = cn * s[0] + sn * s[1]
        big_b = self.cos_i * (cn * s[1] - sn * s[0]) + self.sin_i * s[2]
        amp = np.hypot(big_a, big_b)
        cos_b = np.sqrt(1.0 - (EARTH_MEAN_RADIUS_M / self.a) ** 2)
        with np.errstate(invalid="ignore"):
            delta = np.arccos(-cos_b / amp)  # NaN where the orbit never meets the limb
        phase = np.arctan2(big_b, big_a)
        mid = self.u0 + self.u_dot * 0.5 * dt
        best = np.full(dt.shape, np.nan)
        for root in (phase + delta, phase - delta):
            tau = 0.5 * dt + ((root - mid + np.pi) % (2.0 * np.pi) - np.pi) / self.u_dot
            nearer = ~(np.abs(tau - 0.5 * dt) >= np.abs(best - 0.5 * dt))
            best = np.where(np.isfinite(tau) & nearer, tau, best)
        return best

    def take(self, keep: NDArray[np.bool_]) -> _Arc:
        """The same arcs for the crossings ``keep`` only."""
        out = object.__new__(_Arc)
        for name, value in vars(self).items():
            setattr(out, name, value[..., keep] if isinstance(value, np.ndarray) else value)
        return out


def _refine_circular(
    elements: OrbitalElements,
    sat: NDArray[np.intp],
    t0_s: NDArray[np.float64],
    t1_s: NDArray[np.float64],
    threshold: float,
) -> NDArray[np.float64]:
    """Closed-form circular positions and root finding on the sunlit fraction (see above):
    the limb crossing in closed form, a +-0.5 s bracket around it, 1 Illinois step; where the
    bracket misses (grazing eclipses), bisections over the whole step."""
    out = np.full(sat.shape, np.nan)
    for start in range(0, sat.size, _BATCH):
        sl = slice(start, start + _BATCH)
        el = elements.take(sat[sl])
        t0, t1 = t0_s[sl], t1_s[sl]
        dt = t1 - t0
        g = _Arc(el, t0, _sun_per_step(el.epoch_jd_utc, t0, t1), threshold)
        guess = g.limb_tau(dt)
        lo = np.clip(np.nan_to_num(guess, nan=0.0) - _GUESS_HALF_WIDTH_S, 0.0, dt)
        hi = np.clip(np.nan_to_num(guess, nan=0.0) + _GUESS_HALF_WIDTH_S, 0.0, dt)
        g_lo, g_hi = g(lo), g(hi)
        near = np.isfinite(guess) & ((g_lo < 0) != (g_hi < 0))
        x = np.full(dt.shape, np.nan)
        x[near] = illinois(g.take(near), lo[near], hi[near], g_lo[near], g_hi[near], 0, _NEAR_STEPS)
        far = ~near
        if far.any():
            wide = g.take(far)
            lo_f, hi_f = np.zeros(int(far.sum())), dt[far]
            g0, g1 = wide(lo_f), wide(hi_f)
            has = (g0 < 0) != (g1 < 0)
            xf = illinois(wide, lo_f, hi_f, g0, g1, _BISECTIONS, _FALSE_POSITION)
            x[far] = np.where(has, xf, np.nan)
        out[sl] = t0 + x
    return out


def _refine_grid(
    elements: OrbitalElements,
    sat: NDArray[np.intp],
    t0_s: NDArray[np.float64],
    t1_s: NDArray[np.float64],
    threshold: float,
) -> NDArray[np.float64]:
    """Any orbit: the general J2 propagator on a fine grid inside each step, interpolated."""
    out = np.full(sat.shape, np.nan)
    dt = float(np.max(t1_s - t0_s))
    n_sub = max(2, int(np.ceil(dt / SUB_STEP_S)) + 1)
    tau = np.linspace(0.0, dt, n_sub)
    for start in range(0, sat.size, _BATCH):
        sl = slice(start, start + _BATCH)
        el = elements.take(sat[sl])
        t0 = t0_s[sl]
        raan_dot, argp_dot, m_dot = secular_rates(el.a_m, el.e, el.i_rad)
        shifted = OrbitalElements(
            a_m=el.a_m,
            e=el.e,
            i_rad=el.i_rad,
            raan_rad=el.raan_rad + raan_dot * t0,
            argp_rad=el.argp_rad + argp_dot * t0,
            mean_anomaly_rad=el.mean_anomaly_rad + m_dot * t0,
            epoch_jd_utc=el.epoch_jd_utc,
        )
        r = propagate_j2(shifted, tau)  # (3, n, n_sub), tau after each satellite's own t0
        r_sun = _sun_per_step(el.epoch_jd_utc, t0, t1_s[sl])  # (3, n)
        f = sunlit_fraction(r, r_sun[:, :, None])
        dark = f < threshold
        change = dark[:, 1:] != dark[:, :-1]
        has = change.any(axis=1)
        k = np.argmax(change, axis=1)  # first change on the fine grid
        rows = np.arange(f.shape[0])
        f0, f1 = f[rows, k], f[rows, k + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.clip(np.where(f0 != f1, (f0 - threshold) / (f0 - f1), 0.5), 0.0, 1.0)
        t_cross = t0 + tau[k] + w * (tau[1] - tau[0])
        inside = has & (t_cross <= t1_s[sl] + 1e-9)
        out[sl] = np.where(inside, t_cross, np.nan)
    return out
