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
(default 1 Mbps; coarser where their sum would overflow int32), and the result is in bit/s, a
multiple of the unit; inf when a chain of unlimited links joins the two sets. Between two
regions of a large constellation (:func:`region_capacity`, above :data:`EXACT_MAX_NODES`)
satellites are contracted into cells: the max-flow of a contraction is an upper bound of the
exact one (every cut of the contraction is a cut of the original graph), tightened by splitting
the cells on its minimum cut. scipy has no faster max-flow, and Dinic grows as ~n^1.8 here (80 s
at 10^6 nodes), hence the contraction rather than a library call. Bisection bandwidth
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

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from skydc.constants import EARTH_MEAN_RADIUS_M, FIBRE_GROUP_INDEX, SPEED_OF_LIGHT_M_S
from skydc.network.routing import GroundPaths, NetworkGraph

__all__ = [
    "CAPACITY_METHODS",
    "PairMetrics",
    "RegionCapacity",
    "bisection_bandwidth_bps",
    "fibre_rtt_s",
    "great_circle_m",
    "gs_path_length_m",
    "hop_counts",
    "link_load_bps",
    "max_flow_bps",
    "pair_metrics",
    "region_capacity",
    "region_capacity_bps",
]

_INT32_MAX = int(np.iinfo(np.int32).max)
# finite capacities are counted in units of which at most ~1e9 fit: the flow into one node, and
# the unit given to unlimited edges, stay within scipy's int32
_UNIT_HEADROOM = 2.0**30


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


def _unit_for(capacity_bps: NDArray[np.float64], unit_bps: float) -> float:
    """The integer unit of a max-flow: ``unit_bps``, or coarser where the finite capacities
    would not fit scipy's int32 in whole units (every flow and every edge total is at most
    their sum; see :func:`max_flow_bps`)."""
    finite = float(np.sum(capacity_bps[np.isfinite(capacity_bps)]))
    return max(unit_bps, finite / _UNIT_HEADROOM)


def _units(capacity_bps: NDArray[np.float64], unit_bps: float) -> NDArray[np.int64]:
    """Whole units of each capacity, rounded down; inf to the sum of the finite ones plus one
    (no flow can exceed it: see :func:`max_flow_bps`)."""
    finite = np.isfinite(capacity_bps)
    c = np.floor(np.where(finite, capacity_bps, 0.0) / unit_bps)
    c = np.clip(c, 0, _INT32_MAX).astype(np.int64)
    return np.where(finite, c, min(int(c.sum()) + 1, _INT32_MAX))


def _unbounded(
    n_nodes: int, t: NDArray[np.int64], h: NDArray[np.int64], unlimited: NDArray[np.bool_],
    src: NDArray[np.int64], snk: NDArray[np.int64],
) -> bool:  # fmt: skip
    """Whether a chain of unlimited (inf) edges joins a source to a sink (breadth-first)."""
    if not unlimited.any():
        return False
    s_node = n_nodes
    tail = np.concatenate([t[unlimited], np.full(src.size, s_node)])
    head = np.concatenate([h[unlimited], src])
    graph = csr_matrix((np.ones(tail.size, np.int8), (tail, head)), shape=(n_nodes + 1,) * 2)
    seen = breadth_first_order(graph, s_node, directed=True, return_predecessors=False)
    return bool(np.isin(snk, seen).any())


def _flow_graph(
    n_nodes: int, t: NDArray[np.int64], h: NDArray[np.int64], u: NDArray[np.int64],
    src: NDArray[np.int64], snk: NDArray[np.int64],
) -> csr_matrix:  # fmt: skip
    """scipy's int32 capacity matrix with a super-source ``n_nodes`` and super-sink
    ``n_nodes + 1``; parallel edges add up."""
    big = int(min(_INT32_MAX, max(int(u.sum()), 1)))
    s_node, t_node = n_nodes, n_nodes + 1
    t = np.concatenate([t, np.full(src.size, s_node), snk])
    h = np.concatenate([h, src, np.full(snk.size, t_node)])
    u = np.concatenate([u, np.full(src.size + snk.size, big)])
    keep = (t != h) & (u > 0)
    key, inverse = np.unique(t[keep] * (n_nodes + 2) + h[keep], return_inverse=True)
    total = np.minimum(np.bincount(inverse, weights=u[keep]), _INT32_MAX).astype(np.int32)
    return csr_matrix(
        (total, (key // (n_nodes + 2), key % (n_nodes + 2))), shape=(n_nodes + 2, n_nodes + 2)
    )


def _check_sets(
    sources: ArrayLike, sinks: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    src = np.unique(np.asarray(sources, dtype=np.int64))
    snk = np.unique(np.asarray(sinks, dtype=np.int64))
    if np.intersect1d(src, snk).size:
        raise ValueError("sources and sinks must be disjoint")
    return src, snk


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
        Capacity of each edge [bit/s] (inf allowed: unlimited).
    sources, sinks : array_like of int
        Disjoint node sets; joined to a super-source and super-sink by unlimited edges.
    unit_bps : float
        Capacities are rounded down to whole units for scipy's integer max-flow; the unit is
        made coarser where the sum of the finite capacities exceeds ~1e9 units.

    Returns
    -------
    float
        The max-flow value [bit/s] (0 when the sets are disconnected; inf when a chain of
        unlimited edges joins them).

    Notes
    -----
    Unlimited edges. If no chain of inf edges joins the sets, the nodes reachable from the
    sources over inf edges form a cut that no inf edge leaves, so the max-flow is at most the
    sum of the finite capacities; inf edges are given that sum plus one unit, which leaves the
    max-flow unchanged.
    """
    t = np.asarray(tail, dtype=np.int64).ravel()
    h = np.asarray(head, dtype=np.int64).ravel()
    cap = np.broadcast_to(np.asarray(capacity_bps, dtype=float), t.shape)
    if not unit_bps > 0.0:
        raise ValueError("unit_bps must be > 0")
    src, snk = _check_sets(sources, sinks)
    if src.size == 0 or snk.size == 0:
        return 0.0
    if _unbounded(n_nodes, t, h, np.isposinf(cap), src, snk):
        return math.inf
    unit = _unit_for(cap, unit_bps)
    graph = _flow_graph(n_nodes, t, h, _units(cap, unit), src, snk)
    return float(maximum_flow(graph, n_nodes, n_nodes + 1).flow_value) * unit


# Region capacity: exact max-flow up to this many graph nodes (scipy's Dinic: ~1 s at 1e5
# nodes, ~80 s at 1e6 on one core, growing as ~n^1.8); above it, the coarsened upper bound.
EXACT_MAX_NODES = 100_000
# Nodes of the coarsened graph: the first contraction aims at a tenth, refinement may grow it
# to the whole budget.
COARSE_MAX_NODES = 60_000
COARSE_REFINEMENTS = 6
CAPACITY_METHODS = ("auto", "exact", "coarsened")


@dataclass(frozen=True)
class RegionCapacity:
    """Capacity between two regions and how it was found.

    Attributes
    ----------
    capacity_bps : float
        Max-flow [bit/s]; inf when a chain of unlimited links joins the regions.
    method : str
        ``"exact"`` (max-flow of the whole graph) or ``"coarsened"`` (max-flow of a graph with
        satellites merged into cells: an upper bound of the exact value).
    nodes : int
        Nodes of the graph the max-flow ran on (0 when none was needed).
    """

    capacity_bps: float
    method: str
    nodes: int


def _cell_side_m(r_sat_m: NDArray[np.float64], n_groups: int, target: int) -> float:
    """Side of the cubes [m] with which a thin shell of the satellites' mean radius R fills
    ~``target`` cells over all groups (~1.5 * 4 pi R^2 / h^2 cubes per shell, the 1.5 for cubes
    cut obliquely)."""
    radius = float(np.sqrt(np.mean(np.einsum("ij,ij->j", r_sat_m, r_sat_m))))
    return math.sqrt(1.5 * 4.0 * math.pi * radius**2 * n_groups / max(target, 1))


def _cells(
    r_sat_m: NDArray[np.float64], group: NDArray[np.int64], level: NDArray[np.int64], side_m: float
) -> NDArray[np.int64]:
    """Cell of each satellite: an Earth-fixed cube of side ``side_m / 2**level`` (an octree:
    a cell of level L+1 lies inside one of level L), one set of cubes per group (shell)."""
    q = np.floor(r_sat_m * (2.0**level / side_m)).astype(np.int64)
    q -= q.min(axis=1, keepdims=True)
    span = q.max(axis=1) + 1
    key = (((group * (level.max() + 1) + level) * span[0] + q[0]) * span[1] + q[1]) * span[2] + q[2]
    return np.unique(key, return_inverse=True)[1].astype(np.int64).reshape(-1)


def _min_cut_side(graph: csr_matrix, flow: csr_matrix, s_node: int) -> NDArray[np.bool_]:
    """Nodes on the source side of a minimum cut: reachable from the source in the residual
    graph (capacity minus flow; scipy's flow is antisymmetric, so reverse edges appear)."""
    residual = (graph.astype(np.int64) - flow.astype(np.int64)).tocsr()
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    side = np.zeros(graph.shape[0], dtype=bool)
    side[breadth_first_order(residual, s_node, directed=True, return_predecessors=False)] = True
    return side


def _coarsened_flow(
    n_sat: int, n_nodes: int, t: NDArray[np.int64], h: NDArray[np.int64], u: NDArray[np.int64],
    src: NDArray[np.int64], snk: NDArray[np.int64], r_sat_m: NDArray[np.float64],
    group: NDArray[np.int64], max_nodes: int, refinements: int,
) -> tuple[int, int]:  # fmt: skip
    """Max-flow [units] of the graph with satellites contracted into cells, and its nodes.

    Nodes ``0 .. n_sat-1`` are satellites, the others (stations) are kept. Contracting nodes
    only adds paths of unlimited capacity, so every cut of the contraction is a cut of the
    original graph with the same capacity: the max-flow of the contraction bounds the exact
    one from above. Each refinement splits the cells that an edge of the contraction's minimum
    cut touches back into satellites (while the node budget allows) and solves again: the
    bound can only come down.
    """
    n_other = n_nodes - n_sat
    n_groups = int(np.unique(group).size)
    side = _cell_side_m(r_sat_m, n_groups, max_nodes // 8)
    level = np.zeros(n_sat, dtype=np.int64)
    cell = _cells(r_sat_m, group, level, side)
    best, nodes = -1, 0
    for round_ in range(refinements + 1):
        n_cell = int(cell.max(initial=-1)) + 1
        node = np.concatenate([cell, n_cell + np.arange(n_other, dtype=np.int64)])
        n = n_cell + n_other
        graph = _flow_graph(n, node[t], node[h], u, node[src], node[snk])
        result = maximum_flow(graph, n, n + 1)
        value = int(result.flow_value)
        if best < 0 or value < best:
            best, nodes = value, n
        if round_ == refinements:
            break
        side_of = _min_cut_side(graph, result.flow, n)[node]  # per original node
        cut = side_of[t] != side_of[h]
        touched = np.zeros(n_cell, dtype=bool)
        for end in (t[cut], h[cut]):
            touched[cell[end[end < n_sat]]] = True
        # split the touched cells into their eight sub-cubes (cells of one satellite stay)
        multi = np.bincount(cell, minlength=n_cell) > 1
        split = (touched & multi)[cell]
        if not split.any():
            break
        finer = _cells(r_sat_m, group, level + split, side)
        if int(finer.max()) + 1 + n_other > max_nodes:
            break
        level, cell = level + split, finer
    return best, nodes


def region_capacity(
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
    *,
    r_sat_m: ArrayLike | None = None,
    satellite_group: ArrayLike | None = None,
    method: str = "auto",
    exact_max_nodes: int = EXACT_MAX_NODES,
    coarse_max_nodes: int = COARSE_MAX_NODES,
) -> RegionCapacity:
    """Max-flow capacity between two groups of ground stations through the constellation.

    Every ISL and ground link carries its capacity in each direction (full duplex). Stations
    outside both regions take no part (they do not relay).

    Parameters
    ----------
    n_sat, n_gs : int
        Satellites and stations.
    isl_i, isl_j, isl_capacity_bps : array_like, shape (n_isl,)
        ISLs and their capacity in each direction [bit/s].
    gsl_gs, gsl_sat, gsl_capacity_bps : array_like, shape (n_gsl,)
        Ground links: station, satellite, capacity [bit/s] (inf: unlimited).
    region_a, region_b : array_like of int
        Station indices of the two regions.
    unit_bps : float
        Integer unit of the max-flow (:func:`max_flow_bps`).
    r_sat_m : array_like, shape (3, n_sat), optional
        Satellite positions [m]: needed by the coarsened method.
    satellite_group : array_like of int, shape (n_sat,), optional
        Group of each satellite (its shell): cells never merge two groups.
    method : str
        ``"exact"``; ``"coarsened"`` (an upper bound, see :func:`_coarsened_flow`); ``"auto"``:
        exact up to ``exact_max_nodes`` graph nodes or without positions, else coarsened.
    exact_max_nodes, coarse_max_nodes : int
        Size limits of the exact graph and of the coarsened one.

    Returns
    -------
    RegionCapacity
    """
    if method not in CAPACITY_METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(CAPACITY_METHODS)}")
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
    n_nodes = n_sat + n_gs
    coarse = method == "coarsened" or (
        method == "auto" and r_sat_m is not None and n_nodes > exact_max_nodes
    )
    if not coarse:
        return RegionCapacity(
            max_flow_bps(n_nodes, tail, head, cap, n_sat + a, n_sat + b, unit_bps), "exact",
            n_nodes,
        )  # fmt: skip
    if r_sat_m is None:
        raise ValueError("method 'coarsened' needs the satellite positions r_sat_m")
    src, snk = _check_sets(n_sat + a, n_sat + b)
    if src.size == 0 or snk.size == 0:
        return RegionCapacity(0.0, "exact", 0)
    if _unbounded(n_nodes, tail, head, np.isposinf(cap), src, snk):
        return RegionCapacity(math.inf, "exact", n_nodes)
    r = np.asarray(r_sat_m, dtype=float).reshape(3, n_sat)
    group = (
        np.zeros(n_sat, np.int64)
        if satellite_group is None
        else np.asarray(satellite_group, dtype=np.int64).reshape(n_sat)
    )
    unit = _unit_for(cap, unit_bps)
    flow, nodes = _coarsened_flow(
        n_sat, n_nodes, tail, head, _units(cap, unit), src, snk, r, group, coarse_max_nodes,
        COARSE_REFINEMENTS,
    )  # fmt: skip
    return RegionCapacity(float(flow) * unit, "coarsened", nodes)


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
    """Exact max-flow capacity between two groups of ground stations [bit/s]
    (:func:`region_capacity` with ``method="exact"``)."""
    return region_capacity(
        n_sat, n_gs, isl_i, isl_j, isl_capacity_bps, gsl_gs, gsl_sat, gsl_capacity_bps,
        region_a, region_b, unit_bps, method="exact",
    ).capacity_bps  # fmt: skip


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
    isl_order = np.argsort(np.minimum(ii, jj) * g.n_sat + np.maximum(ii, jj))
    isl_key = (np.minimum(ii, jj) * g.n_sat + np.maximum(ii, jj))[isl_order]
    gsl_order = np.argsort(gg * g.n_sat + gsat)
    gsl_key = (gg * g.n_sat + gsat)[gsl_order]
    rows, dst = np.nonzero(demand > 0.0)
    rows, dst = rows[paths.sources[rows] != dst], dst[paths.sources[rows] != dst]
    cur = g.sink_node(dst)
    ok = np.isfinite(paths.distance[rows, cur])
    unrouted = float(demand[rows[~ok], dst[~ok]].sum())
    rows, cur, amount = rows[ok], cur[ok], demand[rows[ok], dst[ok]]
    # (link direction, amount) of every hop, summed once at the end: memory ~ demands x hops,
    # not links x hops (a bincount over all links per hop cost 30 s at 10^6 satellites)
    isl_slot: list[NDArray[np.int64]] = []
    isl_amount: list[NDArray[np.float64]] = []
    gsl_slot: list[NDArray[np.int64]] = []
    gsl_amount: list[NDArray[np.float64]] = []
    while rows.size:
        prev = paths.predecessor[rows, cur].astype(np.int64)
        both_sat = (prev < g.n_sat) & (cur < g.n_sat)
        a, b = prev[both_sat], cur[both_sat]
        k = isl_order[np.searchsorted(isl_key, np.minimum(a, b) * g.n_sat + np.maximum(a, b))]
        isl_slot.append(2 * k + (a != ii[k]))
        isl_amount.append(amount[both_sat])
        up = ~both_sat & (cur < g.n_sat)  # station -> satellite
        down = ~both_sat & (prev < g.n_sat)  # satellite -> station
        for mask, station, sat, direction in (
            (up, _station(prev[up], g), cur[up], 0),
            (down, _station(cur[down], g), prev[down], 1),
        ):
            k = gsl_order[np.searchsorted(gsl_key, station * g.n_sat + sat)]
            gsl_slot.append(2 * k + direction)
            gsl_amount.append(amount[mask])
        more = prev != g.source_node(paths.sources[rows])
        rows, cur, amount = rows[more], prev[more], amount[more]
    isl_load = _summed(isl_slot, isl_amount, 2 * ii.size)
    gsl_load = _summed(gsl_slot, gsl_amount, 2 * gg.size)
    return isl_load.reshape(-1, 2), gsl_load.reshape(-1, 2), unrouted


def _summed(
    slots: list[NDArray[np.int64]], amounts: list[NDArray[np.float64]], size: int
) -> NDArray[np.float64]:
    if not slots:
        return np.zeros(size)
    return np.bincount(np.concatenate(slots), np.concatenate(amounts), size).astype(np.float64)


def _station(node: NDArray[np.int64], graph: NetworkGraph) -> NDArray[np.int64]:
    """Station index of source, sink or relay nodes."""
    s = node - graph.n_sat
    return np.where(s >= graph.n_gs, s - graph.n_gs, s)
