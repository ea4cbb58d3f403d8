"""Inter-satellite links: +Grid (Hypatia's rule), nearest-in-range, occlusion, range, churn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from skydc.constants import EARTH_RADIUS_M, ISL_GRAZING_ALTITUDE_M
from skydc.network.isl import (
    TOPOLOGIES,
    Links,
    diff_links,
    filter_links,
    isl_links,
    line_of_sight_clear,
    link_capacity_bps,
    nearest_in_range_links,
    plus_grid_pairs,
)
from skydc.orbits.circular import circular_states
from skydc.orbits.constellation import walker_delta

EPOCH_JD_UTC = 2460676.5
A_550_M = EARTH_RADIUS_M + 550e3
one_metre = 1.0
five_thousand_km = 5.0e6


def _starlink_like(planes: int = 72, per_plane: int = 22) -> np.ndarray:
    elements = walker_delta(planes, per_plane, 1, A_550_M, math.radians(53.0), EPOCH_JD_UTC)
    return circular_states(elements, np.array([0.0]), frame="ecef").r_m[:, :, 0]


def _hypatia_plus_grid(n_orbits: int, n_per: int, isl_shift: int) -> set[tuple[int, int]]:
    """satgen.generate_plus_grid_isls, transcribed (Hypatia, satgenpy/satgen/isls)."""
    out = set()
    for i in range(n_orbits):
        for j in range(n_per):
            sat = i * n_per + j
            same = i * n_per + ((j + 1) % n_per)
            adjacent = ((i + 1) % n_orbits) * n_per + ((j + isl_shift) % n_per)
            out.add((min(sat, same), max(sat, same)))
            out.add((min(sat, adjacent), max(sat, adjacent)))
    return out


@pytest.mark.parametrize(("planes", "per_plane", "shift"), [(72, 22, 0), (5, 7, 3), (3, 3, 1)])
def test_plus_grid_pairs_match_hypatia_generator(planes: int, per_plane: int, shift: int) -> None:
    index = np.arange(planes * per_plane)
    i, j = plus_grid_pairs(index // per_plane, index % per_plane, isl_shift=shift)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == _hypatia_plus_grid(
        planes, per_plane, shift
    )
    assert np.all(i < j)
    degree = Links(i, j, np.zeros(i.size)).degree(planes * per_plane)
    assert np.all(degree == 4)


def test_plus_grid_never_crosses_shells_and_skips_missing_satellites() -> None:
    plane = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    slot = np.array([0, 1, 2] * 6)
    shell = np.repeat([0, 1], 9)
    i, j = plus_grid_pairs(plane, slot, shell)
    assert np.all(shell[i] == shell[j])
    assert i.size == 2 * 18
    keep = np.arange(18) != 4  # satellite 4 failed
    sub = np.flatnonzero(keep)
    i2, j2 = plus_grid_pairs(plane[keep], slot[keep], shell[keep])
    assert i2.size == 36 - 4
    assert not np.isin(4, sub[np.concatenate([i2, j2])])


def test_plus_grid_rejects_duplicate_slots() -> None:
    with pytest.raises(ValueError, match="share the same"):
        plus_grid_pairs([0, 0], [1, 1])


def test_satellites_on_opposite_sides_of_the_earth_have_no_link() -> None:
    r = np.array([[A_550_M, -A_550_M], [0.0, 0.0], [0.0, 0.0]])
    length, ok = filter_links(r, [0], [1], max_range_m=1e9)
    assert length[0] == pytest.approx(2 * A_550_M)
    assert not ok[0]
    links = nearest_in_range_links(r, 4, max_range_m=1e9)
    assert links.n_links == 0


def test_grazing_line_of_sight_geometry() -> None:
    """Two satellites whose chord's closest approach is just above / below R + 80 km."""
    floor = EARTH_RADIUS_M + ISL_GRAZING_ALTITUDE_M
    for margin, expected in ((+one_metre, True), (-one_metre, False)):
        d = floor + margin  # chord at distance d from the centre, ends at radius A_550_M
        half = math.sqrt(A_550_M**2 - d**2)
        a = np.array([[d], [-half], [0.0]])
        b = np.array([[d], [half], [0.0]])
        assert line_of_sight_clear(a, b, floor)[0] == expected
    # Hypatia's max ISL length is exactly the grazing chord at 550 km:
    assert 2 * math.sqrt(A_550_M**2 - floor**2) == pytest.approx(5016591.2, abs=one_metre)


def test_range_limit_and_links_over_time() -> None:
    r = _starlink_like()
    index = np.arange(r.shape[1])
    links = isl_links("plus-grid", r, 1.0e6, plane_index=index // 22, slot_index=index % 22)
    assert links.n_links > 0
    assert links.length_m.max() <= 1.0e6
    r_t = np.stack([r, np.roll(r, 1, axis=1)], axis=-1)  # two "time steps"
    i, j = plus_grid_pairs(index // 22, index % 22)
    length, ok = filter_links(r_t, i, j, five_thousand_km)
    assert length.shape == ok.shape == (i.size, 2)
    np.testing.assert_allclose(length[:, 0], np.linalg.norm(r[:, i] - r[:, j], axis=0))


def _mutual_knn_brute(r: np.ndarray, k: int, max_range_m: float, candidates: int) -> set:
    """Reference: mutual nearest visible neighbours by brute force."""
    n = r.shape[1]
    d = cdist(r.T, r.T)
    np.fill_diagonal(d, np.inf)
    floor = EARTH_RADIUS_M + ISL_GRAZING_ALTITUDE_M
    chosen = []
    for a in range(n):
        order = np.argsort(d[a], kind="stable")[:candidates]
        ok = [
            b
            for b in order
            if d[a, b] <= max_range_m and line_of_sight_clear(r[:, a], r[:, b], floor)
        ]
        chosen.append(set(ok[:k]))
    return {(a, b) for a in range(n) for b in chosen[a] if a < b and a in chosen[b]}


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    n=st.integers(2, 60),
    terminals=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
    max_range_km=st.floats(500.0, 20000.0),
)
def test_nearest_in_range_is_symmetric_bounded_and_matches_brute_force(
    n: int, terminals: int, seed: int, max_range_km: float
) -> None:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(3, n))
    r = v / np.linalg.norm(v, axis=0) * rng.uniform(EARTH_RADIUS_M + 300e3, 8.0e6, n)
    links = nearest_in_range_links(r, terminals, max_range_km * 1e3, candidates=2 * terminals)
    assert np.all(links.i < links.j)
    assert np.unique(links.i * n + links.j).size == links.n_links
    assert np.all(links.degree(n) <= terminals)
    assert np.all(links.length_m <= max_range_km * 1e3)
    expected = _mutual_knn_brute(r, terminals, max_range_km * 1e3, 2 * terminals)
    assert set(zip(links.i.tolist(), links.j.tolist(), strict=True)) == expected


def test_nearest_in_range_on_a_walker_shell_uses_the_terminals() -> None:
    r = _starlink_like()
    links = nearest_in_range_links(r, 4, five_thousand_km)
    degree = links.degree(r.shape[1])
    assert degree.max() <= 4
    assert degree.mean() > 2.0


def test_unknown_topology_lists_valid_names() -> None:
    r = _starlink_like(3, 3)
    with pytest.raises(ValueError, match="plus-grid, nearest-in-range"):
        isl_links("ring", r, 1e6)
    with pytest.raises(ValueError, match="plane_index and slot_index"):
        isl_links("plus-grid", r, 1e6)
    assert TOPOLOGIES == ("plus-grid", "nearest-in-range")


def test_link_capacity_is_rated_rate_within_range_and_zero_beyond() -> None:
    cap = link_capacity_bps([1e6, 5.4e6, 6e6, np.nan], 100e9, 5.4e6)
    np.testing.assert_array_equal(cap, [100e9, 100e9, 0.0, 0.0])


def test_diff_links_reports_added_and_removed() -> None:
    before = Links(np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3))
    after = Links(np.array([0, 2, 3]), np.array([1, 3, 4]), np.ones(3))
    d = diff_links(before, after, 5)
    assert list(zip(d.added_i, d.added_j, strict=True)) == [(3, 4)]
    assert list(zip(d.removed_i, d.removed_j, strict=True)) == [(1, 2)]
