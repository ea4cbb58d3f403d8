"""The network section of the report: RTT over time, latency CDF against fibre, link counts,
and the formation-flying cluster's geometry."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.report.charts import histogram_chart, layout_chart, line_chart
from skydc.report.grouped import by_column, by_row, leaves, subsection
from skydc.report.html import figure, paragraph
from skydc.report.maps import station_map
from skydc.schema import flatten


def _cdf(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    v = np.sort(values[np.isfinite(values)])
    if v.size == 0:
        return np.full(grid.shape, np.nan)
    return np.searchsorted(v, grid, side="right") / v.size


def network_tables_html(metrics: Mapping[str, Any]) -> str:
    """The network numbers by subject: routes against fibre, ground access, links and capacity,
    the named city pairs; units from the metric schema."""
    n = metrics.get("network")
    if not isinstance(n, Mapping):
        return ""
    flat = flatten({"network": n})
    one = [("value", ["network"])]
    pairs = [(str(p), f"network.pairs.{p}") for p in (n.get("pairs") or {})]
    leaves_of_pairs = list(dict.fromkeys(
        k.rsplit(".", 1)[1] for k in flat if k.startswith("network.pairs.")
    ))  # fmt: skip
    parts = [
        subsection("Routes between ground stations, against fibre", by_row(flat, [
            "reachable_fraction", "rtt_p50_ms", "fibre_rtt_p50_ms", "rtt_p90_ms", "rtt_p99_ms",
            "rtt_min_ms", "rtt_max_ms", "faster_than_fibre_fraction", "stretch_p50",
            "stretch_p90", "hops_p50", "rtt_pair_instants", "unreachable_pairs",
            "unreachable_pair_instants", "ground_stations", "samples"], one)),
        subsection("City pairs", by_column(
            flat, pairs, [(leaf.removesuffix("_ms").replace("_", " "), leaf)
                          for leaf in leaves_of_pairs], first="pair")),
        subsection("Ground access", by_row(flat, [
            "access_available_fraction", "access_rtt_p50_ms", "access_rtt_p90_ms",
            "access_rtt_p99_ms", "access_rtt_min_ms", "access_rtt_max_ms",
            "handover_window_s", "handovers_per_station_hour",
            "coverage_losses_per_station_hour", "terminal"], one)),
        subsection("Links and capacity", by_row(flat, [
            "topology", "isl_count", "isl_per_satellite", "gsl_count", "isl_capacity_total_bps",
            *[leaf for leaf in leaves(flat, "network") if leaf.startswith("capacity_")],
            "all_pairs_demand_bps", "isl_utilisation_max", "isl_utilisation_p90",
            "isl_links_loaded_fraction", "demand_unroutable_bps", "satellites_without_plane"],
            one)),
    ]  # fmt: skip
    return "\n".join(p for p in parts if p)


def downlink_tables_html(metrics: Mapping[str, Any]) -> str:
    """The downlink budget as one table (units from the metric schema)."""
    d = metrics.get("downlink")
    if not isinstance(d, Mapping):
        return ""
    flat = flatten({"downlink": d})
    return subsection("Downlink budget", by_row(flat, leaves(flat, "downlink"),
                                                [("value", ["downlink"])]))  # fmt: skip


def render_network(
    metrics: Mapping[str, Any], tables: Mapping[str, pa.Table], *, tables_html: str = ""
) -> str:
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
        ),
        tables_html,
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
                line_chart(grid, {"skydc (laser mesh)": 100 * _cdf(rtt[routed], grid),
                                  "fibre at 2/3 c on the great circle":
                                      100 * _cdf(fibre[routed], grid)},
                           title="Round-trip time between ground stations with a route: CDF",
                           x_label="RTT [ms]", y_label="routed pairs × instants [%]",
                           y_range=(0.0, 100.0), dashed={"fibre at 2/3 c on the great circle"}),
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
            title="Links over time", x_label="time", y_label="links [count]", x_is_time=True,
        )))  # fmt: skip
    util = tables.get("network_utilisation")
    if util is not None and util.num_rows:
        u = np.asarray(util.column("utilisation").to_numpy(), dtype=float)
        parts.append(figure(histogram_chart(100 * u, title="Laser-link utilisation (loaded links)",
                                            x_label="utilisation of capacity [%]",
                                            y_label="link directions [%]", bins=20),
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
            layout_chart(along, radial,
                         title=f"Cluster of {c['satellites']} satellites at t = 0 (LVLH)",
                         x_label="along-track [m]", y_label="radial [m]"),
            f"Nearest neighbours {c['nearest_neighbour_min_m']:.0f}-"
            f"{c['nearest_neighbour_max_m']:.0f} m over an orbit; closest approach "
            f"{c['min_distance_m']:.0f} m; bisection bandwidth "
            f"{c['bisection_bandwidth_bps'] / 1e12:,.1f} Tbit/s.",
        ))  # fmt: skip
    return "\n".join(p for p in parts if p)


def _share_class(share: float, contact: float) -> str:
    if contact <= 0:
        return "no satellite in view"
    if share >= 0.05:
        return "5 % of the downlink or more"
    return "1-5 %" if share >= 0.01 else "under 1 %"


def render_downlink(
    metrics: Mapping[str, Any], tables: Mapping[str, pa.Table], *, tables_html: str = ""
) -> str:
    """HTML of the downlink section: a sentence, the budget table and a map of the stations by
    downlink share."""
    parts = _downlink(metrics, tables.get("network_downlink"))
    return "".join([*parts[:1], tables_html, *parts[1:]])


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
        station_map(np.asarray(table.column("latitude_deg").to_numpy(), dtype=float),
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
