"""The Sun's geocentric position in the TEME frame, from an analytic series (no ephemeris file).

Model
-----
Meeus (1998), "Astronomical Algorithms", 2nd ed., ch. 25 "higher accuracy" Sun, the same chain
NREL's Solar Position Algorithm uses (Reda & Andreas 2004, Solar Energy 76, 577-589,
NREL/TP-560-34302, Table A4.2 and A4.3):

1. Heliocentric ecliptic longitude L, latitude B and distance R of the Earth (mean ecliptic and
   equinox of date) from the truncated VSOP87 series of Meeus's Appendix III (Bretagnon &
   Francou 1988), argument TT in Julian millennia from J2000.
2. Geocentric Sun: longitude L + 180 deg, latitude -B; conversion to the FK5 system
   (Meeus eq. 25.9).
3. Nutation in longitude and obliquity, IAU 1980 series (Meeus Table 22.A, 63 terms); mean
   obliquity IAU 1980 (Meeus eq. 22.2); annual aberration -20.4898"/R (Meeus eq. 25.10).
   The result is the *apparent* Sun (the direction sunlight arrives from at the geocentre,
   which is what casts the Earth's shadow), in true equator and equinox of date.
4. TEME: rotate about the true pole by the equation of the equinoxes Delta-psi cos(epsilon), so
   right ascension is counted from the mean equinox (Vallado et al. 2006, AIAA 2006-6753,
   App. C: TEME = true equator, mean equinox).

Accuracy: Meeus quotes ~1" for the truncated series. Measured against skyfield + DE421 (apparent
geocentric Sun in skyfield's TEME frame) at 3,000 random instants 1950-2100: max 0.72 arcsec
(0.0002 deg), rms 0.19 arcsec; distance within 350 km (tests/environment/test_sun_ephemeris.py).
The geometric (unaberrated) Sun differs from this apparent one by ~20.5 arcsec. The series is
evaluated in chunks of time samples so memory stays bounded for long time grids.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import (
    ARCSEC_RAD,
    AU_M,
    DAYS_PER_JULIAN_CENTURY,
    JD_J2000,
    SUN_ABERRATION_ARCSEC,
)
from skydc.timescale import jd_tt_from_jd_utc

__all__ = [
    "sun_declination_rad",
    "sun_direction_teme",
    "sun_position_teme_m",
    "sun_right_ascension_rad",
]

# --- Truncated VSOP87 for the Earth (Meeus 1998, Appendix III; Reda & Andreas 2004, Table A4.2).
# Each row: amplitude A [1e-8 rad or 1e-8 au], phase B [rad], frequency C [rad per millennium];
# the term is A cos(B + C tau). One array per power of tau.
_L_SERIES = (
    np.array([
        [175347046, 0, 0], [3341656, 4.6692568, 6283.07585], [34894, 4.6261, 12566.1517],
        [3497, 2.7441, 5753.3849], [3418, 2.8289, 3.5231], [3136, 3.6277, 77713.7715],
        [2676, 4.4181, 7860.4194], [2343, 6.1352, 3930.2097], [1324, 0.7425, 11506.7698],
        [1273, 2.0371, 529.691], [1199, 1.1096, 1577.3435], [990, 5.233, 5884.927],
        [902, 2.045, 26.298], [857, 3.508, 398.149], [780, 1.179, 5223.694],
        [753, 2.533, 5507.553], [505, 4.583, 18849.228], [492, 4.205, 775.523],
        [357, 2.92, 0.067], [317, 5.849, 11790.629], [284, 1.899, 796.298],
        [271, 0.315, 10977.079], [243, 0.345, 5486.778], [206, 4.806, 2544.314],
        [205, 1.869, 5573.143], [202, 2.458, 6069.777], [156, 0.833, 213.299],
        [132, 3.411, 2942.463], [126, 1.083, 20.775], [115, 0.645, 0.98],
        [103, 0.636, 4694.003], [102, 0.976, 15720.839], [102, 4.267, 7.114],
        [99, 6.21, 2146.17], [98, 0.68, 155.42], [86, 5.98, 161000.69],
        [85, 1.3, 6275.96], [85, 3.67, 71430.7], [80, 1.81, 17260.15],
        [79, 3.04, 12036.46], [75, 1.76, 5088.63], [74, 3.5, 3154.69],
        [74, 4.68, 801.82], [70, 0.83, 9437.76], [62, 3.98, 8827.39],
        [61, 1.82, 7084.9], [57, 2.78, 6286.6], [56, 4.39, 14143.5],
        [56, 3.47, 6279.55], [52, 0.19, 12139.55], [52, 1.33, 1748.02],
        [51, 0.28, 5856.48], [49, 0.49, 1194.45], [41, 5.37, 8429.24],
        [41, 2.4, 19651.05], [39, 6.17, 10447.39], [37, 6.04, 10213.29],
        [37, 2.57, 1059.38], [36, 1.71, 2352.87], [36, 1.78, 6812.77],
        [33, 0.59, 17789.85], [30, 0.44, 83996.85], [30, 2.74, 1349.87],
        [25, 3.16, 4690.48],
    ], dtype=float),
    np.array([
        [628331966747, 0, 0], [206059, 2.678235, 6283.07585], [4303, 2.6351, 12566.1517],
        [425, 1.59, 3.523], [119, 5.796, 26.298], [109, 2.966, 1577.344],
        [93, 2.59, 18849.23], [72, 1.14, 529.69], [68, 1.87, 398.15],
        [67, 4.41, 5507.55], [59, 2.89, 5223.69], [56, 2.17, 155.42],
        [45, 0.4, 796.3], [36, 0.47, 775.52], [29, 2.65, 7.11],
        [21, 5.34, 0.98], [19, 1.85, 5486.78], [19, 4.97, 213.3],
        [17, 2.99, 6275.96], [16, 0.03, 2544.31], [16, 1.43, 2146.17],
        [15, 1.21, 10977.08], [12, 2.83, 1748.02], [12, 3.26, 5088.63],
        [12, 5.27, 1194.45], [12, 2.08, 4694.0], [11, 0.77, 553.57],
        [10, 1.3, 6286.6], [10, 4.24, 1349.87], [9, 2.7, 242.73],
        [9, 5.64, 951.72], [8, 5.3, 2352.87], [6, 2.65, 9437.76],
        [6, 4.67, 4690.48],
    ], dtype=float),
    np.array([
        [52919, 0, 0], [8720, 1.0721, 6283.0758], [309, 0.867, 12566.152],
        [27, 0.05, 3.52], [16, 5.19, 26.3], [16, 3.68, 155.42],
        [10, 0.76, 18849.23], [9, 2.06, 77713.77], [7, 0.83, 775.52],
        [5, 4.66, 1577.34], [4, 1.03, 7.11], [4, 3.44, 5573.14],
        [3, 5.14, 796.3], [3, 6.05, 5507.55], [3, 1.19, 242.73],
        [3, 6.12, 529.69], [3, 0.31, 398.15], [3, 2.28, 553.57],
        [2, 4.38, 5223.69], [2, 3.75, 0.98],
    ], dtype=float),
    np.array([
        [289, 5.844, 6283.076], [35, 0, 0], [17, 5.49, 12566.15], [3, 5.2, 155.42],
        [1, 4.72, 3.52], [1, 5.3, 18849.23], [1, 5.97, 242.73],
    ], dtype=float),
    np.array([[114, 3.142, 0], [8, 4.13, 6283.08], [1, 3.84, 12566.15]], dtype=float),
    np.array([[1, 3.14, 0]], dtype=float),
)  # fmt: skip
_B_SERIES = (
    np.array([
        [280, 3.199, 84334.662], [102, 5.422, 5507.553], [80, 3.88, 5223.69],
        [44, 3.7, 2352.87], [32, 4.0, 1577.34],
    ], dtype=float),
    np.array([[9, 3.9, 5507.55], [6, 1.73, 5223.69]], dtype=float),
)  # fmt: skip
_R_SERIES = (
    np.array([
        [100013989, 0, 0], [1670700, 3.0984635, 6283.07585], [13956, 3.05525, 12566.1517],
        [3084, 5.1985, 77713.7715], [1628, 1.1739, 5753.3849], [1576, 2.8469, 7860.4194],
        [925, 5.453, 11506.77], [542, 4.564, 3930.21], [472, 3.661, 5884.927],
        [346, 0.964, 5507.553], [329, 5.9, 5223.694], [307, 0.299, 5573.143],
        [243, 4.273, 11790.629], [212, 5.847, 1577.344], [186, 5.022, 10977.079],
        [175, 3.012, 18849.228], [110, 5.055, 5486.778], [98, 0.89, 6069.78],
        [86, 5.69, 15720.84], [86, 1.27, 161000.69], [65, 0.27, 17260.15],
        [63, 0.92, 529.69], [57, 2.01, 83996.85], [56, 5.24, 71430.7],
        [49, 3.25, 2544.31], [47, 2.58, 775.52], [45, 5.54, 9437.76],
        [43, 6.01, 6275.96], [39, 5.36, 4694.0], [38, 2.39, 8827.39],
        [37, 0.83, 19651.05], [37, 4.9, 12139.55], [36, 1.67, 12036.46],
        [35, 1.84, 2942.46], [33, 0.24, 7084.9], [32, 0.18, 5088.63],
        [32, 1.78, 398.15], [28, 1.21, 6286.6], [28, 1.9, 6279.55],
        [26, 4.59, 10447.39],
    ], dtype=float),
    np.array([
        [103019, 1.10749, 6283.07585], [1721, 1.0644, 12566.1517], [702, 3.142, 0],
        [32, 1.02, 18849.23], [31, 2.84, 5507.55], [25, 1.32, 5223.69],
        [18, 1.42, 1577.34], [10, 5.91, 10977.08], [9, 1.42, 6275.96],
        [9, 0.27, 5486.78],
    ], dtype=float),
    np.array([
        [4359, 5.7846, 6283.0758], [124, 5.579, 12566.152], [12, 3.14, 0],
        [9, 3.63, 77713.77], [6, 1.87, 5573.14], [3, 5.47, 18849.23],
    ], dtype=float),
    np.array([[145, 4.273, 6283.076], [7, 3.92, 12566.15]], dtype=float),
    np.array([[4, 2.56, 6283.08]], dtype=float),
)  # fmt: skip

# --- IAU 1980 nutation (Meeus 1998, Table 22.A; Reda & Andreas 2004, Table A4.3).
# Multipliers of the fundamental arguments D, M, M', F, Omega, then the coefficients
# psi = (a + b T) sin(arg), eps = (c + d T) cos(arg), in units of 0.0001 arcsec.
_NUTATION = np.array([
    [0, 0, 0, 0, 1, -171996, -174.2, 92025, 8.9], [-2, 0, 0, 2, 2, -13187, -1.6, 5736, -3.1],
    [0, 0, 0, 2, 2, -2274, -0.2, 977, -0.5], [0, 0, 0, 0, 2, 2062, 0.2, -895, 0.5],
    [0, 1, 0, 0, 0, 1426, -3.4, 54, -0.1], [0, 0, 1, 0, 0, 712, 0.1, -7, 0],
    [-2, 1, 0, 2, 2, -517, 1.2, 224, -0.6], [0, 0, 0, 2, 1, -386, -0.4, 200, 0],
    [0, 0, 1, 2, 2, -301, 0, 129, -0.1], [-2, -1, 0, 2, 2, 217, -0.5, -95, 0.3],
    [-2, 0, 1, 0, 0, -158, 0, 0, 0], [-2, 0, 0, 2, 1, 129, 0.1, -70, 0],
    [0, 0, -1, 2, 2, 123, 0, -53, 0], [2, 0, 0, 0, 0, 63, 0, 0, 0],
    [0, 0, 1, 0, 1, 63, 0.1, -33, 0], [2, 0, -1, 2, 2, -59, 0, 26, 0],
    [0, 0, -1, 0, 1, -58, -0.1, 32, 0], [0, 0, 1, 2, 1, -51, 0, 27, 0],
    [-2, 0, 2, 0, 0, 48, 0, 0, 0], [0, 0, -2, 2, 1, 46, 0, -24, 0],
    [2, 0, 0, 2, 2, -38, 0, 16, 0], [0, 0, 2, 2, 2, -31, 0, 13, 0],
    [0, 0, 2, 0, 0, 29, 0, 0, 0], [-2, 0, 1, 2, 2, 29, 0, -12, 0],
    [0, 0, 0, 2, 0, 26, 0, 0, 0], [-2, 0, 0, 2, 0, -22, 0, 0, 0],
    [0, 0, -1, 2, 1, 21, 0, -10, 0], [0, 2, 0, 0, 0, 17, -0.1, 0, 0],
    [2, 0, -1, 0, 1, 16, 0, -8, 0], [-2, 2, 0, 2, 2, -16, 0.1, 7, 0],
    [0, 1, 0, 0, 1, -15, 0, 9, 0], [-2, 0, 1, 0, 1, -13, 0, 7, 0],
    [0, -1, 0, 0, 1, -12, 0, 6, 0], [0, 0, 2, -2, 0, 11, 0, 0, 0],
    [2, 0, -1, 2, 1, -10, 0, 5, 0], [2, 0, 1, 2, 2, -8, 0, 3, 0],
    [0, 1, 0, 2, 2, 7, 0, -3, 0], [-2, 1, 1, 0, 0, -7, 0, 0, 0],
    [0, -1, 0, 2, 2, -7, 0, 3, 0], [2, 0, 0, 2, 1, -7, 0, 3, 0],
    [2, 0, 1, 0, 0, 6, 0, 0, 0], [-2, 0, 2, 2, 2, 6, 0, -3, 0],
    [-2, 0, 1, 2, 1, 6, 0, -3, 0], [2, 0, -2, 0, 1, -6, 0, 3, 0],
    [2, 0, 0, 0, 1, -6, 0, 3, 0], [0, -1, 1, 0, 0, 5, 0, 0, 0],
    [-2, -1, 0, 2, 1, -5, 0, 3, 0], [-2, 0, 0, 0, 1, -5, 0, 3, 0],
    [0, 0, 2, 2, 1, -5, 0, 3, 0], [-2, 0, 2, 0, 1, 4, 0, 0, 0],
    [-2, 1, 0, 2, 1, 4, 0, 0, 0], [0, 0, 1, -2, 0, 4, 0, 0, 0],
    [-1, 0, 1, 0, 0, -4, 0, 0, 0], [-2, 1, 0, 0, 0, -4, 0, 0, 0],
    [1, 0, 0, 0, 0, -4, 0, 0, 0], [0, 0, 1, 2, 0, 3, 0, 0, 0],
    [0, 0, -2, 2, 2, -3, 0, 0, 0], [-1, -1, 1, 0, 0, -3, 0, 0, 0],
    [0, 1, 1, 0, 0, -3, 0, 0, 0], [0, -1, 1, 2, 2, -3, 0, 0, 0],
    [2, -1, -1, 2, 2, -3, 0, 0, 0], [0, 0, 3, 2, 2, -3, 0, 0, 0],
    [2, -1, 0, 2, 2, -3, 0, 0, 0],
], dtype=float)  # fmt: skip
# Fundamental arguments D, M, M', F, Omega [deg] as cubic polynomials in T (Meeus 1998, ch. 22):
# columns are the coefficients of T^0, T^1, T^2, T^3.
_FUNDAMENTAL_ARGS_DEG = np.array([
    [297.85036, 445267.111480, -0.0019142, 1.0 / 189474.0],
    [357.52772, 35999.050340, -0.0001603, -1.0 / 300000.0],
    [134.96298, 477198.867398, 0.0086972, 1.0 / 56250.0],
    [93.27191, 483202.017538, -0.0036825, 1.0 / 327270.0],
    [125.04452, -1934.136261, 0.0020708, 1.0 / 450000.0],
])  # fmt: skip
# Mean obliquity of the ecliptic, IAU 1980 (Meeus eq. 22.2) [arcsec], coefficients of T^0..T^3.
_OBLIQUITY_ARCSEC = (84381.448, -46.8150, -0.00059, 0.001813)
# FK5 correction (Meeus eq. 25.9): lambda' = lambda - 1.397 deg T - 0.00031 deg T^2,
# d-lambda = -0.09033", d-beta = 0.03916" (cos lambda' - sin lambda').
_FK5_DRIFT_DEG = (1.397, 0.00031)
_FK5_DLON_ARCSEC = -0.09033
_FK5_DLAT_ARCSEC = 0.03916

_CHUNK = 4096  # time samples per series evaluation: bounds the (n_terms, chunk) temporaries


def _periodic_sum(series: tuple[NDArray[np.float64], ...], tau: NDArray[np.float64]) -> NDArray:
    """Sum_k tau^k Sum_j A_jk cos(B_jk + C_jk tau) * 1e-8 for a 1-D ``tau`` (chunked in time)."""
    out = np.empty_like(tau)
    for start in range(0, tau.size, _CHUNK):
        t = tau[start : start + _CHUNK]
        total = np.zeros_like(t)
        power = np.ones_like(t)
        for table in series:
            total += power * (table[:, 0] @ np.cos(table[:, 1:2] + table[:, 2:3] * t))
            power = power * t
        out[start : start + _CHUNK] = total * 1e-8
    return out


def _nutation_rad(t_cent: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Nutation in longitude and obliquity, IAU 1980, 63 terms (Meeus Table 22.A) [rad]."""
    dpsi = np.empty_like(t_cent)
    deps = np.empty_like(t_cent)
    mult, coef = _NUTATION[:, :5], _NUTATION[:, 5:]
    for start in range(0, t_cent.size, _CHUNK):
        t = t_cent[start : start + _CHUNK]
        powers = np.stack([np.ones_like(t), t, t * t, t * t * t])  # (4, chunk)
        args = np.deg2rad(mult @ (_FUNDAMENTAL_ARGS_DEG @ powers))  # (63, chunk)
        dpsi[start : start + _CHUNK] = np.sum((coef[:, 0:1] + coef[:, 1:2] * t) * np.sin(args), 0)
        deps[start : start + _CHUNK] = np.sum((coef[:, 2:3] + coef[:, 3:4] * t) * np.cos(args), 0)
    scale = 1e-4 * ARCSEC_RAD
    return dpsi * scale, deps * scale


def _sun_teme_components(
    jd_utc: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[int, ...]]:
    """Unit vectors (3, n) of the apparent Sun in TEME, distances [m] (n,), and the input shape."""
    jd = np.asarray(jd_utc, dtype=float)
    shape = jd.shape
    jd_tt = jd_tt_from_jd_utc(jd.ravel())
    t_cent = (jd_tt - JD_J2000) / DAYS_PER_JULIAN_CENTURY
    tau = t_cent / 10.0

    lon_earth = _periodic_sum(_L_SERIES, tau)
    lat_earth = _periodic_sum(_B_SERIES, tau)
    r_au = _periodic_sum(_R_SERIES, tau)

    # Geocentric, FK5 (Meeus eqs. 25.9).
    lon = lon_earth + np.pi
    lat = -lat_earth
    lon_drift = lon - np.deg2rad((_FK5_DRIFT_DEG[0] + _FK5_DRIFT_DEG[1] * t_cent) * t_cent)
    lon = lon + _FK5_DLON_ARCSEC * ARCSEC_RAD
    lat = lat + _FK5_DLAT_ARCSEC * ARCSEC_RAD * (np.cos(lon_drift) - np.sin(lon_drift))

    # Apparent: nutation in longitude and annual aberration (Meeus eq. 25.10).
    dpsi, deps = _nutation_rad(t_cent)
    lon = lon + dpsi - SUN_ABERRATION_ARCSEC * ARCSEC_RAD / r_au
    c0, c1, c2, c3 = _OBLIQUITY_ARCSEC
    eps = (c0 + t_cent * (c1 + t_cent * (c2 + t_cent * c3))) * ARCSEC_RAD + deps

    # Ecliptic of date -> true equator and equinox of date -> TEME (mean equinox).
    cos_lat = np.cos(lat)
    ex = cos_lat * np.cos(lon)
    ey = cos_lat * np.sin(lon)
    ez = np.sin(lat)
    cos_eps, sin_eps = np.cos(eps), np.sin(eps)
    qy = ey * cos_eps - ez * sin_eps
    qz = ey * sin_eps + ez * cos_eps
    eqeq = dpsi * cos_eps  # equation of the equinoxes [rad]
    cos_e, sin_e = np.cos(eqeq), np.sin(eqeq)
    unit = np.stack([ex * cos_e + qy * sin_e, -ex * sin_e + qy * cos_e, qz])
    return unit, r_au * AU_M, shape


def sun_direction_teme(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Unit vector from the Earth's centre to the apparent Sun, TEME frame.

    Meeus (1998) ch. 25 high-accuracy Sun (truncated VSOP87, FK5, IAU 1980 nutation, annual
    aberration), rotated from the true equinox to the mean equinox of date by the equation of
    the equinoxes (TEME, Vallado et al. 2006 App. C). The ephemeris runs on TT
    (:func:`skydc.timescale.jd_tt_from_jd_utc`). See the module docstring for the chain.

    Parameters
    ----------
    jd_utc : array_like
        Julian dates, UTC [days], any shape ``S``.

    Returns
    -------
    ndarray
        Unit vectors, shape ``(3, *S)`` (component-first) [-].
    """
    unit, _, shape = _sun_teme_components(jd_utc)
    return unit.reshape((3, *shape))


def sun_position_teme_m(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Geocentric position of the apparent Sun in the TEME frame [m].

    The direction of :func:`sun_direction_teme` times the Earth-Sun distance R of the
    truncated VSOP87 series (Meeus 1998, ch. 25 and App. III) times the astronomical unit
    (IAU 2012 B2).

    Parameters
    ----------
    jd_utc : array_like
        Julian dates, UTC [days], any shape ``S`` (typically ``(n_time,)``).

    Returns
    -------
    ndarray
        Positions, shape ``(3, *S)`` [m]. For a satellite grid ``(3, n_sat, n_time)`` use
        ``r_sun[:, None, :]``.
    """
    unit, dist_m, shape = _sun_teme_components(jd_utc)
    return (unit * dist_m).reshape((3, *shape))


def sun_right_ascension_rad(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Right ascension of the apparent Sun from the TEME (mean) equinox [rad], in [0, 2 pi)."""
    u = sun_direction_teme(jd_utc)
    return np.mod(np.arctan2(u[1], u[0]), 2.0 * np.pi)


def sun_declination_rad(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Declination of the apparent Sun (true equator of date) [rad], in [-pi/2, pi/2]."""
    u = sun_direction_teme(jd_utc)
    return np.arcsin(np.clip(u[2], -1.0, 1.0))
