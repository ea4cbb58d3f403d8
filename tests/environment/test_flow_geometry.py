"""Projected area of the arrays into the flow against a direct integration around the orbit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.environment.flow_geometry import FLOW_ATTITUDE_MODES, array_projected_flow_fraction
from skydc.spacecraft.power import ATTITUDE_MODES


def _integrated(beta_deg: float, mode: str) -> float:
    """Mean of |n . v| over a circular orbit in the x-y plane, the Sun at beta above it."""
    u = np.linspace(0.0, 2.0 * math.pi, 200_001)[:-1]
    b = math.radians(beta_deg)
    sun = np.array([math.cos(b) * math.cos(0.3), math.cos(b) * math.sin(0.3), math.sin(b)])
    r = np.stack([np.cos(u), np.sin(u), np.zeros_like(u)], axis=1)
    v = np.stack([-np.sin(u), np.cos(u), np.zeros_like(u)], axis=1)
    if mode == "sun-tracking":
        n = np.broadcast_to(sun, v.shape)
    elif mode == "single-axis":
        flat = np.array([sun[0], sun[1], 0.0])
        n = np.broadcast_to(flat / np.linalg.norm(flat), v.shape)
    elif mode == "orbit-normal":
        n = np.broadcast_to(np.array([0.0, 0.0, 1.0]), v.shape)
    else:  # body-fixed-nadir: the zenith face
        n = r
    return float(np.abs(np.sum(n * v, axis=1)).mean())


def test_modes_are_the_power_models() -> None:
    assert set(FLOW_ATTITUDE_MODES) == set(ATTITUDE_MODES)


@pytest.mark.parametrize("beta_deg", [0.0, 23.0, 60.0, 89.0])
@pytest.mark.parametrize("mode", FLOW_ATTITUDE_MODES)
def test_closed_form_against_integration(beta_deg: float, mode: str) -> None:
    closed = float(array_projected_flow_fraction(mode, beta_deg))
    assert closed == pytest.approx(_integrated(beta_deg, mode), abs=1e-6)


def test_dawn_dusk_tracker_is_edge_on_and_eclipse_feathering_scales() -> None:
    assert float(array_projected_flow_fraction("sun-tracking", 90.0)) == pytest.approx(0, abs=1e-12)
    feathered = float(array_projected_flow_fraction("single-axis", 0.0, sunlit_fraction=0.6))
    assert feathered == pytest.approx(0.6 * 2.0 / math.pi)
    with pytest.raises(ValueError, match="attitude mode"):
        array_projected_flow_fraction("three-axis", 0.0)
