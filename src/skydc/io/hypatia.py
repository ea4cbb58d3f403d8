"""Hypatia's file formats (satgenpy and its ns-3 simulation), read and written.

Layouts as Hypatia's ``satgenpy`` writes and reads them (Kassing et al. 2020,
https://github.com/snkas/hypatia, ``satgenpy/satgen``):

``tles.txt``
    A header ``<n_orbits> <n_sats_per_orbit>``, then three lines per satellite: ``<name> <id>``
    (ids 0, 1, 2, ... in order) and the two TLE lines; satellites plane by plane, slot by slot,
    one epoch for all (``satgen.read_tles`` refuses mixed epochs).
``isls.txt``
    One ISL per line, ``<sat a> <sat b>``; the order numbers each satellite's ISL interfaces.
``ground_stations.txt``
    ``gid,name,latitude,longitude,elevation`` (the *basic* form, no header; gids 0, 1, ... in
    order) or the *extended* form with ``cartesian_x,cartesian_y,cartesian_z`` [m] appended
    (``satgen.extend_ground_stations``: WGS-72, a = 6378135 m, f = 1/298.26). Read: the
    Cartesian columns are ignored (skydc places stations on WGS-84 from the geodetic columns,
    metres apart). Written: extended, Cartesian on WGS-72 as satgenpy computes it.
``fstate_<t_ns>.txt``
    Forwarding state at ``t_ns`` nanoseconds after the epoch, one line per (node, destination
    ground station): ``current,destination,next_hop,my_interface,next_hop_interface`` (node ids:
    satellites ``0 .. n_sat-1``, station ``g`` is ``n_sat + g``; ``-1,-1,-1`` no route).
    Interfaces: a satellite's ISLs first (numbered in ``isls.txt`` order), then its one GSL
    interface; a station's one GSL interface is 0 (``algorithm_free_one_only_over_isls``). skydc
    writes the full state at every instant (Hypatia writes only changes after the first; ns-3
    applies either the same way).
``gsl_if_bandwidth_<t_ns>.txt``, ``gsl_interfaces_info.txt``, ``description.txt``
    One GSL interface of bandwidth 1 per node, and the GSL/ISL length limits, as
    ``satgen.generate_simple_gsl_interfaces_info`` and ``generate_description`` write them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sgp4.api import Satrec
from sgp4.exporter import export_tle

from skydc.errors import ScenarioError
from skydc.io.text import read_utf8
from skydc.network.ground import GroundStations
from skydc.network.routing import ForwardingState
from skydc.orbits.tle import parse_tle, tle_checksum

__all__ = [
    "WGS72_A_M",
    "WGS72_F",
    "HypatiaTles",
    "geodetic_to_cartesian_wgs72",
    "is_hypatia_ground_stations",
    "is_hypatia_tles",
    "isl_interfaces",
    "read_fstate",
    "read_ground_stations",
    "read_isls",
    "read_tles",
    "write_fstate",
    "write_ground_stations",
    "write_gsl_files",
    "write_gsl_if_bandwidth",
    "write_isls",
    "write_tles",
]

# WGS-72, as satgenpy's geodetic2cartesian uses it
WGS72_A_M = 6378135.0
WGS72_F = 1.0 / 298.26
_HEADER = re.compile(r"^\s*(\d+)\s+(\d+)\s*$")
_DEFAULT_MIN_ELEVATION_DEG = 25.0  # Hypatia's files carry no mask; skydc's CSV default


def _text(path: str | Path) -> str:
    return read_utf8(path)


def _first_line(path: str | Path) -> str:
    for line in _text(path).splitlines():
        if line.strip():
            return line
    return ""


# --- tles.txt -----------------------------------------------------------------------------------


class HypatiaTles:
    """A Hypatia ``tles.txt``: the declared plane layout and the satellites in file order."""

    def __init__(
        self, n_orbits: int, n_sats_per_orbit: int, records: list[tuple[str, Satrec]]
    ) -> None:
        self.n_orbits = n_orbits
        self.n_sats_per_orbit = n_sats_per_orbit
        self.records = records


def is_hypatia_tles(path: str | Path) -> bool:
    """Whether a TLE file starts with Hypatia's ``<n_orbits> <n_sats_per_orbit>`` header."""
    return bool(_HEADER.match(_first_line(path)))


def read_tles(path: str | Path) -> HypatiaTles:
    """Read a Hypatia ``tles.txt`` (module docstring); every TLE line is checked as
    :func:`skydc.orbits.tle.read_tle` checks it.

    Raises
    ------
    ScenarioError
        A missing header, a bad TLE line (named by line number), or a satellite count that is
        not ``n_orbits * n_sats_per_orbit``.
    """
    file = str(path)
    lines = _text(path).splitlines()
    k = next((n for n, line in enumerate(lines) if line.strip()), None)
    match = _HEADER.match(lines[k]) if k is not None else None
    if k is None or match is None:
        raise ScenarioError(
            "line 1: expected Hypatia's header '<n_orbits> <n_sats_per_orbit>'", file=file
        )
    n_orbits, per_orbit = int(match.group(1)), int(match.group(2))
    lines[k] = ""  # keep the line numbers of the rest
    records = parse_tle("\n".join(lines), file)
    if len(records) != n_orbits * per_orbit:
        raise ScenarioError(
            f"line {k + 1}: the header declares {n_orbits} x {per_orbit} = "
            f"{n_orbits * per_orbit} satellites, the file holds {len(records)}",
            file=file,
        )
    return HypatiaTles(n_orbits, per_orbit, records)


def write_tles(
    path: str | Path,
    satrecs: Sequence[Satrec],
    n_orbits: int,
    n_sats_per_orbit: int,
    constellation_name: str = "skydc",
) -> None:
    """Write satellites as Hypatia's ``tles.txt``: header, then ``<name> <id>`` and the TLE lines
    (``sgp4.exporter.export_tle``); satellite ``k`` gets catalog number ``k + 1`` as satgenpy's
    generator gives it. The caller orders them plane by plane and gives them one epoch."""
    if n_orbits * n_sats_per_orbit != len(satrecs):
        raise ValueError(
            f"{n_orbits} x {n_sats_per_orbit} does not match {len(satrecs)} satellites"
        )
    name = constellation_name.replace(" ", "_")
    out = [f"{n_orbits} {n_sats_per_orbit}"]
    for k, sat in enumerate(satrecs):  # sgp4's exporter works one Satrec at a time
        line1, line2 = export_tle(sat)
        number = f"{k % 99999 + 1:05d}"  # five digits: beyond 99,999 satellites they repeat
        out += [f"{name} {k}", _renumbered(line1, number), _renumbered(line2, number)]
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def _renumbered(line: str, number: str) -> str:
    """A TLE line with catalog number ``number`` (columns 3-7) and its checksum redone."""
    body = line[:2] + number + line[7:68]
    return body + str(tle_checksum(body))


# --- isls.txt -----------------------------------------------------------------------------------


def write_isls(path: str | Path, i: ArrayLike, j: ArrayLike) -> None:
    """Write ISLs as ``<a> <b>`` lines (``a < b`` as satgenpy writes them)."""
    a, b = np.asarray(i, np.int64), np.asarray(j, np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    Path(path).write_text("".join(f"{x} {y}\n" for x, y in zip(lo, hi, strict=True)), "utf-8")


def read_isls(path: str | Path) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Read ``isls.txt``: the two ends of every ISL, in file order."""
    rows = [line.split() for line in _text(path).splitlines() if line.strip()]
    bad = next(
        (n for n, r in enumerate(rows, 1) if len(r) != 2 or not all(c.isdigit() for c in r)), 0
    )
    if bad:
        raise ScenarioError(f"line {bad}: expected '<sat a> <sat b>'", file=str(path))
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


# --- ground_stations.txt ------------------------------------------------------------------------


def is_hypatia_ground_stations(path: str | Path) -> bool:
    """Whether a station file is Hypatia's (no header: the first cell is a gid)."""
    first = _first_line(path).split(",")[0].strip()
    return first.isdigit()


def read_ground_stations(path: str | Path) -> GroundStations:
    """Read Hypatia's basic (5 columns) or extended (8 columns) ``ground_stations.txt``.

    Stations get skydc's CSV defaults for what Hypatia's files do not say: elevation mask 25 deg,
    RF, unlimited capacity, always available.

    Raises
    ------
    ScenarioError
        Naming the line and column of the first bad cell.
    """
    file = str(path)
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(_text(path))), 1) if r]
    names: list[str] = []
    values: list[tuple[float, float, float]] = []
    for gid, (lineno, row) in enumerate(rows):
        if len(row) not in (5, 8):
            raise ScenarioError(
                f"expected 5 cells (gid,name,latitude,longitude,elevation) or 8 (extended, "
                f"with cartesian_x,y,z); got {len(row)}",
                file=file,
                field=f"line {lineno}",
            )
        if row[0].strip() != str(gid):
            raise ScenarioError(
                f"gid must count up from 0 in order: expected {gid}, got {row[0].strip()!r}",
                file=file,
                field=f"line {lineno}, column gid",
            )
        cells = []
        for col, text, low, high in (
            ("latitude", row[2], -90.0, 90.0),
            ("longitude", row[3], -180.0, 360.0),
            ("elevation", row[4], -500.0, 9000.0),
        ):
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not low <= value <= high:
                raise ScenarioError(
                    f"{col} must be a number in [{low:g}, {high:g}], got {text.strip()!r}",
                    file=file,
                    field=f"line {lineno}, column {col}",
                )
            cells.append(value)
        if not row[1].strip():
            raise ScenarioError("name is empty", file=file, field=f"line {lineno}, column name")
        names.append(row[1].strip())
        values.append((cells[0], cells[1], cells[2]))
    if not names:
        raise ScenarioError("the file holds no stations", file=file)
    lat, lon, alt = (np.asarray(v, dtype=np.float64) for v in zip(*values, strict=True))
    n = len(names)
    return GroundStations(
        name=tuple(names),
        latitude_deg=lat,
        longitude_deg=np.where(lon > 180.0, lon - 360.0, lon),
        altitude_m=alt,
        min_elevation_deg=np.full(n, _DEFAULT_MIN_ELEVATION_DEG),
        link_type=("rf",) * n,
        capacity_bps=np.full(n, math.inf),
        weather_availability=np.ones(n),
    )


def geodetic_to_cartesian_wgs72(
    lat_deg: ArrayLike, lon_deg: ArrayLike, alt_m: ArrayLike
) -> NDArray[np.float64]:
    """Earth-fixed position [m], shape (3, n), on WGS-72 (satgenpy's ``geodetic2cartesian``):
    :math:`N = a/\\sqrt{1 - e^2\\sin^2\\phi}`, :math:`x = (N + h)\\cos\\phi\\cos\\lambda`,
    :math:`y = (N + h)\\cos\\phi\\sin\\lambda`, :math:`z = (N(1 - e^2) + h)\\sin\\phi`."""
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    h = np.asarray(alt_m, dtype=float)
    e2 = 2.0 * WGS72_F - WGS72_F**2
    n = WGS72_A_M / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    return np.stack(
        [
            (n + h) * np.cos(lat) * np.cos(lon),
            (n + h) * np.cos(lat) * np.sin(lon),
            (n * (1.0 - e2) + h) * np.sin(lat),
        ]
    )


def write_ground_stations(path: str | Path, stations: GroundStations) -> None:
    """Write stations as Hypatia's extended ``ground_stations.txt`` (Cartesian on WGS-72)."""
    xyz = geodetic_to_cartesian_wgs72(
        stations.latitude_deg, stations.longitude_deg, stations.altitude_m
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for g, name in enumerate(stations.name):
        writer.writerow(
            [
                g,
                name,
                repr(float(stations.latitude_deg[g])),
                repr(float(stations.longitude_deg[g])),
                repr(float(stations.altitude_m[g])),
                repr(float(xyz[0, g])),
                repr(float(xyz[1, g])),
                repr(float(xyz[2, g])),
            ]
        )
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


# --- fstate_<t>.txt -----------------------------------------------------------------------------


def isl_interfaces(
    isl_i: ArrayLike, isl_j: ArrayLike, n_sat: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Hypatia's ISL interface numbers: for the ISLs in file order, the interface each end uses
    (a satellite's interfaces count up in the order its ISLs appear), and ISLs per satellite.

    Returns ``if_i``, ``if_j`` (shape (n_isl,)) and ``num_isls`` (shape (n_sat,)).
    """
    a, b = np.asarray(isl_i, np.int64), np.asarray(isl_j, np.int64)
    ends = np.column_stack([a, b]).ravel()  # a0, b0, a1, b1, ... in the order satgenpy counts
    order = np.argsort(ends, kind="stable")
    sorted_ends = ends[order]
    first = np.searchsorted(sorted_ends, sorted_ends, side="left")
    rank = np.empty_like(ends)
    rank[order] = np.arange(ends.size) - first
    pair = rank.reshape(-1, 2)
    return pair[:, 0], pair[:, 1], np.bincount(ends, minlength=n_sat).astype(np.int64)


def write_fstate(
    path: str | Path, fstate: ForwardingState, isl_i: ArrayLike, isl_j: ArrayLike, n_sat: int
) -> None:
    """Write one instant's forwarding state in Hypatia's format (module docstring).

    ``isl_i``, ``isl_j`` are the ISLs of ``isls.txt`` in its order (they number the interfaces);
    every next hop between satellites must be one of them.
    """
    a, b = np.asarray(isl_i, np.int64), np.asarray(isl_j, np.int64)
    if_a, if_b, num_isls = isl_interfaces(a, b, n_sat)
    # (from, to) -> interface of "from", both directions
    key = np.concatenate([a * n_sat + b, b * n_sat + a])
    iface = np.concatenate([if_a, if_b])
    order = np.argsort(key)
    key, iface = key[order], iface[order]
    dst = fstate.destinations
    n_dst = dst.size
    n_gs = fstate.gs_next_hop.shape[0]
    # satellites towards every destination station
    cur = np.repeat(np.arange(n_sat, dtype=np.int64), n_dst)
    dst_node = np.tile(n_sat + dst, n_sat)
    nxt = fstate.sat_next_hop.reshape(-1).astype(np.int64)
    my_if = np.full(nxt.size, -1, np.int64)
    next_if = np.full(nxt.size, -1, np.int64)
    to_sat = (nxt >= 0) & (nxt < n_sat)
    look = cur[to_sat] * n_sat + nxt[to_sat]
    pos = np.searchsorted(key, look)
    if look.size and (pos.max() >= key.size or np.any(key[np.minimum(pos, key.size - 1)] != look)):
        raise ValueError("a next hop between satellites is not an ISL of isls.txt")
    my_if[to_sat] = iface[pos]
    back = nxt[to_sat] * n_sat + cur[to_sat]
    next_if[to_sat] = iface[np.searchsorted(key, back)]
    to_gs = nxt >= n_sat
    my_if[to_gs] = num_isls[cur[to_gs]]  # the satellite's GSL interface follows its ISLs
    next_if[to_gs] = 0
    # stations towards every other destination station
    g_cur = np.repeat(np.arange(n_gs, dtype=np.int64), n_dst)
    g_dst = np.tile(dst, n_gs)
    g_nxt = fstate.gs_next_hop.reshape(-1).astype(np.int64)
    keep = g_cur != g_dst
    g_cur, g_dst, g_nxt = g_cur[keep], g_dst[keep], g_nxt[keep]
    g_my = np.where(g_nxt >= 0, 0, -1)
    g_next_if = np.where(g_nxt >= 0, num_isls[np.maximum(g_nxt, 0)], -1)
    table = np.concatenate(
        [
            np.column_stack([cur, dst_node, nxt, my_if, next_if]),
            np.column_stack([n_sat + g_cur, n_sat + g_dst, g_nxt, g_my, g_next_if]),
        ]
    )
    buf = io.StringIO()
    np.savetxt(buf, table, fmt="%d", delimiter=",")
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def read_fstate(path: str | Path) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Read ``fstate_<t>.txt``: ``(current, destination) -> (next_hop, my_if, next_if)``."""
    text = _text(path)
    if not text.strip():
        return {}
    arr = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    return {(int(r[0]), int(r[1])): (int(r[2]), int(r[3]), int(r[4])) for r in arr}


def write_gsl_files(
    folder: Path, n_sat: int, n_gs: int, max_gsl_m: float, max_isl_m: float
) -> None:
    """``gsl_interfaces_info.txt`` (one GSL interface of bandwidth 1 per node) and
    ``description.txt`` (the length limits) in ``folder``."""
    nodes = np.arange(n_sat + n_gs)
    (folder / "gsl_interfaces_info.txt").write_text(
        "".join(f"{k},1,1.000000\n" for k in nodes), encoding="utf-8"
    )
    (folder / "description.txt").write_text(
        f"max_gsl_length_m={max_gsl_m!r}\nmax_isl_length_m={max_isl_m!r}\n", encoding="utf-8"
    )


def write_gsl_if_bandwidth(path: str | Path, num_isls: ArrayLike, n_gs: int) -> None:
    """``gsl_if_bandwidth_<t>.txt``: ``node,interface,bandwidth`` for every node's GSL
    interface (a satellite's comes after its ISLs), bandwidth 1 as satgenpy's
    ``algorithm_free_one_only_over_isls`` writes it."""
    isls = np.asarray(num_isls, np.int64)
    n_sat = isls.size
    lines = [f"{s},{isls[s]},1.000000\n" for s in range(n_sat)]  # formatting, one line each
    lines += [f"{n_sat + g},0,1.000000\n" for g in range(n_gs)]
    Path(path).write_text("".join(lines), encoding="utf-8")
