"""Reference frames: TEME (inertial), PEF/"ECEF" (Earth-fixed) and WGS-84 geodetic coordinates.

Frame choices
-------------
* **TEME** (true equator, mean equinox of date) is skydc's inertial frame: it is what SGP4
  and every TLE/OMM use, so sgp4 output needs no conversion.
* **ECEF** here is the pseudo-Earth-fixed frame PEF: TEME rotated about the z axis by the
  Greenwich mean sidereal time (IAU-82 GMST), exactly Vallado's ``teme2ecef`` without polar
  motion (polar motion is < 0.5 arcsec, ~15 m at the surface). Strictly TEME -> PEF uses GMST
  (not the apparent sidereal time), because TEME's x axis is the *mean* equinox on the true
  equator (Vallado et al. 2006, Sec. "TEME"). UT1 is taken equal to UTC (< 0.9 s, < 0.4 km at
  the surface); callers pass the UTC Julian date as ``jd_ut1``.
* **Geodetic** latitude, longitude and height are on the WGS-84 ellipsoid (NIMA TR8350.2),
  used for ground stations and sub-satellite points.

Array layout: positions are component-first, ``(3, ...)``; for a time series the time axis is
the last one, ``(3, n_sat, n_time)``, and ``jd_ut1`` of shape ``(n_time,)`` broadcasts over it.

References
----------
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., Eq. 3-47
(GMST, IAU-82) and Sec. 3.7 (ECEF); Vallado, Crawford, Hujsak, Kelso (2006), AIAA 2006-6753,
``teme2ecef``. Heikkinen, M. (1982). Geschlossene Formeln zur Berechnung räumlicher
geodätischer Koordinaten aus rechtwinkligen Koordinaten. Z. Vermess. 107, 207-211 (closed-form
ECEF to geodetic).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import (
    DAYS_PER_JULIAN_CENTURY,
    EARTH_ROTATION_RAD_S,
    JD_J2000,
    SECONDS_PER_DAY,
    WGS84_EQUATORIAL_RADIUS_M,
    WGS84_FLATTENING,
)

__all__ = [
    "ecef_to_geodetic",
    "ecef_to_teme",
    "geodetic_to_ecef",
    "gmst_rad",
    "teme_to_ecef",
    "teme_to_ecef_rv",
]

_TWO_PI = 2.0 * np.pi
# WGS-84 derived quantities (NIMA TR8350.2 Table 3.3 relations).
_A = WGS84_EQUATORIAL_RADIUS_M
_B = _A * (1.0 - WGS84_FLATTENING)  # polar radius [m]
_E2 = WGS84_FLATTENING * (2.0 - WGS84_FLATTENING)  # first eccentricity squared
_EP2 = _E2 / (1.0 - _E2)  # second eccentricity squared


def gmst_rad(jd_ut1: ArrayLike, jd_frac: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Greenwich mean sidereal time, IAU-82 (as sgp4/Vallado ``gstime``).

    .. math::

        \\theta_\\mathrm{GMST} = 67310.54841\\,\\mathrm{s} + (876600\\,\\mathrm{h} +
        8640184.812866\\,\\mathrm{s})\\, T + 0.093104\\,\\mathrm{s}\\, T^2
        - 6.2\\times10^{-6}\\,\\mathrm{s}\\, T^3,

    :math:`T = (JD_{UT1} - 2451545.0)/36525`, seconds of time converted at
    :math:`2\\pi/86400` rad/s (Vallado 2013, Eq. 3-47). The whole-revolution term
    :math:`876600\\,\\mathrm{h}\\, T` is taken as the fraction of the day count, which keeps
    full precision far from J2000.

    Parameters
    ----------
    jd_ut1 : array_like
        Julian date, UT1 [days] (skydc passes UTC: UT1 = UTC).
    jd_frac : array_like
        A fraction of a day added to ``jd_ut1`` [days]: pass the date as (whole day, fraction)
        to keep it to picoseconds (:func:`skydc.timescale.jd_utc_split`).

    Returns
    -------
    ndarray
        GMST [rad] in [0, 2 pi), the shape of ``jd_ut1``.
    """
    days = (np.asarray(jd_ut1, dtype=float) - JD_J2000) + np.asarray(jd_frac, dtype=float)
    t = days / DAYS_PER_JULIAN_CENTURY
    seconds = 67310.54841 + t * (8640184.812866 + t * (0.093104 - 6.2e-6 * t))
    # 876600 h T = 86400 s per day since J2000: one turn per day -> keep the day fraction only.
    turns = (days - np.floor(days)) + seconds / SECONDS_PER_DAY
    return _TWO_PI * (turns - np.floor(turns))


def _rotate_z(r_m: ArrayLike, angle_rad: NDArray[np.float64]) -> NDArray[np.float64]:
    """Components of ``r`` in a frame turned by ``angle`` about z (passive rotation ROT3)."""
    r = np.asarray(r_m, dtype=float)
    if r.shape[:1] != (3,):
        raise ValueError(f"positions must be component-first, shape (3, ...); got {r.shape}")
    c = np.cos(angle_rad)
    s = np.sin(angle_rad)
    out = np.empty((3, *np.broadcast_shapes(r.shape[1:], c.shape)))
    x, y = out[0, ...], out[1, ...]  # views, also when they are 0-d
    np.multiply(c, r[0], out=x)
    x += s * r[1]
    np.multiply(c, r[1], out=y)
    y -= s * r[0]
    out[2, ...] = r[2]
    return out


def teme_to_ecef(
    r_teme_m: ArrayLike, jd_ut1: ArrayLike, jd_frac: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """TEME position to Earth-fixed (PEF) position: :math:`\\mathbf r_{PEF} = R_3(\\theta)
    \\mathbf r_{TEME}`, :math:`\\theta` = GMST (Vallado et al. 2006, ``teme2ecef``).

    Parameters
    ----------
    r_teme_m : array_like
        Position in TEME [m], shape ``(3, ..., n_time)`` (or ``(3,)``/``(3, n)`` with a scalar
        date).
    jd_ut1 : array_like
        Julian date UT1 [days], scalar or shape ``(n_time,)``: broadcast over the *last* axis.
    jd_frac : array_like
        Fraction of a day added to ``jd_ut1`` (see :func:`gmst_rad`).

    Returns
    -------
    ndarray
        Position in ECEF (PEF) [m], same shape as ``r_teme_m``.
    """
    return _rotate_z(r_teme_m, gmst_rad(jd_ut1, jd_frac))


def ecef_to_teme(r_ecef_m: ArrayLike, jd_ut1: ArrayLike) -> NDArray[np.float64]:
    """Earth-fixed (PEF) position to TEME, the inverse of :func:`teme_to_ecef`.

    Parameters
    ----------
    r_ecef_m : array_like
        Position in ECEF (PEF) [m], shape ``(3, ..., n_time)``.
    jd_ut1 : array_like
        Julian date UT1 [days], scalar or ``(n_time,)``, broadcast over the last axis.

    Returns
    -------
    ndarray
        Position in TEME [m], same shape.
    """
    return _rotate_z(r_ecef_m, -gmst_rad(jd_ut1))


def teme_to_ecef_rv(
    r_teme_m: ArrayLike, v_teme_m_s: ArrayLike, jd_ut1: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """TEME position and velocity to Earth-fixed (PEF).

    :math:`\\mathbf v_{PEF} = R_3(\\theta)\\mathbf v_{TEME} - \\boldsymbol\\omega_\\oplus
    \\times \\mathbf r_{PEF}` (Vallado et al. 2006, ``teme2ecef``; Earth rate from IERS).

    Parameters
    ----------
    r_teme_m, v_teme_m_s : array_like
        Position [m] and velocity [m s^-1] in TEME, shape ``(3, ..., n_time)``.
    jd_ut1 : array_like
        Julian date UT1 [days], broadcast over the last axis.

    Returns
    -------
    r_ecef_m, v_ecef_m_s : ndarray
        Position [m] and velocity [m s^-1] in ECEF (PEF).
    """
    theta = gmst_rad(jd_ut1)
    r = _rotate_z(r_teme_m, theta)
    v = _rotate_z(v_teme_m_s, theta)
    v[0] += EARTH_ROTATION_RAD_S * r[1]
    v[1] -= EARTH_ROTATION_RAD_S * r[0]
    return r, v


def geodetic_to_ecef(
    lat_rad: ArrayLike, lon_rad: ArrayLike, alt_m: ArrayLike
) -> NDArray[np.float64]:
    """WGS-84 geodetic coordinates to ECEF position.

    .. math::

        N = \\frac{a}{\\sqrt{1 - e^2 \\sin^2\\varphi}}, \\quad
        \\mathbf r = ((N + h)\\cos\\varphi\\cos\\lambda,\\ (N + h)\\cos\\varphi\\sin\\lambda,\\
        (N (1 - e^2) + h)\\sin\\varphi)

    (Vallado 2013, Eq. 3-14; NIMA TR8350.2 Eq. 4-14).

    Parameters
    ----------
    lat_rad, lon_rad : array_like
        Geodetic latitude and longitude [rad].
    alt_m : array_like
        Height above the ellipsoid [m].

    Returns
    -------
    ndarray
        ECEF position [m], shape ``(3, *broadcast shape)``.
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    h = np.asarray(alt_m, dtype=float)
    sin_lat = np.sin(lat)
    cos_lat = np.cos(lat)
    n = _A / np.sqrt(1.0 - _E2 * sin_lat * sin_lat)
    rho = (n + h) * cos_lat
    shape = np.broadcast_shapes(lat.shape, lon.shape, h.shape)
    out = np.empty((3, *shape))
    out[0] = rho * np.cos(lon)
    out[1] = rho * np.sin(lon)
    out[2] = (n * (1.0 - _E2) + h) * sin_lat
    return out


def ecef_to_geodetic(
    r_ecef_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """ECEF position to WGS-84 geodetic latitude, longitude and height, in closed form.

    Heikkinen's (1982) exact solution: with :math:`p = \\sqrt{x^2+y^2}`,
    :math:`F = 54 b^2 z^2`, :math:`G = p^2 + (1-e^2) z^2 - e^2 (a^2 - b^2)`,
    :math:`c = e^4 F p^2 / G^3`, :math:`s = \\sqrt[3]{1 + c + \\sqrt{c^2 + 2c}}`,
    :math:`P = F / (3 (s + 1/s + 1)^2 G^2)`, :math:`Q = \\sqrt{1 + 2 e^4 P}`,

    .. math::

        r_0 = -\\frac{P e^2 p}{1+Q} + \\sqrt{\\tfrac12 a^2 (1 + 1/Q)
              - \\frac{P (1-e^2) z^2}{Q (1+Q)} - \\tfrac12 P p^2},

    :math:`U, V = \\sqrt{(p - e^2 r_0)^2 + z^2},\\ \\sqrt{(p - e^2 r_0)^2 + (1-e^2) z^2}`,
    :math:`z_0 = b^2 z / (a V)`, then :math:`h = U (1 - b^2/(aV))`,
    :math:`\\varphi = \\operatorname{atan2}(z + e'^2 z_0, p)`,
    :math:`\\lambda = \\operatorname{atan2}(y, x)`. Exact (no iteration; sub-millimetre in
    float64) for points more than ~50 km from the Earth's centre: the whole range from the
    ground to beyond GEO. Not valid in the deep interior (NaN there).

    Parameters
    ----------
    r_ecef_m : array_like
        ECEF position [m], shape ``(3, ...)``.

    Returns
    -------
    lat_rad, lon_rad, alt_m : ndarray
        Geodetic latitude [rad] in [-pi/2, pi/2], longitude [rad] in (-pi, pi] and height
        above the WGS-84 ellipsoid [m], each shape ``r_ecef_m.shape[1:]``.
    """
    r = np.asarray(r_ecef_m, dtype=float)
    if r.shape[:1] != (3,):
        raise ValueError(f"positions must be component-first, shape (3, ...); got {r.shape}")
    x, y, z = r[0], r[1], r[2]
    p2 = x * x + y * y
    p = np.sqrt(p2)
    z2 = z * z
    f = (54.0 * _B * _B) * z2
    g = p2 + (1.0 - _E2) * z2 - _E2 * (_A * _A - _B * _B)
    c = (_E2 * _E2) * f * p2 / (g * g * g)
    s = np.cbrt(1.0 + c + np.sqrt(c * c + 2.0 * c))
    k = s + 1.0 / s + 1.0
    big_p = f / (3.0 * k * k * g * g)
    q = np.sqrt(1.0 + 2.0 * _E2 * _E2 * big_p)
    # On the polar axis (p = 0) the radicand is 0 and rounding can make it slightly negative.
    radicand = (
        0.5 * _A * _A * (1.0 + 1.0 / q)
        - big_p * (1.0 - _E2) * z2 / (q * (1.0 + q))
        - 0.5 * big_p * p2
    )
    r0 = np.sqrt(np.maximum(radicand, 0.0)) - (big_p * _E2 * p) / (1.0 + q)
    t = p - _E2 * r0
    t2 = t * t
    u = np.sqrt(t2 + z2)
    v = np.sqrt(t2 + (1.0 - _E2) * z2)
    z0 = (_B * _B) * z / (_A * v)
    alt = u * (1.0 - _B * _B / (_A * v))
    lat = np.arctan2(z + _EP2 * z0, p)
    lon = np.arctan2(y, x)
    return lat, lon, alt
