"""The bus that flies the arrays: disturbance torques, momentum, drives (spacecraft/attitude.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M
from skydc.spacecraft.attitude import (
    array_drives,
    gravity_gradient_torque_n_m,
    peak_momentum_n_m_s,
    size_bus_mechanisms,
    wing_rotating_inertia_kg_m2,
)
from skydc.spacecraft.presets import load_technology

one_part_in_a_thousand = 1e-3


def _point_mass_torque_n_m(masses_kg: np.ndarray, body_m: np.ndarray, r_m: float) -> float:
    """Newtonian gravity on each point mass, summed as a torque about the centre of mass: an
    independent computation of the gravity gradient (no inertia tensor, no expansion)."""
    centre = np.array([r_m, 0.0, 0.0])
    pos = centre + body_m
    f = -EARTH_MU_M3_S2 * masses_kg[:, None] * pos / np.linalg.norm(pos, axis=1)[:, None] ** 3
    return float(np.linalg.norm(np.sum(np.cross(body_m, f), axis=0)))


def test_gravity_gradient_against_point_mass_integration() -> None:
    """A thin wing (a grid of point masses, 20 m x 10 m, 400 kg) at 45 deg to the local vertical
    at 650 km: the closed form against Newtonian gravity summed over the masses."""
    n = 201
    x, y = np.meshgrid(np.linspace(-5.0, 5.0, n), np.linspace(-10.0, 10.0, n), indexing="ij")
    masses = np.full(x.size, 400.0 / x.size)
    angle = math.pi / 4
    # the wing's width (x) tilted 45 deg from the local vertical in the orbit plane
    body = np.stack([x.ravel() * math.cos(angle), x.ravel() * math.sin(angle), y.ravel()], axis=1)
    r = EARTH_RADIUS_M + 650e3
    numeric = _point_mass_torque_n_m(masses, body, r)
    d_inertia = float(np.sum(masses * x.ravel() ** 2))  # about the wing's long axis
    closed = float(gravity_gradient_torque_n_m(r, d_inertia, angle))
    assert closed == pytest.approx(numeric, rel=one_part_in_a_thousand)
    # the thin-plate inertia the sizing uses, m W^2 / 12, against the same grid
    assert float(wing_rotating_inertia_kg_m2(400.0, 10.0)) == pytest.approx(d_inertia, rel=0.01)


def test_peak_momentum_against_quadrature() -> None:
    """T/Omega is the momentum a sinusoidal torque stores from its mean: half of the integral
    over one half cycle, by trapezoidal quadrature; SMAD's T (P/4) 0.707 is within 11 %."""
    omega, torque = 2 * math.pi / 5864.0, 0.02
    t = np.linspace(0.0, math.pi / omega, 20001)
    half_cycle = float(np.trapezoid(torque * np.sin(omega * t), t))
    assert float(peak_momentum_n_m_s(torque, omega)) == pytest.approx(half_cycle / 2, rel=1e-6)
    smad = torque * (5864.0 / 4) * 0.707
    assert smad / float(peak_momentum_n_m_s(torque, omega)) == pytest.approx(1.11, abs=0.01)


def test_array_drives_by_slip_ring_capacity() -> None:
    """Moog Type 3/5 SADA slip rings: 26 power rings at 6 A, half returns, at 100 V = 7.8 kW."""
    assert 26 / 2 * 6.0 * 100.0 == pytest.approx(7800.0)
    assert array_drives(7_000.0, 2, 7_800.0) == 2
    assert array_drives(200_000.0, 2, 7_800.0) == 2 * math.ceil(100_000 / 7_800)


def test_station_wings_no_larger_than_the_largest_flown() -> None:
    """An array of 250,000 m^2 is flown as ISS-SAW-sized wings (420 m^2), not as two wings."""
    bus = load_technology("advanced").bus
    sat = size_bus_mechanisms(640.0, 820.0, 200e3, 650.0, 1e-13, bus)
    station = size_bus_mechanisms(250_000.0, 320_000.0, 78e6, 650.0, 1e-13, bus)
    assert station.array_drives >= math.ceil(250_000 / 420)
    assert sat.array_drives == 2 * math.ceil(100e3 / 7800)
    assert station.momentum_n_m_s > sat.momentum_n_m_s
