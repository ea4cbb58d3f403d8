"""Maps for the reports, drawn with matplotlib (inline SVG strings): ground tracks and ground
stations on an equirectangular map, and an orthographic globe of satellite positions, all over
Natural Earth 1:110m land outlines (``skydc/data/coastlines_110m.csv``, public domain; made by
``scripts/make_coastlines.py``).

A ground track is one continuous line per satellite (class ``track``), broken only where it
crosses the antimeridian, where it runs to the map's edge and resumes on the other side
(:func:`split_antimeridian`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import EARTH_RADIUS_M
from skydc.report._mpl import MUTED, PALETTE, new_figure, style, to_svg, wrap_title

__all__ = ["coastlines", "globe_view", "ground_track_map", "split_antimeridian", "station_map"]

_LAND, _LAND_EDGE, _SEA = "#e4e7ea", "#a9b1ba", "#f4f8fb"
_SOURCE = "Land: Natural Earth 1:110m (public domain)."


@lru_cache(maxsize=1)
def coastlines() -> tuple[NDArray[np.float64], ...]:
    """The bundled land outlines: one (n, 2) array of (lon, lat) [deg] per closed ring."""
    text = resources.files("skydc.data").joinpath("coastlines_110m.csv").read_text()
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    rows = np.loadtxt(lines[1:], delimiter=",", dtype=np.float64, ndmin=2)  # after the header
    ring = rows[:, 0].astype(np.int64)
    cuts = np.flatnonzero(np.diff(ring)) + 1
    return tuple(np.split(rows[:, 1:], cuts))


@lru_cache(maxsize=1)
def _land_polygons() -> tuple[NDArray[np.float64], ...]:
    """Land rings ready to fill on an equirectangular map [-180, 180] deg.

    A ring that jumps across the antimeridian is unwrapped (continuous longitudes) and drawn
    once more shifted by 360 deg, so each side shows its part; a ring that winds once around the
    pole (Antarctica) is closed along the pole's latitude instead of across the map. Axes clip
    the rest.
    """
    out = []
    for ring in coastlines():
        lon, lat = ring[:, 0], ring[:, 1]
        if not np.any(np.abs(np.diff(lon)) > 180.0):
            out.append(ring)
            continue
        u = np.degrees(np.unwrap(np.radians(lon)))
        if abs(u[-1] - u[0]) > 180.0:  # around a pole: close along it
            pole = -90.0 if lat.mean() < 0 else 90.0
            u = np.concatenate([u, [u[-1], u[0]]])
            lat = np.concatenate([lat, [pole, pole]])
        shift = -360.0 if u.max() > 180.0 else 360.0
        out += [np.column_stack([u + k, lat]) for k in (0.0, shift)]
    return tuple(out)


def split_antimeridian(
    lat_deg: ArrayLike, lon_deg: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One track's (lat, lon) with a break (NaN) wherever consecutive longitudes jump by more
    than 180 deg, and a point on the map's edge each side of it (latitude interpolated along
    the crossing), so the line meets the edge instead of stopping short. Non-finite input points
    are dropped first."""
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[ok], lon[ok]
    if lat.size < 2:
        return lat, lon
    d = np.diff(lon)
    cross = np.flatnonzero(np.abs(d) > 180.0)
    if cross.size == 0:
        return lat, lon
    a_lon, b_lon = lon[cross], lon[cross + 1]
    edge = np.where(a_lon > 0, 180.0, -180.0)
    b_unwrapped = b_lon + np.where(a_lon > 0, 360.0, -360.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(b_unwrapped != a_lon, (edge - a_lon) / (b_unwrapped - a_lon), 0.5)
    lat_e = lat[cross] + f * (lat[cross + 1] - lat[cross])
    at = np.repeat(cross + 1, 3)
    ins_lat = np.stack([lat_e, np.full(cross.size, np.nan), lat_e], axis=1).ravel()
    ins_lon = np.stack([edge, np.full(cross.size, np.nan), -edge], axis=1).ravel()
    return np.insert(lat, at, ins_lat), np.insert(lon, at, ins_lon)


def _world(ax: Any) -> None:
    """Sea, land and a 30 deg graticule on an equirectangular axes."""
    from matplotlib.collections import PolyCollection

    ax.set_facecolor(_SEA)
    land = PolyCollection(list(_land_polygons()), facecolors=_LAND, edgecolors=_LAND_EDGE,
                          linewidths=0.4, zorder=1, gid="skydc-land")  # fmt: skip
    ax.add_collection(land)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(-180, 181, 60), [_lon(v) for v in range(-180, 181, 60)])
    ax.set_yticks(np.arange(-90, 91, 30), [_lat(v) for v in range(-90, 91, 30)])
    ax.grid(True, color="#c9d3de", lw=0.5, zorder=1.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    ax.set_xlabel("longitude [°]")
    ax.set_ylabel("latitude [°]")


def _lon(v: int) -> str:
    return f"{abs(v)}°" + ("" if v in (0, 180, -180) else "E" if v > 0 else "W")


def _lat(v: int) -> str:
    return f"{abs(v)}°" + ("" if v == 0 else "N" if v > 0 else "S")


def _group_order(groups: Sequence[object]) -> tuple[list[str], NDArray[np.intp]]:
    g = np.asarray([str(v) for v in groups], dtype=object)
    names, first, inv = np.unique(g, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return [str(s) for s in names[order]], rank[inv.ravel()]


def ground_track_map(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    track: ArrayLike,
    groups: Sequence[object],
    *,
    title: str,
    max_tracks: int = 60,
    width: int = 720,
) -> str:
    """Ground tracks on an equirectangular map over the land outlines, coloured by group.

    ``lat_deg``, ``lon_deg``, ``track`` (a track id per point, e.g. per satellite) and
    ``groups`` (a label per point, e.g. the shell) are flat arrays of equal length, each
    track's points in time order. Each track is one line broken only at the antimeridian
    (:func:`split_antimeridian`). At most ``max_tracks`` tracks per group are drawn, evenly
    chosen (a caption under the map says how many).
    """
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    tid = np.asarray(track).ravel()
    if not (lat.size == lon.size == tid.size == len(groups)):
        raise ValueError(
            f"lat_deg, lon_deg, track and groups need one entry per point, got {lat.size}, "
            f"{lon.size}, {tid.size}, {len(groups)}"
        )
    names, gi = _group_order(groups)
    _, inv = np.unique(tid.astype(str), return_inverse=True)
    inv = inv.ravel()
    order = np.argsort(inv, kind="stable")
    starts = np.flatnonzero(np.diff(inv[order], prepend=-1))
    runs = np.split(order, starts[1:])
    with style():
        fig, ax = new_figure(width, width * 0.5)
        _world(ax)
        drawn, total = 0, 0
        for k, name in enumerate(names):
            mine = [r for r in runs if gi[r[0]] == k]
            total += len(mine)
            keep = np.unique(np.linspace(0, len(mine) - 1, min(len(mine), max_tracks)).round())
            for j, idx in enumerate(keep.astype(int).tolist()):
                r = mine[idx]
                la, lo = split_antimeridian(lat[r], lon[r])
                if la.size == 0:
                    continue
                ax.plot(lo, la, color=PALETTE[k % len(PALETTE)], lw=0.9, alpha=0.85, zorder=2,
                        label=name if j == 0 else None, gid="skydc-track",
                        marker="o" if la.size == 1 else None, ms=2)  # fmt: skip
                drawn += 1
        if names:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        caption = f"{drawn:,} of {total:,} tracks drawn. Equirectangular projection. {_SOURCE}"
        fig.supxlabel(caption, fontsize=7.5, color=MUTED)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


def station_map(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    groups: Sequence[object],
    *,
    title: str,
    width: int = 720,
) -> str:
    """Points (ground stations) on the equirectangular map, coloured by group with a legend."""
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    if lat.size != lon.size or lat.size != len(groups):
        raise ValueError(f"groups has {len(groups)} entries, expected {lat.size}")
    names, gi = _group_order(groups)
    with style():
        fig, ax = new_figure(width, width * 0.5)
        _world(ax)
        for k, name in enumerate(names):
            sel = gi == k
            ax.scatter(lon[sel], lat[sel], s=18, color=PALETTE[k % len(PALETTE)], lw=0.4,
                       edgecolors="white", zorder=3, label=name, gid="skydc-points")  # fmt: skip
        if names:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.supxlabel(f"Equirectangular projection. {_SOURCE}", fontsize=7.5, color=MUTED)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


def _nan_joined(rings: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """(lon, lat) rings [deg] as one (n, 2) array, a row of NaN after each ring."""
    gap = np.full((1, 2), np.nan)
    return np.concatenate([part for ring in rings for part in (ring, gap)])


def _globe_line(
    lonlat_deg: NDArray[np.float64],
    east: NDArray[np.float64],
    north: NDArray[np.float64],
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Screen (x, y) of (lon, lat) points [deg] on the unit sphere seen along ``up``; points on
    the far side (and NaN rows) become NaN, which breaks the line there."""
    q = np.radians(lonlat_deg)
    xyz = np.stack([np.cos(q[:, 1]) * np.cos(q[:, 0]), np.cos(q[:, 1]) * np.sin(q[:, 0]),
                    np.sin(q[:, 1])])  # fmt: skip
    with np.errstate(invalid="ignore"):
        front = up @ xyz >= 0
    return np.where(front, east @ xyz, np.nan), np.where(front, north @ xyz, np.nan)


def globe_view(
    x_m: ArrayLike,
    y_m: ArrayLike,
    z_m: ArrayLike,
    values: ArrayLike,
    *,
    title: str,
    view_lat_deg: float = 20.0,
    view_lon_deg: float = 0.0,
    width: int = 480,
    max_points: int = 2000,
) -> str:
    """Orthographic view of Earth-fixed satellite positions [m] around the Earth with its land.

    The viewer looks from far above (``view_lat_deg``, ``view_lon_deg``); screen axes are local
    east and north there. Points behind the Earth disc are hidden, those behind the Earth's
    plane but outside the disc drawn faint. Colour by ``values`` in [0, 1] (sunlit fraction,
    cividis, with a colour bar). More than ``max_points`` points are subsampled evenly.
    """
    p = np.stack([np.asarray(a, dtype=np.float64).ravel() for a in (x_m, y_m, z_m)])
    vals = np.asarray(values, dtype=np.float64).ravel()
    if vals.size != p.shape[1]:
        raise ValueError(f"values has {vals.size} entries but there are {p.shape[1]} positions")
    n = p.shape[1]
    idx = (np.unique(np.linspace(0, n - 1, max_points).round().astype(int)) if n > max_points
           else np.arange(n))  # fmt: skip
    p, vals = p[:, idx], vals[idx]
    la, lo = np.radians(view_lat_deg), np.radians(view_lon_deg)
    east = np.array([-np.sin(lo), np.cos(lo), 0.0])
    north = np.array([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)])
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    r = EARTH_RADIUS_M
    px, py, depth = east @ p / r, north @ p / r, up @ p / r
    behind = (depth < 0) & (np.hypot(px, py) < 1.0)
    from matplotlib.patches import Circle

    with style():
        fig, ax = new_figure(width, width * 1.08)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.add_patch(Circle((0, 0), 1.0, facecolor="#cfdbe6", edgecolor="#7a8ea3", lw=0.8,
                            zorder=1))  # fmt: skip
        # all coastlines as one line, the rings apart by a NaN (one artist instead of 126:
        # each Line2D costs about a millisecond to make and draw); the far side hidden
        land = _globe_line(_nan_joined(coastlines()), east, north, up)
        ax.plot(*land, color="#8b98a6", lw=0.5, zorder=2)
        t = np.linspace(-180.0, 180.0, 121)
        parallels = [np.column_stack([t, np.full(t.size, lat)]) for lat in (-60, -30, 0, 30, 60)]
        ax.plot(*_globe_line(_nan_joined(parallels), east, north, up), color="white", lw=0.5,
                zorder=1.5)  # fmt: skip
        lit = np.clip(vals, 0.0, 1.0)
        far = (depth < 0) & ~behind
        near = depth >= 0
        from matplotlib import colormaps

        kw: dict[str, Any] = {"cmap": colormaps["cividis"].resampled(32), "vmin": 0.0,
                              "vmax": 1.0, "s": 9,
                              "edgecolors": "#222222", "linewidths": 0.3}  # fmt: skip
        if far.any():
            ax.scatter(px[far], py[far], c=lit[far], alpha=0.4, zorder=0.5, **kw)
        sc = ax.scatter(px[near], py[near], c=lit[near], zorder=3, gid="skydc-points", **kw)
        lim = max(1.05, float(np.nanmax(np.hypot(px, py), initial=0.0)) * 1.03)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        bar = fig.colorbar(sc, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02,
                           shrink=0.6)  # fmt: skip
        bar.set_label("sunlit fraction [–] (0 eclipsed, 1 sunlit)")
        lat_h, lon_h = "N" if view_lat_deg >= 0 else "S", "E" if view_lon_deg >= 0 else "W"
        caption = (f"Orthographic view from {abs(view_lat_deg):g}°{lat_h}, {abs(view_lon_deg):g}°"
                   f"{lon_h} (Earth-fixed); {idx.size:,} of {n:,} satellites, those behind the "
                   f"Earth hidden. {_SOURCE}")  # fmt: skip
        fig.supxlabel(wrap_title(caption, width * 1.2), fontsize=7, color=MUTED)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)
