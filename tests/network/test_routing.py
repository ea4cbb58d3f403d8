"""Routing: hand-built graphs with known shortest paths, no transit through ground stations,
unreachable pairs, numba equal to scipy, forwarding state consistent with the distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.constants import EARTH_RADIUS_M, SPEED_OF_LIGHT_M_S
from skydc.network.ground import bundled_ground_stations, ground_links
from skydc.network.isl import isl_links
from skydc.network.routing import (
    build_graph,
    forwarding_state,
    route,
    shortest_paths_from_ground,
)
from skydc.orbits.circular import circular_states
from skydc.orbits.constellation import walker_delta

one_micrometre = 1e-6
one_picosecond = 1e-12

# A line of satellites 0-1-2-3 (100 m apart) with station 0 above satellite 0, station 1 above
# satellite 3, and station 2 seeing satellites 0 and 3 (a short cut only if stations relay).
LINE = {
    "n_sat": 4,
    "n_gs": 3,
    "isl_i": [0, 1, 2],
    "isl_j": [1, 2, 3],
    "isl_length_m": [100.0, 100.0, 100.0],
    "gsl_gs": [0, 1, 2, 2],
    "gsl_sat": [0, 3, 0, 3],
    "gsl_length_m": [10.0, 20.0, 5.0, 5.0],
}


@pytest.mark.parametrize("backend", ["scipy", "numba"])
def test_known_shortest_paths_on_a_line(backend: str) -> None:
    graph = build_graph(**LINE)  # type: ignore[arg-type]
    paths = shortest_paths_from_ground(graph, backend=backend)
    d = paths.gs_distance()
    assert d[0, 1] == 10.0 + 300.0 + 20.0  # over the ISLs, not through station 2 (10 + 5 + 5 + 20)
    assert d[1, 0] == d[0, 1]
    assert d[0, 2] == 10.0 + 5.0
    assert np.all(np.diag(d) == 0.0)
    assert route(paths, 0, 1) == [4, 0, 1, 2, 3, 5]  # Hypatia ids: stations are n_sat + g
    assert route(paths, 0, 0) == []


def test_ground_stations_relay_only_when_allowed() -> None:
    graph = build_graph(**LINE, gs_relay=True)  # type: ignore[arg-type]
    paths = shortest_paths_from_ground(graph, backend="scipy")
    assert paths.gs_distance()[0, 1] == 10.0 + 5.0 + 5.0 + 20.0
    assert route(paths, 0, 1) == [4, 0, 6, 3, 5]


def test_delay_weight_is_length_over_c() -> None:
    graph = build_graph(**LINE, weight="delay")  # type: ignore[arg-type]
    d = shortest_paths_from_ground(graph, backend="scipy").gs_distance()
    assert d[0, 1] == pytest.approx(330.0 / SPEED_OF_LIGHT_M_S, abs=one_picosecond)


@pytest.mark.parametrize("backend", ["scipy", "numba"])
def test_unreachable_pairs_are_infinite_not_errors(backend: str) -> None:
    # satellites 0-1 and 2-3 are two islands; station 2 sees nothing
    graph = build_graph(4, 3, [0, 2], [1, 3], [1.0, 1.0], [0, 1], [0, 3], [1.0, 1.0])
    paths = shortest_paths_from_ground(graph, backend=backend)
    d = paths.gs_distance()
    assert math.isinf(d[0, 1]) and math.isinf(d[0, 2]) and math.isinf(d[2, 1])
    assert route(paths, 0, 1) == []
    fs = forwarding_state(paths)
    assert fs.gs_next_hop[0, 1] == -1 and fs.gs_next_hop[2, 0] == -1
    assert fs.sat_next_hop[3, 0] == -1 and fs.sat_next_hop[1, 0] == 0


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="length, delay"):
        build_graph(**LINE, weight="hops")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="satellite index"):
        build_graph(2, 1, [0], [5], [1.0], [], [], [])
    with pytest.raises(ValueError, match="finite"):
        build_graph(2, 1, [0], [1], [-1.0], [], [], [])
    graph = build_graph(**LINE)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="auto, scipy, numba"):
        shortest_paths_from_ground(graph, backend="gpu")
    with pytest.raises(ValueError, match="station indices"):
        shortest_paths_from_ground(graph, sources=[7])


def _starlink_graph():  # type: ignore[no-untyped-def]
    elements = walker_delta(72, 22, 1, EARTH_RADIUS_M + 550e3, math.radians(53.0), 2460676.5)
    r = circular_states(elements, np.array([0.0]), frame="ecef").r_m[:, :, 0]
    index = np.arange(r.shape[1])
    links = isl_links("plus-grid", r, 5.0e6, plane_index=index // 22, slot_index=index % 22)
    cities = bundled_ground_stations("cities-top100")
    gsl = ground_links(cities.ecef_m(), cities.up(), np.radians(cities.min_elevation_deg), r)
    graph = build_graph(
        r.shape[1], cities.n_gs, links.i, links.j, links.length_m, gsl.gs, gsl.sat, gsl.length_m
    )
    return graph, links, gsl


def test_numba_backend_equals_scipy_on_a_starlink_shell() -> None:
    graph, _, _ = _starlink_graph()
    a = shortest_paths_from_ground(graph, backend="scipy")
    b = shortest_paths_from_ground(graph, backend="numba")
    np.testing.assert_array_equal(np.isinf(a.distance), np.isinf(b.distance))
    finite = np.isfinite(a.distance)
    np.testing.assert_allclose(a.distance[finite], b.distance[finite], rtol=0, atol=one_micrometre)


def test_forwarding_state_reaches_the_destination_at_the_shortest_distance() -> None:
    graph, links, gsl = _starlink_graph()
    paths = shortest_paths_from_ground(graph, backend="scipy")
    fs = forwarding_state(paths)
    n_sat = graph.n_sat
    length = {}
    for a, b, w in zip(links.i, links.j, links.length_m, strict=True):
        length[(a, b)] = length[(b, a)] = w
    for g, s, w in zip(gsl.gs, gsl.sat, gsl.length_m, strict=True):
        length[(n_sat + g, s)] = length[(s, n_sat + g)] = w
    d = paths.gs_distance()
    for src, dst in ((0, 9), (27, 84), (3, 96), (50, 20)):
        node, total, hops = n_sat + src, 0.0, 0
        nxt = fs.gs_next_hop[src, dst]
        while node != n_sat + dst:
            total += length[(node, nxt)]
            node, hops = nxt, hops + 1
            if node < n_sat:
                nxt = fs.sat_next_hop[node, dst]
        assert total == pytest.approx(d[dst, src], abs=one_micrometre)
        assert d[src, dst] == pytest.approx(d[dst, src], abs=one_micrometre)
        assert hops == len(route(paths, src, dst)) - 1


def test_numba_relabelled_graph_equals_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The locality relabelling (used from 20,000 satellites) gives the same trees."""
    from skydc.network import routing

    graph, _, _ = _starlink_graph()
    monkeypatch.setattr(routing, "_RELABEL_MIN_SATELLITES", 0)
    order, inverse, *_ = routing._relabelled(graph)
    assert not np.array_equal(order, np.arange(graph.n_nodes))
    np.testing.assert_array_equal(order[inverse], np.arange(graph.n_nodes))
    a = shortest_paths_from_ground(graph, backend="scipy")
    b = shortest_paths_from_ground(graph, backend="numba")
    finite = np.isfinite(a.distance)
    np.testing.assert_array_equal(finite, np.isfinite(b.distance))
    np.testing.assert_allclose(a.distance[finite], b.distance[finite], rtol=0, atol=one_micrometre)
    # predecessors are valid: every reached node's predecessor is one edge shorter
    g = graph.csgraph
    rows, cols = np.nonzero(finite & (b.predecessor >= 0))
    prev = b.predecessor[rows, cols]
    edge = np.asarray(g[prev, cols]).ravel()
    np.testing.assert_allclose(
        b.distance[rows, prev] + edge, b.distance[rows, cols], rtol=0, atol=one_micrometre
    )


def test_numba_bucket_queue_survives_many_decreases() -> None:
    """A node whose distance drops k times overflows the entry pool: compaction keeps it exact."""
    from skydc.network._dijkstra_numba import multi_source_dijkstra

    k = 50
    i = np.arange(1, k + 1)
    tail = np.concatenate([np.zeros(k, np.int64), i])
    head = np.concatenate([i, np.full(k, k + 1)])
    weight = np.concatenate([i.astype(float), (2 * k - 2 * i).astype(float) + 0.5])
    order = np.lexsort((head, tail))
    n = k + 2
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    dist, pred = multi_source_dijkstra(
        indptr, head[order].astype(np.int32), weight[order], np.array([0])
    )
    assert dist[0, k + 1] == k + 0.5  # via node k: k + 0.5
    assert pred[0, k + 1] == k
    np.testing.assert_array_equal(dist[0, 1 : k + 1], i)


def test_numba_threads_follow_the_size_of_the_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small problems run on one thread (no straggler on loaded cores), large ones on numba's
    count; both give scipy's trees, and the caller's thread setting is left as it was."""
    numba = pytest.importorskip("numba")
    from skydc.network import _dijkstra_numba as dj

    graph, _, _ = _starlink_graph()
    work = graph.n_gs * (graph.n_nodes + graph.csgraph.nnz)
    assert dj.threads_for(graph.n_nodes, graph.csgraph.nnz, graph.n_gs) == 1
    assert work < dj.SERIAL_MAX_WORK
    assert dj.threads_for(10**6, 7 * 10**6, 100) == min(numba.get_num_threads(), 100)
    assert dj.threads_for(10**6, 7 * 10**6, 1) == 1
    reference = shortest_paths_from_ground(graph, backend="scipy")
    before = numba.get_num_threads()
    for limit in (dj.SERIAL_MAX_WORK, 0):  # one thread, then every thread
        monkeypatch.setattr(dj, "SERIAL_MAX_WORK", limit)
        paths = shortest_paths_from_ground(graph, backend="numba")
        finite = np.isfinite(reference.distance)
        np.testing.assert_allclose(
            paths.distance[finite], reference.distance[finite], rtol=0, atol=one_micrometre
        )
        assert numba.get_num_threads() == before
