"""Network metrics of one time step: latency, stretch against fibre, hops, capacity, link load.

Latency. A path of length :math:`L` through vacuum takes :math:`L/c` one way; round-trip time
:math:`\\mathrm{RTT} = 2L/c` (the same path both ways; links are symmetric). The terrestrial
comparison is a fibre laid along the great circle, :math:`\\mathrm{RTT}_f = 2 n_g D/c` with the
group index of single-mode fibre :math:`n_g = 1.468` (Corning SMF-28 Ultra at 1550 nm: light at
~2/3 c) and :math:`D = R\\,\\angle(\\mathbf g_1, \\mathbf g_2)` the great-circle distance at
radius :math:`R` (mean Earth radius by default). *Path stretch* is :math:`L/D`. A path that
never goes below the lower of the two stations' geocentric radii is at least as long as the arc
at that radius (radial projection onto a sphere shortens curves outside it), so with
``radius_m`` at most that radius, stretch >= 1 for every reachable pair.

Capacity. Max-flow between two sets of nodes (``scipy.sparse.csgraph.maximum_flow``, Dinic's
algorithm) over links of given capacity in each direction; max-flow = min-cut (Ford &
Fulkerson 1956). scipy needs integer capacities: they are rounded down to whole ``unit_bps``
(default 1 Mbps), and the result is in bit/s, a multiple of ``unit_bps``. Bisection bandwidth
of a cluster is approximated by cutting it in half at the median along each of its three
principal axes and taking the smallest max-flow between the halves (the exact minimum
bisection is NP-hard).

Load. Each demand of a traffic matrix follows its shortest path (the trees of
:class:`skydc.network.routing.GroundPaths`); the load of a link direction is the sum of the
demands routed over it.

References
----------
Ford, L. R., Fulkerson, D. R. (1956). Maximal flow through a network. Canad. J. Math. 8, 399.
Dinic, E. A. (1970). Algorithm for solution of a problem of maximum flow. Soviet Math. Dokl. 11.
Corning (2021). SMF-28 Ultra Optical Fiber, Product Information PI1424 (group index 1.4682).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from skydc.constants import EARTH_MEAN_RADIUS_M, FIBRE_GROUP_INDEX, SPEED_OF_LIGHT_M_S
from skydc.network.routing import GroundPaths, NetworkGraph

__all__ = [
    "PairMetrics",
    "bisection_bandwidth_bps",
    "fibre_rtt_s",
    "great_circle_m",
    "gs_path_length_m",
    "hop_counts",
    "link_load_bps",
    "max_flow_bps",
    "pair_metrics",
    "region_capacity_bps",
]

_INT32_MAX = np.iinfo(np.int32).max


def gs_path_length_m(paths: GroundPaths) -> NDArray[np.float64]:
    """Length of the best path between stations [m], shape (n_src, n_gs); inf: unreachable."""
    d = paths.gs_distance()
    return d * SPEED_OF_LIGHT_M_S if paths.graph.weight == "delay" else d


def great_circle_m(
    r_a_m: ArrayLike, r_b_m: ArrayLike, radius_m: float = EARTH_MEAN_RADIUS_M
) -> NDArray[np.float64]:
    """Great-circle distance between the directions of two positions, at ``radius_m`` [m].

    :math:`D = R\\,\\mathrm{atan2}(|\\mathbf a\\times\\mathbf b|, \\mathbf a\\cdot\\mathbf b)`
    (well conditioned at all angles). Inputs ``(3, ...)``, broadcast.
    """
    a = np.asarray(r_a_m, dtype=float)
    b = np.asarray(r_b_m, dtype=float)
    cross = np.cross(a, b, axis=0)
    sin = np.sqrt(np.einsum("i...,i...->...", cross, cross))
    cos = np.einsum("i...,i...->...", *np.broadcast_arrays(a, b))
    return np.asarray(radius_m * np.arctan2(sin, cos), dtype=np.float64)


def fibre_rtt_s(
    great_circle_m: ArrayLike, group_index: float = FIBRE_GROUP_INDEX
) -> NDArray[np.float64]:
    """Round trip through fibre along the great circle: :math:`2 n_g D / c` [s]."""
    return 2.0 * group_index * np.asarray(great_circle_m, dtype=float) / SPEED_OF_LIGHT_M_S


def hop_counts(paths: GroundPaths) -> NDArray[np.int64]:
    """Links on the best path between stations, shape (n_src, n_gs): two ground links plus the
    ISLs; 0 to itself, -1 where unreachable."""
    g = paths.graph
    n_src = paths.sources.size
    rows = np.repeat(np.arange(n_src), g.n_gs)
    dst = np.tile(np.arange(g.n_gs), n_src)
    cur = g.sink_node(dst)
    start = g.source_node(paths.sources)[rows]
    hops = np.zeros(rows.size, dtype=np.int64)
    active = np.isfinite(paths.distance[rows, cur]) & (paths.sources[rows] != dst)
    while active.any():
        idx = np.flatnonzero(active)
        cur[idx] = paths.predecessor[rows[idx], cur[idx]]
        hops[idx] += 1
        active[idx] = cur[idx] != start[idx]
    hops[~np.isfinite(paths.distance[rows, g.sink_node(dst)])] = -1
    hops[paths.sources[rows] == dst] = 0
    return hops.reshape(n_src, g.n_gs)


@dataclass(frozen=True)
class PairMetrics:
    """Metrics of every ordered pair of distinct stations (rows ``src``, ``dst``).

    Unreachable pairs have ``reachable`` False, infinite length and RTT, NaN stretch and -1
    hops.
    """

    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    reachable: NDArray[np.bool_]
    length_m: NDArray[np.float64]
    rtt_s: NDArray[np.float64]
    great_circle_m: NDArray[np.float64]
    fibre_rtt_s: NDArray[np.float64]
    stretch: NDArray[np.float64]
    hops: NDArray[np.int64]


def pair_metrics(
    paths: GroundPaths, r_gs_m: ArrayLike, radius_m: float = EARTH_MEAN_RADIUS_M
) -> PairMetrics:
    """Length, RTT, fibre RTT, stretch and hops of every ordered pair of distinct stations.

    Parameters
    ----------
    paths : GroundPaths
        Trees from the source stations.
    r_gs_m : array_like, shape (3, n_gs)
        Station positions [m] (Earth-fixed).
    radius_m : float
        Radius of the great circle [m] (module docstring).
    """
    n_gs = paths.graph.n_gs
    length = gs_path_length_m(paths)
    hops = hop_counts(paths)
    rows, dst = np.nonzero(paths.sources[:, None] != np.arange(n_gs)[None, :])
    src = paths.sources[rows]
    g = np.asarray(r_gs_m, dtype=float).reshape(3, n_gs)
    d_gc = great_circle_m(g[:, src], g[:, dst], radius_m)
    l_pair = length[rows, dst]
    ok = np.isfinite(l_pair)
    with np.errstate(divide="ignore", invalid="ignore"):
        stretch = np.where(ok & (d_gc > 0.0), l_pair / d_gc, np.nan)
    return PairMetrics(
        src=src,
        dst=dst.astype(np.int64),
        reachable=ok,
        length_m=l_pair,
        rtt_s=2.0 * l_pair / SPEED_OF_LIGHT_M_S,
        great_circle_m=d_gc,
        fibre_rtt_s=fibre_rtt_s(d_gc),
        stretch=stretch,
        hops=hops[rows, dst],
    )


def _units(capacity_bps: NDArray[np.float64], unit_bps: float) -> NDArray[np.int64]:
    c = np.floor(np.where(np.isinf(capacity_bps), _INT32_MAX * unit_bps, capacity_bps) / unit_bps)
    return np.clip(c, 0, _INT32_MAX).astype(np.int64)


def max_flow_bps(
    n_nodes: int,
    tail: ArrayLike,
    head: ArrayLike,
    capacity_bps: ArrayLike,
    sources: ArrayLike,
    sinks: ArrayLike,
    unit_bps: float = 1e6,
) -> float:
    """Maximum flow from a set of nodes to another over directed edges [bit/s].

    Parameters
    ----------
    n_nodes : int
        Number of nodes.
    tail, head : array_like of int, shape (n_edges,)
        Directed edges (parallel edges add up).
    capacity_bps : array_like, shape (n_edges,)
        Capacity of each edge [bit/s] (inf allowed: not limiting).
    sources, sinks : array_like of int
        Disjoint node sets; joined to a super-source and super-sink by unlimited edges.
    unit_bps : float
        Capacities are rounded down to whole units for scipy's integer max-flow.

    Returns
    -------
    float
        The max-flow value [bit/s] (0 when the sets are disconnected).
    """
    t = np.asarray(tail, dtype=np.int64).ravel()
    h = np.asarray(head, dtype=np.int64).ravel()
    cap = np.broadcast_to(np.asarray(capacity_bps, dtype=float), t.shape)
    src = np.unique(np.asarray(sources, dtype=np.int64))
    snk = np.unique(np.asarray(sinks, dtype=np.int64))
    if not unit_bps > 0.0:
        raise ValueError("unit_bps must be > 0")
    if np.intersect1d(src, snk).size:
        raise ValueError("sources and sinks must be disjoint")
    if src.size == 0 or snk.size == 0:
        return 0.0
    units = _units(cap, unit_bps)
    big = int(min(_INT32_MAX, max(int(units.sum()), 1)))
    s_node, t_node = n_nodes, n_nodes + 1
    t = np.concatenate([t, np.full(src.size, s_node), snk])
    h = np.concatenate([h, src, np.full(snk.size, t_node)])
    u = np.concatenate([units, np.full(src.size + snk.size, big)])
    keep = (t != h) & (u > 0)
    # parallel edges add up; totals stay within int32
    key, inverse = np.unique(t[keep] * (n_nodes + 2) + h[keep], return_inverse=True)
    total = np.minimum(np.bincount(inverse, weights=u[keep]), _INT32_MAX).astype(np.int32)
    graph = csr_matrix(
        (total, (key // (n_nodes + 2), key % (n_nodes + 2))), shape=(n_nodes + 2, n_nodes + 2)
    )
    return float(maximum_flow(graph, s_node, t_node).flow_value) * unit_bps


def region_capacity_bps(
    n_sat: int,
    n_gs: int,
    isl_i: ArrayLike,
    isl_j: ArrayLike,
    isl_capacity_bps: ArrayLike,
    gsl_gs: ArrayLike,
    gsl_sat: ArrayLike,
    gsl_capacity_bps: ArrayLike,
    region_a: ArrayLike,
    region_b: ArrayLike,
    unit_bps: float = 1e6,
) -> float:
    """Max-flow capacity between two groups of ground stations through the constellation.

    Every ISL and ground link carries its capacity in each direction (full duplex). Stations
    outside both regions take no part (they do not relay).

    Returns
    -------
    float
        Capacity from region A to region B [bit/s].
    """
    a = np.asarray(region_a, dtype=np.int64)
    b = np.asarray(region_b, dtype=np.int64)
    gg = np.asarray(gsl_gs, dtype=np.int64)
    gs_sat = np.asarray(gsl_sat, dtype=np.int64)
    g_cap = np.broadcast_to(np.asarray(gsl_capacity_bps, dtype=float), gg.shape)
    keep = np.isin(gg, a) | np.isin(gg, b)
    i = np.asarray(isl_i, dtype=np.int64)
    j = np.asarray(isl_j, dtype=np.int64)
    i_cap = np.broadcast_to(np.asarray(isl_capacity_bps, dtype=float), i.shape)
    gs_node = n_sat + gg[keep]
    tail = np.concatenate([i, j, gs_node, gs_sat[keep]])
    head = np.concatenate([j, i, gs_sat[keep], gs_node])
    cap = np.concatenate([i_cap, i_cap, g_cap[keep], g_cap[keep]])
    return max_flow_bps(n_sat + n_gs, tail, head, cap, n_sat + a, n_sat + b, unit_bps)


def bisection_bandwidth_bps(
    r_m: ArrayLike,
    link_i: ArrayLike,
    link_j: ArrayLike,
    capacity_bps: ArrayLike,
    unit_bps: float = 1e6,
) -> float:
    """Approximate bisection bandwidth of a cluster [bit/s] (module docstring).

    Parameters
    ----------
    r_m : array_like, shape (3, n)
        Positions of the cluster's satellites [m].
    link_i, link_j : array_like of int
        Links between them (used both ways).
    capacity_bps : array_like
        Capacity of each link in each direction [bit/s].
    unit_bps : float
        Integer unit of the max-flow.

    Returns
    -------
    float
        Smallest max-flow between the two halves of the three principal-axis median cuts.
    """
    r = np.asarray(r_m, dtype=float)
    if r.ndim != 2 or r.shape[0] != 3:
        raise ValueError(f"positions must have shape (3, n); got {r.shape}")
    n = r.shape[1]
    if n < 2:
        return 0.0
    i = np.asarray(link_i, dtype=np.int64)
    j = np.asarray(link_j, dtype=np.int64)
    cap = np.broadcast_to(np.asarray(capacity_bps, dtype=float), i.shape)
    centred = r - r.mean(axis=1, keepdims=True)
    _, vectors = np.linalg.eigh(centred @ centred.T)
    best = np.inf
    for axis in vectors.T:  # three principal axes
        order = np.argsort(centred.T @ axis, kind="stable")
        half_a, half_b = order[: n // 2], order[n // 2 :]
        flow = max_flow_bps(
            n,
            np.concatenate([i, j]),
            np.concatenate([j, i]),
            np.concatenate([cap, cap]),
            half_a,
            half_b,
            unit_bps,
        )
        best = min(best, flow)
    return float(best)


def link_load_bps(
    paths: GroundPaths,
    demand_bps: ArrayLike,
    isl_i: ArrayLike,
    isl_j: ArrayLike,
    gsl_gs: ArrayLike,
    gsl_sat: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Load of every link direction when each demand follows its shortest path.

    Parameters
    ----------
    paths : GroundPaths
        Trees from the source stations (the rows of ``demand_bps``).
    demand_bps : array_like, shape (n_src, n_gs)
        Traffic from ``paths.sources[row]`` to each station [bit/s].
    isl_i, isl_j : array_like of int, shape (n_isl,)
        The ISLs the graph was built from.
    gsl_gs, gsl_sat : array_like of int, shape (n_gsl,)
        The ground links the graph was built from.

    Returns
    -------
    isl_load_bps : ndarray, shape (n_isl, 2)
        Load ``i -> j`` and ``j -> i``.
    gsl_load_bps : ndarray, shape (n_gsl, 2)
        Load up (station -> satellite) and down.
    unrouted_bps : float
        Demand between stations with no path (dropped).
    """
    g = paths.graph
    demand = np.asarray(demand_bps, dtype=float)
    if demand.shape != (paths.sources.size, g.n_gs):
        raise ValueError(f"demand_bps must have shape {(paths.sources.size, g.n_gs)}")
    ii, jj = np.asarray(isl_i, np.int64), np.asarray(isl_j, np.int64)
    gg, gsat = np.asarray(gsl_gs, np.int64), np.asarray(gsl_sat, np.int64)
    isl_key = np.minimum(ii, jj) * g.n_sat + np.maximum(ii, jj)
    isl_order = np.argsort(isl_key)
    gsl_key = gg * g.n_sat + gsat
    gsl_order = np.argsort(gsl_key)
    rows, dst = np.nonzero(demand > 0.0)
    rows, dst = rows[paths.sources[rows] != dst], dst[paths.sources[rows] != dst]
    cur = g.sink_node(dst)
    ok = np.isfinite(paths.distance[rows, cur])
    unrouted = float(demand[rows[~ok], dst[~ok]].sum())
    rows, cur, amount = rows[ok], cur[ok], demand[rows[ok], dst[ok]]
    isl_load = np.zeros(2 * ii.size)
    gsl_load = np.zeros(2 * gg.size)
    while rows.size:
        prev = paths.predecessor[rows, cur].astype(np.int64)
        both_sat = (prev < g.n_sat) & (cur < g.n_sat)
        a, b = prev[both_sat], cur[both_sat]
        k = isl_order[
            np.searchsorted(
                isl_key, np.minimum(a, b) * g.n_sat + np.maximum(a, b), sorter=isl_order
            )
        ]
        isl_load += np.bincount(2 * k + (a != ii[k]), amount[both_sat], 2 * ii.size)
        up = ~both_sat & (cur < g.n_sat)  # station -> satellite
        down = ~both_sat & (prev < g.n_sat)  # satellite -> station
        for mask, station, sat, direction in (
            (up, _station(prev[up], g), cur[up], 0),
            (down, _station(cur[down], g), prev[down], 1),
        ):
            k = gsl_order[np.searchsorted(gsl_key, station * g.n_sat + sat, sorter=gsl_order)]
            gsl_load += np.bincount(2 * k + direction, amount[mask], 2 * gg.size)
        more = prev != g.source_node(paths.sources[rows])
        rows, cur, amount = rows[more], prev[more], amount[more]
    return isl_load.reshape(-1, 2), gsl_load.reshape(-1, 2), unrouted


def _station(node: NDArray[np.int64], graph: NetworkGraph) -> NDArray[np.int64]:
    """Station index of source, sink or relay nodes."""
    s = node - graph.n_sat
    return np.where(s >= graph.n_gs, s - graph.n_gs, s)
