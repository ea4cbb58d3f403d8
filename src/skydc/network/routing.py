"""The network graph of one time step, shortest paths from ground stations, forwarding state.

Nodes are the satellites ``0 .. n_sat-1`` and the ground stations. Edges are the ISLs and the
ground-satellite links (GSLs), both directions, weighted by length [m] or by propagation delay
``length / c`` [s] (:data:`WEIGHTS`). The graph is a ``scipy.sparse.csr_matrix``.

Ground stations as end points only (Hypatia's rule, ``gs_relay=False``): every station has two
nodes, a *source* node ``n_sat + g`` with only outgoing GSLs and a *sink* node
``n_sat + n_gs + g`` with only incoming GSLs, so no path can pass through a station. With
``gs_relay=True`` each station is one node with links both ways (bent-pipe relaying allowed).

Shortest paths: Dijkstra from the source node of every ground station
(``scipy.sparse.csgraph.dijkstra(indices=...)``; or, ``backend="numba"``, an exact bucket-queue
variant threaded over sources, on the graph relabelled for memory locality:
:mod:`skydc.network._dijkstra_numba`). Because every link is symmetric, the tree grown
from station ``t`` is also everyone's route *to* ``t``: the predecessor of node ``v`` in
``t``'s tree is ``v``'s next hop towards ``t`` (:func:`forwarding_state`, the table Hypatia
writes as ``fstate``). Pairs with no path have infinite distance; nothing raises.

References
----------
Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische
Mathematik 1, 269-271.
Kassing, S. et al. (2020). Exploring the "Internet from space" with Hypatia. ACM IMC 2020,
Sec. 3 (forwarding state; ground stations do not relay).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra, reverse_cuthill_mckee

from skydc import _accel
from skydc.constants import SPEED_OF_LIGHT_M_S

__all__ = [
    "BACKENDS",
    "WEIGHTS",
    "ForwardingState",
    "GroundPaths",
    "NetworkGraph",
    "build_graph",
    "forwarding_state",
    "route",
    "shortest_paths_from_ground",
]

WEIGHTS = ("length", "delay")
BACKENDS = ("auto", "scipy", "numba")
_NO_PRED = -9999
_RELABEL_MIN_SATELLITES = 20000  # below this the whole search fits in cache anyway


@dataclass(frozen=True)
class NetworkGraph:
    """A directed graph of one time step and its node layout.

    Attributes
    ----------
    csgraph : scipy.sparse.csr_matrix, shape (n_nodes, n_nodes)
        Edge weights (length [m] or delay [s]); explicit entries are edges.
    n_sat, n_gs : int
        Satellites and ground stations.
    gs_relay : bool
        Whether stations may relay (one node per station) or not (source and sink nodes).
    weight : str
        ``"length"`` or ``"delay"``.
    """

    csgraph: csr_matrix
    n_sat: int
    n_gs: int
    gs_relay: bool
    weight: str

    @property
    def n_nodes(self) -> int:
        """Number of graph nodes."""
        return int(self.csgraph.shape[0])

    def source_node(self, gs: ArrayLike) -> NDArray[np.int64]:
        """Graph node where traffic from station(s) ``gs`` starts."""
        return self.n_sat + np.asarray(gs, dtype=np.int64)

    def sink_node(self, gs: ArrayLike) -> NDArray[np.int64]:
        """Graph node where traffic to station(s) ``gs`` ends."""
        offset = 0 if self.gs_relay else self.n_gs
        return self.n_sat + offset + np.asarray(gs, dtype=np.int64)


def _edges(i: ArrayLike, j: ArrayLike, w: ArrayLike, name: str) -> tuple[NDArray, NDArray, NDArray]:
    a = np.asarray(i, dtype=np.int64).ravel()
    b = np.asarray(j, dtype=np.int64).ravel()
    c = np.asarray(w, dtype=np.float64).ravel()
    if not a.shape == b.shape == c.shape:
        raise ValueError(f"{name}: index and length arrays must have equal length")
    if c.size and not (np.all(np.isfinite(c)) and c.min() >= 0.0):
        raise ValueError(f"{name}: lengths must be finite and >= 0")
    return a, b, c


def build_graph(
    n_sat: int,
    n_gs: int,
    isl_i: ArrayLike,
    isl_j: ArrayLike,
    isl_length_m: ArrayLike,
    gsl_gs: ArrayLike,
    gsl_sat: ArrayLike,
    gsl_length_m: ArrayLike,
    *,
    weight: str = "length",
    gs_relay: bool = False,
) -> NetworkGraph:
    """The graph of one time step from ISL and ground-link edge lists.

    Parameters
    ----------
    n_sat, n_gs : int
        Numbers of satellites and ground stations.
    isl_i, isl_j, isl_length_m : array_like, shape (n_isl,)
        Inter-satellite links (any order of ends; each used both ways) and lengths [m].
    gsl_gs, gsl_sat, gsl_length_m : array_like, shape (n_gsl,)
        Ground-satellite links: station index, satellite index, length [m].
    weight : str
        ``"length"`` (edge weight in m) or ``"delay"`` (length / c, in s).
    gs_relay : bool
        Allow paths through ground stations (default False: stations only as end points).

    Returns
    -------
    NetworkGraph
        Duplicate edges keep their shortest length.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}; valid weights: {', '.join(WEIGHTS)}")
    if n_sat < 0 or n_gs < 0:
        raise ValueError("n_sat and n_gs must be >= 0")
    si, sj, sl = _edges(isl_i, isl_j, isl_length_m, "ISL")
    gg, gsat, gl = _edges(gsl_gs, gsl_sat, gsl_length_m, "GSL")
    for name, idx, top in (("ISL", si, n_sat), ("ISL", sj, n_sat), ("GSL", gsat, n_sat)):
        if idx.size and (idx.min() < 0 or idx.max() >= top):
            raise ValueError(f"{name} satellite index outside 0..{n_sat - 1}")
    if gg.size and (gg.min() < 0 or gg.max() >= n_gs):
        raise ValueError(f"GSL station index outside 0..{n_gs - 1}")
    up = n_sat + gg
    down = n_sat + (0 if gs_relay else n_gs) + gg
    tail = np.concatenate([si, sj, up, gsat])
    head = np.concatenate([sj, si, gsat, down])
    w = np.concatenate([sl, sl, gl, gl])
    if weight == "delay":
        w = w / SPEED_OF_LIGHT_M_S
    n_nodes = n_sat + n_gs * (1 if gs_relay else 2)
    keep = tail != head
    tail, head, w = tail[keep], head[keep], w[keep]
    graph = csr_matrix((w, (tail, head)), shape=(n_nodes, n_nodes))  # sums duplicates
    if graph.nnz != tail.size:  # duplicate edges: keep the shortest instead
        key = tail * np.int64(n_nodes) + head
        order = np.lexsort((w, key))
        key, w = key[order], w[order]
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, w = key[first], w[first]
        graph = csr_matrix((w, (key // n_nodes, key % n_nodes)), shape=(n_nodes, n_nodes))
    graph.sort_indices()
    return NetworkGraph(graph, int(n_sat), int(n_gs), bool(gs_relay), weight)


@dataclass(frozen=True)
class GroundPaths:
    """Shortest-path trees grown from ground stations.

    Attributes
    ----------
    graph : NetworkGraph
    sources : ndarray of int64, shape (n_src,)
        Station index of each row.
    distance : ndarray, shape (n_src, n_nodes)
        Path weight from the station to every node (m or s; inf: unreachable).
    predecessor : ndarray of int32, shape (n_src, n_nodes)
        Previous node on the path, -9999 for none (scipy's convention).
    """

    graph: NetworkGraph
    sources: NDArray[np.int64]
    distance: NDArray[np.float64]
    predecessor: NDArray[np.int32]

    def gs_distance(self) -> NDArray[np.float64]:
        """Weight of the best path between stations, shape (n_src, n_gs); 0 from a station to
        itself, inf where unreachable."""
        d = self.distance[:, self.graph.sink_node(np.arange(self.graph.n_gs))].copy()
        d[np.arange(self.sources.size), self.sources] = 0.0
        return d


# "auto" takes numba only from this many graph nodes: below it scipy's Dijkstra finishes before
# numba would have been imported (~0.7 s and ~140 MB in a fresh process).
NUMBA_MIN_NODES = 50_000


def _backend(backend: str, n_nodes: int = NUMBA_MIN_NODES) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    if backend == "numba" and not _accel.numba_available():
        raise ValueError("backend='numba' needs numba: pip install skydc[fast], or use 'scipy'")
    if backend == "auto":
        big = n_nodes >= NUMBA_MIN_NODES
        return "numba" if big and _accel.numba_available() else "scipy"
    return backend


def shortest_paths_from_ground(
    graph: NetworkGraph, sources: ArrayLike | None = None, backend: str = "auto"
) -> GroundPaths:
    """Dijkstra from ground stations (all by default); see the module docstring.

    Parameters
    ----------
    graph : NetworkGraph
    sources : array_like of int, optional
        Station indices to start from (default: every station).
    backend : str
        ``"scipy"`` (``scipy.sparse.csgraph.dijkstra``), ``"numba"`` (threads over sources) or
        ``"auto"`` (numba when installed).

    Returns
    -------
    GroundPaths
    """
    src = np.arange(graph.n_gs) if sources is None else np.asarray(sources, dtype=np.int64)
    if src.ndim != 1 or (src.size and (src.min() < 0 or src.max() >= graph.n_gs)):
        raise ValueError(f"sources must be station indices in 0..{graph.n_gs - 1}")
    nodes = graph.source_node(src)
    if _backend(backend, graph.n_nodes) == "numba":
        # numba is an optional extra, and importing it costs ~0.5 s: only when this backend runs
        from skydc.network._dijkstra_numba import multi_source_dijkstra

        order, inverse, indptr, indices, data = _relabelled(graph)
        dist, pred = multi_source_dijkstra(indptr, indices, data, inverse[nodes], order)
    else:
        dist, pred = dijkstra(graph.csgraph, directed=True, indices=nodes, return_predecessors=True)
        pred = pred.astype(np.int32, copy=False)
    return GroundPaths(graph, src.astype(np.int64), dist, pred)


def _relabelled(
    graph: NetworkGraph,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int32], NDArray]:
    """The graph with satellites relabelled for memory locality (numba backend).

    Reverse Cuthill-McKee on the satellite-to-satellite block (scipy) puts linked satellites
    at nearby labels, so a search touches memory in runs rather than at random: about twice as
    fast from a million satellites. Small graphs keep their labels.

    Returns ``order`` (original label of each new label), its inverse, and the CSR arrays.
    """
    g = graph.csgraph
    n = graph.n_nodes
    if graph.n_sat < _RELABEL_MIN_SATELLITES:
        identity = np.arange(n, dtype=np.int64)
        return identity, identity, g.indptr.astype(np.int64), g.indices, g.data
    block = g[: graph.n_sat][:, : graph.n_sat].tocsr()
    sats = reverse_cuthill_mckee(block, symmetric_mode=True).astype(np.int64)
    order = np.concatenate([sats, np.arange(graph.n_sat, n, dtype=np.int64)])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n, dtype=np.int64)
    degree = np.diff(g.indptr)[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    take = np.repeat(g.indptr[order] - indptr[:-1], degree) + np.arange(indptr[-1])
    return order, inverse, indptr, inverse[g.indices[take]].astype(np.int32), g.data[take]


@dataclass(frozen=True)
class ForwardingState:
    """Next hops towards destination stations (Hypatia's ``fstate``).

    Node ids follow Hypatia: satellites ``0 .. n_sat-1``, station ``g`` is ``n_sat + g``; -1
    means no route.

    Attributes
    ----------
    destinations : ndarray of int64, shape (n_dst,)
        Destination station of each column.
    sat_next_hop : ndarray of int32, shape (n_sat, n_dst)
        Next node from each satellite towards each destination.
    gs_next_hop : ndarray of int32, shape (n_gs, n_dst)
        First satellite from each station towards each destination (-1 to itself).
    """

    destinations: NDArray[np.int64]
    sat_next_hop: NDArray[np.int32]
    gs_next_hop: NDArray[np.int32]


def _to_hypatia_ids(node: NDArray[np.integer], graph: NetworkGraph) -> NDArray[np.int64]:
    """Graph nodes to Hypatia ids (sinks fold onto stations); -9999 to -1."""
    out = node.astype(np.int64)
    out = np.where(out >= graph.n_sat + graph.n_gs, out - graph.n_gs, out)
    return np.where(node < 0, -1, out)


def forwarding_state(paths: GroundPaths) -> ForwardingState:
    """Next hops of every satellite and every station towards each source of ``paths``.

    Valid because links are symmetric: see the module docstring.
    """
    g = paths.graph
    # a satellite's predecessor is a satellite or the source node n_sat + t: already Hypatia ids
    sat = np.ascontiguousarray(paths.predecessor[:, : g.n_sat].T)
    sat[sat < 0] = -1
    ids = _to_hypatia_ids(paths.predecessor[:, g.sink_node(np.arange(g.n_gs))], g)
    gs = ids.T.astype(np.int32)
    gs[paths.sources, np.arange(paths.sources.size)] = -1
    return ForwardingState(paths.sources.copy(), sat, gs)


def route(paths: GroundPaths, row: int, dst_gs: int) -> list[int]:
    """Nodes of the best path from station ``paths.sources[row]`` to station ``dst_gs``.

    Hypatia ids (satellites, then ``n_sat + station``); empty if unreachable or the same
    station.
    """
    g = paths.graph
    src = int(paths.sources[row])
    if src == dst_gs or not np.isfinite(paths.distance[row, g.sink_node(dst_gs)]):
        return []
    start = int(g.source_node(src))
    node = int(g.sink_node(dst_gs))
    nodes = [node]
    while node != start:
        node = int(paths.predecessor[row, node])
        nodes.append(node)
    ids = _to_hypatia_ids(np.asarray(nodes[::-1], dtype=np.int64), g)
    return [int(k) for k in ids]
