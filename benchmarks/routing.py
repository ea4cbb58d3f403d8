"""Routing benchmark: one time step of forwarding state, skydc against Hypatia's satgenpy.

Part 1, the peer comparison (one run, same work): the Starlink-550 shell of Hypatia's paper
(72 x 22, 53 deg, 15.19 rev/day, +Grid ISLs, isl_shift 0, max ISL 5,016.6 km, max GSL
1,089.7 km) and the 100 most populous cities; compute one time step's forwarding state (next
hop of every satellite and every ground station towards every ground station, stations only as
end points):

(a) satgenpy (PyPI, Kassing et al. 2020) ``generate_dynamic_state_at`` with
    ``algorithm_free_one_only_over_isls``, as Hypatia runs each time step: pyephem distances of
    the ISLs and of every station-satellite pair, networkx Floyd-Warshall, Python loops for the
    table. It runs in a subprocess with the interpreter that has satgenpy (its dependencies
    stay out of skydc's venv), timed inside that process; file set-up (TLEs, ISL list,
    stations) is not timed.
(b) skydc: Earth-fixed positions (``circular_states``), +Grid ISLs with range and occlusion
    limits, ground links, the sparse graph, Dijkstra from every station and the forwarding
    table (``forwarding_state``); best of ``--repeats`` after a warm-up.

Part 2 (``--scale``): the ``spacex-1m`` example (1,000,000 satellites in ten shells), 100
cities, one time step: positions, nearest-in-range ISLs (4 terminals, 5,400 km), ground links
(25 deg mask), graph, Dijkstra from all 100 stations and the forwarding table; wall time and
peak resident memory (goal: < 30 s, < 8 GB).

The last line is ``skydc vs hypatia: <R>x``.

    .venv/bin/python benchmarks/routing.py [--hypatia-python /tmp/hyp/bin/python] [--scale]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from skydc.constants import EARTH_MU_M3_S2, SECONDS_PER_DAY
from skydc.network.ground import bundled_ground_stations, ground_links
from skydc.network.isl import isl_links, nearest_in_range_links
from skydc.network.routing import build_graph, forwarding_state, shortest_paths_from_ground
from skydc.orbits.circular import circular_states
from skydc.orbits.elements import OrbitalElements

ROOT = Path(__file__).resolve().parents[1]
PLANES, PER_PLANE = 72, 22
MAX_GSL_LENGTH_M = math.sqrt(940700.0**2 + 550000.0**2)  # main_starlink_550.py (Hypatia)
MAX_ISL_LENGTH_M = 2 * math.sqrt((6378135.0 + 550000.0) ** 2 - (6378135.0 + 80000.0) ** 2)
EPOCH_JD_UTC = 2451544.5  # 2000-01-01T00:00 UTC, Hypatia's TLE epoch

# Runs inside the satgenpy interpreter: set up Hypatia's files, time one forwarding state.
HYPATIA = r"""
import json, math, sys, tempfile, time
from importlib.metadata import version
import satgen
sys.path.insert(0, sys.argv[1])
from make_hypatia_reference import (ALGORITHM, ARG_OF_PERIGEE_DEGREE, ECCENTRICITY,
    INCLINATION_DEGREE, MAX_GSL_LENGTH_M, MAX_ISL_LENGTH_M, MEAN_MOTION_REV_PER_DAY, NUM_ORBS,
    NUM_SATS_PER_ORB, PHASE_DIFF, write_basic_ground_stations)
from pathlib import Path
work = Path(tempfile.mkdtemp())
satgen.generate_tles_from_scratch_manual(str(work / "tles.txt"), "Starlink-550", NUM_ORBS,
    NUM_SATS_PER_ORB, PHASE_DIFF, INCLINATION_DEGREE, ECCENTRICITY, ARG_OF_PERIGEE_DEGREE,
    MEAN_MOTION_REV_PER_DAY)
isls = satgen.generate_plus_grid_isls(str(work / "isls.txt"), NUM_ORBS, NUM_SATS_PER_ORB,
    isl_shift=0, idx_offset=0)
write_basic_ground_stations(work / "gs.txt")
satgen.extend_ground_stations(str(work / "gs.txt"), str(work / "gs_ext.txt"))
gs = satgen.read_ground_stations_extended(str(work / "gs_ext.txt"))
n_sat = NUM_ORBS * NUM_SATS_PER_ORB
satgen.generate_simple_gsl_interfaces_info(str(work / "if.txt"), n_sat, len(gs), 1, 1, 1, 1)
interfaces = satgen.read_gsl_interfaces_info(str(work / "if.txt"), n_sat, len(gs))
tles = satgen.read_tles(str(work / "tles.txt"))
module = sys.modules["satgen.dynamic_state.generate_dynamic_state"]
start = time.perf_counter()
fstate = module.generate_dynamic_state_at(str(work), tles["epoch"], 0, tles["satellites"], gs,
    isls, interfaces, MAX_GSL_LENGTH_M, MAX_ISL_LENGTH_M, ALGORITHM, None, False)["fstate"]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "entries": len(fstate), "satgenpy": version("satgenpy"),
    "networkx": version("networkx"), "ephem": version("ephem")}))
"""


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def _best_of(fn: Callable[[], object], repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _hypatia_seconds(python: str) -> tuple[float | None, str]:
    """Time satgenpy in its own interpreter; (seconds, description) or (None, why not)."""
    if not Path(python).exists():
        return None, f"no satgenpy interpreter at {python} (python3 -m venv; pip install satgenpy)"
    done = subprocess.run(
        [python, "-c", HYPATIA, str(ROOT / "scripts")], capture_output=True, text=True
    )
    if done.returncode != 0:
        return None, "satgenpy failed: " + done.stderr.strip().splitlines()[-1]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    versions = f"satgenpy {out['satgenpy']}, networkx {out['networkx']}, ephem {out['ephem']}"
    return float(out["seconds"]), f"{versions}; {out['entries']} forwarding entries"


def _starlink_550() -> OrbitalElements:
    """Hypatia's Starlink-550 elements (generate_tles_from_scratch_manual) as circular orbits."""
    n_rad_s = 15.19 * 2 * math.pi / SECONDS_PER_DAY
    a_m = (EARTH_MU_M3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    plane = np.repeat(np.arange(PLANES), PER_PLANE)
    slot = np.tile(np.arange(PER_PLANE), PLANES)
    anomaly_deg = slot * 360.0 / PER_PLANE + (plane % 2) * 360.0 / (2 * PER_PLANE)
    n = PLANES * PER_PLANE
    return OrbitalElements(
        a_m=np.full(n, a_m),
        e=np.zeros(n),
        i_rad=np.full(n, math.radians(53.0)),
        raan_rad=np.radians(plane * 360.0 / PLANES),
        argp_rad=np.zeros(n),
        mean_anomaly_rad=np.radians(anomaly_deg),
        epoch_jd_utc=EPOCH_JD_UTC,
    )


def _skydc_step(elements: OrbitalElements, r_gs: np.ndarray, up: np.ndarray) -> object:
    """One time step of forwarding state for the Starlink-550 shell (everything timed)."""
    r = circular_states(elements, np.zeros(1), frame="ecef").r_m[:, :, 0]
    index = np.arange(r.shape[1])
    links = isl_links(
        "plus-grid", r, MAX_ISL_LENGTH_M, plane_index=index // PER_PLANE,
        slot_index=index % PER_PLANE,
    )  # fmt: skip
    gsl = ground_links(r_gs, up, -math.pi / 2, r, max_range_m=MAX_GSL_LENGTH_M)
    graph = build_graph(
        r.shape[1], r_gs.shape[1], links.i, links.j, links.length_m, gsl.gs, gsl.sat,
        gsl.length_m,
    )  # fmt: skip
    # numba, as documented: "auto" takes scipy below 50,000 nodes, where numba's import would not
    # pay back in a one-off process; here the warm-up has paid it
    return forwarding_state(shortest_paths_from_ground(graph, backend="numba"))


def _scale() -> None:
    """Part 2: a million satellites, one step, wall time and peak memory."""
    import skydc
    from skydc.pipeline.constellation import build_constellation

    start = time.perf_counter()
    shells = build_constellation(skydc.load_scenario("spacex-1m"))
    elements = OrbitalElements.concatenate([s.elements for s in shells])
    cities = bundled_ground_stations("cities-top100")
    r_gs, up, mask = cities.ecef_m(), cities.up(), np.radians(cities.min_elevation_deg)
    built = time.perf_counter() - start
    times = {}
    cpu = time.process_time()
    start = mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[name], mark = now - mark, now

    r = circular_states(elements, np.zeros(1), frame="ecef").r_m[:, :, 0]
    lap("positions")
    tree = cKDTree(np.ascontiguousarray(r.T))
    links = nearest_in_range_links(r, 4, 5.4e6, tree=tree)
    lap("ISLs (KD-tree, nearest-in-range)")
    gsl = ground_links(r_gs, up, mask, r, tree=tree)
    lap("ground links")
    graph = build_graph(
        r.shape[1], cities.n_gs, links.i, links.j, links.length_m, gsl.gs, gsl.sat, gsl.length_m
    )
    lap("graph")
    paths = shortest_paths_from_ground(graph)
    lap("Dijkstra from 100 stations")
    table = forwarding_state(paths)
    lap("forwarding table")
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    reach = np.isfinite(paths.gs_distance()).mean()
    print(f"\n1,000,000-satellite step (spacex-1m, {elements.n_sat:,} satellites, 100 cities)")
    print(f"scenario and elements built in {built:.2f} s (not in the step)")
    for name, seconds in times.items():
        print(f"  {name:36s} {seconds:7.2f} s")
    print(f"  {'total one step':36s} {total:7.2f} s   (goal < 30 s)")
    print(f"  {'CPU time, all threads':36s} {cpu:7.2f} s")
    print(
        f"ISLs {links.n_links:,} (mean degree {2 * links.n_links / r.shape[1]:.2f}), ground links "
        f"{gsl.n_links:,}, graph edges {graph.csgraph.nnz:,}; station pairs reachable "
        f"{reach:.1%}; table {table.sat_next_hop.shape}"
    )
    print(f"peak resident memory {peak_gb:.2f} GB (goal < 8 GB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--hypatia-python",
        default=os.environ.get("SKYDC_HYPATIA_PYTHON", "/tmp/hyp/bin/python"),
        help="interpreter with satgenpy installed",
    )
    parser.add_argument("--repeats", type=int, default=20, help="skydc repeats (best of)")
    parser.add_argument("--scale", action="store_true", help="also run the 1M-satellite step")
    args = parser.parse_args(argv)

    print(f"machine: {_machine()}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{version('scipy')}, numba {version('numba')}, skydc {version('skydc')}"
    )
    cities = bundled_ground_stations("cities-top100")
    r_gs, up = cities.ecef_m(), cities.up()
    elements = _starlink_550()
    start = time.perf_counter()
    _skydc_step(elements, r_gs, up)  # warm-up: numba compile or cache load
    first = time.perf_counter() - start
    ours = _best_of(lambda: _skydc_step(elements, r_gs, up), args.repeats)
    theirs, about = _hypatia_seconds(args.hypatia_python)
    print("\nStarlink-550 (72 x 22) + 100 cities, one time step of forwarding state")
    hypatia_s = theirs if theirs else math.nan
    print(f"  satgenpy generate_dynamic_state_at  {hypatia_s:9.3f} s  ({about})")
    label = f"skydc (best of {args.repeats})"
    print(f"  {label:34s}  {ours:9.4f} s  (first call {first:.2f} s)")
    if args.scale:
        _scale()
    ratio = f"{theirs / ours:.0f}x" if theirs else "n/a"
    print(f"skydc vs hypatia: {ratio}")


if __name__ == "__main__":
    main()
