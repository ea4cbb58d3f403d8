"""Metrics: max-flow on a known ring (unlimited and very large capacities, the coarsened upper
bound against the exact max-flow), bisection bandwidth, fibre RTT, great circle, stretch >= 1
(property), hop counts, unreachable pairs, link load conservation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.constants import EARTH_MEAN_RADIUS_M, EARTH_RADIUS_M, SPEED_OF_LIGHT_M_S
from skydc.network.ground import bundled_ground_stations, ground_links
from skydc.network.isl import isl_links
from skydc.network.metrics import (
    bisection_bandwidth_bps,
    fibre_rtt_s,
    great_circle_m,
    hop_counts,
    link_load_bps,
    max_flow_bps,
    pair_metrics,
    region_capacity,
    region_capacity_bps,
)
from skydc.network.routing import build_graph, shortest_paths_from_ground
from skydc.orbits.circular import circular_states
from skydc.orbits.constellation import walker_delta

hundred_gbps = 100e9
one_millimetre = 1e-3
one_nanosecond = 1e-9


def _ring(n: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(n)
    return i, (i + 1) % n


def test_max_flow_on_a_ring_is_two_links() -> None:
    i, j = _ring(8)
    tail, head = np.concatenate([i, j]), np.concatenate([j, i])
    assert max_flow_bps(8, tail, head, hundred_gbps, [0], [4]) == 2 * hundred_gbps
    assert max_flow_bps(8, tail, head, hundred_gbps, [0, 1], [4, 5]) == 2 * hundred_gbps
    # cut one link: one way round is left
    assert max_flow_bps(8, tail[1:], head[1:], hundred_gbps, [0], [4]) == hundred_gbps
    assert max_flow_bps(8, tail, head, hundred_gbps, [0], []) == 0.0
    with pytest.raises(ValueError, match="disjoint"):
        max_flow_bps(8, tail, head, hundred_gbps, [0], [0])


def test_max_flow_rounds_down_to_whole_units() -> None:
    flow = max_flow_bps(2, [0], [1], [2.5e6 + 0.7e6], [0], [1], unit_bps=1e6)
    assert flow == 3e6


def test_bisection_bandwidth_of_a_ring_and_of_a_grid() -> None:
    n = 16
    angle = 2 * np.pi * np.arange(n) / n
    r = np.stack([np.cos(angle), np.sin(angle), np.zeros(n)]) * 500.0
    i, j = _ring(n)
    assert bisection_bandwidth_bps(r, i, j, hundred_gbps) == 2 * hundred_gbps
    # 4 x 4 planar grid, 1 link between neighbours: any straight median cut crosses 4 links
    x, y = np.meshgrid(np.arange(4.0), np.arange(4.0), indexing="ij")
    pos = np.stack([x.ravel(), 0.5 * y.ravel(), np.zeros(16)]) * 100.0
    k = np.arange(16).reshape(4, 4)
    gi = np.concatenate([k[:-1, :].ravel(), k[:, :-1].ravel()])
    gj = np.concatenate([k[1:, :].ravel(), k[:, 1:].ravel()])
    assert bisection_bandwidth_bps(pos, gi, gj, hundred_gbps) == 4 * hundred_gbps


def test_fibre_rtt_and_great_circle() -> None:
    # 1,000 km of fibre at n = 1.468: 9.793 ms round trip
    assert fibre_rtt_s(1.0e6) == pytest.approx(2 * 1.468e6 / SPEED_OF_LIGHT_M_S)
    assert float(fibre_rtt_s(1.0e6)) == pytest.approx(9.7935e-3, abs=one_nanosecond * 100)
    a = np.array([1.0, 0.0, 0.0])
    b = np.array([0.0, 5.0, 0.0])
    assert great_circle_m(a, b) == pytest.approx(EARTH_MEAN_RADIUS_M * math.pi / 2)
    assert great_circle_m(a, -a) == pytest.approx(EARTH_MEAN_RADIUS_M * math.pi)


def _network(raan0_rad: float, t_s: float, altitude_m: float):  # type: ignore[no-untyped-def]
    elements = walker_delta(
        24, 16, 1, EARTH_RADIUS_M + altitude_m, math.radians(53.0), 2460676.5, raan0_rad
    )
    r = circular_states(elements, np.array([t_s]), frame="ecef").r_m[:, :, 0]
    index = np.arange(r.shape[1])
    links = isl_links("plus-grid", r, 6.0e6, plane_index=index // 16, slot_index=index % 16)
    cities = bundled_ground_stations("cities-top100")
    g = cities.ecef_m()
    gsl = ground_links(g, cities.up(), np.radians(cities.min_elevation_deg), r)
    graph = build_graph(
        r.shape[1], cities.n_gs, links.i, links.j, links.length_m, gsl.gs, gsl.sat, gsl.length_m
    )
    return graph, links, gsl, g


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(
    raan0=st.floats(0.0, 2 * math.pi),
    t_s=st.floats(0.0, 86400.0),
    altitude_m=st.floats(350e3, 1500e3),
)
def test_stretch_at_least_one_for_every_reachable_pair(
    raan0: float, t_s: float, altitude_m: float
) -> None:
    graph, _, _, g = _network(raan0, t_s, altitude_m)
    paths = shortest_paths_from_ground(graph, backend="scipy")
    lowest_station_radius = float(np.min(np.linalg.norm(g, axis=0)))
    m = pair_metrics(paths, g, radius_m=lowest_station_radius)
    assert np.all(m.stretch[m.reachable] >= 1.0)
    assert np.all(np.isnan(m.stretch[~m.reachable]))
    assert np.all(m.hops[m.reachable] >= 2) and np.all(m.hops[~m.reachable] == -1)
    assert np.all(np.isinf(m.rtt_s[~m.reachable]))
    np.testing.assert_allclose(m.rtt_s[m.reachable], 2 * m.length_m[m.reachable] / 299792458.0)


def test_sparse_shell_reports_unreachable_pairs() -> None:
    graph, _, _, g = _network(0.0, 0.0, 350e3)  # 384 satellites at 350 km: gaps in coverage
    m = pair_metrics(shortest_paths_from_ground(graph, backend="scipy"), g)
    assert (~m.reachable).any() and m.reachable.any()


def test_link_load_conserves_demand_times_hops() -> None:
    graph, links, gsl, _ = _network(0.3, 600.0, 550e3)
    paths = shortest_paths_from_ground(graph, backend="scipy")
    demand = np.full((graph.n_gs, graph.n_gs), 1e9)
    isl_load, gsl_load, unrouted = link_load_bps(paths, demand, links.i, links.j, gsl.gs, gsl.sat)
    hops = hop_counts(paths)
    off = ~np.eye(graph.n_gs, dtype=bool)
    reachable = off & (hops >= 0)
    assert unrouted == pytest.approx(1e9 * (off & (hops < 0)).sum())
    assert gsl_load.sum() == pytest.approx(2 * 1e9 * reachable.sum())
    assert isl_load.sum() == pytest.approx(1e9 * (hops[reachable] - 2).sum())
    up_per_station = np.bincount(gsl.gs, gsl_load[:, 0], graph.n_gs)
    np.testing.assert_allclose(up_per_station, 1e9 * reachable.sum(axis=1))


def test_region_capacity_limited_by_ground_links() -> None:
    graph, links, gsl, _ = _network(0.0, 0.0, 550e3)
    cities = bundled_ground_stations("cities-top100")
    paris, london, new_york = (cities.name.index(c) for c in ("Paris", "London", "New-York-Newark"))
    cap = region_capacity_bps(
        graph.n_sat, graph.n_gs, links.i, links.j, hundred_gbps, gsl.gs, gsl.sat, 1e9,
        [paris, london], [new_york],
    )  # fmt: skip
    ny_links = int((gsl.gs == new_york).sum())
    assert cap == pytest.approx(min(ny_links, ((gsl.gs == paris) | (gsl.gs == london)).sum()) * 1e9)


def test_max_flow_of_unlimited_and_very_large_capacities() -> None:
    # a chain of unlimited edges: unbounded; one finite edge on it: that edge
    assert max_flow_bps(3, [0, 1], [1, 2], math.inf, [0], [2]) == math.inf
    assert max_flow_bps(3, [0, 1], [1, 2], [math.inf, 5e9], [0], [2]) == 5e9
    # three parallel paths of 10 Pbit/s: 3e10 units of 1 Mbit/s overflow scipy's int32; the
    # unit grows instead of each edge being clipped to 2.1e9 units (2.1 Pbit/s)
    ten_pbps = 1e16
    flow = max_flow_bps(5, [0, 0, 0, 1, 2, 3], [1, 2, 3, 4, 4, 4], ten_pbps, [0], [4])
    unit = 6 * ten_pbps / 2**30  # the grown unit: the flow is within one unit per path
    assert 3 * ten_pbps - 3 * unit <= flow <= 3 * ten_pbps


def _capacity_case(gsl_capacity_bps: float):  # type: ignore[no-untyped-def]
    """6,000 satellites (Walker 100 x 60, 800 km, 53 deg), +Grid 100 Gbit/s ISLs, the 100
    cities; regions as in the network stage (Americas, Europe-Africa)."""
    elements = walker_delta(100, 60, 1, EARTH_RADIUS_M + 800e3, math.radians(53.0), 2460676.5)
    r = circular_states(elements, np.array([0.0]), frame="ecef").r_m[:, :, 0]
    index = np.arange(r.shape[1])
    links = isl_links("plus-grid", r, 6.0e6, plane_index=index // 60, slot_index=index % 60)
    cities = bundled_ground_stations("cities-top100")
    gsl = ground_links(cities.ecef_m(), cities.up(), np.radians(cities.min_elevation_deg), r)
    lon = cities.longitude_deg
    americas = np.nonzero(lon < -30.0)[0]
    europe = np.nonzero((lon >= -30.0) & (lon < 60.0))[0]
    args = (
        r.shape[1], cities.n_gs, links.i, links.j, hundred_gbps, gsl.gs, gsl.sat,
        gsl_capacity_bps, americas, europe,
    )  # fmt: skip
    return args, r


@pytest.mark.parametrize("gsl_capacity_bps", [1e10, 1e11, math.inf])
def test_coarsened_capacity_bounds_the_exact_max_flow(gsl_capacity_bps: float) -> None:
    """Independent reference: scipy's exact max-flow (Dinic) on the whole graph. Merging
    satellites into cells only adds paths, so the coarsened value is never below it; with a
    budget of a quarter of the satellites the refined cells bring it within 10 %."""
    args, r = _capacity_case(gsl_capacity_bps)
    exact = region_capacity(*args, method="exact")
    assert exact.method == "exact" and 1e12 < exact.capacity_bps < math.inf
    ten_percent = 0.10
    for budget, tolerance in ((200, math.inf), (500, math.inf), (1500, ten_percent)):
        coarse = region_capacity(*args, method="coarsened", r_sat_m=r, coarse_max_nodes=budget)
        assert coarse.method == "coarsened" and coarse.nodes <= budget
        assert coarse.capacity_bps >= exact.capacity_bps
        assert coarse.capacity_bps <= (1.0 + tolerance) * exact.capacity_bps
    # "auto" is exact at this size, coarsened above the limit
    assert region_capacity(*args, r_sat_m=r).method == "exact"
    assert region_capacity(*args, r_sat_m=r, exact_max_nodes=1000).method == "coarsened"
    assert region_capacity_bps(*args) == exact.capacity_bps


def test_capacity_is_unbounded_when_one_satellite_sees_both_regions() -> None:
    # satellite 0 seen by station 0 (region A) and station 1 (region B), unlimited ground links
    cap = region_capacity(2, 2, [0], [1], 1e9, [0, 1], [0, 0], math.inf, [0], [1])
    assert cap.capacity_bps == math.inf
    coarse = region_capacity(
        2, 2, [0], [1], 1e9, [0, 1], [0, 0], math.inf, [0], [1],
        r_sat_m=np.zeros((3, 2)), method="coarsened",
    )  # fmt: skip
    assert coarse.capacity_bps == math.inf
    # station B on the other satellite: the ISL limits
    assert region_capacity_bps(2, 2, [0], [1], 1e9, [0, 1], [0, 1], math.inf, [0], [1]) == 1e9
    with pytest.raises(ValueError, match="auto, exact, coarsened"):
        region_capacity(2, 2, [0], [1], 1e9, [0, 1], [0, 1], 1e9, [0], [1], method="fast")
