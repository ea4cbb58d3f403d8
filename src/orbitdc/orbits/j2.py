"""Mean-element J2 propagator whose secular rates match SGP4's.

The elements are SGP4-style (Brouwer) *mean* elements in TEME. The mean semi-major axis ``a_m``
is the one sgp4 derives after ``sgp4init``: ``satrec.a * radiusearthkm``, i.e. the un-Kozai'd
("Brouwer") mean motion ``satrec.no_unkozai`` through Kepler's third law,
``n0 = sqrt(mu / a^3)``. From the same mean elements, orbitdc and sgp4 then advance the angles
at exactly the same secular rates, so the two stay together over days instead of drifting apart
along track. What orbitdc leaves out is periodic: the J2 short-period terms (a few km) and the J3
long-period term (a ~1e-3 eccentricity offset for near-circular orbits, up to ~7 km radial and
~15 km along track), plus drag and, for periods over 225 min, lunisolar terms.

References
----------
Vallado, D. A., Crawford, P., Hujsak, R., Kelso, T. S. (2006). Revisiting Spacetrack Report #3.
AIAA 2006-6753, Sec. "SGP4 initialisation" (secular rates ``mdot``, ``argpdot``, ``nodedot``).
Hoots, F. R., Roehrich, R. L. (1980). Spacetrack Report No. 3, Sec. 6 (SGP4), Eqs. for
M-dot, omega-dot, Omega-dot with the J2^2 and J4 terms of Brouwer (1959).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from orbitdc.constants import EARTH_J2, EARTH_J4, EARTH_MU_M3_S2, EARTH_RADIUS_M

__all__ = ["secular_rates"]


def secular_rates(
    a_m: ArrayLike, e: ArrayLike, i_rad: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Secular rates of node, perigee and mean anomaly under J2, J2^2 and J4 (SGP4's).

    With the Brouwer mean motion :math:`n_0 = \\sqrt{\\mu / a^3}`, :math:`\\beta = \\sqrt{1-e^2}`,
    :math:`p = a \\beta^2`, :math:`c = \\cos i` and

    .. math::

        k_1 = \\tfrac32 J_2 (R/p)^2 n_0, \\quad
        k_2 = \\tfrac34 J_2^2 (R/p)^4 n_0, \\quad
        k_4 = -\\tfrac{15}{32} J_4 (R/p)^4 n_0,

    the rates are (Hoots & Roehrich 1980, Sec. 6; Vallado et al. 2006):

    .. math::

        \\dot M &= n_0 + \\tfrac12 k_1 \\beta (3c^2 - 1)
                  + \\tfrac1{16} k_2 \\beta (13 - 78 c^2 + 137 c^4) \\\\
        \\dot\\omega &= -\\tfrac12 k_1 (1 - 5c^2) + \\tfrac1{16} k_2 (7 - 114 c^2 + 395 c^4)
                       + k_4 (3 - 36 c^2 + 49 c^4) \\\\
        \\dot\\Omega &= \\left[-k_1 + \\tfrac12 k_2 (4 - 19 c^2) + 2 k_4 (3 - 7 c^2)\\right] c

    Drag (B* = 0) and the deep-space (period > 225 min) lunisolar rates are not included.
    At first order in J2 these reduce to the classical rates, e.g.
    :math:`\\dot\\Omega = -\\tfrac32 J_2 (R/p)^2 n_0 \\cos i`.

    Parameters
    ----------
    a_m : array_like
        Brouwer mean semi-major axis [m] (sgp4's ``satrec.a * radiusearthkm * 1000``).
    e : array_like
        Mean eccentricity [-], 0 <= e < 1.
    i_rad : array_like
        Mean inclination [rad].

    Returns
    -------
    raan_dot_rad_s, argp_dot_rad_s, mean_anomaly_dot_rad_s : ndarray
        Secular rates [rad s^-1], broadcast shape of the inputs. ``mean_anomaly_dot_rad_s``
        includes the mean motion :math:`n_0`.
    """
    a = np.asarray(a_m, dtype=float)
    ecc = np.asarray(e, dtype=float)
    c = np.cos(np.asarray(i_rad, dtype=float))
    c2 = c * c
    c4 = c2 * c2
    n0 = np.sqrt(EARTH_MU_M3_S2 / (a * a * a))
    beta2 = 1.0 - ecc * ecc
    beta = np.sqrt(beta2)
    r_over_p2 = (EARTH_RADIUS_M / (a * beta2)) ** 2
    k1 = 1.5 * EARTH_J2 * r_over_p2 * n0
    k2 = 0.5 * k1 * EARTH_J2 * r_over_p2
    k4 = -0.46875 * EARTH_J4 * r_over_p2 * r_over_p2 * n0

    mean_anomaly_dot = n0 + beta * (
        0.5 * k1 * (3.0 * c2 - 1.0) + 0.0625 * k2 * (13.0 - 78.0 * c2 + 137.0 * c4)
    )
    argp_dot = (
        -0.5 * k1 * (1.0 - 5.0 * c2)
        + 0.0625 * k2 * (7.0 - 114.0 * c2 + 395.0 * c4)
        + k4 * (3.0 - 36.0 * c2 + 49.0 * c4)
    )
    raan_dot = (-k1 + 0.5 * k2 * (4.0 - 19.0 * c2) + 2.0 * k4 * (3.0 - 7.0 * c2)) * c
    return raan_dot, argp_dot, mean_anomaly_dot
