"""CZML export: satellites, laser links and ground stations for Cesium, written with czml3.

The document is built from skydc's arrays alone: no network access, no Cesium ion token and
no imagery URL (the Cesium viewer supplies its own base layer), so the file loads offline.

Packets, in order:

* ``document``: the clock, spanning the run window ``[epoch + t_s[0], epoch + t_s[-1]]``.
* ``sat-<id>``: one per (kept) satellite. ``position`` holds the Earth-fixed samples
  ``[t, x, y, z, ...]`` in ``referenceFrame`` ``FIXED`` (skydc's PEF, which Cesium draws as
  its Earth-fixed frame; polar motion, ~10 m, is ignored) with times in seconds since the run
  epoch, interpolated by Lagrange polynomials of degree 5. A ``point`` coloured by group, or,
  when a sunlit fraction is given, yellow while sunlit (fraction >= 0.5) and dark blue while
  eclipsed, with the group colour as its outline. A label, hidden by default.
* ``gs-<k>``: one per ground station, WGS-84 ``cartographicDegrees`` ``[lon, lat, height]``
  with a point and a label.
* ``link-<a>-<b>``: one per linked pair. A straight polyline (``arcType`` ``NONE``) whose
  positions reference the two endpoints (``{"references": ["sat-1#position", ...]}``), so it
  moves with them, and whose ``show`` is an interval list covering the whole window.

Time steps and intervals: a state observed at step ``k`` (a link present, a satellite sunlit)
holds from ``t_k`` to ``t_{k+1}``; the last step holds at ``t_{n-1}`` only. Consecutive steps
in the same state merge into one interval. Intervals cover the window with explicit ``true``
and ``false`` values because a CZML ``show`` outside every interval falls back to its default,
``true`` (CZML Polyline spec).

Size: positions are already sampled at the run's steps; beyond ``max_satellites`` satellites
an evenly spaced, deterministic subset is written (links to dropped satellites are dropped
too); positions are rounded to ``position_resolution_m`` (1 m by default, far below what a
viewer shows). ``position_stride`` > 1 writes every n-th step's position (and the last): on a
550 km orbit degree-5 Lagrange midpoints stay within ~1 m of the J2 propagation up to 120 s
spacing, ~35 m at 300 s and ~2 km at 600 s, so spacing up to 300 s is fine for viewing.
The text has one packet per line.

References
----------
AGI/Cesium, CZML Guide and packet reference (czml-writer wiki): Packet, Position, Polyline,
PositionList, Clock, Interval. https://github.com/AnalyticalGraphicsInc/czml-writer/wiki
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from czml3 import (
    CZML_VERSION,
    Clock,
    Color,
    Document,
    Label,
    Packet,
    Point,
    Polyline,
    Position,
    PositionList,
    TimeInterval,
    TimeIntervalCollection,
)
from czml3.enums import ArcTypes, ClockRanges, ClockSteps, InterpolationAlgorithms
from czml3.properties import PolylineMaterial, SolidColorMaterial
from czml3.types import IntervalValue
from numpy.typing import ArrayLike, NDArray

from skydc.io.atomic import write_text_atomic

__all__ = ["czml_document", "write_czml"]

Link = tuple[int, ArrayLike, ArrayLike]
Station = tuple[str, float, float, float]

# Tableau 10 palette [RGBA 0-255], one colour per satellite group in order of appearance.
_GROUP_RGBA = (
    (78, 121, 167, 255),
    (242, 142, 43, 255),
    (225, 87, 89, 255),
    (118, 183, 178, 255),
    (89, 161, 79, 255),
    (237, 201, 72, 255),
    (176, 122, 161, 255),
    (255, 157, 167, 255),
    (156, 117, 95, 255),
    (186, 176, 172, 255),
)
_SUNLIT_RGBA = [255, 221, 0, 255]  # yellow
_ECLIPSED_RGBA = [20, 30, 110, 255]  # dark blue
_STATION_RGBA = [255, 255, 255, 255]
_ISL_RGBA = [0, 200, 255, 160]  # translucent cyan
_GROUND_LINK_RGBA = [120, 255, 120, 200]  # translucent green
_SUNLIT_THRESHOLD = 0.5  # a step counts as sunlit when at least half of it is
_LAGRANGE_DEGREE = 5
_CLOCK_MULTIPLIER = 60.0  # one simulated minute per second of viewing


def czml_document(
    *,
    name: str,
    epoch_utc: datetime,
    t_s: ArrayLike,
    sat_ids: ArrayLike,
    r_ecef_m: ArrayLike,
    sat_groups: Sequence[str] | None = None,
    sunlit_fraction: ArrayLike | None = None,
    ground_stations: Sequence[Station] = (),
    links: Sequence[Link] = (),
    max_satellites: int = 2000,
    position_resolution_m: float = 1.0,
    position_stride: int = 1,
) -> str:
    """CZML text for satellites, their links and ground stations (see the module docstring).

    Parameters
    ----------
    name
        Document name shown by the viewer.
    epoch_utc
        Run epoch, a timezone-aware datetime (converted to UTC).
    t_s
        Step times [s] since the epoch, shape ``(n_time,)``, strictly increasing.
    sat_ids
        Satellite ids, shape ``(n_sat,)``, unique; packet ids are ``sat-<id>``.
    r_ecef_m
        Earth-fixed (PEF) positions [m], shape ``(3, n_sat, n_time)``. Non-finite samples are
        left out of that satellite's samples.
    sat_groups
        Group (shell) name per satellite, ``(n_sat,)``; points are coloured by group.
    sunlit_fraction
        Sunlit fraction per satellite and step, ``(n_sat, n_time)`` in [0, 1]; if given, points
        are yellow while >= 0.5 and dark blue otherwise (NaN counts as eclipsed).
    ground_stations
        ``(name, latitude_deg, longitude_deg, altitude_m)`` per station (WGS-84 geodetic).
    links
        ``(k, i, j)`` per time step: satellites ``i[m]`` and ``j[m]`` are linked at step ``k``.
        Indices are positions in ``sat_ids`` (``0 .. n_sat-1``); ``n_sat + s`` is station ``s``.
        Pairs are unordered; repeats are ignored.
    max_satellites
        Most satellites written; beyond it indices ``arange(m) * n_sat // m`` are kept.
    position_resolution_m
        Positions are rounded to this [m]; 0 keeps them exact.
    position_stride
        Write the position of every ``position_stride``-th step and of the last one (1: all).

    Returns
    -------
    str
        CZML (JSON) text, one packet per line.

    Raises
    ------
    ValueError
        On inconsistent shapes, a naive epoch, non-increasing times, duplicate satellite ids,
        a latitude outside [-90, 90] deg or a link index out of range.
    """
    t = _times(t_s)
    ids = np.asarray(sat_ids)
    r = np.asarray(r_ecef_m, dtype=np.float64)
    if ids.ndim != 1 or ids.shape != np.unique(ids).shape:
        raise ValueError("sat_ids must be a 1-D array of unique ids")
    n_sat, n_time = ids.shape[0], t.shape[0]
    if r.shape != (3, n_sat, n_time):
        raise ValueError(f"r_ecef_m must have shape (3, n_sat, n_time) = {(3, n_sat, n_time)}")
    if max_satellites < 1:
        raise ValueError("max_satellites must be at least 1")
    if position_stride < 1:
        raise ValueError("position_stride must be at least 1")
    if epoch_utc.tzinfo is None:
        raise ValueError("epoch_utc must be timezone-aware (UTC)")
    keep = _subsample(n_sat, max_satellites)
    steps = np.unique(np.append(np.arange(0, n_time, position_stride), n_time - 1))
    iso = _iso_times(epoch_utc, t)
    ends = np.append(iso[1:], iso[-1])  # state at step k holds from t_k to t_{k+1}
    sat_packet_ids = [f"sat-{v}" for v in ids[keep].tolist()]
    packets = [_document_packet(name, iso)]
    packets += _satellite_packets(
        epoch_utc,
        t,
        iso,
        ends,
        sat_packet_ids,
        r[:, keep],
        _groups(sat_groups, n_sat, keep),
        _sunlit(sunlit_fraction, n_sat, n_time, keep),
        position_resolution_m,
        steps,
    )
    packets += _station_packets(ground_stations)
    endpoint_ids = [""] * n_sat + [f"gs-{k}" for k in range(len(ground_stations))]
    for s, pid in zip(keep.tolist(), sat_packet_ids, strict=True):
        endpoint_ids[s] = pid
    has_samples = np.zeros(n_sat + len(ground_stations), dtype=bool)
    has_samples[n_sat:] = True
    has_samples[keep] = np.any(np.all(np.isfinite(r[:, keep][:, :, steps]), axis=0), axis=1)
    packets += _link_packets(links, n_time, endpoint_ids, has_samples, iso, ends)
    document = Document(packets=packets)
    return "[\n" + ",\n".join(p.dumps() for p in document.packets) + "\n]\n"


def write_czml(path: Path, **kwargs: Any) -> None:
    """Write :func:`czml_document` ``(**kwargs)`` to ``path`` atomically (temp file, rename)."""
    write_text_atomic(Path(path), czml_document(**kwargs))


def _times(t_s: ArrayLike) -> NDArray[np.float64]:
    t = np.asarray(t_s, dtype=np.float64)
    if t.ndim != 1 or t.size == 0 or not np.isfinite(t).all():
        raise ValueError("t_s must be a non-empty 1-D array of finite times [s]")
    if np.any(np.diff(t) <= 0.0):
        raise ValueError("t_s must be strictly increasing")
    return t


def _subsample(n_sat: int, max_satellites: int) -> NDArray[np.int64]:
    """Evenly spaced satellite indices, at most ``max_satellites`` of them, deterministic."""
    m = min(n_sat, max_satellites)
    return np.arange(m, dtype=np.int64) * n_sat // max(m, 1)


def _iso_times(epoch_utc: datetime, t: NDArray[np.float64]) -> NDArray[np.str_]:
    """ISO 8601 UTC strings (microseconds, ``Z``) of ``epoch + t``."""
    epoch = np.datetime64(epoch_utc.astimezone(UTC).replace(tzinfo=None), "us")
    stamps = epoch + np.round(t * 1e6).astype(np.int64).astype("timedelta64[us]")
    return np.char.add(np.datetime_as_string(stamps, unit="us"), "Z")


def _groups(
    sat_groups: Sequence[str] | None, n_sat: int, keep: NDArray[np.int64]
) -> list[tuple[str, list[int]]]:
    """(group name, RGBA) per kept satellite; colours by order of first appearance."""
    groups = [""] * n_sat if sat_groups is None else [str(g) for g in sat_groups]
    if len(groups) != n_sat:
        raise ValueError(f"sat_groups must have one entry per satellite ({n_sat})")
    palette = {
        g: list(_GROUP_RGBA[k % len(_GROUP_RGBA)]) for k, g in enumerate(dict.fromkeys(groups))
    }
    return [(groups[i], palette[groups[i]]) for i in keep.tolist()]


def _sunlit(
    sunlit_fraction: ArrayLike | None, n_sat: int, n_time: int, keep: NDArray[np.int64]
) -> NDArray[np.bool_] | None:
    if sunlit_fraction is None:
        return None
    f = np.asarray(sunlit_fraction, dtype=np.float64)
    if f.shape != (n_sat, n_time):
        raise ValueError(f"sunlit_fraction must have shape (n_sat, n_time) = {(n_sat, n_time)}")
    return np.asarray(f[keep] >= _SUNLIT_THRESHOLD)


def _runs(
    state: NDArray[np.bool_],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Runs of equal values along the last axis of a ``(n_rows, n_time)`` boolean array.

    Returns ``(row, first_step, last_step, value)`` per run, rows in order, each row's runs in
    time order, covering every step of every row.
    """
    n_rows, n_time = state.shape
    starts = np.ones((n_rows, n_time), dtype=bool)
    starts[:, 1:] = state[:, 1:] != state[:, :-1]
    row, first = np.nonzero(starts)
    last = np.empty_like(first)
    last[:-1] = np.where(row[1:] == row[:-1], first[1:] - 1, n_time - 1)
    last[-1:] = n_time - 1
    return row, first, last, state[row, first]


def _interval_values(
    first: NDArray[np.int64],
    last: NDArray[np.int64],
    values: list[Any],
    iso: NDArray[np.str_],
    ends: NDArray[np.str_],
) -> TimeIntervalCollection:
    return TimeIntervalCollection(
        values=[
            IntervalValue(start=s, end=e, value=v)
            for s, e, v in zip(iso[first].tolist(), ends[last].tolist(), values, strict=True)
        ]
    )


def _document_packet(name: str, iso: NDArray[np.str_]) -> Packet:
    clock = Clock(
        interval=TimeInterval(start=str(iso[0]), end=str(iso[-1])),
        currentTime=str(iso[0]),
        multiplier=_CLOCK_MULTIPLIER,
        range=ClockRanges.LOOP_STOP,
        step=ClockSteps.SYSTEM_CLOCK_MULTIPLIER,
    )
    return Packet(id="document", name=name, version=CZML_VERSION, clock=clock)


def _satellite_packets(
    epoch_utc: datetime,
    t: NDArray[np.float64],
    iso: NDArray[np.str_],
    ends: NDArray[np.str_],
    packet_ids: list[str],
    r: NDArray[np.float64],
    groups: list[tuple[str, list[int]]],
    sunlit: NDArray[np.bool_] | None,
    resolution_m: float,
    steps: NDArray[np.int64],
) -> list[Packet]:
    """One packet per satellite: sampled Earth-fixed position, point, hidden label."""
    r = r[:, :, steps]
    if resolution_m > 0.0:
        r = np.round(r / resolution_m) * resolution_m
    # samples[s, k] = [t_k, x, y, z]; non-finite samples are dropped per satellite
    samples = np.concatenate([np.broadcast_to(t[steps], r.shape[1:])[None], r]).transpose(1, 2, 0)
    finite = np.isfinite(samples).all(axis=2)
    epoch = _iso_times(epoch_utc, np.zeros(1))[0]
    if sunlit is not None:
        runs = _runs(sunlit)
        bounds = np.searchsorted(runs[0], np.arange(len(packet_ids) + 1))
    packets = []
    for s, pid in enumerate(packet_ids):
        group, rgba = groups[s]
        if sunlit is None:
            point = Point(pixelSize=4.0, color=Color(rgba=rgba))
        else:
            lo, hi = bounds[s], bounds[s + 1]
            colours = [
                Color(rgba=_SUNLIT_RGBA if v else _ECLIPSED_RGBA) for v in runs[3][lo:hi].tolist()
            ]
            point = Point(
                pixelSize=5.0,
                color=_interval_values(runs[1][lo:hi], runs[2][lo:hi], colours, iso, ends),
                outlineColor=Color(rgba=rgba),
                outlineWidth=1.0,
            )
        values = samples[s][finite[s]]
        position = None
        if values.size:
            # Interpolatable fields are hidden from mypy's view of Position; validate a mapping
            position = Position.model_validate(
                {
                    "referenceFrame": "FIXED",
                    "epoch": epoch,
                    "interpolationAlgorithm": InterpolationAlgorithms.LAGRANGE,
                    "interpolationDegree": max(1, min(_LAGRANGE_DEGREE, values.shape[0] - 1)),
                    "cartesian": values.ravel().tolist(),
                }
            )
        label = pid if not group else f"{pid} ({group})"
        packets.append(
            Packet(
                id=pid,
                name=label,
                position=position,
                point=point,
                label=Label(show=False, text=label),
            )
        )
    return packets


def _station_packets(ground_stations: Sequence[Station]) -> list[Packet]:
    """One packet per ground station: WGS-84 position, point and label."""
    packets = []
    for k, (name, lat_deg, lon_deg, alt_m) in enumerate(ground_stations):
        if not -90.0 <= lat_deg <= 90.0:
            raise ValueError(f"ground station {name!r}: latitude {lat_deg} not in [-90, 90] deg")
        packets.append(
            Packet(
                id=f"gs-{k}",
                name=str(name),
                position=Position(cartographicDegrees=[lon_deg, lat_deg, alt_m]),
                point=Point(pixelSize=7.0, color=Color(rgba=_STATION_RGBA)),
                label=Label(show=True, text=str(name), scale=0.5),
            )
        )
    return packets


def _link_pairs(
    links: Sequence[Link], n_time: int, n_end: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Step index and ordered endpoints (a < b) of every link entry, validated."""
    if not links:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    i = [np.asarray(li, dtype=np.int64).ravel() for _, li, _ in links]
    j = [np.asarray(lj, dtype=np.int64).ravel() for _, _, lj in links]
    if any(a.shape != b.shape for a, b in zip(i, j, strict=True)):
        raise ValueError("each link entry needs i and j arrays of the same length")
    k = np.repeat(np.array([int(lk) for lk, _, _ in links], dtype=np.int64), [a.size for a in i])
    ii, jj = np.concatenate(i), np.concatenate(j)
    if k.size and (k.min() < 0 or k.max() >= n_time):
        raise ValueError(f"link time index out of range 0..{n_time - 1}")
    if ii.size and (min(ii.min(), jj.min()) < 0 or max(ii.max(), jj.max()) >= n_end):
        raise ValueError(f"link endpoint index out of range 0..{n_end - 1}")
    if np.any(ii == jj):
        raise ValueError("a link must join two different endpoints")
    return k, np.minimum(ii, jj), np.maximum(ii, jj)


def _link_packets(
    links: Sequence[Link],
    n_time: int,
    endpoint_ids: list[str],
    kept: NDArray[np.bool_],
    iso: NDArray[np.str_],
    ends: NDArray[np.str_],
) -> list[Packet]:
    """One polyline packet per linked pair, shown over the merged intervals it is linked."""
    n_end = len(endpoint_ids)
    k, a, b = _link_pairs(links, n_time, n_end)
    ok = kept[a] & kept[b]
    codes, inverse = np.unique(a[ok] * n_end + b[ok], return_inverse=True)
    if codes.size == 0:
        return []
    present = np.zeros((codes.size, n_time), dtype=bool)
    present[inverse.ravel(), k[ok]] = True
    row, first, last, value = _runs(present)
    bounds = np.searchsorted(row, np.arange(codes.size + 1))
    packets = []
    for p, (ea, eb) in enumerate(
        zip((codes // n_end).tolist(), (codes % n_end).tolist(), strict=True)
    ):
        ida, idb = endpoint_ids[ea], endpoint_ids[eb]
        lo, hi = bounds[p], bounds[p + 1]
        rgba = _GROUND_LINK_RGBA if ida.startswith("gs-") or idb.startswith("gs-") else _ISL_RGBA
        polyline = Polyline(
            positions=PositionList(references=[f"{ida}#position", f"{idb}#position"]),
            show=_interval_values(first[lo:hi], last[lo:hi], value[lo:hi].tolist(), iso, ends),
            arcType=ArcTypes.NONE,
            width=1.0,
            material=PolylineMaterial(solidColor=SolidColorMaterial(color=Color(rgba=rgba))),
        )
        packets.append(Packet(id=f"link-{ida}-{idb}", name=f"{ida} - {idb}", polyline=polyline))
    return packets
