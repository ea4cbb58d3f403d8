"""Formation-flying clusters: relative motion (HCW, Schweighart-Sedwick J2), geometry, drift.

Project Suncatcher (arXiv:2511.19468) flies 81 satellites within a 1 km radius at 650 km in a
dawn-dusk sun-synchronous orbit, nearest neighbours ~100-200 m apart, on passive ("free-orbit")
relative orbits. This module builds such clusters and measures them.

Frame
-----
Relative positions are in the chief's LVLH (Hill) frame, component-first ``(3, n_sat, ...)``:
``x`` radial (up), ``y`` along-track, ``z`` cross-track (orbit normal); the chief is the
cluster centre, a circular reference orbit of radius ``a_m`` and inclination ``i_rad``.

Dynamics (chosen by name, ``model``)
------------------------------------
``"hcw"``
    Hill-Clohessy-Wiltshire: :math:`\\ddot x - 2n\\dot y - 3n^2 x = 0`, :math:`\\ddot y + 2n
    \\dot x = 0`, :math:`\\ddot z + n^2 z = 0` (Clohessy & Wiltshire 1960; Vallado 2013,
    Eq. 6-66 closed form).
``"schweighart-sedwick"``
    The linearised J2 model of Schweighart & Sedwick (2002), Eq. 36-37:
    :math:`\\ddot x - 2nc\\dot y - (5c^2-2)n^2 x = 0`, :math:`\\ddot y + 2nc\\dot x = 0`,
    :math:`c = \\sqrt{1+s}`, :math:`s = \\tfrac{3 J_2 R^2}{8 a^2}(1 + 3\\cos 2i)`; in-plane
    frequency :math:`\\omega = n\\sqrt{2-c^2} = n\\sqrt{1-s}`, no drift when
    :math:`\\dot y_0 = -2nc\\,x_0`. Closed form (derived here from those equations):

    .. math::

        x &= x_p + (x_0 - x_p)\\cos\\omega t + \\tfrac{\\dot x_0}{\\omega}\\sin\\omega t,\\quad
        x_p = \\frac{4n^2c^2 x_0 + 2nc\\,\\dot y_0}{\\omega^2} \\\\
        y &= y_0 + (\\dot y_0 + 2nc\\,x_0 - 2nc\\,x_p)\\,t
             - \\tfrac{2nc}{\\omega}(x_0 - x_p)\\sin\\omega t
             - \\tfrac{2nc}{\\omega^2}\\dot x_0 (1 - \\cos\\omega t)

    which is HCW for :math:`c = 1`. Cross-track: :math:`\\ddot z + (nc)^2 z = 0`; SS's
    differential-inclination terms (their :math:`q` correction and forcing :math:`l`) are left
    out. Measured against the references below it is no better than HCW about a chief that is
    itself propagated (SS linearise about their own J2 reference orbit), so ``"roe-j2"`` is
    the J2 model to use.
``"roe-j2"``
    Relative orbit elements with J2 secular drift (D'Amico 2010, Eq. 2.22 for the map to
    LVLH; Koenig, Guffanti & D'Amico 2017 for the rates, near-circular chief): the state at
    the chief's argument of latitude :math:`u_0` maps to :math:`\\delta a`,
    :math:`\\delta\\lambda`, :math:`\\delta\\mathbf e`, :math:`\\delta\\mathbf i`; then, with
    :math:`\\kappa = \\tfrac34 J_2 (R/a)^2 n`, :math:`P = 3\\cos^2 i - 1`,
    :math:`Q = 5\\cos^2 i - 1`, :math:`S = \\sin 2i`: :math:`\\delta\\mathbf e` turns at
    :math:`\\kappa Q` (apsidal rotation), :math:`\\delta\\dot\\lambda = (-\\tfrac32 n - \\tfrac72
    \\kappa(P+Q) + 7\\kappa\\cos^2 i)\\delta a - 7\\kappa S\\,\\delta i_x`,
    :math:`\\delta\\dot i_y = \\tfrac72\\kappa S\\,\\delta a + 2\\kappa\\sin^2 i\\,\\delta i_x`,
    and the chief's argument of latitude advances at :math:`n + \\kappa(P + Q)`. The states
    are *mean* (orbit-averaged) ones: it reproduces the skydc mean-element J2 propagator
    to 0.2-0.5 m over five orbits for the 1 km clusters below.

What the linear models leave out, measured for the 81-satellite, 1 km clusters below at 650 km SSO
(tests/network/test_formation.py): nonlinearity, 1.7 m (in-plane) and 2.7 m (circular) over an orbit
against a two-body integration; and J2 short-period terms, which matter most at the start. An
*osculating* state built with the HCW no-drift condition at the ascending node drifts along-track by
4.3 m per orbit per 100 m of radial offset in a full two-body + J2 integration (-2 to +4 m per 100 m
depending on where in the orbit it starts): over the first orbit every model is then off by 21-25 m
at the node start (up to 41 m from u = 90 deg), 2-4 % of the cluster radius, while the
nearest-neighbour minimum, median and maximum agree to 0.5 m (in-plane) and 2.4 m (circular).
Stopping that drift is a one-off trim of ~2.4 mm/s per km of radial offset.

Station keeping (:func:`differential_j2_drift`, :func:`j2_hold_delta_v_m_s_per_year`): the
in-plane design has no secular differential J2 drift (< 1e-3 m/s per year); a cross-track
offset made of differential inclination costs ~48 m/s per year per km; holding the J2-free
HCW geometry rigidly costs ~150 m/s per year per km of radius. Suncatcher's "below ~3 m/s per
year per km" lies between the passive and the cross-track figures.

Designs (``design``)
--------------------
``"in-plane"`` (Suncatcher-like)
    2:1 relative ellipses in the orbit plane: a reference layout point :math:`(q_1, q_2)` moves
    as :math:`x = \\tfrac12(q_1\\sin\\omega t + q_2\\cos\\omega t)`,
    :math:`y = q_1\\cos\\omega t - q_2\\sin\\omega t` (HCW). The whole cluster is one linear map
    of the layout with singular values 1 and 1/2, so every separation breathes between its
    layout length and half of it twice per orbit (200 m layout spacing: 100-200 m
    neighbours). All satellites share the orbit plane (no differential inclination, no
    differential nodal drift) and, in dawn-dusk SSO, face the Sun without shading each other.
``"circular"``
    General circular orbits, :math:`z = \\sqrt3\\, x`: the layout turns rigidly in a plane
    tilted 60 deg out of the orbit plane, all separations constant under HCW, at the price of
    differential inclination (J2 nodal drift).

References
----------
Clohessy, W. H., Wiltshire, R. S. (1960). Terminal guidance system for satellite rendezvous.
J. Aerospace Sciences 27(9), 653-658.
Schweighart, S. A., Sedwick, R. J. (2002). High-fidelity linearized J2 model for satellite
formation flight. J. Guidance, Control, and Dynamics 25(6), 1073-1080.
Vallado, D. A. (2013). Fundamentals of Astrodynamics and Applications, 4th ed., Sec. 6.8.
D'Amico, S. (2010). Autonomous formation flying in low Earth orbit. PhD thesis, TU Delft,
Ch. 2 (relative orbit elements, J2 secular drift of the relative inclination vector).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import choice
from skydc.constants import (
    EARTH_J2,
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    JULIAN_YEAR_DAYS,
    SECONDS_PER_DAY,
)
from skydc.network.terminals import LaserTerminal
from skydc.orbits.constellation import sso_inclination_rad
from skydc.orbits.j2 import secular_rates

__all__ = [
    "DESIGNS",
    "MODELS",
    "Cluster",
    "CollisionMargin",
    "J2Drift",
    "NeighbourStats",
    "cluster_initial_state",
    "cluster_isl_rates_bps",
    "collision_margin",
    "concentric_layout_m",
    "differential_j2_drift",
    "hexagonal_layout_m",
    "inertial_to_lvlh",
    "j2_hold_delta_v_m_s_per_year",
    "lvlh_to_inertial",
    "nearest_neighbour_distance_m",
    "nearest_neighbour_stats",
    "pairwise_distances_m",
    "relative_positions_m",
    "schweighart_sedwick_c",
    "suncatcher_cluster",
]

MODELS: Final = ("hcw", "schweighart-sedwick", "roe-j2")
DESIGNS: Final = ("in-plane", "circular")
_YEAR_S: Final = JULIAN_YEAR_DAYS * SECONDS_PER_DAY


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def schweighart_sedwick_c(a_m: ArrayLike, i_rad: ArrayLike) -> NDArray[np.float64]:
    """Schweighart-Sedwick J2 factor :math:`c = \\sqrt{1 + s}` [-] (module docstring).

    :math:`s = \\tfrac{3 J_2 R^2}{8 a^2}(1 + 3\\cos 2i)`; -6.3e-4 at 650 km SSO.
    """
    a = _f(a_m)
    if not np.all(a > EARTH_RADIUS_M):
        raise ValueError("a_m must exceed the Earth's radius")
    s = 3.0 * EARTH_J2 * EARTH_RADIUS_M**2 / (8.0 * a**2) * (1.0 + 3.0 * np.cos(2.0 * _f(i_rad)))
    return np.asarray(np.sqrt(1.0 + s), dtype=np.float64)


def _model_c(model: str, a_m: float, i_rad: float) -> float:
    choice("relative-motion model", model, MODELS)
    return float(schweighart_sedwick_c(a_m, i_rad)) if model == "schweighart-sedwick" else 1.0


def relative_positions_m(
    r0_m: ArrayLike,
    v0_m_s: ArrayLike,
    t_s: ArrayLike,
    a_m: float,
    i_rad: float = 0.0,
    model: str = "hcw",
    u0_rad: float = 0.0,
) -> NDArray[np.float64]:
    """Closed-form relative positions in the chief's LVLH frame (module docstring).

    Parameters
    ----------
    r0_m, v0_m_s
        Initial relative position [m] and velocity [m s^-1] in LVLH, shape ``(3, ...)``.
    t_s
        Times since the initial state [s], shape ``(n_time,)``.
    a_m, i_rad
        Chief orbit radius [m] and inclination [rad] (the inclination only enters J2).
    model
        ``"hcw"``, ``"schweighart-sedwick"`` or ``"roe-j2"``.
    u0_rad
        Chief argument of latitude at ``t = 0`` [rad] (``"roe-j2"`` only; J2 drift of the
        relative inclination vector depends on where the chief starts).

    Returns
    -------
    ndarray
        Positions [m], shape ``(3, ..., n_time)``.
    """
    choice("relative-motion model", model, MODELS)
    r0, v0 = _f(r0_m), _f(v0_m_s)
    if r0.shape[:1] != (3,) or v0.shape != r0.shape:
        raise ValueError("r0_m and v0_m_s must both have shape (3, ...)")
    t = np.atleast_1d(_f(t_s))
    if model == "roe-j2":
        return _roe_j2_positions(r0, v0, t, a_m, i_rad, u0_rad)
    c = _model_c(model, a_m, i_rad)
    n = float(np.sqrt(EARTH_MU_M3_S2 / a_m**3))
    x0, y0, z0 = (r0[k][..., None] for k in range(3))
    vx0, vy0, vz0 = (v0[k][..., None] for k in range(3))
    w = n * np.sqrt(2.0 - c * c)
    nc = n * c
    cw, sw = np.cos(w * t), np.sin(w * t)
    x_p = (4.0 * nc * nc * x0 + 2.0 * nc * vy0) / w**2
    x = x_p + (x0 - x_p) * cw + vx0 / w * sw
    y = (
        y0
        + (vy0 + 2.0 * nc * x0 - 2.0 * nc * x_p) * t
        - 2.0 * nc / w * (x0 - x_p) * sw
        - 2.0 * nc / w**2 * vx0 * (1.0 - cw)
    )
    z = z0 * np.cos(nc * t) + vz0 / nc * np.sin(nc * t)
    return np.stack(np.broadcast_arrays(x, y, z))


def _roe_j2_positions(
    r0: NDArray[np.float64],
    v0: NDArray[np.float64],
    t: NDArray[np.float64],
    a_m: float,
    i_rad: float,
    u0_rad: float,
) -> NDArray[np.float64]:
    n = float(np.sqrt(EARTH_MU_M3_S2 / a_m**3))
    kappa = 0.75 * EARTH_J2 * (EARTH_RADIUS_M / a_m) ** 2 * n
    ci, si = np.cos(i_rad), np.sin(i_rad)
    p, q, s2 = 3.0 * ci * ci - 1.0, 5.0 * ci * ci - 1.0, np.sin(2.0 * i_rad)
    cu, su = np.cos(u0_rad), np.sin(u0_rad)
    x0, y0, z0 = (r0[k][..., None] / a_m for k in range(3))
    vx0, vy0, vz0 = (v0[k][..., None] / (a_m * n) for k in range(3))
    # State -> mean relative orbit elements at the chief's argument of latitude u0 (inverse of
    # D'Amico 2010, Eq. 2.22, Keplerian velocities).
    d_a = 4.0 * x0 + 2.0 * vy0
    ex = (3.0 * x0 + 2.0 * vy0) * cu + vx0 * su
    ey = (3.0 * x0 + 2.0 * vy0) * su - vx0 * cu
    d_l = y0 - 2.0 * (ex * su - ey * cu)
    ix = z0 * su + vz0 * cu
    iy = -z0 * cu + vz0 * su
    # Secular J2 drift (Koenig, Guffanti & D'Amico 2017, near-circular chief).
    u = u0_rad + (n + kappa * (p + q)) * t
    dl_dot = (
        -1.5 * n - 3.5 * kappa * (p + q) + 7.0 * kappa * ci * ci
    ) * d_a - 7.0 * kappa * s2 * ix
    iy_dot = 3.5 * kappa * s2 * d_a + 2.0 * kappa * si * si * ix
    turn = kappa * q * t
    ex_t = ex * np.cos(turn) - ey * np.sin(turn)
    ey_t = ex * np.sin(turn) + ey * np.cos(turn)
    iy_t = iy + iy_dot * t
    cos_u, sin_u = np.cos(u), np.sin(u)
    x = d_a - ex_t * cos_u - ey_t * sin_u
    y = d_l + dl_dot * t + 2.0 * (ex_t * sin_u - ey_t * cos_u)
    z = ix * sin_u - iy_t * cos_u
    return np.stack(np.broadcast_arrays(x, y, z)) * a_m


def concentric_layout_m(
    n_rings: int = 4, radius_m: float = 1000.0, first_ring: int = 8
) -> NDArray[np.float64]:
    """Reference layout: a centre point and rings ``k = 1..n_rings`` of ``k * first_ring`` points.

    Ring ``k`` has radius ``k * radius_m / n_rings``; 4 rings of 8, 16, 24, 32 give 81
    satellites, 250 m apart radially and 196 m along each ring for a 1 km radius. Alternate
    rings are rotated by half a step. Shape ``(2, n)`` [m].
    """
    if n_rings < 0 or first_ring < 1 or not radius_m > 0:
        raise ValueError("need n_rings >= 0, first_ring >= 1 and radius_m > 0")
    k = np.repeat(np.arange(1, n_rings + 1), first_ring * np.arange(1, n_rings + 1))
    j = np.arange(k.size) - first_ring * (k - 1) * k // 2
    angle = 2.0 * np.pi * (j + 0.5 * (k % 2 == 0)) / (first_ring * k)
    rad = k * radius_m / max(n_rings, 1)
    pts = np.stack([rad * np.cos(angle), rad * np.sin(angle)])
    return np.concatenate([np.zeros((2, 1)), pts], axis=1)


def hexagonal_layout_m(n_sat: int = 81, radius_m: float = 1000.0) -> NDArray[np.float64]:
    """Reference layout: the ``n_sat`` triangular-lattice points nearest the centre, scaled so the
    farthest sits at ``radius_m`` (ties broken by angle). Shape ``(2, n_sat)`` [m]."""
    if n_sat < 2 or not radius_m > 0:
        raise ValueError("need n_sat >= 2 and radius_m > 0")
    m = int(np.ceil(np.sqrt(n_sat))) + 2
    i, j = np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1))
    p = np.stack([i.ravel() + 0.5 * j.ravel(), np.sqrt(3.0) / 2.0 * j.ravel()])
    r = np.round(np.hypot(p[0], p[1]), 9)
    order = np.lexsort((np.mod(np.arctan2(p[1], p[0]), 2.0 * np.pi), r))[:n_sat]
    pts = p[:, order]
    return np.asarray(pts * radius_m / np.hypot(pts[0], pts[1]).max(), dtype=np.float64)


def cluster_initial_state(
    layout_m: ArrayLike,
    a_m: float,
    i_rad: float = 0.0,
    design: str = "in-plane",
    model: str = "hcw",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Initial LVLH states that put a layout on passive, drift-free relative orbits.

    With :math:`\\omega` and :math:`c` of ``model`` (HCW: :math:`\\omega = n`, :math:`c = 1`):
    :math:`x_0 = q_2/2`, :math:`\\dot x_0 = \\omega q_1/2`, :math:`y_0 = (nc/\\omega) q_1`,
    :math:`\\dot y_0 = -2nc\\,x_0` (no drift); ``"circular"`` adds :math:`z = \\sqrt3 x`.

    Returns
    -------
    r0_m, v0_m_s
        Shape ``(3, n_sat)`` each [m], [m s^-1].
    """
    choice("cluster design", design, DESIGNS)
    c = _model_c(model, a_m, i_rad)
    q = _f(layout_m)
    if q.ndim != 2 or q.shape[0] != 2:
        raise ValueError("layout_m must have shape (2, n_sat)")
    n = float(np.sqrt(EARTH_MU_M3_S2 / a_m**3))
    w = n * np.sqrt(2.0 - c * c)
    x0, vx0 = 0.5 * q[1], 0.5 * w * q[0]
    k = np.sqrt(3.0) if design == "circular" else 0.0
    r0 = np.stack([x0, n * c / w * q[0], k * x0])
    v0 = np.stack([vx0, -2.0 * n * c * x0, k * vx0])
    return r0, v0


@dataclass(frozen=True)
class Cluster:
    """A cluster design: a chief orbit, a reference layout and the satellites' initial states.

    ``r0_m``, ``v0_m_s`` are LVLH states ``(3, n_sat)`` at ``t = 0`` with the chief at its
    ascending node; :meth:`positions_m` propagates them with ``model``.
    """

    a_m: float
    i_rad: float
    layout_m: NDArray[np.float64]
    r0_m: NDArray[np.float64]
    v0_m_s: NDArray[np.float64]
    design: str
    model: str

    @property
    def n_sat(self) -> int:
        """Number of satellites."""
        return int(self.r0_m.shape[1])

    @property
    def period_s(self) -> float:
        """Keplerian period of the chief orbit [s]."""
        return float(2.0 * np.pi * np.sqrt(self.a_m**3 / EARTH_MU_M3_S2))

    def positions_m(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """LVLH positions, shape ``(3, n_sat, n_time)`` [m]."""
        return relative_positions_m(self.r0_m, self.v0_m_s, t_s, self.a_m, self.i_rad, self.model)


def suncatcher_cluster(
    altitude_m: float = 650e3,
    n_rings: int = 4,
    radius_m: float = 1000.0,
    design: str = "in-plane",
    model: str = "roe-j2",
) -> Cluster:
    """Project Suncatcher's illustrative cluster (arXiv:2511.19468): 81 satellites within 1 km.

    A centre satellite and rings of 8, 16, 24, 32 (:func:`concentric_layout_m`) on passive
    ``design`` relative orbits about a circular sun-synchronous chief at ``altitude_m`` (the
    node's local time does not enter the relative motion). Nearest neighbours breathe between
    ~95 and ~165 m over each orbit for the in-plane design.
    """
    a = EARTH_RADIUS_M + altitude_m
    i = float(sso_inclination_rad(a))
    if np.isnan(i):
        raise ValueError(f"no sun-synchronous orbit at altitude_m = {altitude_m}")
    layout = concentric_layout_m(n_rings, radius_m)
    r0, v0 = cluster_initial_state(layout, a, i, design, model)
    return Cluster(a, i, layout, r0, v0, design, model)


def lvlh_to_inertial(
    r_chief_m: ArrayLike, v_chief_m_s: ArrayLike, rho_m: ArrayLike, rho_dot_m_s: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Deputy inertial state from the chief's and an LVLH relative state.

    :math:`\\mathbf r_d = \\mathbf r_c + C\\boldsymbol\\rho`, :math:`\\mathbf v_d = \\mathbf v_c
    + C(\\dot{\\boldsymbol\\rho} + \\boldsymbol\\omega \\times \\boldsymbol\\rho)`, with
    :math:`C = [\\hat x\\ \\hat y\\ \\hat z]`, :math:`\\hat x = \\mathbf r/r`,
    :math:`\\hat z = \\mathbf h/h`, and the frame rate :math:`\\boldsymbol\\omega = (0, 0, h/r^2)`.
    Chief arrays ``(3, ...)``; relative arrays broadcast against them.
    """
    c, w = _lvlh_axes(r_chief_m, v_chief_m_s)
    rho, rho_dot = _f(rho_m), _f(rho_dot_m_s)
    rel_v = rho_dot + np.stack([-w * rho[1], w * rho[0], np.zeros_like(rho[2])])
    r = _f(r_chief_m) + sum(c[k] * rho[k] for k in range(3))
    v = _f(v_chief_m_s) + sum(c[k] * rel_v[k] for k in range(3))
    return np.asarray(r, dtype=np.float64), np.asarray(v, dtype=np.float64)


def inertial_to_lvlh(
    r_chief_m: ArrayLike, v_chief_m_s: ArrayLike, r_m: ArrayLike, v_m_s: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Inverse of :func:`lvlh_to_inertial`: a deputy's LVLH position and velocity."""
    c, w = _lvlh_axes(r_chief_m, v_chief_m_s)
    dr = _f(r_m) - _f(r_chief_m)
    dv = _f(v_m_s) - _f(v_chief_m_s)
    rho = np.stack([np.sum(c[k] * dr, axis=0) for k in range(3)])
    rho_dot = np.stack([np.sum(c[k] * dv, axis=0) for k in range(3)])
    rho_dot = rho_dot - np.stack([-w * rho[1], w * rho[0], np.zeros_like(rho[2])])
    return rho, rho_dot


def _lvlh_axes(r_m: ArrayLike, v_m_s: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r, v = _f(r_m), _f(v_m_s)
    h = np.cross(r, v, axis=0)
    r_norm = np.linalg.norm(r, axis=0)
    h_norm = np.linalg.norm(h, axis=0)
    xh, zh = r / r_norm, h / h_norm
    yh = np.cross(zh, xh, axis=0)
    return np.stack([xh, yh, zh]), h_norm / r_norm**2


def pairwise_distances_m(r_m: ArrayLike) -> NDArray[np.float64]:
    """Distances between every pair of satellites, ``(3, n, ...)`` -> ``(n, n, ...)`` [m]."""
    r = _f(r_m)
    d2 = sum((r[k][:, None] - r[k][None, :]) ** 2 for k in range(3))
    return np.asarray(np.sqrt(d2), dtype=np.float64)


def nearest_neighbour_distance_m(r_m: ArrayLike) -> NDArray[np.float64]:
    """Distance from each satellite to its nearest neighbour, ``(3, n, ...)`` -> ``(n, ...)``."""
    d = pairwise_distances_m(r_m)
    n = d.shape[0]
    eye = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (d.ndim - 2))
    return np.asarray(np.where(eye, np.inf, d).min(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class NeighbourStats:
    """Nearest-neighbour distance over all satellites and times: min, median, max [m]."""

    min_m: float
    median_m: float
    max_m: float


def nearest_neighbour_stats(r_m: ArrayLike) -> NeighbourStats:
    """Min / median / max of :func:`nearest_neighbour_distance_m` over satellites and times."""
    nn = nearest_neighbour_distance_m(r_m)
    return NeighbourStats(float(nn.min()), float(np.median(nn)), float(nn.max()))


@dataclass(frozen=True)
class CollisionMargin:
    """Closest approach in a cluster over the sampled times.

    ``min_distance_m`` between satellites ``pair`` at time index ``time_index``;
    ``margin_m = min_distance_m - keep_out_radius_m`` (negative: a keep-out violation).
    """

    min_distance_m: float
    pair: tuple[int, int]
    time_index: int
    keep_out_radius_m: float
    margin_m: float


def collision_margin(r_m: ArrayLike, keep_out_radius_m: float) -> CollisionMargin:
    """Minimum pairwise distance over all pairs and times against a keep-out sphere radius.

    ``r_m`` has shape ``(3, n_sat, n_time)``; sample finely enough (e.g. 200 steps per orbit)
    that the closest approach between samples is not missed.
    """
    if not keep_out_radius_m >= 0:
        raise ValueError("keep_out_radius_m must be >= 0")
    d = pairwise_distances_m(r_m)
    if d.ndim != 3:
        raise ValueError("r_m must have shape (3, n_sat, n_time)")
    n = d.shape[0]
    d = np.where(np.eye(n, dtype=bool)[:, :, None], np.inf, d)
    i, j, k = np.unravel_index(int(np.argmin(d)), d.shape)
    dmin = float(d[i, j, k])
    return CollisionMargin(
        dmin, (int(min(i, j)), int(max(i, j))), int(k), keep_out_radius_m, dmin - keep_out_radius_m
    )


@dataclass(frozen=True)
class J2Drift:
    """Secular differential-J2 drift of each deputy against the chief, shape ``(n_sat,)``.

    Attributes
    ----------
    node_drift_rad_s
        Differential nodal precession :math:`\\delta\\dot\\Omega` [rad s^-1].
    cross_track_drift_m_s
        Growth rate of the cross-track offset it causes, :math:`a \\sin i\\,\\delta\\dot\\Omega`.
    along_track_drift_m_s
        Along-track drift :math:`a\\,\\delta\\dot u` (Keplerian and J2) [m s^-1].
    delta_v_m_s_per_year
        Station keeping to cancel the nodal drift, :math:`v \\sin i |\\delta\\dot\\Omega|`
        over a year [m s^-1 yr^-1].
    along_track_trim_m_s
        One-off tangential trim that stops the along-track drift, :math:`|a\\,\\delta\\dot u|/3`.
    """

    node_drift_rad_s: NDArray[np.float64]
    cross_track_drift_m_s: NDArray[np.float64]
    along_track_drift_m_s: NDArray[np.float64]
    delta_v_m_s_per_year: NDArray[np.float64]
    along_track_trim_m_s: NDArray[np.float64]


def differential_j2_drift(r0_m: ArrayLike, v0_m_s: ArrayLike, a_m: float, i_rad: float) -> J2Drift:
    """Secular J2 drift of deputies given their LVLH states with the chief at its node.

    The states map to mean relative elements (near-circular chief at argument of latitude 0;
    D'Amico 2010, Eq. 2.22 inverted): :math:`\\delta a = (4x + 2\\dot y/n)/a`,
    :math:`\\delta e = \\sqrt{(\\dot x/n)^2 + (3x + 2\\dot y/n)^2}/a`,
    :math:`\\delta i = \\dot z/(n a)`, :math:`\\delta\\Omega = -z/(a \\sin i)`. The deputy and
    chief secular rates come from :func:`skydc.orbits.j2.secular_rates` (J2, J2^2, J4); the
    differences give the drifts. Same-plane (``"in-plane"``) clusters have
    :math:`\\delta i = 0` and no nodal drift; a 1 km cross-track offset made of differential
    inclination costs ~48 m/s per year at 650 km SSO.
    """
    r0, v0 = _f(r0_m), _f(v0_m_s)
    n = float(np.sqrt(EARTH_MU_M3_S2 / a_m**3))
    d_a = (4.0 * r0[0] + 2.0 * v0[1] / n) / a_m
    d_e = np.hypot(v0[0] / n, 3.0 * r0[0] + 2.0 * v0[1] / n) / a_m
    d_i = v0[2] / (n * a_m)
    node_c, argp_c, m_c = secular_rates(a_m, 0.0, i_rad)
    node_d, argp_d, m_d = secular_rates(a_m * (1.0 + d_a), d_e, i_rad + d_i)
    d_node = node_d - node_c
    d_u = (m_d + argp_d) - (m_c + argp_c)
    sin_i = abs(float(np.sin(i_rad)))
    along = a_m * d_u
    return J2Drift(
        node_drift_rad_s=np.asarray(d_node, dtype=np.float64),
        cross_track_drift_m_s=np.asarray(a_m * sin_i * d_node, dtype=np.float64),
        along_track_drift_m_s=np.asarray(along, dtype=np.float64),
        delta_v_m_s_per_year=np.asarray(n * a_m * sin_i * np.abs(d_node) * _YEAR_S),
        along_track_trim_m_s=np.asarray(np.abs(along) / 3.0, dtype=np.float64),
    )


def j2_hold_delta_v_m_s_per_year(
    r_m: ArrayLike, t_s: ArrayLike, a_m: float, i_rad: float
) -> NDArray[np.float64]:
    """Delta-v per year to hold a relative trajectory against the *whole* differential J2 pull.

    :math:`\\Delta v/\\mathrm{yr} = \\langle|\\mathbf a_{J2}(\\mathbf r_d) - \\mathbf
    a_{J2}(\\mathbf r_c)|\\rangle \\times 1\\,\\mathrm{yr}`, averaged over the samples ``t_s`` (one
    or more whole orbits, uniform), with the chief on a circular orbit of radius ``a_m`` and
    inclination ``i_rad`` starting at its ascending node and :math:`\\mathbf a_{J2}` the J2
    point-mass acceleration (Vallado 2013, Eq. 8-30). This is the bound for a controller that keeps
    a J2-free (HCW) geometry exactly; passive designs that absorb J2 (:class:`J2Drift`) need almost
    none of it. ``r_m`` is ``(3, n_sat, n_time)``; returns ``(n_sat,)`` [m s^-1 yr^-1].
    """
    rho = _f(r_m)
    t = np.atleast_1d(_f(t_s))
    if rho.ndim != 3 or rho.shape[0] != 3 or rho.shape[2] != t.size:
        raise ValueError("r_m must have shape (3, n_sat, n_time) matching t_s")
    n = float(np.sqrt(EARTH_MU_M3_S2 / a_m**3))
    cu, su = np.cos(n * t), np.sin(n * t)
    ci, si = np.cos(i_rad), np.sin(i_rad)
    r_c = a_m * np.stack([cu, su * ci, su * si])[:, None, :]
    v_c = a_m * n * np.stack([-su, cu * ci, cu * si])[:, None, :]
    r_d, _ = lvlh_to_inertial(r_c, v_c, rho, np.zeros_like(rho))
    diff = _j2_acceleration(r_d) - _j2_acceleration(r_c)
    return np.asarray(np.linalg.norm(diff, axis=0).mean(axis=-1) * _YEAR_S, dtype=np.float64)


def _j2_acceleration(r_m: NDArray[np.float64]) -> NDArray[np.float64]:
    r = np.linalg.norm(r_m, axis=0)
    z2 = (r_m[2] / r) ** 2
    k = 1.5 * EARTH_J2 * EARTH_MU_M3_S2 * EARTH_RADIUS_M**2 / r**5
    return np.stack(
        [k * r_m[0] * (5 * z2 - 1), k * r_m[1] * (5 * z2 - 1), k * r_m[2] * (5 * z2 - 3)]
    )


def cluster_isl_rates_bps(
    r_m: ArrayLike, terminal: LaserTerminal, links_per_satellite: int | None = None
) -> NDArray[np.float64]:
    """Aggregate outgoing ISL rate of each satellite in a cluster, ``(3, n, ...)`` -> ``(n, ...)``.

    Each satellite points its ``links_per_satellite`` terminals (default: the terminal's
    ``terminals_per_satellite``) at its nearest neighbours; each link carries
    ``terminal.capacity_bps(distance)`` (use ``rate_model="link-budget"`` for the
    distance-limited rate). Links are counted one direction, in the sender's sum.
    """
    k = terminal.terminals_per_satellite if links_per_satellite is None else links_per_satellite
    d = pairwise_distances_m(r_m)
    n = d.shape[0]
    if not 1 <= k < n:
        raise ValueError(f"links_per_satellite must be in [1, {n - 1}]")
    eye = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (d.ndim - 2))
    nearest = np.sort(np.where(eye, np.inf, d), axis=1)[:, :k]
    return np.asarray(terminal.capacity_bps(nearest).sum(axis=1), dtype=np.float64)
