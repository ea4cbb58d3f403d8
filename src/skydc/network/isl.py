"""Inter-satellite links: topologies by name, range and Earth-occlusion limits, capacity, churn.

A topology turns satellite positions of one time step into an undirected edge list
(:class:`Links`: ``i < j``, length [m]). Two are built in, chosen by name
(:data:`TOPOLOGIES`):

``"plus-grid"``
    Each satellite links to the next satellite in its plane and to the satellite with the same
    slot index (plus ``isl_shift``) in the next plane of its shell: four links per satellite,
    Hypatia's rule (``satgen.generate_plus_grid_isls``; Kassing et al. 2020). Needs the shell,
    plane and slot index of every satellite; the candidate pairs never change, only the range
    and occlusion limits switch links off.
``"nearest-in-range"``
    Each satellite links to its nearest neighbours that are in range and in line of sight, up to
    its number of laser terminals; a link exists when each end is among the other's
    ``n_terminals`` nearest such neighbours (mutual nearest neighbours: symmetric, and no
    satellite ever has more links than terminals). Found with ``scipy.spatial.cKDTree``, in
    ``O(n log n)``; crosses shells naturally. The links change with the geometry, so this
    topology is evaluated per time step.

Both keep a link only if its length is at most ``max_range_m`` and its line of sight clears a
sphere of radius ``earth_radius_m + grazing_altitude_m`` (default 80 km: Hypatia's rule, which
keeps laser beams above the weather). The closest approach of segment
:math:`\\mathbf a \\to \\mathbf b` to the Earth's centre is at
:math:`s^* = \\mathrm{clip}(-\\mathbf a\\cdot\\mathbf d/|\\mathbf d|^2, 0, 1)` with
:math:`\\mathbf d = \\mathbf b - \\mathbf a`, and the link is clear when
:math:`|\\mathbf a + s^*\\mathbf d| \\ge R + h`.

References
----------
Kassing, S., Bhattacherjee, D., Águas, A. B., Saethre, J. E., Singla, A. (2020). Exploring the
"Internet from space" with Hypatia. ACM IMC 2020, Sec. 3 (ISLs: +Grid, 80 km grazing altitude).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from skydc.constants import EARTH_RADIUS_M, ISL_GRAZING_ALTITUDE_M

__all__ = [
    "TOPOLOGIES",
    "LinkDiff",
    "Links",
    "diff_links",
    "filter_links",
    "isl_links",
    "line_of_sight_clear",
    "link_capacity_bps",
    "nearest_in_range_links",
    "plus_grid_nearest_pairs",
    "plus_grid_pairs",
]

TOPOLOGIES = ("plus-grid", "nearest-in-range")


@dataclass(frozen=True)
class Links:
    """Undirected links of one time step.

    Attributes
    ----------
    i, j : ndarray of int64, shape (n_links,)
        Satellite indices of the two ends, ``i < j``, sorted by ``(i, j)``.
    length_m : ndarray of float64, shape (n_links,)
        Link length [m].
    """

    i: NDArray[np.int64]
    j: NDArray[np.int64]
    length_m: NDArray[np.float64]

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.i.shape[0])

    def degree(self, n_sat: int) -> NDArray[np.int64]:
        """Links per satellite, shape ``(n_sat,)``."""
        return np.bincount(np.concatenate([self.i, self.j]), minlength=n_sat).astype(np.int64)


@dataclass(frozen=True)
class LinkDiff:
    """Links that appear and disappear between two time steps (pairs ``i < j``)."""

    added_i: NDArray[np.int64]
    added_j: NDArray[np.int64]
    removed_i: NDArray[np.int64]
    removed_j: NDArray[np.int64]


def _positions(r_m: ArrayLike) -> NDArray[np.float64]:
    r = np.asarray(r_m, dtype=float)
    if r.ndim < 2 or r.shape[0] != 3:
        raise ValueError(f"positions must be component-first, shape (3, n_sat, ...); got {r.shape}")
    return r


def _canonical(
    i: NDArray[np.int64], j: NDArray[np.int64], n_sat: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs as sorted, unique ``i < j``; self-pairs dropped."""
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keep = lo != hi
    key = np.unique(lo[keep] * np.int64(n_sat) + hi[keep])
    return key // n_sat, key % n_sat


def line_of_sight_clear(
    r_a_m: ArrayLike, r_b_m: ArrayLike, min_radius_m: float
) -> NDArray[np.bool_]:
    """Whether the segment between two points stays outside a sphere about the Earth's centre.

    Parameters
    ----------
    r_a_m, r_b_m : array_like, shape (3, ...)
        End points [m] (broadcast against each other).
    min_radius_m : float
        Radius the segment must not enter [m], e.g. Earth radius plus grazing altitude.

    Returns
    -------
    ndarray of bool
        True where the closest approach of the segment to the origin is at least
        ``min_radius_m`` (formula in the module docstring).
    """
    a = np.asarray(r_a_m, dtype=float)
    d = np.asarray(r_b_m, dtype=float) - a
    dd = np.einsum("i...,i...->...", d, d)
    ad = np.einsum("i...,i...->...", a, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(np.where(dd > 0.0, -ad / dd, 0.0), 0.0, 1.0)
    closest = a + s * d
    return np.asarray(np.einsum("i...,i...->...", closest, closest) >= min_radius_m**2)


def filter_links(
    r_m: ArrayLike,
    i: ArrayLike,
    j: ArrayLike,
    max_range_m: float,
    grazing_altitude_m: float = ISL_GRAZING_ALTITUDE_M,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Length and feasibility of candidate links, at one or many time steps.

    Parameters
    ----------
    r_m : array_like, shape (3, n_sat) or (3, n_sat, n_time)
        Satellite positions [m] (any frame centred on the Earth).
    i, j : array_like of int, shape (n_pairs,)
        Candidate pairs.
    max_range_m : float
        Longest link [m] (terminal's rated range).
    grazing_altitude_m, earth_radius_m : float
        The line of sight must clear ``earth_radius_m + grazing_altitude_m`` [m].

    Returns
    -------
    length_m : ndarray, shape (n_pairs,) or (n_pairs, n_time)
        Distance between the ends [m].
    ok : ndarray of bool, same shape
        In range and in line of sight.
    """
    r = _positions(r_m)
    ia, ja = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    a, b = r[:, ia], r[:, ja]
    length = np.sqrt(np.einsum("i...,i...->...", b - a, b - a))
    ok = (length <= max_range_m) & line_of_sight_clear(a, b, earth_radius_m + grazing_altitude_m)
    return length, ok


def plus_grid_pairs(
    plane_index: ArrayLike,
    slot_index: ArrayLike,
    shell_index: ArrayLike | None = None,
    isl_shift: int = 0,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Candidate pairs of the +Grid topology (Hypatia's ``generate_plus_grid_isls``).

    Satellite ``(shell, plane p, slot k)`` links to ``(shell, p, (k + 1) mod S)`` and to
    ``(shell, (p + 1) mod P, (k + isl_shift) mod S)``, with ``P`` planes and ``S`` slots in
    its shell (the largest index + 1). Missing satellites (failed, not launched) drop their
    links; duplicate pairs (``P`` or ``S`` < 3) appear once.

    Parameters
    ----------
    plane_index, slot_index : array_like of int, shape (n_sat,)
        Plane and in-plane slot of every satellite (0-based).
    shell_index : array_like of int, shape (n_sat,), optional
        Shell of every satellite; links never cross shells. Default: one shell.
    isl_shift : int
        Slot offset of the inter-plane neighbour.

    Returns
    -------
    i, j : ndarray of int64
        Pairs ``i < j``, sorted.
    """
    plane = np.asarray(plane_index, dtype=np.int64)
    slot = np.asarray(slot_index, dtype=np.int64)
    n = plane.shape[0]
    shell = np.zeros(n, np.int64) if shell_index is None else np.asarray(shell_index, np.int64)
    if plane.shape != (n,) or slot.shape != (n,) or shell.shape != (n,):
        raise ValueError("plane_index, slot_index and shell_index must be 1-D of equal length")
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if min(plane.min(), slot.min(), shell.min()) < 0:
        raise ValueError("plane, slot and shell indices must be >= 0")
    n_shells = int(shell.max()) + 1
    planes = np.zeros(n_shells, np.int64)
    slots = np.zeros(n_shells, np.int64)
    np.maximum.at(planes, shell, plane + 1)
    np.maximum.at(slots, shell, slot + 1)
    offset = np.concatenate([[0], np.cumsum(planes * slots)])
    lookup = np.full(int(offset[-1]), -1, np.int64)
    key = offset[shell] + plane * slots[shell] + slot
    if np.unique(key).size != n:
        raise ValueError("two satellites share the same (shell, plane, slot)")
    lookup[key] = np.arange(n)
    s_n, p_n = slots[shell], planes[shell]
    intra = lookup[offset[shell] + plane * s_n + (slot + 1) % s_n]
    inter = lookup[offset[shell] + ((plane + 1) % p_n) * s_n + (slot + isl_shift) % s_n]
    me = np.arange(n, dtype=np.int64)
    i = np.concatenate([me, me])
    j = np.concatenate([intra, inter])
    keep = j >= 0
    return _canonical(i[keep], j[keep], n)


def plus_grid_nearest_pairs(
    plane_index: ArrayLike,
    phase_rad: ArrayLike,
    shell_index: ArrayLike | None = None,
    isl_shift: int = 0,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Candidate pairs of the +Grid on an irregular shell (missing or spare satellites).

    Where planes hold different numbers of satellites, slot indices no longer pair neighbours,
    so the +Grid is built from phases (mean argument of latitude at the epoch):

    * in-plane: each satellite links to the next one ahead of it in phase (a ring through the
      plane, so also to the one behind);
    * inter-plane: a satellite of plane ``p`` and one of plane ``(p + 1) mod P`` of its shell
      link when each is the other's nearest in phase (after ``isl_shift`` steps ahead along the
      next plane's ring, and as many back the other way); mutual choice keeps every satellite at
      four links at most, like the regular +Grid, and one in a plane with more satellites than
      its neighbour may get no link to that side.

    On a regular shell this equals :func:`plus_grid_pairs` when each satellite's nearest in
    phase in the next plane is its slot partner (e.g. the planes in phase); use
    :func:`plus_grid_pairs` there, which is Hypatia's rule exactly.

    Parameters
    ----------
    plane_index : array_like of int, shape (n_sat,)
        Plane within the shell (0-based, consecutive); -1: in no plane (no +Grid links).
    phase_rad : array_like, shape (n_sat,)
        Mean argument of latitude [rad].
    shell_index : array_like of int, optional
        Shell of every satellite; links never cross shells.
    isl_shift : int
        Ring steps of the inter-plane partner.

    Returns
    -------
    i, j : ndarray of int64
        Pairs ``i < j``, sorted.
    """
    plane = np.asarray(plane_index, dtype=np.int64)
    n = plane.size
    shell = np.zeros(n, np.int64) if shell_index is None else np.asarray(shell_index, np.int64)
    u = np.mod(np.asarray(phase_rad, dtype=float), 2.0 * np.pi)
    if shell.shape != (n,) or u.shape != (n,):
        raise ValueError("plane_index, phase_rad and shell_index must be 1-D of equal length")
    members = np.flatnonzero(plane >= 0)
    if members.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    n_planes = np.zeros(int(shell.max()) + 1, np.int64)
    np.maximum.at(n_planes, shell[members], plane[members] + 1)
    offset = np.concatenate([[0], np.cumsum(n_planes)])
    gplane = offset[shell[members]] + plane[members]  # plane number over all shells
    order = members[np.lexsort((u[members], gplane))]
    gp = offset[shell[order]] + plane[order]
    start = np.searchsorted(gp, np.arange(offset[-1] + 1))
    size = np.diff(start)
    pos = np.arange(order.size)
    # in-plane ring: the next satellite ahead
    first = start[gp]
    ahead = order[first + (pos - first + 1) % size[gp]]

    def nearest(step: int) -> NDArray[np.int64]:
        """Position (in ``order``) of each satellite's nearest in phase in the plane ``step``
        away (+1 next, -1 previous), shifted ``isl_shift * step`` along that plane's ring."""
        sh = shell[order]
        target = offset[sh] + (plane[order] + step) % n_planes[sh]
        lo, m = start[target], size[target]
        empty = m == 0
        m = np.maximum(m, 1)
        # searchsorted within the target plane: phases are sorted inside each plane
        key_sorted = gp * 8.0 + u[order]
        idx = np.searchsorted(key_sorted, target * 8.0 + u[order]) - lo
        cand_a = lo + idx % m
        cand_b = lo + (idx - 1) % m
        da = np.abs((u[order[cand_a]] - u[order] + np.pi) % (2 * np.pi) - np.pi)
        db = np.abs((u[order[cand_b]] - u[order] + np.pi) % (2 * np.pi) - np.pi)
        best = np.where(db < da, cand_b, cand_a)
        best = lo + (best - lo + isl_shift * step) % m
        return np.where(empty | (target == gp), -1, best)

    to_next = nearest(+1)
    to_prev = nearest(-1)
    has = to_next >= 0
    mutual = np.zeros(order.size, dtype=bool)
    mutual[has] = to_prev[to_next[has]] == pos[has]
    i = np.concatenate([order, order[mutual]])
    j = np.concatenate([ahead, order[to_next[mutual]]])
    return _canonical(i, j, n)


def nearest_in_range_links(
    r_m: ArrayLike,
    n_terminals: int | ArrayLike,
    max_range_m: float,
    grazing_altitude_m: float = ISL_GRAZING_ALTITUDE_M,
    earth_radius_m: float = EARTH_RADIUS_M,
    candidates: int | None = None,
    workers: int = -1,
    tree: cKDTree | None = None,
) -> Links:
    """Mutual nearest visible neighbours, up to each satellite's number of terminals.

    Each satellite ranks the ``candidates`` nearest other satellites within ``max_range_m``
    (``cKDTree.query``), drops those whose line of sight dips below the grazing altitude and
    keeps the first ``n_terminals`` of the rest; a link is made where two satellites keep each
    other. Deterministic for given positions.

    Parameters
    ----------
    r_m : array_like, shape (3, n_sat)
        Positions at one time step [m].
    n_terminals : int or array_like of int, shape (n_sat,)
        Laser terminals per satellite (>= 0).
    max_range_m : float
        Longest link [m].
    grazing_altitude_m, earth_radius_m : float
        Line-of-sight limit, as in :func:`filter_links` [m].
    candidates : int, optional
        Neighbours examined per satellite; default ``max(n_terminals) + 2``. Extra candidates
        stand in for neighbours hidden by the Earth or out of range; raise it for sparse
        constellations where many are (cost grows with it).
    workers : int
        Threads for the KD-tree query (-1: all cores).
    tree : scipy.spatial.cKDTree, optional
        A tree already built on ``r_m.T`` (shared with :func:`skydc.network.ground.
        ground_links`).

    Returns
    -------
    Links
    """
    r = _positions(r_m)
    if r.ndim != 2:
        raise ValueError(f"nearest_in_range_links takes one time step, shape (3, n); got {r.shape}")
    n = r.shape[1]
    terms = np.broadcast_to(np.asarray(n_terminals, dtype=np.int64), (n,))
    if n and terms.min() < 0:
        raise ValueError("n_terminals must be >= 0")
    if not max_range_m > 0.0:
        raise ValueError(f"max_range_m must be > 0, got {max_range_m}")
    t_max = int(terms.max()) if n else 0
    k = min(candidates if candidates is not None else t_max + 2, n - 1)
    if t_max == 0 or k <= 0:
        return _links(r, np.zeros(0, np.int64), np.zeros(0, np.int64))
    points = np.ascontiguousarray(r.T)
    tree = tree if tree is not None else cKDTree(points)
    dist, nbr = tree.query(points, k=k + 1, distance_upper_bound=max_range_m, workers=workers)
    me = np.arange(n, dtype=np.int64)[:, None]
    valid = (nbr < n) & (nbr != me)  # not itself (usually column 0), not "no neighbour"
    # Line of sight: a chord of length L between points at radii >= rho passes at least
    # sqrt(rho^2 - L^2/4) from the centre, so it surely clears the floor when
    # L <= 2 sqrt(rho^2 - floor^2); only the other candidates get the exact test.
    floor = earth_radius_m + grazing_altitude_m
    radius = np.sqrt(np.einsum("ij,ij->j", r, r))
    rho = np.minimum(radius[:, None], radius[np.where(valid, nbr, 0)])
    sure = dist <= 2.0 * np.sqrt(np.maximum(rho * rho - floor * floor, 0.0))
    rows, cols = np.nonzero(valid & ~sure)
    if rows.size:
        clear = line_of_sight_clear(points[rows].T, points[nbr[rows, cols]].T, floor)
        valid[rows[~clear], cols[~clear]] = False
    rank = np.cumsum(valid, axis=1) - 1
    chosen = valid & (rank < terms[:, None])
    partner = np.where(chosen, nbr, -1)
    rows, cols = np.nonzero(chosen & (nbr > me))  # each pair once, from its lower end
    b = nbr[rows, cols].astype(np.int64)
    mutual = (partner[b] == rows[:, None]).any(axis=1)
    i, j, length = rows[mutual].astype(np.int64), b[mutual], dist[rows, cols][mutual]
    order = np.argsort(i * np.int64(n) + j, kind="stable")
    return Links(i=i[order], j=j[order], length_m=length[order].astype(np.float64))


def _links(r: NDArray[np.float64], i: NDArray[np.int64], j: NDArray[np.int64]) -> Links:
    d = r[:, j] - r[:, i]
    return Links(i=i, j=j, length_m=np.sqrt(np.einsum("ij,ij->j", d, d)))


def isl_links(
    topology: str,
    r_m: ArrayLike,
    max_range_m: float,
    *,
    grazing_altitude_m: float = ISL_GRAZING_ALTITUDE_M,
    earth_radius_m: float = EARTH_RADIUS_M,
    plane_index: ArrayLike | None = None,
    slot_index: ArrayLike | None = None,
    shell_index: ArrayLike | None = None,
    isl_shift: int = 0,
    n_terminals: int | ArrayLike = 4,
    tree: cKDTree | None = None,
) -> Links:
    """The links of one time step for a topology chosen by name.

    Parameters
    ----------
    topology : str
        One of :data:`TOPOLOGIES` (see the module docstring).
    r_m : array_like, shape (3, n_sat)
        Positions at one time step [m].
    max_range_m : float
        Longest link [m].
    grazing_altitude_m, earth_radius_m : float
        Line-of-sight limit [m].
    plane_index, slot_index, shell_index, isl_shift
        For ``"plus-grid"`` (:func:`plus_grid_pairs`); plane and slot are required.
    n_terminals : int or array_like
        For ``"nearest-in-range"``: laser terminals per satellite.
    tree : scipy.spatial.cKDTree, optional
        For ``"nearest-in-range"``: a tree already built on ``r_m.T`` (shared with the ground
        links).

    Returns
    -------
    Links
        Only the links in range and in line of sight.
    """
    if topology not in TOPOLOGIES:
        raise ValueError(
            f"unknown ISL topology {topology!r}; valid topologies: {', '.join(TOPOLOGIES)}"
        )
    r = _positions(r_m)
    if r.ndim != 2:
        raise ValueError(f"isl_links takes one time step, positions (3, n); got {r.shape}")
    if topology == "nearest-in-range":
        return nearest_in_range_links(
            r, n_terminals, max_range_m, grazing_altitude_m, earth_radius_m, tree=tree
        )
    if plane_index is None or slot_index is None:
        raise ValueError("topology 'plus-grid' needs plane_index and slot_index of every satellite")
    i, j = plus_grid_pairs(plane_index, slot_index, shell_index, isl_shift)
    if i.size and max(i.max(), j.max()) >= r.shape[1]:
        raise ValueError("plane/slot indices describe more satellites than positions were given")
    length, ok = filter_links(r, i, j, max_range_m, grazing_altitude_m, earth_radius_m)
    return Links(i=i[ok], j=j[ok], length_m=length[ok])


def link_capacity_bps(
    length_m: ArrayLike, data_rate_bps: ArrayLike, max_range_m: ArrayLike
) -> NDArray[np.float64]:
    """Rated capacity of links: the terminal's rate within its range, 0 beyond (or NaN length).

    Parameters
    ----------
    length_m : array_like
        Link lengths [m].
    data_rate_bps : array_like
        Rated rate of one direction of a link [bit/s] (broadcast: one terminal type or one per
        link).
    max_range_m : array_like
        Rated range [m].

    Returns
    -------
    ndarray
        Capacity of one direction [bit/s]. For a distance-dependent rate use the terminal
        model's ``capacity_bps(length_m)`` (:mod:`skydc.network.terminals`) instead.
    """
    d = np.asarray(length_m, dtype=float)
    rate = np.asarray(data_rate_bps, dtype=float)
    with np.errstate(invalid="ignore"):
        inside = (d >= 0.0) & (d <= np.asarray(max_range_m, dtype=float))
    return np.where(inside, rate, 0.0).astype(np.float64)


def diff_links(before: Links, after: Links, n_sat: int) -> LinkDiff:
    """Links added and removed between two time steps.

    Parameters
    ----------
    before, after : Links
        Link sets (pairs ``i < j``) of two steps.
    n_sat : int
        Number of satellites (indices below it).

    Returns
    -------
    LinkDiff
    """
    k0 = before.i * np.int64(n_sat) + before.j
    k1 = after.i * np.int64(n_sat) + after.j
    added = np.setdiff1d(k1, k0)
    removed = np.setdiff1d(k0, k1)
    return LinkDiff(
        added_i=added // n_sat,
        added_j=added % n_sat,
        removed_i=removed // n_sat,
        removed_j=removed % n_sat,
    )
