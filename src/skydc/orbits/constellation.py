"""Constellation generators: Walker delta/star patterns and sun-synchronous shells.

Every generator returns :class:`~skydc.orbits.elements.OrbitalElements` (SGP4-style mean
elements in TEME) at ``epoch_jd_utc``, satellites ordered plane by plane (satellite ``k`` of
plane ``j`` is row ``j * sats_per_plane + k``). Orbits are circular unless ``e`` is given; the
argument of perigee is 0, so the mean anomaly equals the (mean) argument of latitude ``u``.

Walker pattern ``i: t/p/f`` (Walker 1984): ``p`` planes of ``s = t/p`` satellites, phasing
``f`` in ``0 .. p-1``.

* Plane ``j`` has RAAN :math:`\\Omega_j = \\Omega_0 + 2\\pi j / p` (delta: nodes over 360 deg)
  or :math:`\\Omega_0 + \\pi j / p` (star: nodes over 180 deg, for near-polar orbits).
* Satellite ``k`` of plane ``j`` has :math:`u_{jk} = 2\\pi k / s + 2\\pi f j / t`.

Sun-synchronous shells place their planes by local time of the ascending node (LTAN) instead of
by RAAN; see :func:`sso_shell`.

References
----------
Walker, J. G. (1984). Satellite constellations. J. Br. Interplanet. Soc. 37, 559-572.
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., Sec. 11.4
(sun-synchronous orbits). The Astronomical Almanac (2020), Sec. C5 (low-precision Sun).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import (
    JD_J2000,
    MEAN_SUN_LONGITUDE_J2000_DEG,
    MEAN_SUN_LONGITUDE_RATE_DEG_PER_DAY,
    SSO_RAAN_RATE_RAD_S,
)
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.j2 import _zonal_factors
from skydc.orbits.planes import SLOT_NUMBERINGS

__all__ = [
    "raan_from_ltan_rad",
    "sso_inclination_rad",
    "sso_shell",
    "walker_delta",
    "walker_star",
]

_TWO_PI = 2.0 * math.pi
_RAD_PER_HOUR = math.pi / 12.0  # 15 deg of right ascension per hour of local time


def _check_pattern(planes: int, sats_per_plane: int, phasing: int) -> None:
    if int(planes) != planes or planes < 1:
        raise ValueError(f"planes must be a whole number >= 1, got {planes}")
    if int(sats_per_plane) != sats_per_plane or sats_per_plane < 1:
        raise ValueError(f"sats_per_plane must be a whole number >= 1, got {sats_per_plane}")
    if int(phasing) != phasing or not 0 <= phasing < planes:
        raise ValueError(
            f"phasing f must be a whole number in 0 .. planes-1 = {planes - 1}, got {phasing}"
        )


def _check_orbit(a_m: float, e: float) -> None:
    if not a_m > 0.0:
        raise ValueError(f"a_m must be a positive semi-major axis in metres, got {a_m}")
    if not 0.0 <= e < 1.0:
        raise ValueError(f"e must be in [0, 1), got {e}")


def _pattern(
    raan_planes_rad: NDArray[np.float64],
    sats_per_plane: int,
    phasing: int,
    a_m: float,
    i_rad: float,
    e: float,
    epoch_jd_utc: float,
    slot_numbering: str = "walker",
) -> OrbitalElements:
    """Elements of planes at the given RAANs with Walker in-plane spacing and phasing."""
    if slot_numbering not in SLOT_NUMBERINGS:
        raise ValueError(
            f"unknown slot numbering {slot_numbering!r}; valid numberings: "
            f"{', '.join(SLOT_NUMBERINGS)}"
        )
    planes = raan_planes_rad.size
    total = planes * sats_per_plane
    j = np.repeat(np.arange(planes), sats_per_plane)
    k = np.tile(np.arange(sats_per_plane), planes)
    phase = _TWO_PI * phasing * j / total
    if slot_numbering == "satgenpy":  # slot 0 the first at or after the node: same satellites
        phase = _TWO_PI * ((phasing * j) % planes) / total  # whole slots dropped, exactly
    u = np.mod(_TWO_PI * k / sats_per_plane + phase, _TWO_PI)
    return OrbitalElements(
        a_m=np.full(total, float(a_m)),
        e=np.full(total, float(e)),
        i_rad=np.full(total, float(i_rad)),
        raan_rad=np.mod(np.repeat(raan_planes_rad, sats_per_plane), _TWO_PI),
        argp_rad=np.zeros(total),
        mean_anomaly_rad=u,
        epoch_jd_utc=float(epoch_jd_utc),
    )


def walker_delta(
    planes: int,
    sats_per_plane: int,
    phasing: int,
    a_m: float,
    i_rad: float,
    epoch_jd_utc: float,
    raan0_rad: float = 0.0,
    e: float = 0.0,
    slot_numbering: str = "walker",
) -> OrbitalElements:
    """Walker delta pattern ``i: t/p/f`` with nodes spread over 360 deg.

    :math:`\\Omega_j = \\Omega_0 + 2\\pi j/p`, :math:`u_{jk} = 2\\pi k/s + 2\\pi f j/t`
    (Walker 1984), ``t = planes * sats_per_plane``.

    Parameters
    ----------
    planes : int
        Number of orbital planes ``p`` >= 1.
    sats_per_plane : int
        Satellites per plane ``s`` >= 1.
    phasing : int
        Walker phasing factor ``f`` in ``0 .. p-1``.
    a_m : float
        Mean semi-major axis [m] (SGP4/Brouwer convention).
    i_rad : float
        Inclination [rad].
    epoch_jd_utc : float
        Epoch of the elements [JD, UTC].
    raan0_rad : float
        RAAN of plane 0 [rad].
    e : float
        Eccentricity [-] (default circular); argument of perigee is 0.
    slot_numbering : str
        Which satellite of each plane is slot 0 (the row order within the plane; the
        satellites are the same): ``"walker"`` (default) as above; ``"satgenpy"`` the first at
        or after the plane's ascending node, as Hypatia's
        ``satgen.generate_tles_from_scratch_manual`` numbers them
        (:math:`u_{jk} = 2\\pi k/s + (2\\pi f j/t \\bmod 2\\pi/s)`; with ``f = p/2``, ``p`` even,
        this is satgenpy's half-slot offset of odd planes, ``phase_diff=True``).

    Returns
    -------
    OrbitalElements
        ``planes * sats_per_plane`` satellites, plane by plane.
    """
    _check_pattern(planes, sats_per_plane, phasing)
    _check_orbit(a_m, e)
    raan = raan0_rad + _TWO_PI * np.arange(planes) / planes
    return _pattern(raan, sats_per_plane, phasing, a_m, i_rad, e, epoch_jd_utc, slot_numbering)


def walker_star(
    planes: int,
    sats_per_plane: int,
    phasing: int,
    a_m: float,
    i_rad: float,
    epoch_jd_utc: float,
    raan0_rad: float = 0.0,
    e: float = 0.0,
    slot_numbering: str = "walker",
) -> OrbitalElements:
    """Walker star (polar, "Street of Coverage") pattern: nodes spread over 180 deg.

    :math:`\\Omega_j = \\Omega_0 + \\pi j/p`, :math:`u_{jk} = 2\\pi k/s + 2\\pi f j/t`; for
    near-polar inclinations the ascending and descending halves of the planes cover the globe,
    with a counter-rotating seam between plane ``p-1`` and plane 0 (Walker 1984). Parameters as
    :func:`walker_delta`.
    """
    _check_pattern(planes, sats_per_plane, phasing)
    _check_orbit(a_m, e)
    raan = raan0_rad + math.pi * np.arange(planes) / planes
    return _pattern(raan, sats_per_plane, phasing, a_m, i_rad, e, epoch_jd_utc, slot_numbering)


def sso_inclination_rad(a_m: ArrayLike, e: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Sun-synchronous inclination: the node precesses at one turn per tropical year.

    Solves :math:`\\dot\\Omega(a, e, i) = 2\\pi / (365.2422\\,\\mathrm{d})`
    (``SSO_RAAN_RATE_RAD_S``) for :math:`\\cos i` with the same rate as
    :func:`~skydc.orbits.j2.secular_rates` (J2, J2^2 and J4 terms), so the propagated node
    is sun-synchronous. The rate is :math:`c\\,(A + B c^2)` in :math:`c = \\cos i`, with
    :math:`A = -k_1 + 2 k_2 + 6 k_4` and :math:`B = -\\tfrac{19}{2} k_2 - 14 k_4` (symbols of
    ``secular_rates``); Newton's method from the J2-only root
    :math:`c_0 = -\\dot\\Omega_\\odot / (\\tfrac32 J_2 (R/p)^2 n)` (Vallado 2013, Eq. 11-17)
    converges in three steps. Retrograde (i > 90 deg) for every altitude.

    Parameters
    ----------
    a_m : array_like
        Mean semi-major axis [m] (SGP4/Brouwer convention).
    e : array_like
        Eccentricity [-].

    Returns
    -------
    ndarray
        Inclination [rad]; NaN where no inclination is fast enough (|cos i| would exceed 1:
        above about 5,980 km altitude, a = 12,360 km, for circular orbits) or the elements are
        invalid.
    """
    _, _, k1, k2, k4 = _zonal_factors(a_m, e)
    big_a = -k1 + 2.0 * k2 + 6.0 * k4
    big_b = -9.5 * k2 - 14.0 * k4
    c = SSO_RAAN_RATE_RAD_S / -k1
    for _ in range(4):  # Newton steps on the cubic, not a loop over satellites
        c = c - (c * (big_a + big_b * c * c) - SSO_RAAN_RATE_RAD_S) / (big_a + 3.0 * big_b * c * c)
    c = np.where(np.abs(c) <= 1.0, c, np.nan)
    return np.arccos(c)


def raan_from_ltan_rad(ltan_h: ArrayLike, epoch_jd_utc: ArrayLike) -> NDArray[np.float64]:
    """RAAN that puts the ascending node at local mean solar time ``ltan_h`` at the epoch.

    .. math::

        \\Omega = \\alpha_{\\bar\\odot} + 15^\\circ\\,(\\mathrm{LTAN}/\\mathrm h - 12),
        \\qquad
        \\alpha_{\\bar\\odot} = L = 280.460^\\circ + 0.9856474^\\circ\\, (JD - 2451545.0),

    where the right ascension of the fictitious *mean* Sun equals the Sun's mean longitude
    :math:`L` (Astronomical Almanac 2020, Sec. C5; the equation of time is :math:`L - \\alpha`).
    The mean Sun is used because a sun-synchronous node follows it: against the true Sun the
    local time drifts by the equation of time (up to ~16 min) over the year. Mean equinox of
    date, as TEME. UTC stands in for TT/UT1 here (< 0.001 deg).

    Parameters
    ----------
    ltan_h : array_like
        Local time of the ascending node [h], e.g. 6.0 dawn-dusk, 10.5 morning.
    epoch_jd_utc : array_like
        Epoch [JD, UTC]; broadcasts against ``ltan_h``.

    Returns
    -------
    ndarray
        RAAN [rad] in [0, 2 pi).
    """
    days = np.asarray(epoch_jd_utc, dtype=float) - JD_J2000
    mean_sun_deg = np.mod(
        MEAN_SUN_LONGITUDE_J2000_DEG + MEAN_SUN_LONGITUDE_RATE_DEG_PER_DAY * days, 360.0
    )
    ltan = np.asarray(ltan_h, dtype=float)
    return np.mod(np.radians(mean_sun_deg) + (ltan - 12.0) * _RAD_PER_HOUR, _TWO_PI)


def sso_shell(
    planes: int,
    sats_per_plane: int,
    phasing: int,
    a_m: float,
    ltan_h: float,
    epoch_jd_utc: float,
    ltan_spread_h: float = 2.0,
    e: float = 0.0,
) -> OrbitalElements:
    """Sun-synchronous shell with planes placed by local time of the ascending node.

    Plane ``j`` has LTAN :math:`\\mathrm{LTAN}_j = \\mathrm{LTAN} + \\Delta\\,((j + \\tfrac12)/p
    - \\tfrac12)`: the ``p`` planes sit evenly, ``\\Delta/p`` apart, over a window of width
    :math:`\\Delta` = ``ltan_spread_h`` centred on ``ltan_h``. One plane sits at ``ltan_h``;
    an odd number of planes puts the middle plane there; ``ltan_spread_h = 24`` spreads the
    nodes evenly around the equator like :func:`walker_delta`. The default 2 h keeps every plane
    within one hour of ``ltan_h`` (e.g. a dawn-dusk shell near the terminator). RAANs come from
    :func:`raan_from_ltan_rad`, the inclination from :func:`sso_inclination_rad`; in-plane
    spacing and phasing follow Walker: :math:`u_{jk} = 2\\pi k/s + 2\\pi f j/t`.

    Parameters
    ----------
    planes, sats_per_plane, phasing : int
        Walker ``p``, ``s`` and ``f`` (``0 <= f < p``).
    a_m : float
        Mean semi-major axis [m].
    ltan_h : float
        Centre LTAN [h], in [0, 24).
    epoch_jd_utc : float
        Epoch [JD, UTC].
    ltan_spread_h : float
        Width of the LTAN window [h], in [0, 24].
    e : float
        Eccentricity [-] (default circular).

    Returns
    -------
    OrbitalElements
        ``planes * sats_per_plane`` satellites, plane by plane.

    Raises
    ------
    ValueError
        On a bad pattern, LTAN or spread, or an orbit too high to be sun-synchronous.
    """
    _check_pattern(planes, sats_per_plane, phasing)
    _check_orbit(a_m, e)
    if not 0.0 <= ltan_h < 24.0:
        raise ValueError(f"ltan_h must be in [0, 24) hours, got {ltan_h}")
    if not 0.0 <= ltan_spread_h <= 24.0:
        raise ValueError(f"ltan_spread_h must be in [0, 24] hours, got {ltan_spread_h}")
    inc = float(sso_inclination_rad(a_m, e))
    if math.isnan(inc):
        raise ValueError(
            f"no sun-synchronous inclination exists for a_m = {a_m:.0f} m: the J2 node rate is "
            "too slow above about 5,980 km altitude; lower the orbit"
        )
    ltans = ltan_h + ltan_spread_h * ((np.arange(planes) + 0.5) / planes - 0.5)
    raan = raan_from_ltan_rad(ltans, epoch_jd_utc)
    return _pattern(raan, sats_per_plane, phasing, a_m, inc, e, epoch_jd_utc)
