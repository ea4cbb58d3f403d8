"""Hypatia's file formats: ground stations, tles.txt, isls.txt and fstate, read and written.

References: the Cartesian station coordinates satgenpy's ``extend_ground_stations`` wrote for
the 100 cities (tests/network/data/hypatia_starlink550_positions.csv, scripts/
make_hypatia_reference.py); satgenpy's interface numbering (``sat_neighbor_to_if``: each
satellite's ISLs counted in isls.txt order) written out by hand below.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from skydc.errors import ScenarioError
from skydc.io.hypatia import (
    geodetic_to_cartesian_wgs72,
    is_hypatia_tles,
    isl_interfaces,
    read_fstate,
    read_ground_stations,
    read_isls,
    read_tles,
    write_fstate,
    write_ground_stations,
    write_isls,
    write_tles,
)
from skydc.network.ground import bundled_ground_stations
from skydc.network.routing import build_graph, forwarding_state, shortest_paths_from_ground
from skydc.orbits.constellation import walker_delta
from skydc.orbits.tle import elements_to_satrecs, satrecs_to_elements

DATA = Path(__file__).parents[1] / "network" / "data"
one_micrometre = 1e-6


def test_wgs72_station_positions_equal_satgenpys() -> None:
    rows = [
        line.split(",")
        for line in (DATA / "hypatia_starlink550_positions.csv").read_text().splitlines()
        if line.startswith("gs,")
    ]
    expected = np.array([[float(v) for v in r[2:]] for r in rows]).T
    cities = bundled_ground_stations("cities-top100")
    got = geodetic_to_cartesian_wgs72(cities.latitude_deg, cities.longitude_deg, cities.altitude_m)
    assert np.max(np.abs(got - expected)) < one_micrometre


def test_basic_and_extended_station_files_round_trip(tmp_path: Path) -> None:
    basic = tmp_path / "ground_stations.basic.txt"
    basic.write_text("0,Manila,14.6042,120.9822,0\n1,Tokyo,35.6895,139.6917,40\n")
    st = read_ground_stations(basic)
    assert st.name == ("Manila", "Tokyo")
    np.testing.assert_array_equal(st.altitude_m, [0.0, 40.0])
    extended = tmp_path / "ground_stations.txt"
    cities = bundled_ground_stations("cities-top100")
    write_ground_stations(extended, cities)
    back = read_ground_stations(extended)
    assert back.name == cities.name
    np.testing.assert_array_equal(back.latitude_deg, cities.latitude_deg)
    np.testing.assert_array_equal(back.longitude_deg, cities.longitude_deg)
    np.testing.assert_array_equal(back.altitude_m, cities.altitude_m)
    assert len(extended.read_text().splitlines()[0].split(",")) == 8


@pytest.mark.parametrize(
    ("text", "fragment", "where"),
    [
        ("0,A,1,2,0\n2,B,1,2,0\n", "count up from 0", "line 2, column gid"),
        ("0,A,91,2,0\n", "latitude", "line 1, column latitude"),
        ("0,A,1,2\n", "expected 5 cells", "line 1"),
    ],
)
def test_bad_station_files_name_line_and_column(
    tmp_path: Path, text: str, fragment: str, where: str
) -> None:
    path = tmp_path / "gs.txt"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=fragment) as info:
        read_ground_stations(path)
    assert info.value.field == where


def test_tles_round_trip_in_hypatia_layout(tmp_path: Path) -> None:
    el = walker_delta(4, 5, 1, 6.928e6, math.radians(53.0), 2461100.5)
    path = tmp_path / "tles.txt"
    write_tles(path, elements_to_satrecs(el), 4, 5, "Test shell")
    lines = path.read_text().splitlines()
    assert lines[0] == "4 5" and lines[1] == "Test_shell 0" and len(lines) == 1 + 3 * 20
    assert is_hypatia_tles(path)
    tles = read_tles(path)
    assert (tles.n_orbits, tles.n_sats_per_orbit) == (4, 5)
    back = satrecs_to_elements([sat for _, sat in tles.records], el.epoch_jd_utc)
    # TLE columns keep 1e-4 deg of angle and 1e-8 rev/day of mean motion
    np.testing.assert_allclose(np.degrees(back.raan_rad), np.degrees(el.raan_rad), atol=1e-4)
    np.testing.assert_allclose(
        np.degrees(back.mean_anomaly_rad), np.degrees(el.mean_anomaly_rad), atol=1e-4
    )
    np.testing.assert_allclose(back.a_m, el.a_m, rtol=1e-8)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(["4 4", *lines[1:]]) + "\n")
    with pytest.raises(ScenarioError, match="4 x 4 = 16 satellites, the file holds 20"):
        read_tles(bad)


def test_isls_and_interface_numbering_follow_satgenpy(tmp_path: Path) -> None:
    i, j = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    write_isls(tmp_path / "isls.txt", i, j)
    assert (tmp_path / "isls.txt").read_text() == "0 1\n0 2\n1 2\n2 3\n"
    ri, rj = read_isls(tmp_path / "isls.txt")
    np.testing.assert_array_equal(ri, i)
    np.testing.assert_array_equal(rj, j)
    # satgenpy: for (a, b) in isls: if[(a,b)] = count[a]++; if[(b,a)] = count[b]++
    expected_a, expected_b, count = [], [], [0, 0, 0, 0]
    for a, b in zip(i, j, strict=True):
        expected_a.append(count[a])
        count[a] += 1
        expected_b.append(count[b])
        count[b] += 1
    if_a, if_b, num = isl_interfaces(i, j, 4)
    np.testing.assert_array_equal(if_a, expected_a)
    np.testing.assert_array_equal(if_b, expected_b)
    np.testing.assert_array_equal(num, count)


def test_fstate_round_trip_follows_the_routes(tmp_path: Path) -> None:
    # a chain of four satellites, station 0 under satellite 0, station 1 under satellite 3
    i, j, length = np.array([0, 1, 2]), np.array([1, 2, 3]), np.full(3, 1e6)
    graph = build_graph(4, 2, i, j, length, [0, 1], [0, 3], [5e5, 5e5])
    fstate = forwarding_state(shortest_paths_from_ground(graph, backend="scipy"))
    path = tmp_path / "fstate_0.txt"
    write_fstate(path, fstate, i, j, 4)
    got = read_fstate(path)
    assert len(got) == 4 * 2 + 2  # every satellite to both stations, each station to the other
    # satellite 1 towards station 1 (node 5): next satellite 2, its interface 1, 2's interface 0
    assert got[(1, 5)] == (2, 1, 0)
    # satellite 3 hands down to station 1 on its GSL interface (after its one ISL)
    assert got[(3, 5)] == (5, 1, 0)
    # station 0 (node 4) sends up to satellite 0, whose GSL interface follows its one ISL
    assert got[(4, 5)] == (0, 0, 1)
    assert got[(0, 4)] == (4, 1, 0)
