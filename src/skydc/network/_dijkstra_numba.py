"""Multi-source shortest paths in numba, threads over sources (``backend="numba"`` of routing).

Exact single-source shortest paths with a bucket queue (Dial 1969; the label-correcting
buckets of delta-stepping, Meyer & Sanders 2003): tentative distances are kept in buckets of
width ``delta``; the lowest non-empty bucket is emptied in any order, a node being expanded
again if its distance drops while its bucket is still open, so the result is exact for any
``delta > 0``. With ``delta`` at most the shortest edge no node is ever expanded twice; larger
``delta`` trades re-expansions for fewer bucket scans. Bucket operations are O(1), against
O(log n) for a binary heap. Each thread runs whole searches, so a million-node graph from a
hundred ground stations uses every core.

The graph may be given relabelled for memory locality (``order[k]`` is the original label of
node ``k``): results are written back in the original labels. Distances equal those of
``scipy.sparse.csgraph.dijkstra`` up to float rounding of ties (the same sums along a
shortest path); where two paths tie, either may be the predecessor. Compiled once and cached
on disk; importing this module imports numba.

References
----------
Dial, R. B. (1969). Algorithm 360: shortest-path forest with topological ordering. Comm. ACM
12(11), 632-633.
Meyer, U., Sanders, P. (2003). Delta-stepping: a parallelizable shortest path algorithm.
J. Algorithms 49(1), 114-152.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["SERIAL_MAX_WORK", "multi_source_dijkstra", "threads_for"]

_NO_PRED = -9999  # scipy's marker for "no predecessor"


@numba.njit(cache=True)
def _compact(
    head: NDArray[np.int32],
    e_node: NDArray[np.int32],
    e_dist: NDArray[np.float64],
    e_next: NDArray[np.int32],
    dist: NDArray[np.float64],
) -> int:
    """Drop stale entries (a later, shorter entry exists); return the new pool size."""
    n_buckets = head.size
    keep_node = np.empty(dist.size, dtype=np.int32)
    keep_dist = np.empty(dist.size, dtype=np.float64)
    keep_bucket = np.empty(dist.size, dtype=np.int64)
    live = 0
    for b in range(n_buckets):
        k = head[b]
        while k != -1:
            v = e_node[k]
            if e_dist[k] == dist[v]:
                keep_node[live] = v
                keep_dist[live] = e_dist[k]
                keep_bucket[live] = b
                live += 1
            k = e_next[k]
        head[b] = -1
    for k in range(live):
        b = keep_bucket[k]
        e_node[k] = keep_node[k]
        e_dist[k] = keep_dist[k]
        e_next[k] = head[b]
        head[b] = k
    return live


@numba.njit(cache=True)
def _single(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    source: int,
    inv_delta: float,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    head: NDArray[np.int32],
    e_node: NDArray[np.int32],
    e_dist: NDArray[np.float64],
    e_next: NDArray[np.int32],
) -> None:
    """One search; ``head`` (one slot per bucket) and the entry pool are reused scratch."""
    n = dist.size
    n_buckets = head.size
    mask = n_buckets - 1  # a power of two
    cap = e_node.size  # >= n + 1: live entries never exceed n (one per node)
    for v in range(n):
        dist[v] = np.inf
        pred[v] = _NO_PRED
    for b in range(n_buckets):
        head[b] = -1
    dist[source] = 0.0
    e_node[0] = source
    e_dist[0] = 0.0
    e_next[0] = -1
    head[0] = 0
    used = 1
    pending = 1
    current = 0  # absolute bucket number; slot current % n_buckets
    while pending > 0:
        b = current & mask
        while head[b] != -1:
            k = head[b]
            head[b] = e_next[k]
            pending -= 1
            u = e_node[k]
            d = e_dist[k]
            if d != dist[u]:  # stale: a shorter entry was pushed later
                continue
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                nd = d + weights[e]
                if nd < dist[v]:
                    dist[v] = nd
                    pred[v] = u
                    if used == cap:
                        used = _compact(head, e_node, e_dist, e_next, dist)
                        pending = used
                    slot = np.int64(nd * inv_delta) & mask
                    e_node[used] = v
                    e_dist[used] = nd
                    e_next[used] = head[slot]
                    head[slot] = used
                    used += 1
                    pending += 1
        current += 1


@numba.njit(parallel=True, cache=True)
def _multi(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    inv_delta: float,
    n_buckets: int,
    order: NDArray[np.int64],
    n_chunks: int,
    dist_out: NDArray[np.float64],
    pred_out: NDArray[np.int32],
) -> None:
    n = indptr.size - 1
    cap = max(weights.size, n) + 1
    for c in numba.prange(n_chunks):  # one chunk of sources per thread: scratch allocated once
        dist = np.empty(n, dtype=np.float64)
        pred = np.empty(n, dtype=np.int32)
        head = np.empty(n_buckets, dtype=np.int32)
        e_node = np.empty(cap, dtype=np.int32)
        e_dist = np.empty(cap, dtype=np.float64)
        e_next = np.empty(cap, dtype=np.int32)
        for k in range(c * sources.size // n_chunks, (c + 1) * sources.size // n_chunks):
            _single(
                indptr, indices, weights, sources[k], inv_delta, dist, pred, head, e_node,
                e_dist, e_next,
            )  # fmt: skip
            for v in range(n):  # back to the original labels
                w = order[v]
                dist_out[k, w] = dist[v]
                p = pred[v]
                pred_out[k, w] = _NO_PRED if p < 0 else order[p]


def multi_source_dijkstra(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    order: NDArray[np.int64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Shortest-path distances and predecessors from each source (CSR graph, directed).

    Parameters
    ----------
    indptr, indices, weights
        The graph in CSR form (weights >= 0), possibly relabelled.
    sources
        Source nodes, in the graph's labels.
    order
        Original label of each node of the relabelled graph (default: identity).

    Returns
    -------
    dist, pred
        ``(n_sources, n_nodes)`` in the original labels: distance (inf: unreachable) and
        predecessor (-9999 where none, scipy's convention).
    """
    n = indptr.size - 1
    w = np.ascontiguousarray(weights, dtype=np.float64)
    positive = w[w > 0.0]
    if positive.size == 0:
        positive = np.ones(1)
    # bucket width: the shortest edge (no re-expansions), but no more than 2^16 buckets per
    # longest edge; the ring of buckets is a power of two (a mask, not a modulo)
    delta = max(float(positive.min()), float(positive.max()) / 65536.0)
    n_buckets = 1 << (int(float(w.max(initial=0.0)) / delta) + 2).bit_length()
    dist = np.empty((sources.size, n), dtype=np.float64)
    pred = np.empty((sources.size, n), dtype=np.int32)
    threads = threads_for(n, w.size, sources.size)
    before = numba.get_num_threads()
    numba.set_num_threads(threads)  # this thread's setting only; restored below
    try:
        _run(indptr, indices, w, sources, delta, n_buckets, order, n, threads, dist, pred)
    finally:
        numba.set_num_threads(before)
    return dist, pred


# Below this much work (sources x (nodes + edges)) one thread runs the searches: ~50 ms on one
# core. Splitting less between two threads saves little when the cores are free and, when
# other processes load them, the step waits for the slower thread (Starlink-550 from 100
# stations: 5 ms on a free machine, 19 ms at load 2 with two threads).
SERIAL_MAX_WORK = 50_000_000


def threads_for(n_nodes: int, n_edges: int, n_sources: int) -> int:
    """Threads for ``n_sources`` searches on a graph: 1 for small problems, else numba's
    count (at most one per source)."""
    if n_sources * (n_nodes + n_edges) < SERIAL_MAX_WORK:
        return 1
    return max(1, min(numba.get_num_threads(), n_sources))


def _run(
    indptr: NDArray[np.int64], indices: NDArray[np.int32], w: NDArray[np.float64],
    sources: NDArray[np.int64], delta: float, n_buckets: int, order: NDArray[np.int64] | None,
    n: int, threads: int, dist: NDArray[np.float64], pred: NDArray[np.int32],
) -> None:  # fmt: skip
    _multi(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int32),
        w,
        np.ascontiguousarray(sources, dtype=np.int64),
        1.0 / delta,
        n_buckets,
        np.arange(n, dtype=np.int64) if order is None else np.ascontiguousarray(order, np.int64),
        threads,
        dist,
        pred,
    )
