"""Kepler's equation: residual property, a textbook worked example, domain handling."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.orbits.kepler import solve_kepler, true_anomaly_from_eccentric

residual_tolerance_rad = 1e-12


@settings(derandomize=True, database=None, max_examples=500)
@given(
    mean_anomaly_rad=st.floats(-20.0, 20.0, allow_nan=False),
    e=st.floats(0.0, 0.99, allow_nan=False),
)
def test_kepler_residual_below_1e12_rad(mean_anomaly_rad: float, e: float) -> None:
    big_e = solve_kepler(mean_anomaly_rad, e)
    # M - (E - e sin E) computed on the reduced angle so float64 rounding of |M| ~ 20 stays out
    shift = 2.0 * np.pi * np.floor((mean_anomaly_rad + np.pi) / (2.0 * np.pi))
    residual = (big_e - shift) - e * np.sin(big_e) - (mean_anomaly_rad - shift)
    assert abs(residual) < residual_tolerance_rad
    assert abs(big_e - mean_anomaly_rad) <= e + residual_tolerance_rad


def test_kepler_residual_dense_grid_high_eccentricity() -> None:
    """A dense grid including e = 0.999 near periapsis, the hardest corner for Newton."""
    m = np.linspace(-np.pi, np.pi, 20001)[:, None]
    e = np.array([0.0, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.999])[None, :]
    big_e = solve_kepler(m, e)
    assert big_e.shape == (20001, 7)
    assert np.abs(big_e - e * np.sin(big_e) - m).max() < residual_tolerance_rad


def test_kepler_vallado_example_2_1() -> None:
    """Vallado (2013), Fundamentals of Astrodynamics, Example 2-1: M = 235.4 deg, e = 0.4
    gives E = 220.512074767522 deg."""
    big_e = solve_kepler(np.radians(235.4), 0.4)
    assert abs(np.degrees(big_e) - 220.512074767522) < 1e-9


def test_kepler_bad_eccentricity_is_nan_not_an_exception() -> None:
    m = np.array([0.5, 0.5, 0.5, 0.5, np.inf, np.nan])
    e = np.array([0.1, 1.0, -0.1, np.nan, 0.1, 0.1])
    big_e = solve_kepler(m, e)
    assert np.isfinite(big_e[0])
    assert np.isnan(big_e[1:]).all()


def test_kepler_broadcasts_and_keeps_shape() -> None:
    assert solve_kepler(np.zeros((2, 3)), 0.3).shape == (2, 3)
    assert np.ndim(solve_kepler(1.0, 0.0)) == 0
    circular = np.linspace(-10, 10, 7)
    np.testing.assert_array_equal(solve_kepler(circular, 0.0), circular)


def test_true_anomaly_consistent_with_orbit_equation() -> None:
    """r = a(1 - e cos E) must equal p / (1 + e cos nu) (Vallado 2013, Eqs. 2-9, 2-56)."""
    e = np.array([0.0, 0.01, 0.3, 0.7, 0.95])[:, None]
    big_e = np.linspace(-3.0, 3.0, 61)[None, :]
    nu = true_anomaly_from_eccentric(big_e, e)
    r_over_a = 1.0 - e * np.cos(big_e)
    np.testing.assert_allclose(r_over_a, (1.0 - e * e) / (1.0 + e * np.cos(nu)), rtol=1e-13)
    assert np.all(np.sign(nu) == np.sign(big_e))  # same half of the orbit
    assert np.isnan(true_anomaly_from_eccentric(1.0, 1.5))
