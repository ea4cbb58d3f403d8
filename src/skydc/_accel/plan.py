"""The input of the circular-orbit backends, shared by :mod:`skydc.orbits.circular` (which
builds it) and the kernels of ``circular_numpy`` / ``circular_numba`` (which read it).

It lives here, below both, so that the orbit module can import the kernels without the kernels
importing the orbit module back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["CircularPlan"]


@dataclass(frozen=True)
class CircularPlan:
    """Everything the backends need: per-satellite seeds and rates, per-step Sun and GMST."""

    t0_s: float
    dt_s: float
    a_m: NDArray[np.float64]
    cos_i: NDArray[np.float64]
    sin_i: NDArray[np.float64]
    u_epoch_rad: NDArray[np.float64]  # argument of latitude at the element epoch
    u_rate_rad_s: NDArray[np.float64]
    raan_epoch_rad: NDArray[np.float64]
    raan_rate_rad_s: NDArray[np.float64]
    earth_fixed: bool  # rotate by GMST (frame "ecef") or not ("teme")
    cos_g: NDArray[np.float64]  # cos/sin of GMST per step (1 and 0 for TEME)
    sin_g: NDArray[np.float64]
    sun_m: NDArray[np.float64] | None  # (3, n_time) Sun position in the output frame
    sun2_m2: NDArray[np.float64] | None  # |sun|^2 per step
    full2: NDArray[np.float64] | None  # cos^2 of the full-sunlight threshold per satellite
    umbra2: NDArray[np.float64] | None  # cos^2 of the umbra threshold per satellite
    exact_only: NDArray[np.bool_] | None  # satellites the fast test cannot classify
