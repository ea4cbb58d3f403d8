"""Plane structure of a constellation: which satellites share an orbit plane, and their slots.

Generated shells know their planes; a catalog (TLE/OMM) does not. :func:`infer_planes` finds
them from the mean elements at one epoch:

1. **Planes.** Two satellites are linked when their inclinations differ by at most
   :data:`INCLINATION_TOLERANCE_DEG` *and* their RAANs (circularly) by at most
   :data:`RAAN_TOLERANCE_DEG`; a plane is a connected group of linked satellites (single
   linkage: a plane may be wider than the tolerance if its satellites chain across it, but two
   planes are merged only if some pair bridges the gap between them). Pairs come from a
   ``scipy.spatial.cKDTree`` on (inclination / tolerance, RAAN / tolerance) with a periodic RAAN
   axis and the Chebyshev metric, groups from ``scipy.sparse.csgraph.connected_components``:
   ``O(n log n)``, no loop over satellites. Groups smaller than :data:`MIN_PLANE_SATELLITES` are
   *outliers* (satellites raising or lowering their orbit, spares drifting to another plane):
   plane and slot -1. Planes are numbered by increasing circular-mean RAAN in [0, 360) deg.
2. **Slots.** Within a plane, satellites are ordered by mean argument of latitude
   :math:`u = \\omega + M`; which satellite is slot 0 is the *slot numbering*
   (:data:`SLOT_NUMBERINGS`):

   ``"walker"``
       Walker's (1984) numbering, as :func:`skydc.orbits.constellation.walker_delta` generates:
       slot 0 of plane 0 is the first satellite at or after the ascending node; slot 0 of plane
       ``j + 1`` is the first satellite at or ahead of slot 0 of plane ``j`` in ``u``. For a
       Walker ``t/p/f`` shell this recovers :math:`u_{jk} = 2\\pi k/s + 2\\pi f j/t` exactly.
   ``"satgenpy"``
       Hypatia's (``satgen.generate_tles_from_scratch_manual``): slot 0 of *every* plane is the
       first satellite at or after its ascending node.

   "At or after" allows :data:`PHASE_TOLERANCE_DEG` behind, so rounding in a TLE (1e-4 deg)
   cannot move a satellite to the end of its plane.

The tolerances are chosen for shells like Starlink's (72 planes 5 deg apart, satellites of a
plane within a few tenths of a degree of each other after J2 drift to a common epoch) and
Hypatia's synthetic shells; widen them for catalogs whose planes are looser, or declare the
planes instead (:func:`declared_planes`: the file lists the satellites plane by plane, slot by
slot, as Hypatia's ``tles.txt`` does).

A structure is *regular* when it has no outliers and every plane holds the same number of
satellites: the +Grid then pairs by slot index exactly as Hypatia does
(:func:`skydc.network.isl.plus_grid_pairs`); an irregular one is linked by nearest phase
(:func:`skydc.network.isl.plus_grid_nearest_pairs`).

References
----------
Walker, J. G. (1984). Satellite constellations. J. Br. Interplanet. Soc. 37, 559-572.
Kassing, S. et al. (2020). Exploring the "Internet from space" with Hypatia. ACM IMC 2020.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "INCLINATION_TOLERANCE_DEG",
    "MIN_PLANE_SATELLITES",
    "PHASE_TOLERANCE_DEG",
    "RAAN_TOLERANCE_DEG",
    "SLOT_NUMBERINGS",
    "PlaneStructure",
    "declared_planes",
    "infer_planes",
    "slot_order",
]

# Largest inclination difference of two satellites linked into one plane [deg].
INCLINATION_TOLERANCE_DEG = 0.5
# Largest RAAN difference of two satellites linked into one plane [deg]; below half the spacing
# of Starlink's 72 planes (5 deg) and Hypatia's Kuiper-630 34 planes (10.6 deg).
RAAN_TOLERANCE_DEG = 1.0
# How far behind the reference a satellite may sit and still count as "at or after" it [deg]:
# 100 times a TLE's 1e-4 deg rounding, far below a Walker phase step 360 f / t for t < 30,000.
PHASE_TOLERANCE_DEG = 0.01
# Smallest group of satellites that counts as a plane (smaller groups are outliers).
MIN_PLANE_SATELLITES = 2
SLOT_NUMBERINGS = ("walker", "satgenpy")

_TWO_PI = 2.0 * math.pi


@dataclass(frozen=True)
class PlaneStructure:
    """Plane and in-plane slot of every satellite of one shell.

    Attributes
    ----------
    plane_index, slot_index : ndarray of int64, shape (n_sat,)
        0-based plane and slot; -1 for outliers.
    phase_rad : ndarray, shape (n_sat,)
        Mean argument of latitude at the epoch [rad] (orders the slots).
    source : str
        ``"generated"``, ``"declared"`` or ``"inferred"``.
    raan_deg, inclination_deg : ndarray, shape (n_planes,)
        Circular-mean RAAN and mean inclination of each plane [deg].
    raan_spread_deg : float
        Largest distance of a satellite's RAAN from its plane's mean [deg].
    """

    plane_index: NDArray[np.int64]
    slot_index: NDArray[np.int64]
    phase_rad: NDArray[np.float64]
    source: str
    raan_deg: NDArray[np.float64]
    inclination_deg: NDArray[np.float64]
    raan_spread_deg: float

    @property
    def n_sat(self) -> int:
        """Satellites, outliers included."""
        return int(self.plane_index.size)

    @property
    def n_planes(self) -> int:
        """Planes found or declared."""
        return int(self.raan_deg.size)

    @property
    def sats_per_plane(self) -> NDArray[np.int64]:
        """Satellites in each plane, shape (n_planes,)."""
        inside = self.plane_index >= 0
        return np.bincount(self.plane_index[inside], minlength=self.n_planes).astype(np.int64)

    @property
    def outliers(self) -> int:
        """Satellites in no plane."""
        return int(np.sum(self.plane_index < 0))

    @property
    def regular(self) -> bool:
        """No outliers, and every plane holds the same number of satellites."""
        counts = self.sats_per_plane
        return self.outliers == 0 and counts.size > 0 and bool(np.all(counts == counts[0]))

    def summary(self) -> dict[str, float | int | str | bool]:
        """What was found, for the metrics: planes, satellites per plane, outliers."""
        counts = self.sats_per_plane
        return {
            "source": self.source,
            "planes": self.n_planes,
            "sats_per_plane_min": int(counts.min()) if counts.size else 0,
            "sats_per_plane_max": int(counts.max()) if counts.size else 0,
            "outliers": self.outliers,
            "regular": self.regular,
            "raan_spread_max_deg": self.raan_spread_deg,
        }


def _circular_mean_deg(
    angle_rad: NDArray[np.float64], group: NDArray[np.int64], n: int
) -> NDArray[np.float64]:
    s = np.bincount(group, weights=np.sin(angle_rad), minlength=n)
    c = np.bincount(group, weights=np.cos(angle_rad), minlength=n)
    return np.mod(np.degrees(np.arctan2(s, c)), 360.0)


def _plane_stats(
    plane: NDArray[np.int64], i_rad: NDArray[np.float64], raan_rad: NDArray[np.float64], n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    inside = plane >= 0
    p = plane[inside]
    raan = _circular_mean_deg(raan_rad[inside], p, n)
    counts = np.maximum(np.bincount(p, minlength=n), 1)
    inc = np.degrees(np.bincount(p, weights=i_rad[inside], minlength=n) / counts)
    dev = np.abs((np.degrees(raan_rad[inside]) - raan[p] + 180.0) % 360.0 - 180.0)
    return raan, inc, float(dev.max()) if dev.size else 0.0


def slot_order(
    plane_index: ArrayLike,
    phase_rad: ArrayLike,
    numbering: str = "walker",
    phase_tolerance_deg: float = PHASE_TOLERANCE_DEG,
) -> NDArray[np.int64]:
    """Slot of every satellite within its plane, ordered by phase (module docstring).

    Parameters
    ----------
    plane_index : array_like of int, shape (n_sat,)
        Plane of every satellite (0-based, consecutive; -1: outlier, slot -1).
    phase_rad : array_like, shape (n_sat,)
        Mean argument of latitude [rad].
    numbering : str
        One of :data:`SLOT_NUMBERINGS`.
    phase_tolerance_deg : float
        How far behind a reference a satellite still counts as at or after it [deg].

    Returns
    -------
    ndarray of int64
        Slot indices 0 .. (satellites in the plane - 1).
    """
    if numbering not in SLOT_NUMBERINGS:
        raise ValueError(
            f"unknown slot numbering {numbering!r}; valid numberings: {', '.join(SLOT_NUMBERINGS)}"
        )
    plane = np.asarray(plane_index, dtype=np.int64)
    u = np.mod(np.asarray(phase_rad, dtype=float), _TWO_PI)
    tol = math.radians(phase_tolerance_deg)
    # offset of each satellite from its plane's reference: the ascending node for "satgenpy"
    ref = np.zeros(int(plane.max()) + 1 if plane.size else 0)
    if numbering == "walker" and ref.size:
        inside = plane >= 0
        members = np.flatnonzero(inside)
        by_plane = members[np.argsort(plane[members], kind="stable")]
        bounds = np.searchsorted(plane[by_plane], np.arange(ref.size + 1))
        previous = 0.0
        for p in range(ref.size):  # a chain over planes (each step vectorised over a plane)
            sats = by_plane[bounds[p] : bounds[p + 1]]
            if sats.size == 0:
                ref[p] = previous
                continue
            ahead = np.mod(u[sats] - previous + tol, _TWO_PI)
            ref[p] = previous = u[sats[np.argmin(ahead)]]
    base = ref[np.maximum(plane, 0)] if ref.size else np.zeros(plane.size)
    key = np.mod(u - base + tol, _TWO_PI)
    order = np.lexsort((key, plane))
    sorted_plane = plane[order]
    start = np.searchsorted(sorted_plane, sorted_plane, side="left")
    slot = np.empty_like(plane)
    slot[order] = np.arange(plane.size) - start
    slot[plane < 0] = -1
    return slot


def infer_planes(
    i_rad: ArrayLike,
    raan_rad: ArrayLike,
    phase_rad: ArrayLike,
    *,
    numbering: str = "walker",
    inclination_tolerance_deg: float = INCLINATION_TOLERANCE_DEG,
    raan_tolerance_deg: float = RAAN_TOLERANCE_DEG,
    min_plane_satellites: int = MIN_PLANE_SATELLITES,
) -> PlaneStructure:
    """Planes and slots of satellites from their mean elements (module docstring).

    Parameters
    ----------
    i_rad, raan_rad, phase_rad : array_like, shape (n_sat,)
        Inclination, RAAN and mean argument of latitude (``argp + M``) at one epoch [rad].
    numbering : str
        Slot numbering, one of :data:`SLOT_NUMBERINGS`.
    inclination_tolerance_deg, raan_tolerance_deg : float
        Linking tolerances [deg] (> 0).
    min_plane_satellites : int
        Smallest plane; smaller groups are outliers.

    Returns
    -------
    PlaneStructure
        ``source = "inferred"``.
    """
    inc = np.asarray(i_rad, dtype=float).ravel()
    raan = np.mod(np.asarray(raan_rad, dtype=float).ravel(), _TWO_PI)
    u = np.asarray(phase_rad, dtype=float).ravel()
    if not inc.shape == raan.shape == u.shape:
        raise ValueError("i_rad, raan_rad and phase_rad must have equal length")
    if not (inclination_tolerance_deg > 0.0 and raan_tolerance_deg > 0.0):
        raise ValueError("tolerances must be > 0")
    n = inc.size
    if n == 0:
        empty = np.zeros(0, np.int64)
        return PlaneStructure(empty, empty, u, "inferred", np.zeros(0), np.zeros(0), 0.0)
    # scipy.sparse and scipy.spatial take ~0.35 s to import: only catalog shells infer planes
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    box = 360.0 / raan_tolerance_deg
    points = np.column_stack(
        [
            np.degrees(inc) / inclination_tolerance_deg,
            np.mod(np.degrees(raan) / raan_tolerance_deg, box),
        ]
    )
    points[:, 1] = np.where(points[:, 1] >= box, 0.0, points[:, 1])  # 360 - tiny rounds to box
    tree = cKDTree(points, boxsize=[0.0, box])  # 0: inclination axis not periodic
    pairs = tree.query_pairs(1.0 + 1e-9, p=np.inf, output_type="ndarray").reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    size = np.bincount(label)
    big = np.flatnonzero(size >= min_plane_satellites)
    mean_raan = _circular_mean_deg(raan, label, size.size)[big]
    rank = np.full(size.size, -1, np.int64)
    rank[big[np.argsort(mean_raan, kind="stable")]] = np.arange(big.size)
    plane = rank[label]
    slot = slot_order(plane, u, numbering)
    raan_deg, inc_deg, spread = _plane_stats(plane, inc, raan, big.size)
    return PlaneStructure(plane, slot, u, "inferred", raan_deg, inc_deg, spread)


def declared_planes(
    i_rad: ArrayLike,
    raan_rad: ArrayLike,
    phase_rad: ArrayLike,
    planes: int,
    sats_per_plane: int,
    source: str = "declared",
) -> PlaneStructure:
    """Planes listed in order: satellite ``k`` is plane ``k // sats_per_plane``, slot
    ``k % sats_per_plane`` (Hypatia's ``tles.txt``; skydc's generated shells)."""
    inc = np.asarray(i_rad, dtype=float).ravel()
    raan = np.mod(np.asarray(raan_rad, dtype=float).ravel(), _TWO_PI)
    n = inc.size
    if planes < 1 or sats_per_plane < 1 or planes * sats_per_plane != n:
        raise ValueError(
            f"{planes} planes x {sats_per_plane} satellites = {planes * sats_per_plane}, but there "
            f"are {n} satellites"
        )
    k = np.arange(n, dtype=np.int64)
    plane, slot = k // sats_per_plane, k % sats_per_plane
    raan_deg, inc_deg, spread = _plane_stats(plane, inc, raan, planes)
    u = np.asarray(phase_rad, dtype=float).ravel()
    return PlaneStructure(plane, slot, u, source, raan_deg, inc_deg, spread)
