"""The network on a user's own constellation: TLE shells get planes, Hypatia's conventions and
files, explicit instants, and headlines that say what share of pairs has a route."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq
from sgp4.exporter import export_tle

import skydc
from skydc.constants import EARTH_RADIUS_M
from skydc.errors import ScenarioError
from skydc.io.hypatia import _renumbered, read_fstate, read_tles, write_tles
from skydc.orbits.constellation import walker_delta
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.tle import elements_to_satrecs
from skydc.pipeline.runner import execute
from skydc.timescale import jd_utc_from_datetime

P, S, F = 12, 10, 3
ALTITUDE_KM = 550.0
HEAD = """name = "mine"
epoch_utc = 2026-03-01T00:00:00Z
duration_s = 3600.0
step_s = 60.0
[network]
times_s = {times}
{network}
[[shells]]
name = "w"
"""
WALKER = """type = "walker-delta"
altitude_km = {alt}
planes = {p}
sats_per_plane = {s}
phasing = {f}
inclination_deg = 53.0
slot_numbering = "{numbering}"
"""


def _write(
    tmp: Path, name: str, shell: str, network: str = "", times: str = "[0.0, 600.0, 1800.0]"
) -> Path:
    path = tmp / f"{name}.toml"
    path.write_text(HEAD.format(network=network, times=times) + shell)
    return path


def _elements() -> OrbitalElements:
    """The shell of ``WALKER`` as skydc generates it (altitude over WGS-72's 6378.135 km)."""
    epoch = jd_utc_from_datetime(datetime(2026, 3, 1, tzinfo=UTC))
    a = EARTH_RADIUS_M + ALTITUDE_KM * 1e3
    return walker_delta(P, S, F, a, math.radians(53.0), epoch)


def _shuffled_tle(path: Path, elements: OrbitalElements, perm: np.ndarray) -> None:
    """A plain three-line TLE file, satellite ``perm[m]`` of the shell at row ``m``."""
    sats = elements_to_satrecs(elements)
    lines = []
    for m, k in enumerate(perm):
        line1, line2 = export_tle(sats[k])
        number = f"{m + 1:05d}"
        lines += [f"SAT-{k}", _renumbered(line1, number), _renumbered(line2, number)]
    path.write_text("\n".join(lines) + "\n")


def _links(result: skydc.Result, perm: np.ndarray | None = None) -> list[set[tuple[int, int]]]:
    out = []
    for i, j in result["network"].links:
        a, b = (i, j) if perm is None else (perm[i], perm[j])
        out.append({(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b, strict=True)})
    return out


def test_a_tle_shell_gets_the_links_and_paths_of_the_generated_shell(tmp_path: Path) -> None:
    shell = WALKER.format(alt=ALTITUDE_KM, p=P, s=S, f=F, numbering="walker")
    generated = skydc.route(_write(tmp_path, "gen", shell))
    el = _elements()
    perm = np.random.default_rng(7).permutation(P * S)
    _shuffled_tle(tmp_path / "shuffled.tle", el, perm)
    inferred = skydc.route(_write(tmp_path, "inf", 'type = "tle"\nfile = "shuffled.tle"\n'))
    write_tles(tmp_path / "tles.txt", elements_to_satrecs(el), P, S)  # Hypatia's layout
    declared = skydc.route(_write(tmp_path, "dec", 'type = "tle"\nfile = "tles.txt"\n'))

    found = inferred["constellation"].metrics()["constellation"]["plane_structure"]["w"]
    assert found == {"source": "inferred", "planes": P, "sats_per_plane_min": S,
                     "sats_per_plane_max": S, "outliers": 0, "regular": True,
                     "raan_spread_max_deg": pytest.approx(0.0, abs=1e-3)}  # fmt: skip
    assert declared["constellation"].structures[0].source == "declared"
    want = _links(generated)
    assert all(len(w) > 1.8 * P * S for w in want)  # a +Grid (a chain has P * S - 1 at most)
    assert _links(inferred, perm) == want
    assert _links(declared) == want
    # the same satellites propagated the same way (SGP4) route the same paths, in any file order
    a, b = inferred.tables["network_pairs"], declared.tables["network_pairs"]
    np.testing.assert_array_equal(a.column("hops").to_numpy(), b.column("hops").to_numpy())
    np.testing.assert_allclose(
        a.column("rtt_ms").to_numpy(), b.column("rtt_ms").to_numpy(), rtol=0, atol=1e-9
    )


def test_satgenpy_numbering_pairs_satgenpys_satellites(tmp_path: Path) -> None:
    """Walker 12/10/6 is satgenpy's phase_diff shell; its +Grid differs from Walker's numbering
    of the same satellites, and slot_numbering = "satgenpy" gives satgenpy's."""
    p, s = 12, 10
    epoch = 2461100.5  # 2026-03-01
    j, k = np.divmod(np.arange(p * s), s)  # satgenpy's generate_tles_from_scratch_manual
    satgenpy = OrbitalElements(
        a_m=np.full(p * s, EARTH_RADIUS_M + 550e3), e=np.zeros(p * s), i_rad=np.full(p * s, 0.925),
        raan_rad=np.radians(360.0 * j / p), argp_rad=np.zeros(p * s),
        mean_anomaly_rad=np.radians(360.0 * k / s + np.where(j % 2 == 1, 180.0 / s, 0.0)),
        epoch_jd_utc=epoch,
    )  # fmt: skip
    write_tles(tmp_path / "tles.txt", elements_to_satrecs(satgenpy), p, s)
    hypatia = _links(skydc.route(_write(tmp_path, "h", 'type = "tle"\nfile = "tles.txt"\n')))
    shell = WALKER.format(alt=550.0, p=p, s=s, f=6, numbering="satgenpy")
    shell = shell.replace("inclination_deg = 53.0", f"inclination_deg = {math.degrees(0.925)}")
    ours = _links(skydc.route(_write(tmp_path, "s", shell)))
    walker = _links(skydc.route(_write(tmp_path, "w", shell.replace('"satgenpy"', '"walker"'))))
    assert ours == hypatia
    assert walker[0] != hypatia[0]


def test_plus_grid_refuses_a_shell_without_planes(tmp_path: Path) -> None:
    el = _elements()
    pick = np.array([0, 25, 61])  # three satellites of three different planes
    _shuffled_tle(tmp_path / "few.tle", el.take(pick), np.arange(3))
    path = _write(tmp_path, "few", 'type = "tle"\nfile = "few.tle"\n')
    with pytest.raises(ScenarioError, match="declare planes and sats_per_plane") as info:
        skydc.route(path)
    assert info.value.field == "shells[0]"
    m = skydc.route(path, ['network.topology="nearest-in-range"']).metrics["network"]
    assert m["topology"] == "nearest-in-range" and "satellites_without_plane" not in m
    path.write_text(path.read_text() + "planes = 4\nsats_per_plane = 1\n")
    with pytest.raises(ScenarioError, match="4 planes x 1 satellites = 4") as info:
        skydc.load_scenario(path)
    assert info.value.field == "shells[0].planes"


def test_hypatia_station_file_range_rule_and_instants(tmp_path: Path) -> None:
    (tmp_path / "gs.txt").write_text(
        "0,Manila,14.6042,120.9822,0\n1,Tokyo,35.6895,139.6917,0\n2,Jakarta,-6.2146,106.8451,0\n"
    )
    shell = WALKER.format(alt=ALTITUDE_KM, p=P, s=S, f=F, numbering="walker")
    rule = 'ground_stations = "gs.txt"\nground_link_rule = "hypatia-range"'
    path = _write(tmp_path, "h", shell, rule)
    result = skydc.route(path)
    m = result.metrics["network"]
    assert m["ground_stations"] == 3 and m["samples"] == 3
    np.testing.assert_array_equal(result["network"].sample_t_s, [0.0, 600.0, 1800.0])
    assert result["network"].max_gsl_length_m == pytest.approx(_slant_range_m(25.0), rel=1e-12)
    # a bad station file is refused by validate, naming file, line and column
    (tmp_path / "gs.txt").write_text("0,Manila,14.6,121.0,0\n1,Nowhere,95.0,0.0,0\n")
    with pytest.raises(ScenarioError, match="latitude") as info:
        skydc.validate(path)
    assert info.value.field == "network.ground_stations"
    assert "line 2, column latitude" in info.value.message and "gs.txt" in str(info.value)
    (tmp_path / "gs.txt").write_text("0,Manila,14.6,121.0,0\n")
    late = path.read_text().replace("times_s = [0.0, 600.0, 1800.0]", "times_s = [0.0, 7200.0]")
    path.write_text(late)
    with pytest.raises(ScenarioError, match="after the end of the run") as info:
        skydc.validate(path)
    assert info.value.field == "network.times_s[1]"


def _slant_range_m(elevation_deg: float) -> float:
    """Independent: the range at which a satellite at the shell's radius stands at the given
    elevation over a sphere of 6378.135 km, found by root finding on the elevation."""
    big_r = 6378135.0
    r = big_r + ALTITUDE_KM * 1e3

    def elevation(angle: float) -> float:  # Earth-central angle from the station
        sat = np.array([r * math.cos(angle), r * math.sin(angle)])
        d = sat - np.array([big_r, 0.0])
        return math.degrees(math.asin(d[0] / np.linalg.norm(d))) - elevation_deg

    angle = brentq(elevation, 0.0, 0.5)
    sat = np.array([r * math.cos(angle), r * math.sin(angle)])
    return float(np.linalg.norm(sat - np.array([big_r, 0.0])))


def test_hypatia_export_and_progress_per_instant(tmp_path: Path) -> None:
    shell = WALKER.format(alt=ALTITUDE_KM, p=P, s=S, f=F, numbering="walker")
    scenario = _write(tmp_path, "x", shell, times="[0.0, 600.0, 1200.0]")
    calls: list[tuple[float, float, str]] = []
    loaded = skydc.load_scenario(scenario)
    result = execute(
        loaded, "network", output_dir=tmp_path / "run", exports=("hypatia",),
        progress=lambda done, total, stage: calls.append((done, total, stage)),
    )  # fmt: skip
    network_calls = [(d, t) for d, t, s in calls if s == "network"]
    assert network_calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    folder = tmp_path / "run" / "hypatia"
    tles = read_tles(folder / "tles.txt")
    assert (tles.n_orbits, tles.n_sats_per_orbit) == (P, S)
    fstate = read_fstate(folder / "dynamic_state_600000ms_for_1800s" / "fstate_600000000000.txt")
    n_gs = result.metrics["network"]["ground_stations"]
    assert len(fstate) == P * S * n_gs + n_gs * (n_gs - 1)
    up_once = set().union(*_links(result))  # every ISL up at some instant, and only those
    lines = (folder / "isls.txt").read_text().splitlines()
    written = {(int(a), int(b)) for a, b in (line.split() for line in lines)}
    assert written == up_once
