"""Downlink capacity: the bits per day the ground segment can take from each satellite.

Station contacts come from the same geometry as the ground links (:func:`skydc.network.ground.
ground_links`): at every instant of a fine grid, the satellites above each station's mask. The
budget, per satellite and instant :math:`t` (rectangle rule, step :math:`\\Delta t`):

- each visible station :math:`s` offers the rate :math:`r_s = \\min(R_{\\text{type}(s)}, C_s,
  C_s / n_s(t))`: the satellite's downlink terminal for the station's link type
  (``data/downlink_terminals.toml``), the station's capacity, and that capacity shared equally
  among the :math:`n_s(t)` satellites the station sees (a station of infinite capacity is not
  limiting);
- station :math:`s` is clear with probability :math:`a_s` (its weather availability: cloud-free
  line of sight for optical sites, rain availability for RF gateways), independently of the other
  sites (an assumption: correlated cloud cover makes this an upper bound, del Portillo et al.
  2017);
- the satellite downlinks to the best clear station, so its expected rate is
  :math:`E = \\sum_k r_{(k)} a_{(k)} \\prod_{j<k} (1 - a_{(j)})` with the stations sorted by
  rate, fastest first; with equal rates this is :math:`r\\,[1 - \\prod_s (1 - a_s)]`, the site
  diversity availability (:func:`site_diversity`).

The loss against a satellite that always downlinks at the fastest rate any station offers
(:math:`R_{\\text{peak}}`) splits into three factors whose product is the delivered share:
*contact* (share of satellite-time with a station in view), *rate* (the rate got while in
contact, all skies clear, over :math:`R_{\\text{peak}}`) and *weather* (expected over clear-sky
bits). The smallest is the binding limit.

References
----------
del Portillo, I., Sanchez, M., Cameron, B., Crawley, E. (2017). Optimal location of optical
ground stations to serve LEO spacecraft. IEEE Aerospace Conference.
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., Sec. 4.4
(elevation), Sec. 11.3 (visibility).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

__all__ = [
    "BINDING_LIMITS",
    "DownlinkClass",
    "DownlinkTally",
    "contact_triples",
    "downlink_classes",
    "expected_rate_bps",
    "overhead_pass_duration_s",
    "site_diversity",
    "tally_downlink",
]

BINDING_LIMITS = ("contact time", "terminal rate", "weather")
_A_MAX = 1.0 - 1e-12  # availability clamp: keeps log(1 - a) finite (a = 1 leaves 1e-12)


@dataclass(frozen=True)
class DownlinkClass:
    """A satellite-to-ground downlink class (one per station link type)."""

    name: str
    description: str
    data_rate_bps: float
    weather_availability: float
    source: str
    year: int


@cache
def _classes() -> tuple[DownlinkClass, ...]:
    text = (files("skydc") / "data" / "downlink_terminals.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)["terminals"]
    return tuple(
        DownlinkClass(
            name=name,
            description=str(e["description"]),
            data_rate_bps=float(e["data_rate_bps"]),
            weather_availability=float(e["weather_availability"]),
            source=str(e["source"]),
            year=int(e["year"]),
        )
        for name, e in raw.items()
    )


def downlink_classes() -> dict[str, DownlinkClass]:
    """The downlink classes by link type (``rf``, ``optical``), a new dict on each call."""
    return {c.name: c for c in _classes()}


def site_diversity(availability: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Probability that at least one of several independent sites is clear:
    :math:`1 - \\prod_s (1 - a_s)` along ``axis``."""
    a = np.asarray(availability, dtype=float)
    return np.asarray(1.0 - np.prod(1.0 - a, axis=axis), dtype=np.float64)


def expected_rate_bps(rate_bps: ArrayLike, availability: ArrayLike) -> float:
    """Expected rate from one satellite that uses the fastest clear station of those given:
    :math:`\\sum_k r_{(k)} a_{(k)} \\prod_{j<k}(1 - a_{(j)})`, fastest first (one instant)."""
    r = np.asarray(rate_bps, dtype=float)
    a = np.asarray(availability, dtype=float)
    order = np.argsort(-r, kind="stable")
    r, a = r[order], a[order]
    before = np.concatenate([[1.0], np.cumprod(1.0 - a)[:-1]])
    return float(np.sum(r * a * before))


def overhead_pass_duration_s(
    orbit_radius_m: float, earth_radius_m: float, min_elevation_rad: float, period_s: float
) -> float:
    """Duration of a pass straight over a station on a sphere, Earth fixed: the satellite is
    above the mask while its Earth-central angle from the station is below
    :math:`\\lambda = \\arccos(R\\cos\\varepsilon / r) - \\varepsilon` (Vallado 2013, Sec.
    11.3), so for :math:`2\\lambda / (2\\pi)` of the period."""
    lam = math.acos(earth_radius_m * math.cos(min_elevation_rad) / orbit_radius_m)
    lam -= min_elevation_rad
    return 2.0 * lam / (2.0 * math.pi) * period_s


def contact_triples(
    r_gs_m: ArrayLike,
    up_gs: ArrayLike,
    min_elevation_rad: ArrayLike,
    r_sat_m: ArrayLike,
    max_range_m: ArrayLike = math.inf,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Every (station, satellite, instant) with the satellite above the station's mask.

    One KD-tree over all satellite-instants of ``r_sat_m`` (shape ``(3, n_sat, n_time)``, Earth
    fixed), asked for the points within each station's slant-range bound of
    :mod:`skydc.network.ground` (the same rule as :func:`~skydc.network.ground.ground_links`:
    geodetic mask and optional range limit), then the exact elevation: memory grows with the
    number of contacts, not ``n_gs * n_sat * n_time``. Keep ``n_sat * n_time`` bounded by
    calling it on chunks of instants. The triples come in no particular order.
    """
    s = np.asarray(r_sat_m, dtype=float)
    if s.ndim != 3 or s.shape[0] != 3:
        raise ValueError(f"satellite positions must have shape (3, n_sat, n_time); got {s.shape}")
    n_time = s.shape[2]
    flat = s.reshape(3, -1)
    finite = np.all(np.isfinite(flat), axis=0)  # failed SGP4 samples are NaN
    index: NDArray[np.int64] | None = None  # None: every sample is finite (no copy to index)
    if finite.all():
        pts = np.ascontiguousarray(flat.T)
    else:
        index = np.nonzero(finite)[0]
        pts = np.ascontiguousarray(flat[:, index].T)
    g = np.asarray(r_gs_m, dtype=float).reshape(3, -1)
    u = np.asarray(up_gs, dtype=float).reshape(3, -1)
    n_gs = g.shape[1]
    el_min = np.broadcast_to(np.asarray(min_elevation_rad, dtype=float), (n_gs,))
    rmax = np.broadcast_to(np.asarray(max_range_m, dtype=float), (n_gs,))
    empty = np.zeros(0, np.int64)
    if pts.shape[0] == 0 or n_gs == 0:
        return empty, empty, empty
    # the slant-range bound of skydc.network.ground (law of cosines, mask widened by 0.5 deg)
    r_max = float(np.sqrt(np.max(np.einsum("ij,ij->i", pts, pts))))
    rho = np.sqrt(np.einsum("ij,ij->j", g, g))
    e_low = np.maximum(el_min - math.radians(0.5), -math.pi / 2)
    bound = np.sqrt(np.maximum(r_max**2 - (rho * np.cos(e_low)) ** 2, 0.0)) - rho * np.sin(e_low)
    bound = np.minimum(bound, rmax) * (1.0 + 1e-9) + 1.0
    # Building the tree over the satellite-instants is the cost (~0.15 s of the ~0.3 s for
    # 576,000 of them): an unbalanced tree of 64-point leaves builds in a third of the time of
    # the default balanced one and answers the same ball queries (the hits are a superset of
    # the contacts, and the exact test below decides). Each station asks for its own bound.
    tree = cKDTree(pts, leafsize=64, balanced_tree=False, compact_nodes=False)
    hits = tree.query_ball_point(np.ascontiguousarray(g.T), bound, return_sorted=False)
    sizes = np.array([len(h) for h in hits], np.int64)
    if not sizes.any():
        return empty, empty, empty
    q = np.concatenate([np.asarray(h, np.int64) for h in hits])
    gs = np.repeat(np.arange(n_gs, dtype=np.int64), sizes)
    d = pts[q].T - g[:, gs]
    rng = np.sqrt(np.einsum("ij,ij->j", d, d))
    el = np.arcsin(np.clip(np.einsum("ij,ij->j", d, u[:, gs]) / np.maximum(rng, 1e-9), -1, 1))
    keep = (el >= el_min[gs]) & (rng <= rmax[gs])
    gs, q = gs[keep], q[keep]
    if index is not None:
        q = index[q]
    return gs, q // n_time, q % n_time


@dataclass(frozen=True)
class DownlinkTally:
    """Sums over a window of instants (add tallies of consecutive chunks with ``+``).

    ``sat_*`` have shape ``(n_sat,)``, ``station_*`` ``(n_gs,)``; bits and seconds over the
    window.
    """

    sat_bits: NDArray[np.float64]
    sat_bits_clear: NDArray[np.float64]
    sat_contact_s: NDArray[np.float64]
    station_bits: NDArray[np.float64]
    station_contact_s: NDArray[np.float64]
    diversity_s: float  # sum over satellite-instants in contact of P(a station is clear) x dt
    window_s: float

    def __add__(self, other: DownlinkTally) -> DownlinkTally:
        return DownlinkTally(
            self.sat_bits + other.sat_bits,
            self.sat_bits_clear + other.sat_bits_clear,
            self.sat_contact_s + other.sat_contact_s,
            self.station_bits + other.station_bits,
            self.station_contact_s + other.station_contact_s,
            self.diversity_s + other.diversity_s,
            self.window_s + other.window_s,
        )


def tally_downlink(
    gs: ArrayLike,
    sat: ArrayLike,
    step: ArrayLike,
    n_gs: int,
    n_sat: int,
    n_steps: int,
    step_s: float,
    link_rate_bps: ArrayLike,
    station_capacity_bps: ArrayLike,
    availability: ArrayLike,
) -> DownlinkTally:
    """The downlink budget of the module docstring over ``n_steps`` instants of ``step_s``.

    Parameters
    ----------
    gs, sat, step : array_like of int, shape (n_contacts,)
        Contacts (:func:`contact_triples`).
    link_rate_bps : array_like, shape (n_gs,)
        Fastest link to one satellite per station: the satellite terminal's rate for its link
        type, capped by the station's capacity.
    station_capacity_bps : array_like, shape (n_gs,)
        Station capacity shared among the satellites in view (``inf``: not limiting).
    availability : array_like, shape (n_gs,)
        Weather availability per station.
    """
    g = np.asarray(gs, dtype=np.int64)
    k = np.asarray(sat, dtype=np.int64)
    t = np.asarray(step, dtype=np.int64)
    link = np.asarray(link_rate_bps, dtype=float)
    cap = np.asarray(station_capacity_bps, dtype=float)
    a = np.clip(np.asarray(availability, dtype=float), 0.0, 1.0)
    zeros_sat, zeros_gs = np.zeros(n_sat), np.zeros(n_gs)
    window = n_steps * step_s
    if g.size == 0:
        return DownlinkTally(zeros_sat, zeros_sat, zeros_sat, zeros_gs, zeros_gs, 0.0, window)
    # station share: its capacity over the satellites it sees at that instant
    gs_t = g * np.int64(n_steps) + t
    n_seen = np.bincount(gs_t, minlength=n_gs * n_steps)[gs_t]
    rate = np.minimum(link[g], cap[g] / n_seen)
    # per satellite-instant, stations fastest first
    key = k * np.int64(n_steps) + t
    order = np.lexsort((g, -rate, key))
    key, g, k, rate = key[order], g[order], k[order], rate[order]
    ag = a[g]
    log_q = np.log1p(-np.minimum(ag, _A_MAX))
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    start = np.maximum.accumulate(np.where(first, np.arange(key.size), 0))
    before = np.cumsum(log_q) - log_q  # sum of log(1 - a) of earlier entries, whole array
    p_used = ag * np.exp(before - before[start])  # clear, and no faster station clear
    bits = rate * p_used * step_s
    last = np.append(first[1:], True)
    all_cloudy = np.exp((before + log_q)[last] - before[first])
    k_first = k[first]
    gs_first = np.unique(gs_t)  # station-instants with a satellite in view

    def count(
        index: NDArray[np.int64], n: int, w: NDArray[np.float64] | None = None
    ) -> NDArray[np.float64]:
        return np.bincount(index, weights=w, minlength=n).astype(np.float64)

    return DownlinkTally(
        sat_bits=count(k, n_sat, bits),
        sat_bits_clear=count(k_first, n_sat, rate[first] * step_s),
        sat_contact_s=count(k_first, n_sat) * step_s,
        station_bits=count(g, n_gs, bits),
        station_contact_s=count(gs_first // n_steps, n_gs) * step_s,
        diversity_s=float(np.sum(1.0 - all_cloudy) * step_s),
        window_s=window,
    )
