"""Eclipse seasons of circular orbits: beta angle and eclipse duration day by day.

Per day, the orbit plane's RAAN is advanced at the J2 secular nodal rate (SGP4's, from
:func:`skydc.orbits.j2.secular_rates`), the Sun direction comes from
:func:`skydc.environment.sun.sun_direction_teme`, the beta angle from
:func:`skydc.environment.shadow.beta_angle_rad`, and the eclipse duration per orbit is the
cylindrical-shadow fraction (:func:`skydc.environment.shadow.eclipse_fraction_circular`) times
the draconic period (node to node, :math:`2\\pi / (\\dot M + \\dot\\omega)`).

This answers "does this orbit plane have an eclipse season, when, and how long is the longest
eclipse" at the cost of one Sun evaluation per day. The cylindrical shadow ignores the penumbra
(a few seconds per pass in LEO), so season edges are good to about a day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import EARTH_MEAN_RADIUS_M, EARTH_RADIUS_M, SECONDS_PER_DAY
from skydc.environment.shadow import beta_angle_rad, eclipse_fraction_circular
from skydc.environment.sun import sun_direction_teme
from skydc.orbits.constellation import raan_from_ltan_rad, sso_inclination_rad
from skydc.orbits.j2 import secular_rates

__all__ = ["EclipseSeasons", "eclipse_seasons"]


@dataclass(frozen=True)
class EclipseSeasons:
    """Beta angle and eclipse duration per orbit, per plane and day.

    Attributes
    ----------
    day_offsets : ndarray, shape (n_days,)
        Days after the epoch [d].
    beta_deg : ndarray, shape (n_planes, n_days)
        Beta angle [deg].
    eclipse_s : ndarray, shape (n_planes, n_days)
        Time in the Earth's (cylindrical) shadow per orbit [s]; 0 outside eclipse seasons.
    period_s : ndarray, shape (n_planes,)
        Draconic (node-to-node) period [s].
    step_days : float
        Sampling step [d].
    """

    day_offsets: NDArray[np.float64]
    beta_deg: NDArray[np.float64]
    eclipse_s: NDArray[np.float64]
    period_s: NDArray[np.float64]
    step_days: float

    @property
    def days_with_eclipse(self) -> NDArray[np.float64]:
        """Days in the window with eclipses, per plane [d] (days/yr for the default year)."""
        return np.count_nonzero(self.eclipse_s > 0.0, axis=1) * self.step_days

    @property
    def longest_eclipse_s(self) -> NDArray[np.float64]:
        """Longest eclipse per orbit over the window, per plane [s]."""
        return np.max(self.eclipse_s, axis=1, initial=0.0)

    @property
    def eclipse_fraction(self) -> NDArray[np.float64]:
        """Fraction of each orbit in shadow, (n_planes, n_days) [-]."""
        return self.eclipse_s / self.period_s[:, None]


def eclipse_seasons(
    a_m: ArrayLike,
    i_rad: ArrayLike,
    raan_rad: ArrayLike,
    epoch_jd_utc: float,
    days: float = 365,
    step_days: float = 1.0,
    earth_radius_m: float = EARTH_MEAN_RADIUS_M,
) -> EclipseSeasons:
    """Eclipse seasons of circular orbit planes over ``days`` from ``epoch_jd_utc``.

    .. math::

        \\Omega(t) = \\Omega_0 + \\dot\\Omega_{J2}\\, t,\\quad
        \\sin\\beta(t) = \\hat h(\\Omega(t), i) \\cdot \\hat s(t),\\quad
        t_{ecl}(t) = f_E(\\beta(t), a)\\; 2\\pi / (\\dot M + \\dot\\omega)

    with :math:`f_E` the cylindrical-shadow eclipse fraction (Rickman, NASA TFAWS; see
    :func:`skydc.environment.shadow.eclipse_fraction_circular`) and the secular rates of
    :func:`skydc.orbits.j2.secular_rates` at e = 0.

    Parameters
    ----------
    a_m : array_like
        Orbit radius (mean semi-major axis) [m], shape ``(n_planes,)`` or scalar.
    i_rad : array_like
        Inclination [rad], TEME, broadcast with ``a_m``.
    raan_rad : array_like
        Right ascension of the ascending node at the epoch [rad], TEME, broadcast with ``a_m``.
    epoch_jd_utc : float
        Epoch, Julian date UTC [days].
    days : float
        Length of the window [d]; samples at ``arange(0, days, step_days)``.
    step_days : float
        Sampling step [d].
    earth_radius_m : float
        Radius of the shadowing sphere [m].

    Returns
    -------
    EclipseSeasons
        Arrays per plane and day, with ``days_with_eclipse`` and ``longest_eclipse_s``.
    """
    if not (days > 0 and step_days > 0):
        raise ValueError(f"days and step_days must be positive; got {days}, {step_days}")
    a, inc, raan0 = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (a_m, i_rad, raan_rad))
    )
    if a.ndim != 1:
        raise ValueError("a_m, i_rad and raan_rad must be scalars or 1-D (n_planes,)")
    if np.any(a <= earth_radius_m):
        raise ValueError("a_m must exceed earth_radius_m (orbit radius, not altitude)")
    day_offsets = np.arange(0.0, days, step_days)
    raan_dot, argp_dot, m_dot = secular_rates(a, 0.0, inc)
    period_s = 2.0 * np.pi / (m_dot + argp_dot)
    raan = raan0[:, None] + raan_dot[:, None] * (day_offsets * SECONDS_PER_DAY)
    sun = sun_direction_teme(epoch_jd_utc + day_offsets)
    beta = beta_angle_rad(raan, inc[:, None], sun)
    frac = eclipse_fraction_circular(beta, a[:, None], earth_radius_m=earth_radius_m)
    return EclipseSeasons(
        day_offsets=day_offsets,
        beta_deg=np.rad2deg(beta),
        eclipse_s=frac * period_s[:, None],
        period_s=period_s,
        step_days=float(step_days),
    )


def sso_eclipse_free_altitude_km(
    ltan_h: float,
    epoch_jd_utc: float,
    altitudes_km: ArrayLike | None = None,
    days: float = 365,
    step_days: float = 1.0,
) -> float:
    """Lowest altitude [km] at which a circular sun-synchronous orbit with this LTAN sees no
    eclipse on any day of the year (cylindrical shadow, as :func:`eclipse_seasons`).

    Every altitude of the grid (default 400-4,000 km every 5 km) is surveyed at once as one
    "plane"; NaN if every altitude of the grid is eclipsed on some day. Far higher, the
    sun-synchronous inclination grows and eclipses return: the eclipse-free orbits are a band.
    For a dawn-dusk orbit (06:00/18:00) the threshold is about 1,380 km: the solstice Sun stands
    23.4 deg off the equator and the orbit normal is tilted by the inclination's excess over
    90 deg, so the smallest beta angle stays below the shadow's angular radius until then.
    """

    h = np.arange(400.0, 4000.0 + 1e-9, 5.0) if altitudes_km is None else np.asarray(altitudes_km)
    a = EARTH_RADIUS_M + h * 1e3
    i = sso_inclination_rad(a)
    raan = np.full(h.shape, float(raan_from_ltan_rad(ltan_h, epoch_jd_utc)))
    seasons = eclipse_seasons(a, i, raan, epoch_jd_utc, days=days, step_days=step_days)
    free = ~np.any(np.asarray(seasons.eclipse_s) > 0.0, axis=1)
    return float(h[np.argmax(free)]) if free.any() else float("nan")
