"""Multi-source Dijkstra in numba, threads over sources (``backend="numba"`` of routing).

The same algorithm as ``scipy.sparse.csgraph.dijkstra`` (directed, non-negative weights), with a
binary heap and lazy deletion; each thread runs whole single-source searches, so a million-node
graph from a hundred ground stations uses every core. Results equal scipy's distances (the
same sums along the same shortest paths); where two paths tie, either may be the predecessor.
Compiled once and cached on disk; importing this module imports numba.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["multi_source_dijkstra"]

_NO_PRED = -9999  # scipy's marker for "no predecessor"


@numba.njit(cache=True)
def _single(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    source: int,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
) -> None:
    n = dist.size
    for v in range(n):
        dist[v] = np.inf
        pred[v] = _NO_PRED
    done = np.zeros(n, dtype=np.bool_)
    cap = weights.size + 1
    hk = np.empty(cap, dtype=np.float64)  # heap keys
    hv = np.empty(cap, dtype=np.int32)  # heap nodes
    size = 1
    hk[0] = 0.0
    hv[0] = source
    dist[source] = 0.0
    while size > 0:
        d = hk[0]
        u = hv[0]
        size -= 1
        if size > 0:  # move the last item to the root and sift it down
            key = hk[size]
            node = hv[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                if c + 1 < size and hk[c + 1] < hk[c]:
                    c += 1
                if hk[c] >= key:
                    break
                hk[i] = hk[c]
                hv[i] = hv[c]
                i = c
            hk[i] = key
            hv[i] = node
        if done[u]:
            continue
        done[u] = True
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = d + weights[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = u
                i = size  # push and sift up
                size += 1
                while i > 0:
                    p = (i - 1) // 2
                    if hk[p] <= nd:
                        break
                    hk[i] = hk[p]
                    hv[i] = hv[p]
                    i = p
                hk[i] = nd
                hv[i] = v


@numba.njit(parallel=True, cache=True)
def _multi(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
) -> None:
    for k in numba.prange(sources.size):
        _single(indptr, indices, weights, sources[k], dist[k], pred[k])


def multi_source_dijkstra(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Shortest-path distances and predecessors from each source (CSR graph, directed).

    Returns ``dist`` (n_sources, n_nodes) [weight units, inf unreachable] and ``pred``
    (n_sources, n_nodes) int32, -9999 where there is none (scipy's convention).
    """
    n = indptr.size - 1
    dist = np.empty((sources.size, n), dtype=np.float64)
    pred = np.empty((sources.size, n), dtype=np.int32)
    _multi(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int32),
        np.ascontiguousarray(weights, dtype=np.float64),
        np.ascontiguousarray(sources, dtype=np.int64),
        dist,
        pred,
    )
    return dist, pred
