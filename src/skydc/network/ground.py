"""Ground stations and users: CSV files, elevation and visibility, satellite choice, handovers.

A ground-station file is CSV with a header row; lines starting with ``#`` are comments.
Columns (:data:`COLUMNS`): ``name``, ``latitude_deg``, ``longitude_deg`` (required) and
``altitude_m`` (height above the WGS-84 ellipsoid, default 0), ``min_elevation_deg``
(default 25, the Starlink/Hypatia mask), ``link_type`` (``optical`` or ``rf``, default ``rf``),
``capacity_bps`` (default ``inf``: not limiting) and ``weather_availability`` (fraction of time
the link is usable, default 1). An empty cell takes the default. Bundled sets
(:data:`BUNDLED`): ``"cities-top100"`` (Hypatia's 100 most populous cities) and
``"ground-station-sites"`` (real satellite ground stations, each with its source) and
``"optical-ground-stations"`` (laser ground-station sites with a clear-sky share per site).

Geometry, in the Earth-fixed frame: the elevation of a satellite at :math:`\\mathbf s` seen
from a station at :math:`\\mathbf g` with geodetic up-vector
:math:`\\hat{\\mathbf u} = (\\cos\\varphi\\cos\\lambda, \\cos\\varphi\\sin\\lambda, \\sin\\varphi)`
is :math:`\\varepsilon = \\arcsin(\\hat{\\mathbf u}\\cdot(\\mathbf s - \\mathbf g) /
|\\mathbf s - \\mathbf g|)` (Vallado 2013, Sec. 4.4, SEZ frame). For many satellites the
candidates are found with a KD-tree: a satellite at radius at most :math:`r` seen at elevation
:math:`\\ge \\varepsilon` from a station at radius :math:`\\rho` is within the slant range
:math:`d = \\sqrt{r^2 - \\rho^2\\cos^2\\varepsilon} - \\rho\\sin\\varepsilon` (law of cosines),
so a ball query of that radius bounds memory at a million satellites.

References
----------
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., Sec. 4.4.
Kassing, S. et al. (2020). Exploring the "Internet from space" with Hypatia. ACM IMC 2020.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from skydc.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M, EARTH_ROTATION_RAD_S
from skydc.errors import ScenarioError
from skydc.io.text import read_utf8
from skydc.orbits.frames import geodetic_to_ecef

__all__ = [
    "BUNDLED",
    "COLUMNS",
    "LINK_TYPES",
    "SATELLITE_CHOICES",
    "GroundLinks",
    "GroundStations",
    "bundled_ground_stations",
    "choose_satellites",
    "elevation_rad",
    "geodetic_up",
    "ground_links",
    "handovers",
    "read_ground_stations",
    "satellite_tree",
    "serving_satellites",
    "serving_satellites_stepwise",
]

COLUMNS = (
    "name",
    "latitude_deg",
    "longitude_deg",
    "altitude_m",
    "min_elevation_deg",
    "link_type",
    "capacity_bps",
    "weather_availability",
)
_REQUIRED = COLUMNS[:3]
_DEFAULTS = {
    "altitude_m": "0",
    "min_elevation_deg": "25",
    "link_type": "rf",
    "capacity_bps": "inf",
    "weather_availability": "1",
}
# (lowest, highest) allowed value of each numeric column
_LIMITS = {
    "latitude_deg": (-90.0, 90.0),
    "longitude_deg": (-180.0, 360.0),
    "altitude_m": (-500.0, 9000.0),  # Dead Sea shore to above Everest
    "min_elevation_deg": (0.0, 90.0),
    "capacity_bps": (0.0, math.inf),
    "weather_availability": (0.0, 1.0),
}
LINK_TYPES = ("optical", "rf")
MAX_STATIONS = 2000  # ~4e6 station pairs per routed instant: the pair tables stay under ~1 GB

BUNDLED = {
    "cities-top100": "cities_top100.csv",
    "ground-station-sites": "ground_station_sites.csv",
    "optical-ground-stations": "optical_ground_stations.csv",
}
SATELLITE_CHOICES = ("highest-elevation", "nearest", "all")


@dataclass(frozen=True)
class GroundStations:
    """Ground stations (or user sites), one entry per station; arrays of shape ``(n_gs,)``."""

    name: tuple[str, ...]
    latitude_deg: NDArray[np.float64]
    longitude_deg: NDArray[np.float64]
    altitude_m: NDArray[np.float64]
    min_elevation_deg: NDArray[np.float64]
    link_type: tuple[str, ...]
    capacity_bps: NDArray[np.float64]
    weather_availability: NDArray[np.float64]

    @property
    def n_gs(self) -> int:
        """Number of stations."""
        return len(self.name)

    def ecef_m(self) -> NDArray[np.float64]:
        """Earth-fixed positions [m], shape ``(3, n_gs)`` (WGS-84)."""
        return geodetic_to_ecef(
            np.radians(self.latitude_deg), np.radians(self.longitude_deg), self.altitude_m
        )

    def up(self) -> NDArray[np.float64]:
        """Geodetic up unit vectors, shape ``(3, n_gs)``."""
        return geodetic_up(np.radians(self.latitude_deg), np.radians(self.longitude_deg))


def _cell(raw: dict[str, str], column: str) -> str:
    value = (raw.get(column) or "").strip()
    return value if value else _DEFAULTS.get(column, "")


def _number(text: str, column: str, where: str, file: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(
            f"{column} must be a number, got {text!r}", file=file, field=where
        ) from None
    low, high = _LIMITS[column]
    if math.isnan(value) or not low <= value <= high:
        raise ScenarioError(
            f"{column} = {text} is outside [{low:g}, {high:g}]", file=file, field=where
        )
    return value


def _parse(text: str, file: str) -> GroundStations:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    lines = [(n, line) for n, line in lines if not line.lstrip().startswith("#")]
    if not lines:
        raise ScenarioError("no header row and no stations", file=file)
    header_line, header = lines[0]
    columns = [c.strip() for c in next(csv.reader([header]))]
    unknown = [c for c in columns if c not in COLUMNS]
    missing = [c for c in _REQUIRED if c not in columns]
    if unknown or missing:
        problem = f"unknown columns {unknown}" if unknown else f"missing columns {missing}"
        raise ScenarioError(
            f"{problem}; columns are {', '.join(COLUMNS)} (the first three required)",
            file=file,
            field=f"line {header_line}",
        )
    rows: dict[str, list[float]] = {c: [] for c in _LIMITS}
    names: list[str] = []
    kinds: list[str] = []
    if len(lines) - 1 > MAX_STATIONS:
        raise ScenarioError(
            f"{len(lines) - 1:,} stations: at most {MAX_STATIONS:,} (every pair is routed at every "
            "sampled instant)",
            file=file,
        )
    for lineno, line in lines[1:]:
        try:
            values = next(csv.reader([line], strict=True))
        except csv.Error as exc:
            raise ScenarioError(
                f"malformed CSV ({exc}); a cell may not span lines",
                file=file,
                field=f"line {lineno}",
            ) from None
        if len(values) != len(columns):
            raise ScenarioError(
                f"expected {len(columns)} cells, got {len(values)}",
                file=file,
                field=f"line {lineno}",
            )
        raw = dict(zip(columns, values, strict=True))
        name = _cell(raw, "name")
        if not name:
            raise ScenarioError("name is empty", file=file, field=f"line {lineno}, column name")
        for column in _LIMITS:
            where = f"line {lineno}, column {column}"
            rows[column].append(_number(_cell(raw, column), column, where, file))
        kind = _cell(raw, "link_type").lower()
        if kind not in LINK_TYPES:
            raise ScenarioError(
                f"link_type must be one of {', '.join(LINK_TYPES)}, got {kind!r}",
                file=file,
                field=f"line {lineno}, column link_type",
            )
        names.append(name)
        kinds.append(kind)
    if not names:
        raise ScenarioError("the file holds no stations", file=file)
    arrays = {c: np.asarray(v, dtype=np.float64) for c, v in rows.items()}
    lon = arrays["longitude_deg"]
    return GroundStations(
        name=tuple(names),
        latitude_deg=arrays["latitude_deg"],
        longitude_deg=np.where(lon > 180.0, lon - 360.0, lon),
        altitude_m=arrays["altitude_m"],
        min_elevation_deg=arrays["min_elevation_deg"],
        link_type=tuple(kinds),
        capacity_bps=arrays["capacity_bps"],
        weather_availability=arrays["weather_availability"],
    )


def read_ground_stations(path: str | Path) -> GroundStations:
    """Read and validate a ground-station CSV file (format in the module docstring).

    Raises
    ------
    skydc.errors.ScenarioError
        Naming the file, the line and the column of the first bad value.
    """
    p = Path(path)
    return _parse(read_utf8(p), str(p))


@functools.lru_cache(maxsize=8)
def bundled_ground_stations(name: str) -> GroundStations:
    """A bundled set by name: one of :data:`BUNDLED` (sources in each file's header); parsed
    once per process (every scenario check and every study point asks for it)."""
    if name not in BUNDLED:
        raise ValueError(f"unknown ground-station set {name!r}; bundled sets: {', '.join(BUNDLED)}")
    resource = files("skydc") / "data" / BUNDLED[name]
    return _parse(resource.read_text(encoding="utf-8"), f"skydc/data/{BUNDLED[name]}")


def geodetic_up(lat_rad: ArrayLike, lon_rad: ArrayLike) -> NDArray[np.float64]:
    """Unit normal of the ellipsoid (local vertical) at geodetic latitude and longitude.

    Returns shape ``(3, ...)``.
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat) + 0 * lon])


def elevation_rad(
    r_gs_m: ArrayLike, up_gs: ArrayLike, r_sat_m: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Elevation and slant range of every satellite from every station (dense).

    Parameters
    ----------
    r_gs_m, up_gs : array_like, shape (3, n_gs)
        Station positions [m] and geodetic up vectors (:func:`geodetic_up`).
    r_sat_m : array_like, shape (3, n_sat) or (3, n_sat, n_time)
        Satellite positions, same Earth-fixed frame [m].

    Returns
    -------
    elevation_rad, range_m : ndarray, shape (n_gs, n_sat[, n_time])
        Elevation above the local horizon [rad] and distance [m]. Memory grows as
        ``n_gs * n_sat * n_time``; for large sets use :func:`ground_links`.
    """
    g = np.asarray(r_gs_m, dtype=float)
    u = np.asarray(up_gs, dtype=float)
    s = np.asarray(r_sat_m, dtype=float)
    extra = (1,) * (s.ndim - 1)
    d = s[:, None] - g.reshape(3, -1, *extra)
    rng = np.sqrt(np.einsum("i...,i...->...", d, d))
    dot = np.einsum("i...,i...->...", d, u.reshape(3, -1, *extra))
    return np.arcsin(np.clip(dot / rng, -1.0, 1.0)), rng


@dataclass(frozen=True)
class GroundLinks:
    """Station-satellite links of one time step (one row per link), sorted by station."""

    gs: NDArray[np.int64]
    sat: NDArray[np.int64]
    length_m: NDArray[np.float64]
    elevation_rad: NDArray[np.float64]

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.gs.shape[0])


def _slant_range_bound(
    g: NDArray[np.float64], el_min: NDArray[np.float64], rmax: NDArray[np.float64], r_sat_max: float
) -> NDArray[np.float64]:
    """Longest slant range [m] at which a satellite at radius <= ``r_sat_max`` can be above
    each station's mask (module docstring), capped by ``rmax``."""
    rho = np.sqrt(np.einsum("ij,ij->j", g, g))
    # Geodetic and geocentric verticals differ by < 0.2 deg: widen the bound by 0.5 deg.
    e_low = np.maximum(el_min - math.radians(0.5), -math.pi / 2)
    bound = np.sqrt(np.maximum(r_sat_max**2 - (rho * np.cos(e_low)) ** 2, 0.0)) - rho * np.sin(
        e_low
    )
    return np.asarray(np.minimum(bound, rmax) * (1.0 + 1e-9) + 1.0, dtype=np.float64)


def satellite_tree(s: NDArray[np.float64]) -> cKDTree:
    """KD-tree of satellite positions (3, n) for :func:`ground_links` and
    :func:`skydc.network.isl.nearest_in_range_links`; unbalanced (sliding-midpoint splits):
    a third of the build time at 10^6 points, queries as fast."""
    return cKDTree(np.ascontiguousarray(s.T), balanced_tree=False, compact_nodes=False)


def _workers(n_points: int) -> int:
    """Threads of a ball query: one below 10^5 points, where starting threads costs more than
    it saves (and two threads on two loaded cores wait on each other)."""
    return -1 if n_points >= 100_000 else 1


def _ball_pairs(
    tree: cKDTree, g: NDArray[np.float64], radius_m: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(station, satellite) of every satellite within ``radius_m`` of each station."""
    hits = tree.query_ball_point(
        np.ascontiguousarray(g.T), radius_m, workers=_workers(tree.n), return_sorted=False
    )
    counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=g.shape[1])
    gs = np.repeat(np.arange(g.shape[1], dtype=np.int64), counts)
    if not counts.sum():
        return gs, np.zeros(0, np.int64)
    return gs, np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])


def ground_links(
    r_gs_m: ArrayLike,
    up_gs: ArrayLike,
    min_elevation_rad: ArrayLike,
    r_sat_m: ArrayLike,
    max_range_m: ArrayLike = math.inf,
    tree: cKDTree | None = None,
) -> GroundLinks:
    """Every satellite above each station's elevation mask (and within range), one time step.

    Candidates come from a KD-tree ball query of the slant-range bound in the module docstring
    (memory ~ number of visible pairs, not ``n_gs * n_sat``), then the exact elevation is
    checked.

    Parameters
    ----------
    r_gs_m, up_gs : array_like, shape (3, n_gs)
        Station positions [m] and up vectors.
    min_elevation_rad : array_like, shape () or (n_gs,)
        Elevation mask [rad].
    r_sat_m : array_like, shape (3, n_sat)
        Satellite positions [m].
    max_range_m : array_like, shape () or (n_gs,)
        Longest link [m] (Hypatia's rule is a range limit; default none).
    tree : scipy.spatial.cKDTree, optional
        A tree already built on ``r_sat_m.T``.

    Returns
    -------
    GroundLinks
    """
    g = np.asarray(r_gs_m, dtype=float).reshape(3, -1)
    u = np.asarray(up_gs, dtype=float).reshape(3, -1)
    s = np.asarray(r_sat_m, dtype=float)
    if s.ndim != 2 or s.shape[0] != 3:
        raise ValueError(f"satellite positions must have shape (3, n_sat); got {s.shape}")
    n_gs = g.shape[1]
    el_min = np.broadcast_to(np.asarray(min_elevation_rad, dtype=float), (n_gs,))
    rmax = np.broadcast_to(np.asarray(max_range_m, dtype=float), (n_gs,))
    if s.shape[1] == 0 or n_gs == 0:
        empty = np.zeros(0, np.int64)
        return GroundLinks(empty, empty, np.zeros(0), np.zeros(0))
    r_sat_max = float(np.sqrt(np.max(np.einsum("ij,ij->j", s, s))))
    bound = _slant_range_bound(g, el_min, rmax, r_sat_max)
    tree = tree if tree is not None else satellite_tree(s)
    gs, sat = _ball_pairs(tree, g, bound)
    d = s[:, sat] - g[:, gs]
    rng = np.sqrt(np.einsum("ij,ij->j", d, d))
    el = np.arcsin(np.clip(np.einsum("ij,ij->j", d, u[:, gs]) / rng, -1.0, 1.0))
    keep = (el >= el_min[gs]) & (rng <= rmax[gs])
    order = np.argsort(gs[keep] * np.int64(s.shape[1]) + sat[keep])
    return GroundLinks(
        gs=gs[keep][order],
        sat=sat[keep][order],
        length_m=rng[keep][order],
        elevation_rad=el[keep][order],
    )


def choose_satellites(links: GroundLinks, choice: str = "highest-elevation") -> GroundLinks:
    """Keep, per station, the satellite(s) it connects to.

    Parameters
    ----------
    links : GroundLinks
        All visible links.
    choice : str
        ``"highest-elevation"`` (one per station), ``"nearest"`` (one per station, shortest
        link) or ``"all"`` (every visible satellite: free choice left to routing).

    Returns
    -------
    GroundLinks
        The kept links; a station that sees no satellite has none.
    """
    if choice not in SATELLITE_CHOICES:
        raise ValueError(
            f"unknown satellite choice {choice!r}; valid choices: {', '.join(SATELLITE_CHOICES)}"
        )
    if choice == "all" or links.n_links == 0:
        return links
    score = -links.elevation_rad if choice == "highest-elevation" else links.length_m
    order = np.lexsort((links.sat, score, links.gs))
    first = np.ones(order.size, dtype=bool)
    first[1:] = links.gs[order][1:] != links.gs[order][:-1]
    pick = order[first]
    return GroundLinks(
        links.gs[pick], links.sat[pick], links.length_m[pick], links.elevation_rad[pick]
    )


def serving_satellites(
    r_gs_m: ArrayLike,
    up_gs: ArrayLike,
    min_elevation_rad: ArrayLike,
    r_sat_m: ArrayLike,
    choice: str = "highest-elevation",
) -> NDArray[np.int64]:
    """The satellite each station uses at each time step (dense: small sets).

    Parameters
    ----------
    r_gs_m, up_gs : array_like, shape (3, n_gs)
        Stations [m] and up vectors.
    min_elevation_rad : array_like, shape () or (n_gs,)
        Elevation mask [rad].
    r_sat_m : array_like, shape (3, n_sat, n_time)
        Satellite positions over time [m].
    choice : str
        ``"highest-elevation"`` or ``"nearest"``.

    Returns
    -------
    ndarray of int64, shape (n_gs, n_time)
        Satellite index, -1 where no satellite is above the mask.
    """
    if choice not in ("highest-elevation", "nearest"):
        raise ValueError(f"choice must be 'highest-elevation' or 'nearest', got {choice!r}")
    el, rng = elevation_rad(r_gs_m, up_gs, r_sat_m)
    mask = np.asarray(min_elevation_rad, dtype=float).reshape(-1, *(1,) * (el.ndim - 1))
    visible = el >= mask
    score = np.where(visible, el if choice == "highest-elevation" else -rng, -np.inf)
    best = np.argmax(score, axis=1)
    return np.where(visible.any(axis=1), best, -1).astype(np.int64)


# Bounds on how far a satellite moves in the Earth-fixed frame: no bound orbit is faster than
# the escape speed at the Earth's surface, plus the frame's rotation at the satellite's radius.
_ESCAPE_SPEED_M_S = math.sqrt(2.0 * EARTH_MU_M3_S2 / EARTH_RADIUS_M)


def _travel_bound_m(r_max_m: float, dt_s: float) -> float:
    """Distance [m] a satellite at radius <= ``r_max_m`` can move in ``dt_s`` (Earth-fixed)."""
    d = _ESCAPE_SPEED_M_S * dt_s
    return d + EARTH_ROTATION_RAD_S * (r_max_m + d) * dt_s


_RADIUS_BIN_M = 50e3  # satellites are binned by radius: one KD-tree and one bound per bin
_MAX_RADIUS_BINS = 16


def _radius_bins(
    r0: NDArray[np.float64],
) -> list[tuple[NDArray[np.int64], float, cKDTree]]:
    """Satellites binned by radius (50 km bins, at most 16 of equal counts): members, highest
    radius [m] and KD-tree of each bin."""
    radius = np.sqrt(np.einsum("ij,ij->j", r0, r0))
    key = np.floor(radius / _RADIUS_BIN_M).astype(np.int64)
    edges = np.unique(key)
    if edges.size > _MAX_RADIUS_BINS:  # merge into bins of equal counts
        edges = np.unique(np.quantile(key, np.linspace(0, 1, _MAX_RADIUS_BINS + 1)[:-1]))
        edges = np.floor(edges).astype(np.int64)
    bin_of = np.searchsorted(edges, key, side="right") - 1
    order = np.argsort(bin_of, kind="stable").astype(np.int64)
    bounds = np.searchsorted(bin_of[order], np.arange(edges.size + 1))
    out = []
    for b in range(edges.size):  # a few radius bins
        members = order[bounds[b] : bounds[b + 1]]
        out.append((members, float(radius[members].max()), satellite_tree(r0[:, members])))
    return out


def _candidate_pairs(
    bins: list[tuple[NDArray[np.int64], float, cKDTree]],
    g: NDArray[np.float64],
    el_min: NDArray[np.float64],
    span_s: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(station, satellite) pairs, grouped by station, that can be above the mask at some time
    within ``span_s`` of the positions the bins were built from: a ball query of the
    slant-range bound at the bin's highest radius plus the travel bound, per radius bin (shells
    at 500 and 2,000 km would otherwise all be searched to the 2,000 km shell's range)."""
    n_gs = g.shape[1]
    parts_gs, parts_sat = [], []
    for members, r_top, tree in bins:
        travel = _travel_bound_m(r_top, span_s)
        reach = _slant_range_bound(g, el_min, np.full(n_gs, np.inf), r_top + travel) + travel
        gs_b, local = _ball_pairs(tree, g, reach)
        parts_gs.append(gs_b)
        parts_sat.append(members[local])
    gs = np.concatenate(parts_gs)
    sat = np.concatenate(parts_sat)
    by_station = np.argsort(gs, kind="stable")
    return gs[by_station], sat[by_station]


def serving_satellites_stepwise(
    r_gs_m: ArrayLike,
    up_gs: ArrayLike,
    min_elevation_rad: ArrayLike,
    positions_m: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    t_s: ArrayLike,
    choice: str = "highest-elevation",
    reseed_s: float = 60.0,
    station_block: int = 100,
) -> NDArray[np.int64]:
    """:func:`serving_satellites` without the dense (station x satellite x step) arrays.

    The window is cut into spans of ``reseed_s``. At the start of each span KD-trees of the
    satellites (one per radius bin) give, per station, the candidates within the visibility
    bound (module docstring) widened by the farthest a satellite can travel in the span
    (:func:`_travel_bound_m`); at each step of the span only those pairs are evaluated and the
    best visible one kept (:func:`choose_satellites`, the same ties as the dense function).
    Memory ~ candidate pairs plus one span of positions, not ``n_gs * n_sat * n_time``.

    Parameters
    ----------
    r_gs_m, up_gs : array_like, shape (3, n_gs)
        Stations [m] and up vectors.
    min_elevation_rad : array_like, shape () or (n_gs,)
        Elevation mask [rad].
    positions_m : callable
        ``positions_m(t_s)``: Earth-fixed positions (3, n_sat, n_t) [m] at times ``t_s`` (called
        once per span: memory ~ satellites x steps of a span).
    t_s : array_like, shape (n_time,)
        Step times [s], increasing.
    choice : str
        ``"highest-elevation"`` or ``"nearest"``.
    reseed_s : float
        Span between KD-trees [s].
    station_block : int
        Stations whose candidate pairs are held at once (~3e6 pairs per 100 stations at 10^6
        satellites).

    Returns
    -------
    ndarray of int64, shape (n_gs, n_time)
        Satellite index, -1 where no satellite is above the mask.
    """
    if choice not in ("highest-elevation", "nearest"):
        raise ValueError(f"choice must be 'highest-elevation' or 'nearest', got {choice!r}")
    g = np.asarray(r_gs_m, dtype=float).reshape(3, -1)
    u = np.asarray(up_gs, dtype=float).reshape(3, -1)
    t = np.asarray(t_s, dtype=float).ravel()
    n_gs = g.shape[1]
    el_min = np.broadcast_to(np.asarray(min_elevation_rad, dtype=float), (n_gs,))
    serving = np.full((n_gs, t.size), -1, dtype=np.int64)
    start = 0
    while start < t.size:  # one span per KD-tree
        stop = int(np.searchsorted(t, t[start] + reseed_s, side="right"))
        r_span = np.moveaxis(positions_m(t[start:stop]), -1, 0).copy()  # (n_t, 3, n_sat)
        if r_span.shape[2] == 0 or n_gs == 0:
            return serving
        bins = _radius_bins(r_span[0])
        span = float(t[stop - 1] - t[start])
        for lo in range(0, n_gs, station_block):  # blocks of stations: memory ~ their pairs
            blk = slice(lo, min(lo + station_block, n_gs))
            gs, sat = _candidate_pairs(bins, g[:, blk], el_min[blk], span)
            has = np.bincount(gs, minlength=blk.stop - lo) > 0  # pairs grouped by station
            starts = np.searchsorted(gs, np.flatnonzero(has))
            group = (np.cumsum(has) - 1)[gs]
            g_pair, u_pair, mask_pair = g[:, lo + gs], u[:, lo + gs], el_min[lo + gs]
            rows = lo + np.flatnonzero(has)
            for k in range(stop - start):  # pairs x one step at a time: memory ~ pairs
                d = r_span[k][:, sat] - g_pair
                rng = np.sqrt(np.einsum("ij,ij->j", d, d))
                el = np.arcsin(np.clip(np.einsum("ij,ij->j", d, u_pair) / rng, -1.0, 1.0))
                score = np.where(
                    el >= mask_pair, el if choice == "highest-elevation" else -rng, -np.inf
                )
                serving[rows, start + k] = _best_per_station(score, sat, group, starts)
        start = stop
    return serving


def _best_per_station(
    score: NDArray[np.float64], sat: NDArray[np.int64], group: NDArray[np.int64],
    starts: NDArray[np.int64],
) -> NDArray[np.int64]:  # fmt: skip
    """Per group of pairs (contiguous, starting at ``starts``; ``group`` of each pair): the
    satellite of highest score, the lowest index among ties (as :func:`choose_satellites`), -1
    where every score is -inf. One pass over the pairs (sorting them cost 1.6 s at 10^6)."""
    top = np.maximum.reduceat(score, starts)
    tied = np.where(score == top[group], sat, np.iinfo(np.int64).max)
    pick = np.minimum.reduceat(tied, starts)
    return np.where(np.isfinite(top), pick, -1)


def handovers(
    serving: ArrayLike, t_s: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Handover events: where a station's serving satellite changes between steps.

    Parameters
    ----------
    serving : array_like of int, shape (n_gs, n_time)
        Serving satellite per step (-1: none), e.g. from :func:`serving_satellites`.
    t_s : array_like, shape (n_time,)
        Times of the steps [s].

    Returns
    -------
    gs, t_s, from_sat, to_sat : ndarray, shape (n_events,)
        Station, time of the first step with the new satellite, old and new satellite (-1 for
        losing or gaining coverage). Sorted by station, then time.
    """
    sv = np.asarray(serving, dtype=np.int64)
    t = np.asarray(t_s, dtype=float)
    if sv.ndim != 2 or t.shape != (sv.shape[1],):
        raise ValueError("serving must be (n_gs, n_time) and t_s (n_time,)")
    gs, k = np.nonzero(sv[:, 1:] != sv[:, :-1])
    return gs.astype(np.int64), t[k + 1], sv[gs, k], sv[gs, k + 1]
