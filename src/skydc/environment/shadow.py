"""Earth's shadow: sunlit fraction (conical, with penumbra), beta angle, eclipse events.

Earth radius
------------
The shadow kernels take ``earth_radius_m`` with default ``EARTH_MEAN_RADIUS_M`` (6,371 km, IAU
2015 B3): a sphere of the Earth's mean radius, no atmosphere. The Earth's limb as seen along the
Sun line lies between the polar (6,357 km) and equatorial (6,378 km) radii, so the mean radius
is the unbiased middle; 7 km of radius moves a LEO shadow crossing by ~1 s at normal incidence.
To model sunlight lost in the lower atmosphere (extinction grazing the limb), pass a larger
radius, e.g. ``EARTH_MEAN_RADIUS_M + 20e3`` for a ~20 km grazing height.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import EARTH_MEAN_RADIUS_M, SUN_RADIUS_M

__all__ = [
    "EclipseEvents",
    "beta_angle_rad",
    "eclipse_events",
    "eclipse_fraction_circular",
    "sunlit_fraction",
]


def _components_first(name: str, x: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0 or arr.shape[0] != 3:
        raise ValueError(f"{name} must be component-first, shape (3, ...); got {arr.shape}")
    return arr


def sunlit_fraction(
    r_sat_m: ArrayLike,
    r_sun_m: ArrayLike,
    earth_radius_m: float = EARTH_MEAN_RADIUS_M,
    sun_radius_m: float = SUN_RADIUS_M,
) -> NDArray[np.float64]:
    """Visible fraction of the solar disc seen from the satellite (conical shadow, penumbra).

    Montenbruck & Gill (2000), "Satellite Orbits", Sec. 3.4.2: with the apparent radii of the
    Sun and the Earth and their apparent separation, seen from the satellite,

    .. math::

        a = \\arcsin\\frac{R_\\odot}{|r_\\odot - r|},\\quad
        b = \\arcsin\\frac{R_\\oplus}{|r|},\\quad
        c = \\angle(-r,\\; r_\\odot - r),

    the fraction is 1 for :math:`c \\ge a + b` (no occultation), 0 for :math:`c \\le b - a`
    (umbra), :math:`1 - b^2/a^2` for :math:`c \\le a - b` (annular, Earth inside the solar disc)
    and otherwise :math:`1 - A / (\\pi a^2)` with the overlap area (M&G eqs. 3.87-3.89)

    .. math::

        x = \\frac{c^2 + a^2 - b^2}{2c},\\quad y = \\sqrt{a^2 - x^2},\\quad
        A = a^2 \\arccos\\frac{x}{a} + b^2 \\arccos\\frac{c - x}{b} - c\\,y.

    The discs are treated as flat and uniformly bright (no limb darkening); the Earth is a
    sphere of radius ``earth_radius_m`` (see the module docstring for the default).

    Parameters
    ----------
    r_sat_m : array_like
        Geocentric satellite positions, shape ``(3, ...)`` [m], e.g. ``(3, n_sat, n_time)``.
    r_sun_m : array_like
        Geocentric Sun positions, shape ``(3, ...)`` broadcastable with ``r_sat_m`` [m], e.g.
        ``(3, 1, n_time)``. Same frame as ``r_sat_m`` (TEME from
        :func:`skydc.environment.sun.sun_position_teme_m`).
    earth_radius_m, sun_radius_m : float
        Radii of the occulting Earth and of the Sun [m].

    Returns
    -------
    ndarray
        Sunlit fraction in [0, 1], the broadcast shape of the inputs without the component
        axis. NaN only where an input is NaN. A satellite inside the Earth gets 0 or the value
        for a ray grazing the centre (never NaN).
    """
    if not (earth_radius_m > 0.0 and sun_radius_m > 0.0):
        raise ValueError("earth_radius_m and sun_radius_m must be positive")
    r = _components_first("r_sat_m", r_sat_m)
    s = _components_first("r_sun_m", r_sun_m)
    # Memory: at most four full-size float arrays at once (|r|, r.s, |s - r|, then a, b, c and
    # one scratch) plus bool masks; the result reuses c's buffer.
    sun2 = np.einsum("i...,i...->...", s, s)
    dot = np.einsum("i...,i...->...", r, s)
    rr = np.einsum("i...,i...->...", r, r)
    shape = np.broadcast_shapes(rr.shape, dot.shape)
    if rr.shape != shape:
        rr = np.broadcast_to(rr, shape).copy()  # own memory, writable, full shape
    dist = np.multiply(dot, -2.0)
    dist += rr
    dist += sun2  # |r_sun - r|^2
    np.sqrt(np.maximum(dist, 1.0, out=dist), out=dist)
    c = np.subtract(rr, dot)  # cos c |r| |s - r| = (-r).(s - r) = |r|^2 - r.s
    del dot
    np.sqrt(rr, out=rr)
    np.maximum(rr, 1.0, out=rr)  # |r| (a satellite at the centre is not valid; keep it finite)
    c /= rr
    c /= dist
    np.arccos(np.clip(c, -1.0, 1.0, out=c), out=c)
    a = np.arcsin(np.minimum(np.divide(sun_radius_m, dist, out=dist), 1.0, out=dist), out=dist)
    b = np.arcsin(np.minimum(np.divide(earth_radius_m, rr, out=rr), 1.0, out=rr), out=rr)

    scratch = np.subtract(b, a)
    umbra = c <= scratch
    np.subtract(a, b, out=scratch)
    annular = c <= scratch
    annular &= ~umbra
    np.add(a, b, out=scratch)
    partial = c < scratch
    partial &= ~umbra
    partial &= ~annular
    del scratch
    ap, bp, cp = a[partial], b[partial], c[partial]
    annular_value = 1.0 - (b[annular] / a[annular]) ** 2
    del a, b
    x = (cp * cp + ap * ap - bp * bp) / (2.0 * cp)
    y = np.sqrt(np.maximum(ap * ap - x * x, 0.0))
    # arccos(x/a) = atan2(y, x) and arccos((c - x)/b) = atan2(y, c - x): well conditioned.
    area = ap * ap * np.arctan2(y, x) + bp * bp * np.arctan2(y, cp - x) - cp * y
    nan = np.isnan(c)
    frac = c  # reuse the buffer
    frac.fill(1.0)
    frac[umbra] = 0.0
    frac[annular] = annular_value
    frac[partial] = 1.0 - area / (np.pi * ap * ap)
    np.clip(frac, 0.0, 1.0, out=frac)
    if nan.any():
        frac[nan] = np.nan
    return frac


def beta_angle_rad(
    raan_rad: ArrayLike, i_rad: ArrayLike, sun_dir_teme: ArrayLike
) -> NDArray[np.float64]:
    """Beta angle: elevation of the Sun above the orbit plane [rad], in [-pi/2, pi/2].

    .. math:: \\sin\\beta = \\hat h \\cdot \\hat s,\\qquad
              \\hat h = (\\sin i \\sin\\Omega,\\; -\\sin i \\cos\\Omega,\\; \\cos i)

    with :math:`\\hat h` the orbit normal (along the angular momentum) and :math:`\\hat s` the
    Sun direction (Vallado 2013, "Fundamentals of Astrodynamics", 4th ed., Sec. 5.3; positive
    when the Sun is on the angular-momentum side of the plane).

    Parameters
    ----------
    raan_rad, i_rad : array_like
        Right ascension of the ascending node and inclination [rad], TEME, broadcast together.
        If they are 1-D, shape ``(n_sat,)``, and the Sun has more than a component axis, they are
        taken as one value per satellite and the result is ``(n_sat, *T)``. Otherwise ordinary
        NumPy broadcasting against ``sun_dir_teme[k]`` applies (e.g. a J2-drifting RAAN of shape
        ``(n_sat, n_time)`` against a ``(3, n_time)`` Sun gives ``(n_sat, n_time)``).
    sun_dir_teme : array_like
        Sun direction (need not be unit length; a position works), shape ``(3, *T)``.

    Returns
    -------
    ndarray
        Beta angle [rad].
    """
    s = _components_first("sun_dir_teme", sun_dir_teme)
    s = s / np.linalg.norm(s, axis=0)
    raan, inc = np.broadcast_arrays(np.asarray(raan_rad, float), np.asarray(i_rad, float))
    if raan.ndim == 1 and s.ndim > 1:
        expand = (slice(None),) + (None,) * (s.ndim - 1)
        raan, inc = raan[expand], inc[expand]
    sin_i = np.sin(inc)
    sin_beta = sin_i * np.sin(raan) * s[0] - sin_i * np.cos(raan) * s[1] + np.cos(inc) * s[2]
    return np.arcsin(np.clip(sin_beta, -1.0, 1.0))


class EclipseEvents(NamedTuple):
    """Eclipses found by :func:`eclipse_events`, one row per eclipse, sorted by satellite, time.

    Attributes
    ----------
    sat_index : ndarray of intp
        Row of the satellite in the ``fraction`` array.
    t_entry_s : ndarray of float
        Entry time [s] (fraction falls below the threshold); NaN if the satellite is already
        in eclipse at the first sample.
    t_exit_s : ndarray of float
        Exit time [s] (fraction back at or above the threshold); NaN if the eclipse is still
        going on at the last sample.
    """

    sat_index: NDArray[np.intp]
    t_entry_s: NDArray[np.float64]
    t_exit_s: NDArray[np.float64]

    @property
    def duration_s(self) -> NDArray[np.float64]:
        """Eclipse durations [s] (NaN where the entry or exit is outside the window)."""
        return self.t_exit_s - self.t_entry_s


def eclipse_events(t_s: ArrayLike, fraction: ArrayLike, threshold: float = 0.5) -> EclipseEvents:
    """Eclipse entry and exit times where the sunlit fraction crosses ``threshold``.

    A satellite is "in eclipse" at a sample when ``fraction < threshold``. Crossings between
    samples k and k+1 are located by linear interpolation of the fraction,
    :math:`t = t_k + (f_k - f^*) / (f_k - f_{k+1})\\,(t_{k+1} - t_k)`. With the default 0.5 the
    event is the Sun's centre crossing the Earth's limb, the point-Sun eclipse edge. The fraction
    goes from 1 to 0 in ~10 s in LEO, so a coarse step interpolates across a near-step: measured
    against skyfield ``is_sunlit`` in LEO, a 5 s step gives < 0.5 s, 30 s about 10 s and 60 s up
    to 25 s of timing error (``tests/environment/test_shadow.py``).

    Parameters
    ----------
    t_s : array_like
        Sample times [s], shape ``(n_time,)``, strictly increasing.
    fraction : array_like
        Sunlit fraction, shape ``(n_sat, n_time)`` or ``(n_time,)`` (one satellite). NaN counts
        as not in eclipse.
    threshold : float
        Fraction below which a satellite is in eclipse, in (0, 1].

    Returns
    -------
    EclipseEvents
        Flat arrays ``(sat_index, t_entry_s, t_exit_s)``, one entry per eclipse.
    """
    t = np.asarray(t_s, dtype=float)
    f = np.asarray(fraction, dtype=float)
    if f.ndim == 1:
        f = f[None, :]
    if t.ndim != 1 or f.ndim != 2 or f.shape[1] != t.size:
        raise ValueError(
            f"need t_s (n_time,) and fraction (n_sat, n_time); got {t.shape}, {f.shape}"
        )
    if t.size > 1 and not np.all(np.diff(t) > 0):
        raise ValueError("t_s must be strictly increasing")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; got {threshold}")
    n_time = f.shape[1]
    below = f < threshold
    step = np.diff(below.astype(np.int8), axis=1)
    sat_in, k_in = np.nonzero(step == 1)
    sat_out, k_out = np.nonzero(step == -1)
    t_in = _crossing_time(t, f, sat_in, k_in, threshold)
    t_out = _crossing_time(t, f, sat_out, k_out, threshold)
    # Eclipses open at the window start / still open at its end.
    (start_sats,) = np.nonzero(below[:, 0]) if n_time else (np.zeros(0, np.intp),)
    (end_sats,) = np.nonzero(below[:, -1]) if n_time else (np.zeros(0, np.intp),)
    sat_in = np.concatenate([start_sats, sat_in])
    k_in = np.concatenate([np.full(start_sats.size, -1), k_in])
    t_in = np.concatenate([np.full(start_sats.size, np.nan), t_in])
    sat_out = np.concatenate([sat_out, end_sats])
    k_out = np.concatenate([k_out, np.full(end_sats.size, n_time)])
    t_out = np.concatenate([t_out, np.full(end_sats.size, np.nan)])
    order_in = np.lexsort((k_in, sat_in))
    order_out = np.lexsort((k_out, sat_out))
    return EclipseEvents(
        sat_index=sat_in[order_in].astype(np.intp),
        t_entry_s=t_in[order_in],
        t_exit_s=t_out[order_out],
    )


def _crossing_time(
    t: NDArray[np.float64],
    f: NDArray[np.float64],
    sat: NDArray[np.intp],
    k: NDArray[np.intp],
    threshold: float,
) -> NDArray[np.float64]:
    f0, f1 = f[sat, k], f[sat, k + 1]
    w = (f0 - threshold) / (f0 - f1)
    w = np.where(np.isfinite(w), np.clip(w, 0.0, 1.0), 0.5)
    return t[k] + w * (t[k + 1] - t[k])


def eclipse_fraction_circular(
    beta_rad: ArrayLike, a_m: ArrayLike, earth_radius_m: float = EARTH_MEAN_RADIUS_M
) -> NDArray[np.float64]:
    """Fraction of a circular orbit spent in the Earth's cylindrical shadow.

    .. math::

        f_E = \\frac{1}{\\pi}\\arccos\\frac{\\sqrt{h^2 + 2 R h}}{a \\cos\\beta}
        \\quad\\text{if } |\\beta| < \\beta^* = \\arcsin\\frac{R}{a},\\ \\text{else } 0,

    with :math:`h = a - R` (so :math:`\\sqrt{h^2 + 2Rh} = \\sqrt{a^2 - R^2}`). This is the
    eclipse-fraction formula of the thermal-environment literature: Rickman, S. L. (NASA JSC),
    "Introduction to Orbital Mechanics and Spacecraft Attitudes for Thermal Engineers", NASA
    TFAWS short course; Gilmore (ed.) 2002, "Spacecraft Thermal Control Handbook", Vol. I,
    ch. 2. Derivation: in the orbit plane, a satellite at angle :math:`\\theta` from the
    anti-Sun projection is at distance :math:`a\\sqrt{1 - \\cos^2\\beta\\cos^2\\theta}` from the
    shadow axis; setting this to :math:`R` gives the half-angle above. The Sun is a point at
    infinity (no penumbra), the Earth a sphere of radius ``earth_radius_m``.

    Parameters
    ----------
    beta_rad : array_like
        Beta angle [rad].
    a_m : array_like
        Orbit radius (semi-major axis of the circular orbit) [m], > ``earth_radius_m``.
    earth_radius_m : float
        Radius of the shadowing sphere [m].

    Returns
    -------
    ndarray
        Fraction of the orbit period in shadow, in [0, 0.5], broadcast shape of the inputs.
    """
    a = np.asarray(a_m, dtype=float)
    if np.any(a <= earth_radius_m):
        raise ValueError("a_m must exceed earth_radius_m (an orbit above the surface)")
    cos_beta = np.cos(np.asarray(beta_rad, dtype=float))
    ratio = np.sqrt(a * a - earth_radius_m**2) / (a * np.maximum(cos_beta, 1e-300))
    return np.arccos(np.minimum(ratio, 1.0)) / np.pi
