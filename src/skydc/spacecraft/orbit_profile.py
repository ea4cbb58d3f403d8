"""One satellite through one design orbit: array power, load, battery state of charge and
radiator temperature, eclipse included.

The orbit starts at eclipse entry with a full battery. Model (SMAD 3rd ed., sec. 11.4, the same
energy balance :meth:`skydc.spacecraft.power.PowerSystem.size` sizes with):

* Array output: ``array_power_w`` in daylight (the sized array's end-of-life output), 0 in
  eclipse. The load is constant, day and night.
* Battery: in eclipse it delivers the load through its discharge efficiency ``n`` (SMAD's ``n``),
  so it loses ``load / n`` [W]; in daylight the array first carries the load through the
  daylight path (``load / X_d`` from the array), and the rest charges the battery through the
  eclipse path: the array energy ``P_e T_e / X_e`` SMAD eq. 11-5 sets aside restores the
  ``P_e T_e / n`` the battery gave, so the charge reaching the cells is ``(P - load / X_d) X_e / n``
  [W], until the battery is full (the rest is shunted). State of charge is the stored energy
  over the nameplate capacity; piecewise linear, so it is evaluated exactly, not integrated.
* Radiator: one lumped thermal capacitance ``C = m c`` [J/K] at a uniform temperature ``T``,
  ``C dT/dt = n_s eps sigma A (T_eq(t)^4 - T^4)``, where ``T_eq`` is the quasi-steady
  temperature that rejects the full heat load with the environment of that moment (sunlit or
  eclipsed, from :func:`skydc.spacecraft.thermal.radiator_equilibrium_temperature_k`): at
  ``T = T_eq`` emission equals heat load plus absorbed flux, so this is the same energy balance
  with the plate's heat capacity added. Solved exactly in the eclipse and daylight pieces
  (:func:`_relax_k`), from the periodic start (SciPy's ``brentq``: ``T(period) = T(0)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from skydc.constants import STEFAN_BOLTZMANN_W_M2_K4

__all__ = ["ALUMINIUM_SPECIFIC_HEAT_J_KG_K", "OrbitProfile", "orbit_profile"]

# Pure aluminium at 300 K: c_p = 903 J kg^-1 K^-1 (Incropera & DeWitt, Fundamentals of Heat and
# Mass Transfer, 6th ed., Table A.1). Radiator panels are aluminium facesheets and tubes.
ALUMINIUM_SPECIFIC_HEAT_J_KG_K = 903.0


@dataclass(frozen=True)
class OrbitProfile:
    """Samples through one orbit (arrays of one length) and the battery's extremes."""

    t_s: NDArray[np.float64]  # time since eclipse entry [s]
    sunlit: NDArray[np.bool_]
    array_power_w: NDArray[np.float64]
    load_w: NDArray[np.float64]
    battery_soc: NDArray[np.float64]  # stored energy / nameplate capacity, in [0, 1]
    radiator_temperature_k: NDArray[np.float64]
    soc_min: float  # at eclipse exit (exact)
    eclipse_energy_wh: float  # drawn from the battery in eclipse [Wh]


def _soc(
    t: NDArray[np.float64], te: float, drain_w: float, charge_w: float, capacity_j: float
) -> NDArray[np.float64]:
    """State of charge, full at t = 0: linear down in eclipse, linear up (to full) after."""
    low = 1.0 - drain_w * te / capacity_j
    down = 1.0 - drain_w * t / capacity_j
    up = np.minimum(1.0, low + charge_w * (t - te) / capacity_j)
    return np.where(t <= te, down, up)


def _relax_k(
    t0_k: float, target_k: float, k: float, t_s: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Temperature [K] at times ``t_s`` after starting at ``t0_k`` under
    ``dT/dt = k (a^4 - T^4)`` with ``a = target_k``: the exact solution.

    Why not an ODE solver: SciPy's ``solve_ivp`` inside the periodic-start root search took
    1.5 s per shell; this equation integrates in closed form (partial fractions,
    ``1/(a^4 - T^4) = (1/(a^2 - T^2) + 1/(a^2 + T^2)) / (2 a^2)``):
    ``G(T) = (artanh(T/a) + arctan(T/a)) / (2 a^3)`` (``arcoth`` above ``a``) and
    ``G(T(t)) = G(T0) + k t``; ``T(t)`` lies between ``T0`` and ``a`` and ``G`` is monotonic
    there, so 60 vectorised bisection steps find it to 1e-18 of ``a``.
    """
    t = np.asarray(t_s, dtype=np.float64)
    a = float(target_k)
    x0 = t0_k / a
    if x0 == 1.0 or k == 0.0:
        return np.full(t.shape, float(t0_k))

    def g(x: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return np.asarray(
                (0.5 * np.log(np.abs((1.0 + x) / (1.0 - x))) + np.arctan(x)) / (2.0 * a**3)
            )

    goal = g(np.asarray(x0)) + k * t
    lo = np.full(t.shape, min(x0, 1.0))
    hi = np.full(t.shape, max(x0, 1.0))
    rising = x0 < 1.0  # g increases with x below a, decreases above it
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = (g(mid) < goal) if rising else (g(mid) > goal)
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.asarray(a * 0.5 * (lo + hi))


def _radiator(
    t: NDArray[np.float64], te: float, period: float, t_eq: tuple[float, float], k: float
) -> NDArray[np.float64]:
    """Lumped radiator temperature [K] at times ``t`` (periodic steady state); ``t_eq`` =
    (eclipse, sunlit) equilibrium temperatures, ``k = n_s eps sigma A / C`` [K^-3 s^-1]."""
    from scipy.optimize import brentq

    t_ecl, t_sun = t_eq
    if te <= 0.0 or t_ecl == t_sun:
        return np.full(t.shape, t_sun if te <= 0.0 else t_ecl)
    d_ecl, d_sun = np.array([te]), np.array([period - te])

    def after_orbit(y0: float) -> float:
        y1 = float(_relax_k(y0, t_ecl, k, d_ecl)[0])
        return float(_relax_k(y1, t_sun, k, d_sun)[0]) - y0

    lo, hi = min(t_eq), max(t_eq)
    f_lo, f_hi = after_orbit(lo), after_orbit(hi)
    if f_lo * f_hi < 0:
        y0 = float(brentq(after_orbit, lo, hi, xtol=1e-9))
    else:  # the plate reaches equilibrium within a piece: that end is periodic already
        y0 = lo if abs(f_lo) <= abs(f_hi) else hi
    y1 = float(_relax_k(y0, t_ecl, k, d_ecl)[0])
    in_ecl = t <= te
    return np.where(
        in_ecl, _relax_k(y0, t_ecl, k, np.where(in_ecl, t, 0.0)),
        _relax_k(y1, t_sun, k, np.where(in_ecl, 0.0, t - te)),
    )  # fmt: skip


def orbit_profile(
    *,
    period_s: float,
    eclipse_s: float,
    array_power_w: float,
    load_w: float,
    battery_capacity_wh: float,
    discharge_efficiency: float,
    path_efficiencies: tuple[float, float],
    radiator_equilibrium_k: tuple[float, float],
    radiating_area_m2: float,
    emissivity: float,
    heat_capacity_j_k: float,
    n_samples: int = 360,
) -> OrbitProfile:
    """Array power, load, state of charge and radiator temperature through one orbit.

    Parameters
    ----------
    period_s, eclipse_s
        Orbital period and eclipse duration of the design orbit [s].
    array_power_w, load_w
        Array output in daylight and the constant bus load [W].
    battery_capacity_wh, discharge_efficiency
        Nameplate capacity [Wh] and battery-to-load efficiency ``n`` in (0, 1].
    path_efficiencies
        SMAD's ``(X_e, X_d)``: array-to-load efficiency through the battery and directly.
    radiator_equilibrium_k
        Quasi-steady radiator temperature [K] rejecting the heat load (eclipse, sunlit).
    radiating_area_m2, emissivity
        Radiating area (plate area times faces) [m^2] and IR emissivity.
    heat_capacity_j_k
        Radiator thermal capacitance ``m c`` [J/K].
    n_samples
        Samples in daylight and eclipse together; eclipse exit is always one of them (plus one).

    Returns
    -------
    OrbitProfile
        Module docstring: the model and its assumptions.
    """
    if not 0.0 <= eclipse_s < period_s:
        raise ValueError(f"eclipse_s must be in [0, period_s), got {eclipse_s} of {period_s}")
    if battery_capacity_wh <= 0.0 and eclipse_s > 0.0 and load_w > 0.0:
        raise ValueError("battery_capacity_wh must be positive when there is an eclipse")
    if n_samples < 4:
        raise ValueError(f"n_samples must be at least 4, got {n_samples}")
    xe, xd = path_efficiencies
    n = discharge_efficiency
    k_e = int(np.clip(round(n_samples * eclipse_s / period_s), 1 if eclipse_s > 0 else 0,
                      n_samples - 2))  # fmt: skip
    t = np.concatenate([
        np.linspace(0.0, eclipse_s, k_e + 1) if eclipse_s > 0 else np.zeros(0),
        np.linspace(eclipse_s, period_s, n_samples - k_e + 1)[1 if eclipse_s > 0 else 0:],
    ])  # fmt: skip
    sunlit = t > eclipse_s if eclipse_s > 0 else np.ones(t.size, dtype=bool)
    capacity_j = max(battery_capacity_wh, 1e-300) * 3600.0
    drain = load_w / n
    charge = max(array_power_w - load_w / xd, 0.0) * xe / n
    soc = _soc(t, eclipse_s, drain, charge, capacity_j)
    k = radiating_area_m2 * emissivity * STEFAN_BOLTZMANN_W_M2_K4 / heat_capacity_j_k
    temp = _radiator(t, eclipse_s, period_s, radiator_equilibrium_k, k)
    return OrbitProfile(
        t_s=t,
        sunlit=np.asarray(sunlit, dtype=bool),
        array_power_w=np.where(sunlit, array_power_w, 0.0),
        load_w=np.full(t.size, float(load_w)),
        battery_soc=soc,
        radiator_temperature_k=temp,
        soc_min=float(1.0 - drain * eclipse_s / capacity_j),
        eclipse_energy_wh=float(drain * eclipse_s / 3600.0),
    )
