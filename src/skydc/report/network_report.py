"""The network section of the report: RTT over time, latency CDF against fibre, link counts,
and the formation-flying cluster's geometry."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.report.html import figure, paragraph
from skydc.report.svg import bar_chart, ground_track_map, line_chart


def _cdf(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    v = np.sort(values[np.isfinite(values)])
    if v.size == 0:
        return np.full(grid.shape, np.nan)
    return np.searchsorted(v, grid, side="right") / v.size


def render_network(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """HTML of the network section (empty when the run has no network stage)."""
    n = metrics.get("network")
    if not isinstance(n, Mapping) or "rtt_p50_ms" not in n:
        return ""
    nan = float("nan")
    reach = n.get("reachable_fraction", nan)
    parts = [
        paragraph(
            f"{reach:.1%} of ordered station pairs have a route (over {n.get('samples')} "
            f"instants, {n.get('ground_stations')} ground stations, {n.get('topology')} laser "
            f"links, {n.get('terminal')}). Over the pairs with a route: RTT p50 "
            f"{n['rtt_p50_ms']:.1f} ms, p90 {n.get('rtt_p90_ms', nan):.1f} ms, against "
            f"{n.get('fibre_rtt_p50_ms', nan):.1f} ms p50 through fibre on the great circle "
            f"between the same pairs ({n.get('faster_than_fibre_fraction', nan):.1%} of them "
            f"quicker by orbit); path stretch over the great circle p50 "
            f"{n.get('stretch_p50', nan):.2f}."
        )
    ]
    pairs = tables.get("network_pairs")
    if pairs is not None and pairs.num_rows:
        rtt = np.asarray(pairs.column("rtt_ms").to_numpy(), dtype=float)
        fibre = np.asarray(pairs.column("fibre_rtt_ms").to_numpy(), dtype=float)
        routed = np.isfinite(rtt)  # fibre over the same pair-instants, or orbit looks quicker
        if routed.any():
            top = float(np.percentile(np.concatenate([rtt[routed], fibre[routed]]), 99.5))
            grid = np.linspace(0.0, top, 300)
            parts.append(figure(
                line_chart(grid, {"skydc (laser mesh)": _cdf(rtt[routed], grid),
                                  "fibre at 2/3 c on the great circle": _cdf(fibre[routed], grid)},
                           title="Round-trip time between ground stations with a route: CDF",
                           x_label="RTT [ms]", y_label="share of routed pairs x instants",
                           y_range=(0.0, 1.0), dashed={"fibre at 2/3 c on the great circle"}),
                f"The ordered station pairs with a route at each routed instant "
                f"({routed.mean():.1%} of all), and fibre between the same pairs. Fibre is a "
                "lower bound: real fibre routes are longer than the great circle.",
            ))  # fmt: skip
        names = list(n.get("pairs", {}))
        t = np.asarray(pairs.column("time_utc").to_numpy())
        src = np.asarray(pairs.column("src").to_numpy())
        dst = np.asarray(pairs.column("dst").to_numpy())
        station_pairs = _named_pairs(n, src, dst)
        if station_pairs:
            series: dict[str, np.ndarray] = {}
            x = t[:0]
            for label, (a, b) in zip(names, station_pairs, strict=False):
                sel = (src == a) & (dst == b)
                x = t[sel]
                series[label] = rtt[sel]
            if any(np.isfinite(v).any() for v in series.values()):
                parts.append(figure(line_chart(x, series, title="RTT over time", x_label="time",
                                               y_label="RTT [ms]", x_is_time=True)))  # fmt: skip
            else:  # no empty chart: say it
                parts.append(paragraph(
                    f"No route between {', '.join(series)} at any routed instant."
                ))  # fmt: skip
    series_t = tables.get("network_series")
    if series_t is not None and series_t.num_rows > 1:
        d = series_t.to_pydict()
        parts.append(figure(line_chart(
            np.asarray(series_t.column("time_utc").to_numpy()),
            {"laser links": np.asarray(d["isl_count"], float),
             "ground links": np.asarray(d["gsl_count"], float)},
            title="Links over time", x_label="time", y_label="links", x_is_time=True,
        )))  # fmt: skip
    util = tables.get("network_utilisation")
    if util is not None and util.num_rows:
        u = np.asarray(util.column("utilisation").to_numpy(), dtype=float)
        counts, edges = np.histogram(u, bins=np.linspace(0.0, max(1.0, float(u.max())), 21))
        labels = [f"{(a + b) / 2:.0%}" for a, b in itertools.pairwise(edges)]
        parts.append(figure(bar_chart(labels, counts, title="Laser-link utilisation (loaded links)",
                                      y_label="link directions"),
                            "At the first instant, every ordered station pair sending the "
                            "all-pairs demand on its shortest path."))  # fmt: skip
    if "isl_utilisation_max" in n:
        parts.append(paragraph(
            f"Utilisation snapshot with {n['all_pairs_demand_bps'] / 1e9:g} Gbit/s between every "
            f"ordered pair of stations on shortest paths: busiest laser link at "
            f"{n['isl_utilisation_max']:.0%} of capacity, 90th percentile "
            f"{n['isl_utilisation_p90']:.0%}, {n['isl_links_loaded_fraction']:.0%} of links used."
        ))  # fmt: skip
    cluster = tables.get("cluster")
    if cluster is not None and cluster.num_rows and isinstance(n.get("cluster"), Mapping):
        c = n["cluster"]
        along = np.asarray(cluster.column("y_m").to_numpy(), dtype=float)
        radial = np.asarray(cluster.column("x_m").to_numpy(), dtype=float)
        parts.append(figure(
            _scatter(along, radial, f"Cluster of {c['satellites']} satellites at t = 0 (LVLH)",
                     "along-track [m]", "radial [m]"),
            f"Nearest neighbours {c['nearest_neighbour_min_m']:.0f}-"
            f"{c['nearest_neighbour_max_m']:.0f} m over an orbit; closest approach "
            f"{c['min_distance_m']:.0f} m; bisection bandwidth "
            f"{c['bisection_bandwidth_bps'] / 1e12:,.1f} Tbit/s.",
        ))  # fmt: skip
    return "\n".join(parts)


def _share_class(share: float, contact: float) -> str:
    if contact <= 0:
        return "no satellite in view"
    if share >= 0.05:
        return "5 % of the downlink or more"
    return "1-5 %" if share >= 0.01 else "under 1 %"


def render_downlink(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """HTML of the downlink section: a sentence and a map of the stations by downlink share."""
    return "".join(_downlink(metrics, tables.get("network_downlink")))


def _downlink(metrics: Mapping[str, Any], table: pa.Table | None) -> list[str]:
    """The downlink budget: a sentence and a map of the stations coloured by downlink share."""
    d = metrics.get("downlink")
    if not isinstance(d, Mapping):
        return []
    out = [paragraph(
        f"Downlink: the ground stations take {d['fleet_bits_per_day'] / 8e15:,.2f} PB per day "
        f"from the fleet (per satellite median {d['satellite_bits_per_day_median'] / 8e12:,.2f} "
        f"TB, least {d['satellite_bits_per_day_min'] / 8e12:,.2f} TB), expected over weather. "
        f"Satellites see a station {d['contact_fraction']:.1%} of the time, get "
        f"{d['rate_factor']:.0%} of the peak {d['peak_rate_bps'] / 1e9:g} Gbit/s while in "
        f"contact, and weather (site diversity over independent sites) leaves "
        f"{d['weather_factor']:.1%}: the binding limit is {escape(str(d['binding_limit']))}."
    )]  # fmt: skip
    if table is None or not table.num_rows or "latitude_deg" not in table.column_names:
        return out
    share = np.asarray(table.column("downlink_share").to_numpy(), dtype=float)
    contact = np.asarray(table.column("contact_share").to_numpy(), dtype=float)
    groups = [_share_class(s, c) for s, c in zip(share, contact, strict=True)]
    out.append(figure(
        ground_track_map(np.asarray(table.column("latitude_deg").to_numpy(), dtype=float),
                         np.asarray(table.column("longitude_deg").to_numpy(), dtype=float),
                         groups, title="Ground stations by share of the fleet's downlink"),
        f"{table.num_rows} stations; the table network_downlink gives each station's contact "
        "share, weather availability, link rate and bits per day.",
    ))  # fmt: skip
    return out


def _named_pairs(n: Mapping[str, Any], src: np.ndarray, dst: np.ndarray) -> list[tuple[int, int]]:
    """Station indices of the metrics' named pairs, in order (the first pairs of the table)."""
    count = len(n.get("pairs", {}))
    seen: list[tuple[int, int]] = []
    for a, b in zip(src, dst, strict=True):
        if len(seen) == count:
            break
        if (int(a), int(b)) not in seen and _is_named(n, int(a), int(b)):
            seen.append((int(a), int(b)))
    return seen


def _is_named(n: Mapping[str, Any], a: int, b: int) -> bool:
    return (a, b) in {tuple(p) for p in n.get("pair_indices", [])}


def _scatter(x: np.ndarray, y: np.ndarray, title: str, x_label: str, y_label: str) -> str:
    """Equal-aspect scatter of points [m] (a cluster's layout)."""
    size, pad = 420.0, 50.0
    span = float(max(np.ptp(x), np.ptp(y), 1.0)) * 1.1
    cx, cy = float(np.mean([x.min(), x.max()])), float(np.mean([y.min(), y.max()]))
    scale = (size - 2 * pad) / span
    px = size / 2 + (x - cx) * scale
    py = size / 2 - (y - cy) * scale
    dots = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="#0072B2"/>'
                   for a, b in zip(px, py, strict=True))  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size:.0f}" height="{size:.0f}" '
        f'viewBox="0 0 {size:.0f} {size:.0f}" font-family="sans-serif" font-size="12">'
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        'fill="none" stroke="#ccc"/>'
        f'<text x="{size / 2}" y="20" text-anchor="middle" font-weight="bold">'
        f"{escape(title)}</text>"
        f'<text x="{size / 2}" y="{size - 12}" text-anchor="middle">{escape(x_label)} '
        f"(span {span:,.0f} m)</text>"
        f'<text x="14" y="{size / 2}" transform="rotate(-90 14 {size / 2})" '
        f'text-anchor="middle">{escape(y_label)}</text>{dots}</svg>'
    )
