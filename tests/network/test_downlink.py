"""Downlink budget: contact time against spherical geometry and a dense brute force, site
diversity and the expected rate on hand cases, and the budget's bookkeeping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.network.downlink import (
    contact_triples,
    downlink_classes,
    expected_rate_bps,
    overhead_pass_duration_s,
    site_diversity,
    tally_downlink,
)
from skydc.network.ground import elevation_rad

R_E = 6_371_000.0
MU = 3.986004418e14


def _overhead_orbit(altitude_m: float, t_s: np.ndarray) -> tuple[np.ndarray, float]:
    """A satellite on a great circle through the point over a station at (0, 0), Earth fixed
    (no rotation): positions (3, 1, n_time) and the period."""
    r = R_E + altitude_m
    period = 2 * math.pi * math.sqrt(r**3 / MU)
    u = 2 * math.pi * t_s / period - math.pi  # starts on the far side
    pos = np.stack([r * np.cos(u), np.zeros_like(u), r * np.sin(u)])
    return pos[:, None, :], period


def test_contact_time_of_an_overhead_pass_matches_spherical_geometry() -> None:
    """Vallado 2013 Sec. 11.3: 2 lambda / 2 pi of the period; 1 s sampling -> within 2 s."""
    altitude, mask = 550e3, math.radians(25.0)
    t = np.arange(0.0, 6000.0, 1.0)
    r_sat, period = _overhead_orbit(altitude, t)
    station = np.array([[R_E], [0.0], [0.0]])
    up = np.array([[1.0], [0.0], [0.0]])  # spherical up: the geometry of the closed form
    gs, sat, step = contact_triples(station, up, mask, r_sat)
    assert set(sat.tolist()) == {0} and set(gs.tolist()) == {0}
    expected = overhead_pass_duration_s(R_E + altitude, R_E, mask, period)
    # by hand: acos(6371 cos 25 / 6921) = 33.45 deg, lambda = 8.45 deg, 16.9/360 of 5,737 s
    assert expected == pytest.approx(269.3, abs=1.0)
    assert step.size * 1.0 == pytest.approx(expected, abs=2.0)


def test_contacts_match_a_dense_elevation_brute_force() -> None:
    """The KD-tree search over satellite-instants against the dense elevation array."""
    rng = np.random.default_rng(3)
    n_sat, n_t = 40, 30
    r = R_E + rng.uniform(400e3, 1500e3, (n_sat, n_t))
    v = rng.normal(size=(3, n_sat, n_t))
    r_sat = v / np.linalg.norm(v, axis=0) * r
    lat, lon = np.radians([10.0, -45.0, 60.0]), np.radians([0.0, 100.0, -30.0])
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    station = up * R_E
    mask = np.radians([10.0, 25.0, 40.0])
    gs, sat, step = contact_triples(station, up, mask, r_sat)
    el, _ = elevation_rad(station, up, r_sat)  # (n_gs, n_sat, n_t)
    want = np.argwhere(el >= mask[:, None, None])
    got = np.stack([gs, sat, step], axis=1)
    assert want.shape[0] > 10
    assert sorted(map(tuple, got.tolist())) == sorted(map(tuple, want.tolist()))


def test_contacts_skip_failed_samples_and_keep_their_indices() -> None:
    """NaN positions (failed SGP4 samples) are no contacts; the others keep their (satellite,
    instant) indices: the dense brute force over the finite samples."""
    rng = np.random.default_rng(5)
    n_sat, n_t = 30, 20
    r = R_E + rng.uniform(400e3, 1200e3, (n_sat, n_t))
    v = rng.normal(size=(3, n_sat, n_t))
    r_sat = v / np.linalg.norm(v, axis=0) * r
    r_sat[:, 3, 5:9] = np.nan
    r_sat[:, 17, :] = np.nan
    lat, lon = np.radians([0.0, 35.0]), np.radians([20.0, -120.0])
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    station = up * R_E
    mask = np.radians([5.0, 15.0])
    gs, sat, step = contact_triples(station, up, mask, r_sat)
    with np.errstate(invalid="ignore"):
        el, _ = elevation_rad(station, up, r_sat)
    want = np.argwhere(np.nan_to_num(el, nan=-np.inf) >= mask[:, None, None])
    got = np.stack([gs, sat, step], axis=1)
    assert want.shape[0] > 10
    assert not np.any(sat == 17)
    assert sorted(map(tuple, got.tolist())) == sorted(map(tuple, want.tolist()))


def test_site_diversity_hand_case() -> None:
    """Two independent sites clear 60 % and 70 % of the time: 1 - 0.4 x 0.3 = 0.88."""
    assert float(site_diversity([0.6, 0.7])) == pytest.approx(0.88, abs=1e-12)
    assert float(site_diversity([0.5])) == pytest.approx(0.5, abs=1e-12)
    assert float(site_diversity([0.5, 0.5, 0.5])) == pytest.approx(0.875, abs=1e-12)


def test_expected_rate_prefers_the_fastest_clear_station() -> None:
    """10 Gbit/s clear 60 %, else 5 Gbit/s clear 70 %: 10 x 0.6 + 5 x 0.7 x 0.4 = 7.4."""
    assert expected_rate_bps([5e9, 10e9], [0.7, 0.6]) == pytest.approx(7.4e9, rel=1e-12)


def test_tally_on_a_hand_case() -> None:
    """Satellite 0 sees stations 0 and 1 at step 0, station 0 alone at step 1; satellite 1
    sees station 0 at step 1 (station 0, 8 Gbit/s, shared by two at step 1)."""
    gs = np.array([0, 1, 0, 0])
    sat = np.array([0, 0, 0, 1])
    step = np.array([0, 0, 1, 1])
    link = np.array([10e9, 5e9])
    cap = np.array([8e9, np.inf])
    avail = np.array([0.6, 0.7])
    tally = tally_downlink(gs, sat, step, 2, 3, 4, 10.0, link, cap, avail)
    # step 0: sat 0 -> 8 x 0.6 + 5 x 0.7 x 0.4 = 6.2 Gbit/s; step 1: 4 x 0.6 = 2.4 each
    assert tally.sat_bits.tolist() == pytest.approx([(6.2e9 + 2.4e9) * 10, 2.4e9 * 10, 0.0])
    assert tally.sat_bits_clear.tolist() == pytest.approx([(8e9 + 4e9) * 10, 4e9 * 10, 0.0])
    assert tally.sat_contact_s.tolist() == [20.0, 10.0, 0.0]
    assert tally.station_contact_s.tolist() == [20.0, 10.0]
    assert tally.station_bits.sum() == pytest.approx(tally.sat_bits.sum(), rel=1e-12)
    assert tally.station_bits[1] == pytest.approx(5e9 * 0.7 * 0.4 * 10, rel=1e-12)
    # P(clear): 0.88 at step 0 for sat 0, then 0.6 and 0.6
    assert tally.diversity_s == pytest.approx((0.88 + 0.6 + 0.6) * 10, rel=1e-12)
    assert tally.window_s == 40.0


def test_downlink_classes_have_sources() -> None:
    classes = downlink_classes()
    assert set(classes) == {"rf", "optical"}
    for c in classes.values():
        assert c.source and 2000 <= c.year <= 2030
        assert 0.0 < c.weather_availability <= 1.0 and c.data_rate_bps > 0
    assert classes["rf"].weather_availability >= 0.99  # Ka gateways: 99.5-99.9 %
    assert classes["optical"].data_rate_bps == 200e9  # TBIRD
