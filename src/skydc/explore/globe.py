"""The globe's static traces: the Earth as a sphere and its coastlines (Earth-fixed, km).

Satellites are drawn in the Earth-fixed frame the run's positions are in, so the Earth stands still
and the constellation moves over it.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skydc.constants import EARTH_RADIUS_M

EARTH_RADIUS_KM = EARTH_RADIUS_M / 1e3
COAST_LIFT_KM = 8.0  # coastlines drawn this far above the sphere so that they are not hidden


def _lonlat_to_xyz_km(lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64],
                      radius_km: float) -> NDArray[np.float64]:  # fmt: skip
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return radius_km * np.array(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    )


@cache
def coastline_rings() -> tuple[NDArray[np.float64], ...]:
    """Land outlines (lon, lat) [deg], shape (2, n) each: the bundled Natural Earth 1:110m
    coastlines (``data/coastlines_110m.csv``; its source is in its header)."""
    text = (resources.files("skydc") / "data" / "coastlines_110m.csv").read_text()
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    rows = np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)
    ring = rows[:, 0].astype(np.int64)
    cuts = np.flatnonzero(np.diff(ring)) + 1
    return tuple(part[:, 1:].T for part in np.split(rows, cuts))


def earth_traces() -> list[dict[str, Any]]:
    """The sphere (a surface) and the coastlines (one line trace, gaps between arcs)."""
    lat = np.linspace(-90.0, 90.0, 37)
    lon = np.linspace(-180.0, 180.0, 73)
    lon_g, lat_g = np.meshgrid(lon, lat)
    xyz = _lonlat_to_xyz_km(lon_g, lat_g, EARTH_RADIUS_KM)
    sphere = {
        "type": "surface", "name": "earth",
        "x": xyz[0].round(1).tolist(), "y": xyz[1].round(1).tolist(),
        "z": xyz[2].round(1).tolist(),
        "surfacecolor": np.zeros_like(lat_g).tolist(),
        "colorscale": [[0.0, "#1d3f6e"], [1.0, "#1d3f6e"]], "cmin": 0.0, "cmax": 1.0,
        "showscale": False, "hoverinfo": "skip", "opacity": 1.0,
        "lighting": {"ambient": 0.85, "diffuse": 0.3, "specular": 0.05},
        "contours": {"x": {"highlight": False}, "y": {"highlight": False},
                     "z": {"highlight": False}},
    }  # fmt: skip
    xs: list[float | None] = []
    ys: list[float | None] = []
    zs: list[float | None] = []
    for lon_lat in coastline_rings():
        p = _lonlat_to_xyz_km(lon_lat[0], lon_lat[1], EARTH_RADIUS_KM + COAST_LIFT_KM).round(1)
        xs += [*p[0].tolist(), None]
        ys += [*p[1].tolist(), None]
        zs += [*p[2].tolist(), None]
    coast = {
        "type": "scatter3d", "mode": "lines", "name": "coastlines",
        "x": xs, "y": ys, "z": zs, "line": {"color": "#9fc5a8", "width": 2},
        "hoverinfo": "skip", "showlegend": False,
    }  # fmt: skip
    return [sphere, coast]
