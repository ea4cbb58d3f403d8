"""Plane structure of catalog shells: inference by inclination and RAAN, slot numberings, and
the +Grid on irregular shells.

References: Walker (1984) for the Walker numbering u_jk = 2 pi (k/s + f j/t), written out here
independently of skydc's generator; Hypatia's ``satgen.generate_tles_from_scratch_manual`` for
the satgenpy numbering (plane j RAAN 360 j/p, mean anomaly 360 k/s, plus 180/s in odd planes).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.network.isl import plus_grid_nearest_pairs, plus_grid_pairs
from skydc.orbits.constellation import walker_delta, walker_star
from skydc.orbits.planes import (
    PHASE_TOLERANCE_DEG,
    RAAN_TOLERANCE_DEG,
    declared_planes,
    infer_planes,
)

EPOCH = 2451545.0


def walker_u_deg(p: int, s: int, f: int) -> np.ndarray:
    """Walker 1984: satellite (j, k) at u = 360 (k/s + f j/(p s)) deg, row j*s + k."""
    j, k = np.divmod(np.arange(p * s), s)
    return np.mod(360.0 * k / s + 360.0 * f * j / (p * s), 360.0)


def satgenpy_elements_deg(p: int, s: int) -> tuple[np.ndarray, np.ndarray]:
    """satgenpy's generate_tles_from_scratch_manual with phase_diff=True: (RAAN, M) per row."""
    j, k = np.divmod(np.arange(p * s), s)
    mean_anomaly = 360.0 * k / s + np.where(j % 2 == 1, 360.0 / (2 * s), 0.0)
    return 360.0 * j / p, mean_anomaly


def assert_same_angle_deg(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose((np.asarray(a) - b + 180.0) % 360.0 - 180.0, 0.0, atol=1e-9)


def _shuffle(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n)


@pytest.mark.parametrize(("p", "s", "f"), [(72, 22, 0), (72, 22, 1), (72, 22, 36), (72, 22, 71),
                                           (34, 34, 9), (6, 5, 3)])  # fmt: skip
def test_inferred_walker_planes_and_slots_match_walker_numbering(p: int, s: int, f: int) -> None:
    el = walker_delta(p, s, f, 6.928e6, math.radians(53.0), EPOCH)
    assert_same_angle_deg(np.degrees(el.mean_anomaly_rad), walker_u_deg(p, s, f))
    perm = _shuffle(p * s)
    st = infer_planes(el.i_rad[perm], el.raan_rad[perm], el.mean_anomaly_rad[perm])
    np.testing.assert_array_equal(st.plane_index, perm // s)
    np.testing.assert_array_equal(st.slot_index, perm % s)
    assert st.regular and st.n_planes == p and st.outliers == 0


def test_satgenpy_numbering_matches_satgenpys_generator() -> None:
    p, s = 72, 22  # Hypatia's Starlink-550: the same satellites as Walker 72/22/36
    raan, m = satgenpy_elements_deg(p, s)
    el = walker_delta(p, s, p // 2, 6.9e6, math.radians(53.0), EPOCH, slot_numbering="satgenpy")
    assert_same_angle_deg(np.degrees(el.raan_rad), raan)
    assert_same_angle_deg(np.degrees(el.mean_anomaly_rad), m)
    # inferred with satgenpy's numbering from TLE-rounded angles (4 decimals, as satgenpy writes)
    perm = _shuffle(p * s, 1)
    u = np.radians(np.round(m, 4))[perm]
    st = infer_planes(np.full(p * s, math.radians(53.0)), np.radians(raan)[perm], u,
                      numbering="satgenpy")  # fmt: skip
    np.testing.assert_array_equal(st.plane_index, perm // s)
    np.testing.assert_array_equal(st.slot_index, perm % s)
    # Walker's numbering of the same satellites differs from plane 2 on: (j, k) -> k + j // 2
    walker = infer_planes(np.full(p * s, math.radians(53.0)), np.radians(raan)[perm], u)
    j, k = perm // s, perm % s
    np.testing.assert_array_equal(walker.slot_index, (k - j // 2) % s)


def test_walker_star_planes_are_found() -> None:
    el = walker_star(6, 11, 1, 7.158e6, math.radians(86.4), EPOCH)  # Iridium-like
    st = infer_planes(el.i_rad, el.raan_rad, el.mean_anomaly_rad)
    np.testing.assert_array_equal(st.plane_index, np.arange(66) // 11)
    np.testing.assert_array_equal(st.slot_index, np.arange(66) % 11)


def test_outliers_missing_satellites_and_jitter() -> None:
    p, s = 12, 10
    el = walker_delta(p, s, 1, 6.928e6, math.radians(53.0), EPOCH)
    rng = np.random.default_rng(3)
    raan = el.raan_rad + np.radians(rng.uniform(-0.3, 0.3, p * s))  # a loose real catalog
    inc = el.i_rad + np.radians(rng.uniform(-0.1, 0.1, p * s))
    keep = np.ones(p * s, dtype=bool)
    keep[[5, 17, 18]] = False  # missing satellites
    raan[40] += np.radians(3 * RAAN_TOLERANCE_DEG + 1)  # drifting between planes: an outlier
    st = infer_planes(inc[keep], raan[keep], el.mean_anomaly_rad[keep])
    assert st.n_planes == p
    assert st.outliers == 1
    assert not st.regular
    assert sorted(st.sats_per_plane.tolist()) == [8, 9, 9, *([10] * 9)]
    summary = st.summary()
    assert summary["outliers"] == 1 and summary["planes"] == p


def test_phase_tolerance_keeps_a_rounded_slot_zero_first() -> None:
    # slot 0 sits a hair behind the node (TLE rounding): it must stay slot 0, not become last
    u = np.radians([360.0 - PHASE_TOLERANCE_DEG / 10, 120.0, 240.0])
    st = infer_planes(np.full(3, 1.0), np.zeros(3), u)
    np.testing.assert_array_equal(st.slot_index, [0, 1, 2])


def test_declared_planes_need_the_right_count() -> None:
    el = walker_delta(3, 4, 0, 7e6, 1.0, EPOCH)
    st = declared_planes(el.i_rad, el.raan_rad, el.mean_anomaly_rad, 3, 4)
    np.testing.assert_array_equal(st.slot_index, np.arange(12) % 4)
    with pytest.raises(ValueError, match="12 satellites"):
        declared_planes(el.i_rad, el.raan_rad, el.mean_anomaly_rad, 4, 4)


def test_irregular_plus_grid_equals_hypatias_rule_on_a_regular_shell() -> None:
    p, s = 8, 9
    el = walker_delta(p, s, 0, 7e6, 1.0, EPOCH)  # planes in phase: nearest = same slot
    k = np.arange(p * s)
    for shift in (0, 1):
        a = plus_grid_pairs(k // s, k % s, isl_shift=shift)
        b = plus_grid_nearest_pairs(k // s, el.mean_anomaly_rad, isl_shift=shift)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_irregular_plus_grid_links_neighbours_and_never_exceeds_four() -> None:
    p, s = 10, 12
    el = walker_delta(p, s, 3, 7e6, 1.0, EPOCH)
    k = np.arange(p * s)
    plane = k // s
    plane[[4, 30, 31, 77]] = -1  # missing or outliers
    i, j = plus_grid_nearest_pairs(plane, el.mean_anomaly_rad)
    degree = np.bincount(np.concatenate([i, j]), minlength=p * s)
    assert degree.max() == 4 and np.all(degree[[4, 30, 31, 77]] == 0)
    same = plane[i] == plane[j]
    # in-plane links: a ring per plane (one link per satellite in it)
    assert same.sum() == np.sum(plane >= 0)
    # inter-plane links join adjacent planes, at most one slot width apart in phase
    dp = (plane[j] - plane[i]) % p
    assert np.all(np.isin(dp[~same], [1, p - 1]))
    du = np.abs((el.mean_anomaly_rad[i] - el.mean_anomaly_rad[j] + np.pi) % (2 * np.pi) - np.pi)
    assert np.all(du[~same] <= 2 * np.pi / s)
    assert (~same).sum() >= (p * s - 4) - 2 * 4  # nearly every satellite has a next-plane link
