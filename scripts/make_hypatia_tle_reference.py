"""Generate the Hypatia cross-check data on TLE-defined shells: Telesat-1015 and Kuiper-630.

For each shell writes into ``tests/network/data/``:

* ``hypatia_tle_<shell>_tles.txt.gz``: the ``tles.txt`` satgenpy's own generator writes
  (``satgen.generate_tles_from_scratch_manual``), byte for byte (gzip, no timestamp): the file
  skydc is fed as a ``type = "tle"`` shell;
* ``hypatia_tle_<shell>_isls.txt``: satgenpy's ``isls.txt`` (``satgen.generate_plus_grid_isls``,
  ``isl_shift=0``), byte for byte;
* ``hypatia_tle_<shell>_paths.csv.gz``: the ground-station-to-ground-station path lengths and hop
  counts Hypatia's routing finds at t = 0 s and t = 600 s (one row per unordered pair: the
  script checks that both directions agree),

the reference of ``tests/network/test_hypatia_tle.py``.

Settings are those of Hypatia's paper scripts (``paper/satellite_networks_state/
main_telesat_1015.py`` and ``main_kuiper_630.py``, github.com/snkas/hypatia, commit 94d7c01),
copied verbatim below: mean motion, eccentricity 1e-7, argument of perigee 0, phase_diff True,
planes x satellites, inclination, ``MAX_GSL_LENGTH_M`` from the cone radius at the elevation
angle of the operator's FCC filing (Telesat 10 deg, Kuiper 30 deg) and ``MAX_ISL_LENGTH_M`` (no
ISL below 80 km altitude over R = 6378.135 km). The TLE epoch is satgenpy's, 2000-01-01 00:00
UTC. Ground stations: the 100 most populous cities (skydc's ``cities_top100.csv``, which is
Hypatia's list) through ``satgen.extend_ground_stations`` (WGS-72). Routing:
``satgen.generate_dynamic_state_at`` with ``algorithm_free_one_only_over_isls``; each
GS-to-GS path is walked hop by hop through Hypatia's forwarding state.

As in ``scripts/make_hypatia_reference.py`` (Starlink-550), only the distances differ from a
stock run: satgenpy's two distance functions (pyephem, float32 ranges, ISL lengths by a law of
cosines; metres of noise per hop) are replaced by exact Euclidean distances between positions
computed once per instant: satellites from satgenpy's TLEs with the sgp4 package (WGS-72), TEME
rotated to Earth-fixed by GMST (IAU-82, ``sgp4.propagation.gstime``'s formula; no polar motion),
the epoch and the offset kept apart (a float64 Julian date is good to 40 us, 15 cm of track);
stations at Hypatia's WGS-72 Cartesian coordinates. So topology and routing are isolated.
``--stock`` also runs stock satgenpy on Telesat at t = 0 and prints how far its pyephem-based
lengths are from these (for the record; not written).

Run with a Python that has satgenpy (its dependencies do not belong in skydc's venv)::

    python3 -m venv /tmp/hyp && /tmp/hyp/bin/pip install satgenpy
    /tmp/hyp/bin/python scripts/make_hypatia_tle_reference.py [--stock]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import math
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_hypatia_reference import Paths, routed_paths, write_basic_ground_stations

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "network" / "data"
EARTH_RADIUS = 6378135.0  # WGS-72, as in Hypatia's scripts
ECCENTRICITY = 0.0000001
ARG_OF_PERIGEE_DEGREE = 0.0
PHASE_DIFF = True
ALGORITHM = "algorithm_free_one_only_over_isls"
TIMES_S = (0, 600)  # the instants routed [s after the TLE epoch]


@dataclass(frozen=True)
class Shell:
    """One of Hypatia's paper shells (constants of its main_<shell>.py)."""

    key: str
    nice_name: str
    mean_motion_rev_per_day: float
    altitude_m: float
    min_elevation_deg: float  # of SATELLITE_CONE_RADIUS_M = ALTITUDE_M / tan(elevation)
    num_orbs: int
    num_sats_per_orb: int
    inclination_degree: float

    @property
    def max_gsl_length_m(self) -> float:
        cone = self.altitude_m / math.tan(math.radians(self.min_elevation_deg))
        return math.sqrt(math.pow(cone, 2) + math.pow(self.altitude_m, 2))

    @property
    def max_isl_length_m(self) -> float:
        return 2 * math.sqrt(
            math.pow(EARTH_RADIUS + self.altitude_m, 2) - math.pow(EARTH_RADIUS + 80000, 2)
        )


SHELLS = (
    Shell("telesat1015", "Telesat-1015", 13.66, 1015000, 10.0, 27, 13, 98.98),
    Shell("kuiper630", "Kuiper-630", 14.80, 630000, 30.0, 34, 34, 51.9),
)


def gmst_rad(days_since_j2000: float) -> float:
    """GMST, IAU-82, as ``sgp4.propagation.gstime`` but from the days since J2000 (UT1 = UTC):
    a Julian date in one float64 is good to 40 us only, so epoch and offset are kept apart."""
    tut1 = days_since_j2000 / 36525.0
    temp = (
        -6.2e-6 * tut1**3 + 0.093104 * tut1**2
        + (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841
    )  # fmt: skip
    return math.fmod(temp * math.pi / 180.0 / 240.0, 2 * math.pi)


def ecef_positions(tles_path: Path, t_s: float) -> list[tuple[float, float, float]]:
    """Earth-fixed satellite positions [m] at ``t_s`` after the TLE epoch (sgp4 TEME, GMST)."""
    from sgp4.api import WGS72, Satrec

    lines = tles_path.read_text().splitlines()[1:]
    out = []
    for k in range(0, len(lines), 3):
        sat = Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
        fr = sat.jdsatepochF + t_s / 86400.0  # sgp4 adds (jd - epoch) and (fr - epochF) apart
        err, r_km, _ = sat.sgp4(sat.jdsatepoch, fr)
        if err:
            raise RuntimeError(f"sgp4 error {err} for satellite {k // 3}")
        g = gmst_rad((sat.jdsatepoch - 2451545.0) + fr)
        c, s = math.cos(g), math.sin(g)
        x, y, z = (1000.0 * v for v in r_km)
        out.append((c * x + s * y, -s * x + c * y, z))
    return out


def hypatia_paths(work: Path, shell: Shell, t_s: int, exact: bool) -> tuple[Paths, float]:
    """Hypatia's forwarding state at ``t_s``; path length and hops for every ordered GS pair.

    Expects ``tles.txt``, ``isls.txt`` and ``ground_stations.txt`` in ``work``."""
    import satgen
    from astropy import units

    ground_stations = satgen.read_ground_stations_extended(str(work / "ground_stations.txt"))
    list_isls = satgen.read_isls(str(work / "isls.txt"), shell.num_orbs * shell.num_sats_per_orb)
    n_sat = shell.num_orbs * shell.num_sats_per_orb
    satgen.generate_simple_gsl_interfaces_info(
        str(work / "gsl_interfaces_info.txt"), n_sat, len(ground_stations), 1, 1, 1, 1
    )
    interfaces = satgen.read_gsl_interfaces_info(
        str(work / "gsl_interfaces_info.txt"), n_sat, len(ground_stations)
    )
    tles = satgen.read_tles(str(work / "tles.txt"))
    sat_pos = ecef_positions(work / "tles.txt", t_s)
    gs_pos = [(g["cartesian_x"], g["cartesian_y"], g["cartesian_z"]) for g in ground_stations]
    when = str(tles["epoch"] + t_s * 1_000_000_000 * units.ns)  # as satgenpy computes it
    return routed_paths(
        work, tles, ground_stations, list_isls, interfaces, sat_pos, gs_pos,
        t_s * 1_000_000_000, shell.max_gsl_length_m, shell.max_isl_length_m, exact=exact,
        when=when,
    )  # fmt: skip


def generate_inputs(work: Path, shell: Shell) -> None:
    """satgenpy's tles.txt, isls.txt and extended ground_stations.txt for ``shell``."""
    import satgen

    satgen.generate_tles_from_scratch_manual(
        str(work / "tles.txt"), shell.nice_name, shell.num_orbs, shell.num_sats_per_orb,
        PHASE_DIFF, shell.inclination_degree, ECCENTRICITY, ARG_OF_PERIGEE_DEGREE,
        shell.mean_motion_rev_per_day,
    )  # fmt: skip
    satgen.generate_plus_grid_isls(
        str(work / "isls.txt"), shell.num_orbs, shell.num_sats_per_orb, isl_shift=0, idx_offset=0
    )
    write_basic_ground_stations(work / "gs.basic.txt")
    satgen.extend_ground_stations(str(work / "gs.basic.txt"), str(work / "ground_stations.txt"))


def write_gzip(path: Path, data: bytes) -> None:
    """gzip without a timestamp or file name, so the same data gives the same bytes."""
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(data)


def write_shell(shell: Shell, work: Path, paths: dict[int, Paths], tools: str) -> None:
    tles = (work / "tles.txt").read_bytes()
    write_gzip(DATA / f"hypatia_tle_{shell.key}_tles.txt.gz", tles)
    (DATA / f"hypatia_tle_{shell.key}_isls.txt").write_bytes((work / "isls.txt").read_bytes())
    lines = [
        f"# Ground-station-to-ground-station paths found by Hypatia's code on {shell.nice_name} "
        "(satgen.generate_dynamic_state_at, forwarding state walked hop by hop).",
        "# Written by scripts/make_hypatia_tle_reference.py with " + tools + ".",
        f"# Shell: hypatia_tle_{shell.key}_tles.txt.gz (satgen.generate_tles_from_scratch_manual"
        f", sha256 of tles.txt {hashlib.sha256(tles).hexdigest()}),",
        f"# ISLs: hypatia_tle_{shell.key}_isls.txt (satgen.generate_plus_grid_isls, isl_shift 0).",
        f"# Settings: Hypatia paper main_{shell.nice_name.lower().replace('-', '_')}.py: "
        f"{shell.num_orbs} x {shell.num_sats_per_orb}, {shell.inclination_degree} deg, "
        f"{shell.mean_motion_rev_per_day} rev/day, e = {ECCENTRICITY}, phase_diff True,",
        f"# MAX_GSL_LENGTH_M = {shell.max_gsl_length_m!r} ({shell.min_elevation_deg} deg cone), "
        f"MAX_ISL_LENGTH_M = {shell.max_isl_length_m!r}, {ALGORITHM}.",
        "# Distances exact Euclidean between satellites (sgp4 WGS-72 on the TLEs, TEME rotated by "
        "GMST IAU-82) and stations (satgen.extend_ground_stations, WGS-72) instead of pyephem's.",
        "# t_s after the TLE epoch 2000-01-01T00:00:00 UTC. gid k is row k of "
        "src/skydc/data/cities_top100.csv. path_length_m rounded to 1 mm; unreachable: inf, "
        "hops -1.",
        "# One row per unordered pair (src < dst): Hypatia's dst -> src path has the same length "
        "(to 1e-6 m) and hops, checked.",
        "t_s,src_gid,dst_gid,path_length_m,hops",
    ]
    for t_s, table in paths.items():
        for (src, dst), (length, hops) in sorted(table.items()):
            back, back_hops = table[(dst, src)]
            same = back == length if math.isinf(length) else abs(back - length) < 1e-6
            if not same or back_hops != hops:  # then both directions would have to be kept
                raise RuntimeError(f"t = {t_s} s: {src} -> {dst} and back differ")
            if src < dst:
                lines.append(f"{t_s},{src},{dst},{length:.3f},{hops}")
    write_gzip(DATA / f"hypatia_tle_{shell.key}_paths.csv.gz", ("\n".join(lines) + "\n").encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock", action="store_true", help="also compare stock satgenpy")
    args = parser.parse_args()
    tools = (
        f"satgenpy {version('satgenpy')}, networkx {version('networkx')}, "
        f"sgp4 {version('sgp4')}, Python {sys.version.split()[0]}"
    )
    DATA.mkdir(parents=True, exist_ok=True)
    for shell in SHELLS:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            generate_inputs(work, shell)
            paths = {}
            for t_s in TIMES_S:
                paths[t_s], seconds = hypatia_paths(work, shell, t_s, exact=True)
                bad = sum(1 for v in paths[t_s].values() if math.isinf(v[0]))
                print(f"{shell.nice_name} t = {t_s} s: satgenpy forwarding state {seconds:.1f} s,"
                      f" {len(paths[t_s])} pairs, {bad} unreachable")  # fmt: skip
            write_shell(shell, work, paths, tools)
            if args.stock and shell is SHELLS[0]:
                stock, stock_s = hypatia_paths(work, shell, 0, exact=False)
                ref = paths[0]
                diffs = [abs(stock[k][0] - ref[k][0]) for k in ref if math.isfinite(ref[k][0])]
                hops = sum(stock[k][1] != ref[k][1] for k in ref)
                median = sorted(diffs)[len(diffs) // 2]
                print(f"stock satgenpy (pyephem), {shell.nice_name} t = 0: {stock_s:.1f} s; path "
                      f"lengths differ from the exact-distance run by up to {max(diffs):.0f} m "
                      f"(median {median:.0f} m), hops in {hops} pairs")  # fmt: skip
    print(f"wrote {DATA}/hypatia_tle_*")


if __name__ == "__main__":
    main()
