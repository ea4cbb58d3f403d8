"""Skyfield with the JPL DE421 ephemeris from the ``de421`` PyPI package, offline.

The ``de421`` package (Rhodes, 2008) ships DE421's Chebyshev coefficients as ``.npy`` arrays in
jplephem's old "ephemeris as a Python package" layout, not as a SPICE ``.bsp`` file, so
``skyfield.api.load_file`` cannot open it. This module evaluates those coefficients with
jplephem's own reader (``jplephem.ephem.Ephemeris``) and wraps them as two skyfield
``VectorFunction`` segments, Solar System barycentre -> Sun (10) and -> Earth (399).
Everything after that -- light time, aberration, the TEME frame, ``is_sunlit`` -- is skyfield's.

The old layout stores the Earth-Moon barycentre (``earthmoon``, barycentric) and the geocentric
Moon (``moon``); the Earth is ``earthmoon - moon / (1 + EMRAT)``, as in jplephem's docs.
Positions are in km (ICRF axes) at TDB, velocities in km/day.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

import de421
import numpy as np
from jplephem.ephem import Ephemeris
from skyfield.api import load
from skyfield.constants import AU_KM
from skyfield.timelib import Time, Timescale
from skyfield.vectorlib import VectorFunction


class _De421Body(VectorFunction):
    """Barycentric position of one DE421 body as a skyfield vector function."""

    def __init__(self, kernel: De421Kernel, target: int):
        self.ephemeris = kernel
        self.center = 0
        self.target = target
        self._kernel = kernel

    def _at(self, t: Time) -> tuple[Any, Any, None, None]:
        p_km, v_km_d = self._kernel.barycentric_km(self.target, t.whole, t.tdb_fraction)
        return p_km / AU_KM, v_km_d / AU_KM, None, None


class De421Kernel:
    """Minimal stand-in for a skyfield ``SpiceKernel``: ``kernel['sun']``, ``kernel['earth']``."""

    _codes: ClassVar[dict[str | int, int]] = {"sun": 10, "earth": 399, 10: 10, 399: 399}

    def __init__(self) -> None:
        self.eph = Ephemeris(de421)

    def __getitem__(self, name: str | int) -> _De421Body:
        key = name.lower() if isinstance(name, str) else name
        if key not in self._codes:
            raise KeyError(name)
        return _De421Body(self, self._codes[key])

    def __contains__(self, name: object) -> bool:
        return name in self._codes

    def barycentric_km(self, target: int, whole: Any, fraction: Any) -> tuple[Any, Any]:
        """Position [km] and velocity [km/day] of ``target`` w.r.t. the barycentre at TDB."""
        tdb = np.asarray(whole, dtype=float)
        tdb2 = np.asarray(fraction, dtype=float)
        if target == 10:
            return self.eph.position_and_velocity("sun", tdb, tdb2)
        emb_p, emb_v = self.eph.position_and_velocity("earthmoon", tdb, tdb2)
        moon_p, moon_v = self.eph.position_and_velocity("moon", tdb, tdb2)
        share = self.eph.earth_share
        return emb_p - moon_p * share, emb_v - moon_v * share


@cache
def de421_kernel() -> De421Kernel:
    """The DE421 ephemeris, loaded once."""
    return De421Kernel()


@cache
def timescale() -> Timescale:
    """Skyfield's built-in timescale (leap seconds and Delta T shipped with skyfield, offline)."""
    return load.timescale(builtin=True)
