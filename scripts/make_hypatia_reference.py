"""Generate the Hypatia cross-check data: GS-to-GS path lengths on Starlink-550 at t = 0.

Writes ``tests/network/data/hypatia_starlink550_positions.csv`` (the positions routed over) and
``tests/network/data/hypatia_starlink550_t0.csv`` (the path lengths Hypatia's code finds), the
reference of ``tests/network/test_hypatia.py``.

Everything Hypatia decides comes from Hypatia's own code (PyPI ``satgenpy``, the generator of
Kassing et al. 2020), with the settings of its paper's ``main_starlink_550.py``:

* TLEs: ``satgen.generate_tles_from_scratch_manual`` (72 planes x 22, 53 deg, 15.19 rev/day,
  e = 1e-7, phase offset of half a slot in odd planes), epoch 2000-01-01 00:00;
* ISLs: ``satgen.generate_plus_grid_isls`` with ``isl_shift=0``; max ISL length
  ``2 sqrt((R + 550 km)^2 - (R + 80 km)^2)``, R = 6378.135 km;
* ground stations: the 100 most populous cities, ``satgen.extend_ground_stations`` (Hypatia's
  WGS-72 geodetic-to-Cartesian); max GSL length ``sqrt(940.7^2 + 550^2)`` km (a 25 deg
  minimum elevation at 550 km, from SpaceX's FCC filing, as in the paper);
* routing: ``satgen.generate_dynamic_state_at`` with ``algorithm_free_one_only_over_isls``
  (Floyd-Warshall over the ISL graph; ground stations only as end points); the GS-to-GS path
  is walked hop by hop through Hypatia's forwarding state.

Only the distances differ from a stock run. Stock satgenpy measures each distance with pyephem,
whose ranges are float32 (1 m steps at 10,000 km) and whose ISL lengths come from a law of
cosines over two ~10,000 km ranges: metres of noise per hop, so no independent code could
match it to 1 m. Here Hypatia's two distance functions are replaced by exact Euclidean
distances between positions computed once: satellites from Hypatia's TLEs with the sgp4
package (WGS-72), rotated from TEME to Earth-fixed by GMST (IAU-82, ``sgp4.propagation.gstime``
as in Vallado's ``teme2ecef``, no polar motion); stations at Hypatia's own Cartesian
coordinates. Both files are written, so skydc routes over exactly these positions and the
test isolates topology and routing. ``--stock`` also runs stock satgenpy and prints how far its
pyephem-based lengths are from these (for the record; not written).

Run with a Python that has satgenpy (its dependencies do not belong in skydc's venv)::

    python3 -m venv /tmp/hyp && /tmp/hyp/bin/pip install satgenpy
    /tmp/hyp/bin/python scripts/make_hypatia_reference.py [--stock]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "network" / "data"
CITIES = ROOT / "src" / "skydc" / "data" / "cities_top100.csv"

# main_starlink_550.py (Hypatia, paper/satellite_networks_state), verbatim values
EARTH_RADIUS = 6378135.0
ECCENTRICITY = 0.0000001
ARG_OF_PERIGEE_DEGREE = 0.0
PHASE_DIFF = True
MEAN_MOTION_REV_PER_DAY = 15.19
ALTITUDE_M = 550000
SATELLITE_CONE_RADIUS_M = 940700
MAX_GSL_LENGTH_M = math.sqrt(math.pow(SATELLITE_CONE_RADIUS_M, 2) + math.pow(ALTITUDE_M, 2))
MAX_ISL_LENGTH_M = 2 * math.sqrt(
    math.pow(EARTH_RADIUS + ALTITUDE_M, 2) - math.pow(EARTH_RADIUS + 80000, 2)
)
NUM_ORBS = 72
NUM_SATS_PER_ORB = 22
INCLINATION_DEGREE = 53
ALGORITHM = "algorithm_free_one_only_over_isls"


def write_basic_ground_stations(path: Path) -> None:
    """Hypatia's ``.basic.txt`` (gid,name,lat,lon,elevation) from skydc's cities CSV."""
    rows = [
        line.split(",")
        for line in CITIES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and not line.startswith("name,")
    ]
    with path.open("w", encoding="utf-8") as f:
        for gid, (name, lat, lon, alt, *_rest) in enumerate(rows):
            f.write(f"{gid},{name},{lat},{lon},{alt}\n")


def ecef_positions(tles_path: Path) -> list[tuple[float, float, float]]:
    """Earth-fixed satellite positions [m] at the TLE epoch (sgp4 TEME, rotated by GMST)."""
    from sgp4.api import WGS72, Satrec
    from sgp4.propagation import gstime

    lines = tles_path.read_text().splitlines()[1:]
    out = []
    for k in range(0, len(lines), 3):
        sat = Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
        err, r_km, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
        if err:
            raise RuntimeError(f"sgp4 error {err} for satellite {k // 3}")
        g = gstime(sat.jdsatepoch + sat.jdsatepochF)
        c, s = math.cos(g), math.sin(g)
        x, y, z = (1000.0 * v for v in r_km)
        out.append((c * x + s * y, -s * x + c * y, z))
    return out


def hypatia_paths(
    work: Path, exact: bool
) -> tuple[dict[tuple[int, int], tuple[float, int]], list, list, float]:
    """Run Hypatia's one-step forwarding state; path length and hops for every GS pair."""
    import satgen

    satgen.generate_tles_from_scratch_manual(
        str(work / "tles.txt"), "Starlink-550", NUM_ORBS, NUM_SATS_PER_ORB, PHASE_DIFF,
        INCLINATION_DEGREE, ECCENTRICITY, ARG_OF_PERIGEE_DEGREE, MEAN_MOTION_REV_PER_DAY,
    )  # fmt: skip
    list_isls = satgen.generate_plus_grid_isls(
        str(work / "isls.txt"), NUM_ORBS, NUM_SATS_PER_ORB, isl_shift=0, idx_offset=0
    )
    write_basic_ground_stations(work / "gs.basic.txt")
    satgen.extend_ground_stations(str(work / "gs.basic.txt"), str(work / "ground_stations.txt"))
    ground_stations = satgen.read_ground_stations_extended(str(work / "ground_stations.txt"))
    n_sat = NUM_ORBS * NUM_SATS_PER_ORB
    satgen.generate_simple_gsl_interfaces_info(
        str(work / "gsl_interfaces_info.txt"), n_sat, len(ground_stations), 1, 1, 1, 1
    )
    interfaces = satgen.read_gsl_interfaces_info(
        str(work / "gsl_interfaces_info.txt"), n_sat, len(ground_stations)
    )
    tles = satgen.read_tles(str(work / "tles.txt"))
    sat_pos = ecef_positions(work / "tles.txt")
    gs_pos = [(g["cartesian_x"], g["cartesian_y"], g["cartesian_z"]) for g in ground_stations]
    result, seconds = routed_paths(
        work, tles, ground_stations, list_isls, interfaces, sat_pos, gs_pos, 0,
        MAX_GSL_LENGTH_M, MAX_ISL_LENGTH_M, exact=exact,
    )  # fmt: skip
    return result, sat_pos, gs_pos, seconds


Paths = dict[tuple[int, int], tuple[float, int]]


def routed_paths(
    work: Path,
    tles: dict,  # type: ignore[type-arg]
    ground_stations: list,  # type: ignore[type-arg]
    list_isls: list,  # type: ignore[type-arg]
    interfaces: list,  # type: ignore[type-arg]
    sat_pos: list[tuple[float, float, float]],
    gs_pos: list[tuple[float, float, float]],
    t_ns: int,
    max_gsl_length_m: float,
    max_isl_length_m: float,
    *,
    exact: bool,
    when: str | None = None,
) -> tuple[Paths, float]:
    """Hypatia's forwarding state at ``t_ns`` after the TLE epoch, walked hop by hop from every
    station to every other: (path length [m], hops) per ordered pair, and satgenpy's seconds.

    With ``exact``, satgenpy's two distance functions are replaced by exact Euclidean distances
    between ``sat_pos`` and ``gs_pos`` (the module docstring says why); otherwise the hops are
    measured as stock satgenpy does (pyephem at ``when``, default the epoch). Shared by this
    script and ``make_hypatia_tle_reference.py``.
    """
    satellites = tles["satellites"]
    n_sat = len(satellites)
    index = {id(s): k for k, s in enumerate(satellites)}

    def sat_sat(a: object, b: object, *_: object) -> float:
        return math.dist(sat_pos[index[id(a)]], sat_pos[index[id(b)]])

    def gs_sat(gs: dict, sat: object, *_: object) -> float:  # type: ignore[type-arg]
        return math.dist(gs_pos[gs["gid"]], sat_pos[index[id(sat)]])

    module = sys.modules["satgen.dynamic_state.generate_dynamic_state"]
    stock = (module.distance_m_between_satellites, module.distance_m_ground_station_to_satellite)
    if exact:
        module.distance_m_between_satellites = sat_sat
        module.distance_m_ground_station_to_satellite = gs_sat
    try:
        start = time.perf_counter()
        fstate = module.generate_dynamic_state_at(
            str(work), tles["epoch"], t_ns, satellites, ground_stations, list_isls, interfaces,
            max_gsl_length_m, max_isl_length_m, ALGORITHM, None, False,
        )["fstate"]  # fmt: skip
        seconds = time.perf_counter() - start
    finally:
        module.distance_m_between_satellites, module.distance_m_ground_station_to_satellite = stock
    epoch = str(tles["epoch"])
    at = epoch if when is None else when

    def hop(a: int, b: int) -> float:
        """Length of one hop: exact, or as stock Hypatia measures it (pyephem)."""
        if exact:
            pa = gs_pos[a - n_sat] if a >= n_sat else sat_pos[a]
            pb = gs_pos[b - n_sat] if b >= n_sat else sat_pos[b]
            return math.dist(pa, pb)
        if a >= n_sat or b >= n_sat:
            gs, sat = (a, b) if a >= n_sat else (b, a)
            return float(stock[1](ground_stations[gs - n_sat], satellites[sat], epoch, at))
        return float(stock[0](satellites[a], satellites[b], epoch, at))

    result: Paths = {}
    for src in range(len(ground_stations)):
        for dst in range(len(ground_stations)):
            if src == dst:
                continue
            node, target = n_sat + src, n_sat + dst
            if fstate[(node, target)][0] == -1:
                result[(src, dst)] = (math.inf, -1)
                continue
            path = [node]
            while path[-1] != target:
                path.append(fstate[(path[-1], target)][0])
            length = sum(hop(a, b) for a, b in itertools.pairwise(path))
            result[(src, dst)] = (length, len(path) - 1)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock", action="store_true", help="also compare stock satgenpy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths, sat_pos, gs_pos, seconds = hypatia_paths(Path(tmp), exact=True)
    print(f"satgenpy forwarding state (exact distances): {seconds:.2f} s")
    tools = (
        f"satgenpy {version('satgenpy')}, networkx {version('networkx')}, "
        f"sgp4 {version('sgp4')}, Python {sys.version.split()[0]}"
    )
    settings = (
        f"# Settings: Hypatia paper main_starlink_550.py: {NUM_ORBS} x {NUM_SATS_PER_ORB}, "
        f"{INCLINATION_DEGREE} deg, {MEAN_MOTION_REV_PER_DAY} rev/day, e = {ECCENTRICITY}, "
        "phase_diff True, plus-grid isl_shift 0,\n"
        f"# MAX_GSL_LENGTH_M = {MAX_GSL_LENGTH_M!r}, MAX_ISL_LENGTH_M = {MAX_ISL_LENGTH_M!r}, "
        f"{ALGORITHM}, t = 0 (TLE epoch 2000-01-01T00:00:00 UTC).\n"
    )
    DATA.mkdir(parents=True, exist_ok=True)
    with (DATA / "hypatia_starlink550_positions.csv").open("w", encoding="utf-8") as f:
        f.write(
            "# Positions routed over by the Hypatia cross-check, Earth-fixed (PEF) [m], t = 0.\n"
            "# Written by scripts/make_hypatia_reference.py with " + tools + ".\n"
            "# Satellites: Hypatia's TLEs (satgen.generate_tles_from_scratch_manual) through sgp4 "
            "(WGS-72) at the epoch,\n# TEME rotated by GMST (sgp4.propagation.gstime). "
            "Ground stations: Hypatia's Cartesian coordinates (satgen.extend_ground_stations,\n"
            "# WGS-72 ellipsoid) of skydc's cities_top100.csv. Satellite k is plane k // 22, "
            "slot k % 22.\n" + settings + "kind,index,x_m,y_m,z_m\n"
        )
        for k, p in enumerate(sat_pos):
            f.write(f"sat,{k},{p[0]!r},{p[1]!r},{p[2]!r}\n")
        for k, p in enumerate(gs_pos):
            f.write(f"gs,{k},{p[0]!r},{p[1]!r},{p[2]!r}\n")
    unreachable = sum(1 for v in paths.values() if math.isinf(v[0]))
    with (DATA / "hypatia_starlink550_t0.csv").open("w", encoding="utf-8") as f:
        f.write(
            "# Ground-station-to-ground-station path lengths found by Hypatia's code "
            "(satgen.generate_dynamic_state_at, forwarding state walked hop by hop).\n"
            "# Written by scripts/make_hypatia_reference.py with " + tools + ".\n"
            "# Distances exact Euclidean between hypatia_starlink550_positions.csv (see the "
            "script for why not pyephem's).\n" + settings + f"# {len(paths)} ordered pairs, "
            f"{unreachable} unreachable (path_length_m inf, hops -1). gid k is row k of "
            "src/skydc/data/cities_top100.csv.\n"
            "src_gid,dst_gid,path_length_m,hops\n"
        )
        for (src, dst), (length, hops) in sorted(paths.items()):
            f.write(f"{src},{dst},{length!r},{hops}\n")
    print(f"wrote {len(paths)} pairs ({unreachable} unreachable) to {DATA}")
    if args.stock:
        with tempfile.TemporaryDirectory() as tmp:
            stock, _, _, stock_s = hypatia_paths(Path(tmp), exact=False)
        diffs = [abs(stock[k][0] - paths[k][0]) for k in paths if math.isfinite(paths[k][0])]
        median = sorted(diffs)[len(diffs) // 2]
        print(f"stock satgenpy (pyephem): {stock_s:.2f} s; path lengths differ from the exact-")
        print(f"distance run by up to {max(diffs):.0f} m (median {median:.0f} m)")


if __name__ == "__main__":
    main()
