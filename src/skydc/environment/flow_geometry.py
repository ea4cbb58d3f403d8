"""Orbit-average projected area of the solar arrays into the flow (drag), by attitude mode.

A flat array of area ``A`` with normal ``n`` presents ``A |n . v|`` to the flow along the
velocity ``v``. On a circular orbit ``v`` turns uniformly in the orbit plane; with the Sun at
beta angle ``beta`` above that plane, for the attitude modes of
:func:`skydc.spacecraft.power.cos_incidence`:

* ``"sun-tracking"`` (two-axis; the normal is the Sun direction):
  ``n . v = cos(beta) sin(u - u_s)``, so the orbit average of ``|n . v|`` is
  ``(2 / pi) cos(beta)``: 0.64 with the Sun in the orbit plane, 0 in a dawn-dusk orbit
  (``beta`` = 90 deg, the array edge-on to the flow);
* ``"single-axis"`` (about the orbit normal; the normal is the Sun's projection on the orbit
  plane): ``|n . v| = |sin(u - u_s)|``, an average of ``2 / pi`` whatever ``beta``;
* ``"orbit-normal"`` and ``"body-fixed-nadir"``: the normal is the orbit normal or the zenith,
  both perpendicular to the velocity of a circular orbit: 0 (edge-on; only the edges and the
  bus see the flow).

Arrays feathered edge-on in eclipse present nothing then: the average is multiplied by the
sunlit fraction. ``drag_projected_fraction`` of :class:`skydc.spacecraft.technology.BusTechnology`
stands for this average (docs/sizing.md); ``tests/environment/test_flow_geometry.py`` checks the
closed forms against a direct integration of ``|n . v|`` around the orbit.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FLOW_ATTITUDE_MODES", "array_projected_flow_fraction"]

FLOW_ATTITUDE_MODES: Final = ("sun-tracking", "single-axis", "orbit-normal", "body-fixed-nadir")


def array_projected_flow_fraction(
    mode: str, beta_deg: ArrayLike, sunlit_fraction: ArrayLike = 1.0
) -> NDArray[np.float64]:
    """Orbit-average ``|n . v|`` of a flat array in attitude ``mode`` [-] (module docstring).

    Parameters
    ----------
    mode
        One of :data:`FLOW_ATTITUDE_MODES` (the attitude modes of the power model).
    beta_deg
        Sun elevation above the orbit plane [deg], in [-90, 90].
    sunlit_fraction
        Share of the orbit in sunlight when the array is feathered in eclipse [-]; 1 (the
        default) when it keeps its attitude through the eclipse.
    """
    beta = np.radians(np.asarray(beta_deg, np.float64))
    lit = np.asarray(sunlit_fraction, np.float64)
    if np.any(np.abs(beta) > math.pi / 2 + 1e-12) or np.any((lit < 0) | (lit > 1)):
        raise ValueError("need beta_deg in [-90, 90] and sunlit_fraction in [0, 1]")
    if mode == "sun-tracking":
        base = (2.0 / math.pi) * np.cos(beta)
    elif mode == "single-axis":
        base = np.full(beta.shape, 2.0 / math.pi)
    elif mode in ("orbit-normal", "body-fixed-nadir"):
        base = np.zeros(beta.shape)
    else:
        raise ValueError(
            f"unknown attitude mode {mode!r}; allowed: {', '.join(FLOW_ATTITUDE_MODES)}"
        )
    out: NDArray[np.float64] = np.clip(base, 0.0, 1.0) * lit
    return out
