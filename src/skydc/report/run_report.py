"""The run report: one self-contained ``report.html`` from a run's metrics and tables.

Sections: Summary (scenario and constellation metrics), Constellation (shells table, globe, ground
tracks), Sunlight (time series), Eclipse seasons (over the year), then every other metric group as a
generic metrics table, so later stages (sizing, power, cost, network) appear without changes here.
A missing or empty table leaves a short note; a table without a column this report needs leaves a
visible warning instead of failing the whole report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.report.cost_report import render_cost
from skydc.report.html import (
    Section,
    bullet_list,
    data_table,
    figure,
    metrics_table,
    note,
    render_page,
)
from skydc.report.network_report import render_downlink, render_network
from skydc.report.operations_report import render_operations
from skydc.report.sizing_report import render_sizing, sizing_tables_html
from skydc.report.svg import PALETTE, globe_view, ground_track_map, line_chart
from skydc.schema import flatten

__all__ = ["render_run_report"]

_CORE = ("scenario", "constellation", "sunlight", "eclipse_seasons")
_SIZING = ("sizing", "power", "thermal", "radiation")
_SHELL_COLUMNS = ("shell", "kind", "satellites", "planes", "altitude_km", "inclination_deg",
                  "ltan_h", "period_s")  # fmt: skip


def _table(
    tables: Mapping[str, pa.Table], name: str, columns: tuple[str, ...]
) -> tuple[pa.Table | None, str]:
    """The table if present, non-empty and complete; otherwise None and a note saying why."""
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return None, note(f"No {name} table in this run.")
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        return None, note(
            f"Table {name!r} lacks column(s) {', '.join(missing)}; not shown.", warning=True
        )
    return table, ""


def _col(table: pa.Table, name: str) -> NDArray[Any]:
    """A column as NumPy: nulls become NaN (numbers) or None (strings); times become datetime64."""
    return np.asarray(table.column(name).to_numpy())


def _labels(values: NDArray[Any]) -> tuple[list[str], NDArray[np.intp]]:
    """Distinct labels in order of first appearance and each row's index into them."""
    names, first, inv = np.unique(values.astype(str), return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return [str(s) for s in names[order]], rank[inv.ravel()]


def _pivot(
    keys: NDArray[Any], x: NDArray[Any], v: NDArray[Any]
) -> tuple[list[str], NDArray[Any], NDArray[np.float64]]:
    """Long (key, x, value) rows -> (key names, sorted distinct x, values of shape (n_key, n_x))."""
    names, ki = _labels(keys)
    xu, xi = np.unique(x, return_inverse=True)
    out = np.full((len(names), xu.size), np.nan)
    out[ki, xi.ravel()] = v.astype(np.float64)
    return names, xu, out


def _summary(metrics: Mapping[str, Any]) -> str:
    core = {k: metrics[k] for k in ("scenario", "constellation") if k in metrics}
    return (
        metrics_table(flatten(core)) if core else note("No scenario metrics in this run.")
    )


def _terminator_view_lon_deg(p_m: NDArray[np.float64], sunlit: NDArray[Any]) -> float:
    """A view longitude [deg] 90 deg east of the Sun, so that lit and eclipsed satellites both show.

    The Sun's direction is estimated from the snapshot itself (mean position of sunlit satellites
    minus that of eclipsed ones); 0 deg when all satellites are lit or all are eclipsed.
    """
    lit, dark = sunlit >= 0.5, sunlit < 0.5
    if not (lit.any() and dark.any()):
        return 0.0
    d = p_m[:, lit].mean(axis=1) - p_m[:, dark].mean(axis=1)
    return float((np.degrees(np.arctan2(d[1], d[0])) + 90.0 + 180.0) % 360.0 - 180.0)


def _constellation(tables: Mapping[str, pa.Table]) -> str:
    parts = []
    shells, msg = _table(tables, "shells", ("shell",))
    if shells is None:
        parts.append(msg)
    else:
        cols = [c for c in _SHELL_COLUMNS if c in shells.column_names]
        rows = [[r[c] for c in cols] for r in shells.select(cols).to_pylist()]
        parts.append(data_table(cols, rows))
    snap, msg = _table(tables, "snapshot", ("x_m", "y_m", "z_m", "sunlit_fraction"))
    if snap is None:
        parts.append(msg)
    else:
        x, y, z, f = (_col(snap, c) for c in ("x_m", "y_m", "z_m", "sunlit_fraction"))
        view_lon = _terminator_view_lon_deg(np.stack([x, y, z]).astype(np.float64), f)
        svg = globe_view(x, y, z, f, title="Satellites at the epoch", view_lon_deg=view_lon)
        caption = (
            "Earth-fixed positions at the epoch, coloured by sunlit fraction; seen from 90° east"
            " of the Sun's longitude (estimated from the lit and eclipsed satellites)."
        )
        parts.append(figure(svg, caption))
    track, msg = _table(
        tables, "ground_track", ("shell", "sat_id", "time_utc", "lat_deg", "lon_deg")
    )
    if track is None:
        parts.append(msg)
    else:
        shell, sat = _col(track, "shell").astype(str), _col(track, "sat_id")
        _, track_id = _labels(np.char.add(np.char.add(shell, "\x00"), sat.astype(str)))
        _, t_idx = np.unique(_col(track, "time_utc"), return_inverse=True)
        lat = np.full((track_id.max() + 1, t_idx.max() + 1), np.nan)
        lon = lat.copy()
        lat[track_id, t_idx] = _col(track, "lat_deg")
        lon[track_id, t_idx] = _col(track, "lon_deg")
        group = np.empty(lat.shape[0], dtype=object)
        group[track_id] = shell
        parts.append(figure(ground_track_map(lat, lon, list(group), title="Ground tracks")))
    return "\n".join(parts)


def _shell_colors(names: list[str], kinds: tuple[str, ...]) -> dict[str, str]:
    """One palette colour per shell for its series "<shell> <kind>"."""
    return {f"{s} {k}": PALETTE[i % len(PALETTE)] for i, s in enumerate(names) for k in kinds}


def _sunlight(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    parts = []
    if isinstance(metrics.get("sunlight"), Mapping):
        parts.append(metrics_table(flatten(metrics["sunlight"], "sunlight")))
    cols = ("time_utc", "shell", "sunlit_fraction_mean", "eclipsed_share", "umbra_share")
    table, msg = _table(tables, "sunlight", cols)
    if table is None:
        return "\n".join([*parts, msg])
    shell, t = _col(table, "shell"), _col(table, "time_utc")
    names, x, frac = _pivot(shell, t, _col(table, "sunlit_fraction_mean"))
    parts.append(figure(line_chart(
        x, dict(zip(names, frac, strict=True)), title="Mean sunlit fraction per shell",
        x_label="time", y_label="sunlit fraction", y_range=(0.0, 1.0),
    )))  # fmt: skip
    _, _, ecl = _pivot(shell, t, _col(table, "eclipsed_share"))
    _, _, umb = _pivot(shell, t, _col(table, "umbra_share"))
    series = {
        f"{s} {k}": v[i]
        for i, s in enumerate(names)
        for k, v in (("eclipsed", ecl), ("umbra", umb))
    }
    colors = _shell_colors(names, ("eclipsed", "umbra"))
    parts.append(figure(line_chart(
        x, series, title="Share of satellites in eclipse (solid) and in umbra (dashed)",
        x_label="time", y_label="share of satellites", y_range=(0.0, 1.0), colors=colors,
        dashed={f"{s} umbra" for s in names},
    )))  # fmt: skip
    return "\n".join(parts)


def _season_sentence(shell: str, m: Mapping[str, Any]) -> str:
    days, longest = m.get("days_with_eclipse"), m.get("eclipse_max_s")
    text = f"{shell}: "
    if days == 0:
        return text + "no eclipse on any day of the year."
    text += (
        f"{days:,} days per year with eclipse"
        if isinstance(days, int | np.integer)
        else "eclipse days unknown"
    )
    if isinstance(longest, int | float | np.number) and np.isfinite(longest):
        text += f", longest {longest / 60.0:.1f} min"
    free = m.get("eclipse_free_above_km")
    if isinstance(free, int | float | np.number) and np.isfinite(free):
        text += (
            f"; a sun-synchronous orbit with this local time of the node sees no eclipse all "
            f"year only above {free:,.0f} km"
        )
    return text + "."


def _eclipse_seasons(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    parts = []
    seasons = metrics.get("eclipse_seasons")
    if isinstance(seasons, Mapping) and seasons:
        sentences = [
            _season_sentence(str(s), m if isinstance(m, Mapping) else {})
            for s, m in seasons.items()
        ]
        parts.append(bullet_list(sentences))
    cols = ("shell", "date", "beta_min_deg", "beta_max_deg", "eclipse_max_s")
    table, msg = _table(tables, "eclipse_seasons", cols)
    if table is None:
        return "\n".join([*parts, msg])
    shell, date = _col(table, "shell"), _col(table, "date")
    names, x, ecl = _pivot(shell, date, _col(table, "eclipse_max_s"))
    parts.append(figure(line_chart(
        x, dict(zip(names, ecl / 60.0, strict=True)), title="Longest eclipse per orbit, by day",
        x_label="date", y_label="eclipse duration per orbit [min]",
    )))  # fmt: skip
    _, _, bmin = _pivot(shell, date, _col(table, "beta_min_deg"))
    _, _, bmax = _pivot(shell, date, _col(table, "beta_max_deg"))
    series = {
        f"{s} {k}": v[i] for i, s in enumerate(names) for k, v in (("max", bmax), ("min", bmin))
    }
    colors = _shell_colors(names, ("max", "min"))
    parts.append(figure(line_chart(
        x, series, title="Solar beta angle range per day: max (solid), min (dashed)",
        x_label="date", y_label="beta angle [deg]", colors=colors,
        dashed={f"{s} min" for s in names},
    )))  # fmt: skip
    return "\n".join(parts)


def _sizing_section(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    return render_sizing(metrics, tables) + sizing_tables_html(metrics)


def _group_section(group: str, render: Any) -> Any:
    """A stage's own charts, then its metric group as a table."""

    def section(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
        body = render(metrics, tables)
        if isinstance(metrics.get(group), Mapping):
            body += metrics_table(flatten(metrics[group], group))
        return body

    return section


# One section per stage (stage name, title, renderer), in display order; a stage's section is
# shown when the stage's output is part of the result. The metric groups a section shows.
SECTIONS: tuple[tuple[str, str, Any], ...] = (
    ("constellation", "Constellation", lambda m, t: _constellation(t)),
    ("sunlight", "Sunlight", _sunlight),
    ("seasons", "Eclipse seasons", _group_section("eclipse_seasons", _eclipse_seasons)),
    ("sizing", "Sizing, power and thermal", _sizing_section),
    ("delivery", "Delivered compute", _group_section("delivery", lambda m, t: "")),
    ("cost", "Cost: space vs ground", _group_section("cost", render_cost)),
    ("downlink", "Downlink to the ground", _group_section("downlink", render_downlink)),
    ("network", "Network", _group_section("network", render_network)),
    ("operations", "Operations: AI workloads", _group_section("operations", render_operations)),
)
_GROUPS_SHOWN = {
    "constellation": ("scenario", "constellation"),
    "sunlight": ("sunlight",),
    "seasons": ("eclipse_seasons",),
    "sizing": ("sizing", "power", "thermal", "radiation"),
    "network": ("network",),
    "delivery": ("delivery",),
    "downlink": ("downlink",),
    "cost": ("cost",),
    "operations": ("operations",),
}


def render_run_report(
    metrics: Mapping[str, Any],
    tables: Mapping[str, pa.Table],
    *,
    stages: tuple[str, ...],
    title: str,
    version: str,
    generated_utc: str,
) -> str:
    """The complete ``report.html`` of one run (a string; the runner writes it atomically).

    Parameters
    ----------
    metrics
        Nested metric groups (``metrics.json``).
    tables
        Run tables by name; any may be missing (a section then says so).
    stages
        The stages whose outputs the result shows: each has its section (:data:`SECTIONS`);
        every other metric group becomes a metrics table.
    title, version, generated_utc
        Page title, skydc version and generation time shown in the header.
    """
    sections = [Section("Summary", _summary(metrics))]
    shown: set[str] = {"scenario", "schema_version"}
    for stage, heading, render in SECTIONS:
        if stage in stages:
            sections.append(Section(heading, render(metrics, tables)))
            shown.update(_GROUPS_SHOWN[stage])
    other = {k: v for k, v in metrics.items() if k not in shown}
    for key, value in other.items():
        if isinstance(value, Mapping):
            table = metrics_table(flatten(value, key))
            sections.append(Section(key.replace("_", " ").capitalize(), table))
    scalars = {k: v for k, v in other.items() if not isinstance(v, Mapping)}
    if scalars:
        sections.append(Section("Other metrics", metrics_table(scalars)))
    return render_page(title, sections, generated_utc=generated_utc, version=version)
