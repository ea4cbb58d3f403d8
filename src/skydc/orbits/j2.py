"""Mean-element J2 propagator whose secular rates match SGP4's.

The elements are SGP4-style (Brouwer) *mean* elements in TEME. The mean semi-major axis ``a_m``
is the one sgp4 derives after ``sgp4init``: ``satrec.a * radiusearthkm``, i.e. the un-Kozai'd
("Brouwer") mean motion ``satrec.no_unkozai`` through Kepler's third law,
``n0 = sqrt(mu / a^3)``. From the same mean elements, skydc and sgp4 then advance the angles
at exactly the same secular rates, so the two stay together over days instead of drifting apart
along track. What skydc leaves out is periodic: the J2 short-period terms (a few km) and the J3
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

from skydc.constants import EARTH_J2, EARTH_J4, EARTH_MU_M3_S2, EARTH_RADIUS_M
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.kepler import solve_kepler

__all__ = ["propagate_j2", "propagate_j2_rv", "secular_rates"]


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
        includes the mean motion :math:`n_0`. NaN where ``a_m <= 0`` or ``e`` is outside
        ``[0, 1)``.
    """
    a, ecc, inc = (np.asarray(x, dtype=float) for x in (a_m, e, i_rad))
    if a.size >= _UNIFORM_MIN_SIZE and all(_uniform(x) for x in (a, ecc, inc)):
        # a shell's satellites share a, e and i: one evaluation, broadcast (~20 ms per 1e5)
        shape = np.broadcast_shapes(a.shape, ecc.shape, inc.shape)
        one = _secular_rates(a.ravel()[:1], ecc.ravel()[:1], inc.ravel()[:1])
        return np.full(shape, one[0][0]), np.full(shape, one[1][0]), np.full(shape, one[2][0])
    return _secular_rates(a, ecc, inc)


_UNIFORM_MIN_SIZE = 64  # below this, the check costs more than it saves


def _uniform(x: NDArray[np.float64]) -> bool:
    """Every element equal (and none NaN)."""
    return x.size <= 1 or bool(x.min() == x.max())


def _secular_rates(
    a_m: NDArray[np.float64], e: NDArray[np.float64], i_rad: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`secular_rates` element by element."""
    n0, beta, k1, k2, k4 = _zonal_factors(a_m, e)
    c = np.cos(i_rad)
    c2 = c * c
    c4 = c2 * c2

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


def _zonal_factors(
    a_m: ArrayLike, e: ArrayLike
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """``n0, beta, k1, k2, k4`` of :func:`secular_rates` (NaN for a <= 0 or e outside [0, 1))."""
    a = np.asarray(a_m, dtype=float)
    ecc = np.asarray(e, dtype=float)
    # Out-of-domain elements give NaN (no warnings, no exceptions mid-batch).
    a = np.where(a > 0.0, a, np.nan)
    ecc = np.where((ecc >= 0.0) & (ecc < 1.0), ecc, np.nan)
    n0 = np.sqrt(EARTH_MU_M3_S2 / (a * a * a))
    beta2 = 1.0 - ecc * ecc
    r_over_p2 = (EARTH_RADIUS_M / (a * beta2)) ** 2
    k1 = 1.5 * EARTH_J2 * r_over_p2 * n0
    k2 = 0.5 * k1 * EARTH_J2 * r_over_p2
    k4 = -0.46875 * EARTH_J4 * r_over_p2 * r_over_p2 * n0
    return n0, np.sqrt(beta2), k1, k2, k4


def propagate_j2(elements: OrbitalElements, t_s: ArrayLike) -> NDArray[np.float64]:
    r"""TEME positions from mean elements advanced at the J2 secular rates.

    The angles advance linearly, :math:`\Omega(t) = \Omega_0 + \dot\Omega t`,
    :math:`\omega(t) = \omega_0 + \dot\omega t`, :math:`M(t) = M_0 + \dot M t`, with the
    rates of :func:`secular_rates`; ``a``, ``e`` and ``i`` stay constant. The position is the
    Keplerian one of the osculating-equals-mean ellipse (Vallado 2013, Alg. 10, COE2RV):

    .. math::

        \mathbf r = a (\cos E - e)\, \mathbf P + a \sqrt{1 - e^2} \sin E\, \mathbf Q

    with :math:`E` from Kepler's equation and the perifocal unit vectors
    :math:`\mathbf P, \mathbf Q` of :math:`(\Omega, \omega, i)`. Periodic perturbations are
    left out (see the module docstring): against sgp4 from the same mean elements (B* = 0) the
    difference stays below 17 km over a day in LEO (measured 12.1 km at 550 km / 53 deg,
    16.7 km at 550 km SSO, 16.6 km at 1,200 km / 87.9 deg), with no secular growth. Circular
    sets (all ``e == 0``) take a shorter path: angle from the node, no Kepler equation.

    Parameters
    ----------
    elements : OrbitalElements
        Mean elements of ``n_sat`` satellites (SGP4/Brouwer convention).
    t_s : array_like
        Times since ``elements.epoch_jd_utc`` [s], shape ``(n_time,)`` (a scalar is one time).

    Returns
    -------
    ndarray
        Position in TEME [m], shape ``(3, n_sat, n_time)``. NaN for satellites whose elements
        are out of domain (``a <= 0``, ``e`` outside ``[0, 1)``).
    """
    r, _ = _propagate(elements, t_s, with_velocity=False)
    return r


def propagate_j2_rv(
    elements: OrbitalElements, t_s: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""TEME position and velocity from mean elements advanced at the J2 secular rates.

    The position is that of :func:`propagate_j2`; the velocity is its exact time derivative,

    .. math::

        \dot{\mathbf r} = \frac{\dot M}{n_0} \mathbf v_\mathrm{K}
            + (\dot\omega\, \hat{\mathbf h} + \dot\Omega\, \hat{\mathbf z}) \times \mathbf r,

    where :math:`\mathbf v_\mathrm{K} = \frac{a n_0}{1 - e\cos E}
    (-\sin E\, \mathbf P + \sqrt{1-e^2}\cos E\, \mathbf Q)` is the Keplerian velocity and
    :math:`\hat{\mathbf h}` the orbit normal (turning the ellipse in its plane, then about the
    pole).

    Parameters
    ----------
    elements : OrbitalElements
        Mean elements of ``n_sat`` satellites (SGP4/Brouwer convention).
    t_s : array_like
        Times since ``elements.epoch_jd_utc`` [s], shape ``(n_time,)``.

    Returns
    -------
    r_m, v_m_s : ndarray
        Position [m] and velocity [m s^-1] in TEME, each shape ``(3, n_sat, n_time)``.
    """
    r, v = _propagate(elements, t_s, with_velocity=True)
    assert v is not None
    return r, v


def _propagate(
    elements: OrbitalElements, t_s: ArrayLike, *, with_velocity: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    if t.ndim != 1:
        raise ValueError(f"t_s must be a scalar or 1-D array of seconds, got shape {t.shape}")
    a = np.asarray(elements.a_m, dtype=float)[:, None]
    ecc = np.asarray(elements.e, dtype=float)
    ecc = np.where((ecc >= 0.0) & (ecc < 1.0), ecc, np.nan)[:, None]
    inc = np.asarray(elements.i_rad, dtype=float)
    raan_dot, argp_dot, m_dot = (x[:, None] for x in secular_rates(elements.a_m, ecc[:, 0], inc))
    cos_i = np.cos(inc)[:, None]
    sin_i = np.sin(inc)[:, None]

    raan = np.asarray(elements.raan_rad, dtype=float)[:, None] + raan_dot * t
    cos_o, sin_o = np.cos(raan), np.sin(raan, out=raan)
    circular = not np.any(elements.e)
    if circular:
        # e = 0: measure the in-orbit angle from the node, u = omega + M, so P is the node
        # direction and Q = h x P; two fewer sin/cos per point and no Kepler equation.
        arg_lat = (
            np.asarray(elements.argp_rad, dtype=float)[:, None]
            + np.asarray(elements.mean_anomaly_rad, dtype=float)[:, None]
        )
        arg_lat = arg_lat + (argp_dot + m_dot) * t
        cos_e = np.cos(arg_lat)
        sin_e = np.sin(arg_lat, out=arg_lat)
        zero = np.zeros((1, 1))
        p_vec = (cos_o, sin_o, zero)
        q_vec = (-sin_o * cos_i, cos_o * cos_i, sin_i)
        x_pf = a * cos_e
        y_pf = a * sin_e
    else:
        argp = np.asarray(elements.argp_rad, dtype=float)[:, None] + argp_dot * t
        mean_anom = np.asarray(elements.mean_anomaly_rad, dtype=float)[:, None] + m_dot * t
        ecc_anom = solve_kepler(mean_anom, ecc)
        del mean_anom
        cos_e = np.cos(ecc_anom)
        sin_e = np.sin(ecc_anom, out=ecc_anom)
        cos_w, sin_w = np.cos(argp), np.sin(argp, out=argp)
        # Perifocal unit vectors P (to perigee) and Q, Vallado 2013 Eq. 2-100 (rotation
        # ROT3(-Omega) ROT1(-i) ROT3(-omega)); the cos_i products reused.
        ci_sw = cos_i * sin_w
        ci_cw = cos_i * cos_w
        p_vec = (cos_o * cos_w - sin_o * ci_sw, sin_o * cos_w + cos_o * ci_sw, sin_i * sin_w)
        q_vec = (-cos_o * sin_w - sin_o * ci_cw, -sin_o * sin_w + cos_o * ci_cw, sin_i * cos_w)
        del ci_sw, ci_cw, cos_w, sin_w
        beta = np.sqrt(1.0 - ecc * ecc)
        x_pf = a * (cos_e - ecc)  # perifocal coordinates [m]
        y_pf = (a * beta) * sin_e

    n_sat, n_time = x_pf.shape
    r = np.empty((3, n_sat, n_time))
    for k in range(3):  # the three components, not satellites or times
        np.multiply(x_pf, p_vec[k], out=r[k])
        r[k] += y_pf * q_vec[k]
    if not with_velocity:
        return r, None

    # Keplerian velocity scaled to the secular mean-anomaly rate, then the frame turning.
    if circular:
        vx_pf = (-a * m_dot) * sin_e
        vy_pf = (a * m_dot) * cos_e
    else:
        speed = (a * m_dot) / (1.0 - ecc * cos_e)  # a Mdot / (1 - e cos E) [m s^-1]
        vx_pf = -speed * sin_e
        vy_pf = speed * beta * cos_e
    # w = argp_dot * h_hat + raan_dot * z_hat, h_hat = (sin O sin i, -cos O sin i, cos i)
    w_x = argp_dot * sin_i * sin_o
    w_y = -argp_dot * sin_i * cos_o
    w_z = argp_dot * cos_i + raan_dot
    v = np.empty_like(r)
    for k in range(3):
        np.multiply(vx_pf, p_vec[k], out=v[k])
        v[k] += vy_pf * q_vec[k]
    v[0] += w_y * r[2] - w_z * r[1]
    v[1] += w_z * r[0] - w_x * r[2]
    v[2] += w_x * r[1] - w_y * r[0]
    return r, v
