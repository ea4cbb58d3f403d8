"""Ground stations: CSV validation, bundled sets, elevation against skyfield, visibility,
satellite choice and handovers."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import load, wgs84
from skyfield.framelib import itrs
from skyfield.positionlib import ICRF
from skyfield.units import Distance, Velocity

from skydc.constants import EARTH_RADIUS_M
from skydc.errors import ScenarioError
from skydc.network.ground import (
    BUNDLED,
    GroundLinks,
    bundled_ground_stations,
    choose_satellites,
    elevation_rad,
    geodetic_up,
    ground_links,
    handovers,
    read_ground_stations,
    serving_satellites,
    serving_satellites_stepwise,
)
from skydc.orbits.circular import circular_states
from skydc.orbits.constellation import walker_delta
from skydc.orbits.frames import geodetic_to_ecef

EPOCH_JD_UTC = 2460676.5
one_microdegree = math.radians(1e-6)
one_millimetre = 1e-3

HEADER = (
    "name,latitude_deg,longitude_deg,altitude_m,min_elevation_deg,link_type,capacity_bps,"
    "weather_availability\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stations.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_ground_stations_with_defaults_and_comments(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# my stations\n" + HEADER + "A,10,20,5,10,optical,1e10,0.9\nB,-45.5,190,,,,,\n\n",
    )
    gs = read_ground_stations(path)
    assert gs.name == ("A", "B")
    assert gs.longitude_deg[1] == pytest.approx(-170.0)
    assert gs.min_elevation_deg.tolist() == [10.0, 25.0]
    assert gs.link_type == ("optical", "rf")
    assert gs.capacity_bps[1] == math.inf
    assert gs.weather_availability.tolist() == [0.9, 1.0]
    assert gs.ecef_m().shape == (3, 2)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("A,91,0,0,25,rf,1e9,1", "latitude_deg", "outside"),
        ("A,north,0,0,25,rf,1e9,1", "latitude_deg", "must be a number"),
        ("A,0,0,0,95,rf,1e9,1", "min_elevation_deg", "outside"),
        ("A,0,0,0,25,laser,1e9,1", "link_type", "optical, rf"),
        ("A,0,0,0,25,rf,-5,1", "capacity_bps", "outside"),
        ("A,0,0,0,25,rf,1e9,1.5", "weather_availability", "outside"),
        ("A,0,0,0,25,rf,1e9,nan", "weather_availability", "outside"),
    ],
)
def test_bad_values_name_file_line_and_column(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = _write(tmp_path, HEADER + "OK,0,0,0,25,rf,1e9,1\n" + row + "\n")
    with pytest.raises(ScenarioError, match=message) as info:
        read_ground_stations(path)
    assert info.value.file == str(path)
    assert info.value.field == f"line 3, column {column}"


def test_bad_structure_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="missing columns"):
        read_ground_stations(_write(tmp_path, "name,latitude_deg\nA,1\n"))
    with pytest.raises(ScenarioError, match="unknown columns"):
        read_ground_stations(_write(tmp_path, "name,latitude_deg,longitude_deg,lat\n"))
    with pytest.raises(ScenarioError, match="expected 3 cells"):
        read_ground_stations(_write(tmp_path, "name,latitude_deg,longitude_deg\nA,1\n"))
    with pytest.raises(ScenarioError, match="no stations"):
        read_ground_stations(_write(tmp_path, "name,latitude_deg,longitude_deg\n"))
    with pytest.raises(ScenarioError, match="no header"):
        read_ground_stations(_write(tmp_path, "# nothing\n"))
    with pytest.raises(ScenarioError, match="file not found"):
        read_ground_stations(tmp_path / "absent.csv")


def test_bundled_sets() -> None:
    cities = bundled_ground_stations("cities-top100")
    assert cities.n_gs == 100
    assert cities.name[0] == "Tokyo" and cities.name[99] == "Kunming"  # Hypatia's order
    assert cities.latitude_deg[0] == 35.6895 and cities.longitude_deg[0] == 139.69171
    sites = bundled_ground_stations("ground-station-sites")
    assert "SvalSat" in sites.name and "TrollSat" in sites.name
    with pytest.raises(ValueError, match=", ".join(BUNDLED)):
        bundled_ground_stations("everywhere")


def test_elevation_against_skyfield_topocentric_rotation() -> None:
    """Elevation of Earth-fixed points against skyfield's altazimuth rotation at a WGS-84 site."""
    ts = load.timescale(builtin=True)
    t = ts.utc(2025, 1, 1)
    rng = np.random.default_rng(7)
    for lat, lon, alt in ((40.0, -75.0, 100.0), (-72.0, 2.5, 1275.0), (78.2, 15.4, 0.0)):
        site = wgs84.latlon(lat, lon, elevation_m=alt)
        g = geodetic_to_ecef(math.radians(lat), math.radians(lon), alt)
        np.testing.assert_allclose(g, site.itrs_xyz.m, atol=one_millimetre)
        offsets = rng.normal(size=(3, 20)) * 1.5e6
        sat = g[:, None] + offsets
        up = geodetic_up(np.radians([lat]), np.radians([lon]))
        el, rng_m = elevation_rad(g[:, None], up, sat)
        for k in range(sat.shape[1]):
            p = ICRF.from_time_and_frame_vectors(
                t, itrs, Distance(m=sat[:, k]), Velocity(km_per_s=np.zeros(3))
            )
            v = site.rotation_at(t) @ (p.position.m - site.at(t).position.m)
            expected = math.atan2(v[2], math.hypot(v[0], v[1]))
            assert el[0, k] == pytest.approx(expected, abs=one_microdegree)
        np.testing.assert_allclose(rng_m[0], np.linalg.norm(offsets, axis=0))


def _shell_r(t_s: np.ndarray) -> np.ndarray:
    elements = walker_delta(72, 22, 1, EARTH_RADIUS_M + 550e3, math.radians(53.0), EPOCH_JD_UTC)
    return circular_states(elements, t_s, frame="ecef").r_m


def test_ground_links_kdtree_equals_dense_elevation() -> None:
    r = _shell_r(np.array([0.0]))[:, :, 0]
    cities = bundled_ground_stations("cities-top100")
    g, up = cities.ecef_m(), cities.up()
    mask = np.radians(cities.min_elevation_deg)
    links = ground_links(g, up, mask, r)
    el, rng = elevation_rad(g, up, r)
    gs, sat = np.nonzero(el >= mask[:, None])
    np.testing.assert_array_equal(links.gs, gs)
    np.testing.assert_array_equal(links.sat, sat)
    np.testing.assert_allclose(links.length_m, rng[gs, sat])
    capped = ground_links(g, up, mask, r, max_range_m=800e3)
    assert capped.n_links < links.n_links and capped.length_m.max() <= 800e3


def test_choose_satellites() -> None:
    links = GroundLinks(
        gs=np.array([0, 0, 0, 2]),
        sat=np.array([5, 6, 7, 1]),
        length_m=np.array([900e3, 600e3, 700e3, 1e6]),
        elevation_rad=np.array([0.9, 0.8, 1.2, 0.5]),
    )
    high = choose_satellites(links, "highest-elevation")
    assert high.gs.tolist() == [0, 2] and high.sat.tolist() == [7, 1]
    near = choose_satellites(links, "nearest")
    assert near.sat.tolist() == [6, 1]
    assert choose_satellites(links, "all") is links
    with pytest.raises(ValueError, match="highest-elevation, nearest, all"):
        choose_satellites(links, "random")


def test_serving_satellites_and_handovers_over_time() -> None:
    t = np.arange(0.0, 1800.0, 30.0)
    r = _shell_r(t)
    cities = bundled_ground_stations("cities-top100")
    g, up = cities.ecef_m()[:, :5], cities.up()[:, :5]
    serving = serving_satellites(g, up, math.radians(25.0), r)
    assert serving.shape == (5, t.size)
    el, _ = elevation_rad(g, up, r)
    k = serving[0, 0]
    assert el[0, k, 0] == pytest.approx(el[0, :, 0].max())
    gs, when, old, new = handovers(serving, t)
    assert gs.size > 0  # LEO satellites pass in minutes: handovers within half an hour
    assert np.all(old != new)
    changes = (serving[:, 1:] != serving[:, :-1]).sum()
    assert gs.size == changes
    assert np.all(np.isin(when, t[1:]))


def _sliced(r: np.ndarray, t: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """``positions_m`` over a precomputed (3, n, n_t) array."""

    def at(t_k: np.ndarray) -> np.ndarray:
        return r[:, :, np.searchsorted(t, t_k)]

    return at


@pytest.mark.parametrize("choice", ["highest-elevation", "nearest"])
def test_stepwise_serving_and_handovers_equal_the_dense_method(choice: str) -> None:
    """The KD-tree stepping (candidates re-seeded every 60 s) picks the same satellite at every
    step as the dense elevation array, so the handover events are identical."""
    t = np.arange(0.0, 1800.0, 10.0)
    r = _shell_r(t)
    cities = bundled_ground_stations("cities-top100")
    g, up = cities.ecef_m()[:, :40], cities.up()[:, :40]
    mask = np.radians(cities.min_elevation_deg[:40])
    dense = serving_satellites(g, up, mask, r, choice)
    stepwise = serving_satellites_stepwise(g, up, mask, _sliced(r, t), t, choice)
    np.testing.assert_array_equal(stepwise, dense)
    in_blocks = serving_satellites_stepwise(g, up, mask, _sliced(r, t), t, choice, station_block=7)
    np.testing.assert_array_equal(in_blocks, dense)
    assert (dense >= 0).all()  # the shell covers these cities
    for a, b in zip(handovers(dense, t), handovers(stepwise, t), strict=True):
        np.testing.assert_array_equal(a, b)
    assert handovers(dense, t)[0].size > 100


def test_stepwise_serving_over_a_long_span_matches_too() -> None:
    """A sparse shell (gaps in coverage) and one KD-tree for the whole half hour: the candidate
    ball grows by the travel bound (~20,000 km) and still gives the dense answer."""
    t = np.arange(0.0, 1800.0, 60.0)
    elements = walker_delta(12, 8, 1, EARTH_RADIUS_M + 550e3, math.radians(53.0), EPOCH_JD_UTC)
    r = circular_states(elements, t, frame="ecef").r_m
    cities = bundled_ground_stations("cities-top100")
    g, up = cities.ecef_m()[:, :10], cities.up()[:, :10]
    dense = serving_satellites(g, up, math.radians(25.0), r)
    stepwise = serving_satellites_stepwise(
        g, up, math.radians(25.0), _sliced(r, t), t, reseed_s=1800.0
    )
    np.testing.assert_array_equal(stepwise, dense)
    assert (dense >= 0).any() and (dense < 0).any()  # coverage and gaps both occur
