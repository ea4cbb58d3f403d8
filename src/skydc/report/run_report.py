"""The run report: one self-contained ``report.html`` from a run's metrics and tables.

It opens with its answer (:mod:`skydc.report.headline`: the few results that matter for the verb,
each a number with its unit and a sentence), then one section per stage that ran, each a lead
sentence, the stage's numbers in tables grouped by subsystem (:mod:`skydc.report.grouped`, units
from the metric schema), then its charts; the full metric list comes last, folded in a
``<details>`` element. No section is empty: a stage with nothing to show says so in one line. A
missing or empty table leaves a short note; a table without a column this report needs leaves a
visible warning instead of failing the whole report.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.report._mpl import PALETTE
from skydc.report.charts import line_chart
from skydc.report.cost_report import cost_tables_html, delivery_tables_html, render_cost
from skydc.report.grouped import by_row, leaves
from skydc.report.headline import headline_html, headline_stages, headline_title
from skydc.report.html import (
    Section,
    bullet_list,
    data_table,
    figure,
    metrics_table,
    note,
    render_page,
)
from skydc.report.maps import globe_view, ground_track_map
from skydc.report.network_report import (
    downlink_tables_html,
    network_tables_html,
    render_downlink,
    render_network,
)
from skydc.report.operations_report import operations_tables_html, render_operations
from skydc.report.sizing_report import render_sizing, sizing_tables_html
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


def _constellation(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    parts = []
    if isinstance(metrics.get("constellation"), Mapping):
        flat = flatten({"constellation": metrics["constellation"]})
        parts.append(by_row(flat, leaves(flat, "constellation"), [("value", ["constellation"])]))
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
        track_id = np.char.add(np.char.add(shell, "\x00"), sat.astype(str))
        # each satellite's points in time order: one continuous line per satellite, whatever
        # time grid each shell was sampled on
        order = np.lexsort((_col(track, "time_utc"), track_id))
        parts.append(figure(ground_track_map(
            _col(track, "lat_deg")[order], _col(track, "lon_deg")[order], track_id[order],
            list(shell[order]), title="Ground tracks",
        )))  # fmt: skip
    return "\n".join(parts)


def _shell_colors(names: list[str], kinds: tuple[str, ...]) -> dict[str, str]:
    """One palette colour per shell for its series "<shell> <kind>"."""
    return {f"{s} {k}": PALETTE[i % len(PALETTE)] for i, s in enumerate(names) for k in kinds}


def _sunlight(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    parts = []
    if isinstance(metrics.get("sunlight"), Mapping):
        flat = flatten({"sunlight": metrics["sunlight"]})
        parts.append(by_row(flat, leaves(flat, "sunlight"), [("value", ["sunlight"])]))
    cols = ("time_utc", "shell", "sunlit_fraction_mean", "eclipsed_share", "umbra_share")
    table, msg = _table(tables, "sunlight", cols)
    if table is None:
        return "\n".join([*parts, msg])
    shell, t = _col(table, "shell"), _col(table, "time_utc")
    names, x, frac = _pivot(shell, t, _col(table, "sunlit_fraction_mean"))
    parts.append(figure(line_chart(
        x, dict(zip(names, frac, strict=True)), title="Mean sunlit fraction per shell",
        x_label="time", y_label="sunlit fraction [–]", y_range=(0.0, 1.0),
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
        x_label="time", y_label="share of satellites [–]", y_range=(0.0, 1.0), colors=colors,
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
        flat = flatten({"eclipse_seasons": seasons})
        names = [str(s) for s in seasons]
        rows = list(dict.fromkeys(
            leaf for s in names for leaf in leaves(flat, f"eclipse_seasons.{s}")
        ))  # fmt: skip
        parts.append(by_row(flat, rows, [(s, [f"eclipse_seasons.{s}"]) for s in names]))
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
        x_label="date", y_label="beta angle [°]", colors=colors,
        dashed={f"{s} min" for s in names},
    )))  # fmt: skip
    return "\n".join(parts)


def _with_tables(render: Any, tables_html: Any) -> Any:
    """A stage's section: its renderer with the stage's grouped tables after the lead sentence."""

    def section(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
        return str(render(metrics, tables, tables_html=tables_html(metrics)))

    return section


# One section per stage (stage name, title, renderer), in display order; a stage's section is
# shown when the stage's output is part of the result.
SECTIONS: tuple[tuple[str, str, Any], ...] = (
    ("constellation", "Constellation", _constellation),
    ("sunlight", "Sunlight", _sunlight),
    ("seasons", "Eclipse seasons", _eclipse_seasons),
    ("sizing", "Sizing, power and thermal", _with_tables(render_sizing, sizing_tables_html)),
    ("delivery", "Delivered compute", lambda m, t: delivery_tables_html(m)),
    ("cost", "Cost: space vs ground", _with_tables(render_cost, cost_tables_html)),
    ("downlink", "Downlink to the ground", _with_tables(render_downlink, downlink_tables_html)),
    ("network", "Network", _with_tables(render_network, network_tables_html)),
    ("operations", "Operations: AI workloads",
     _with_tables(render_operations, operations_tables_html)),
)  # fmt: skip


def _in_order(stages: tuple[str, ...]) -> list[tuple[str, str, Any]]:
    """The sections of ``stages`` in display order; a verb's report (no constellation stage)
    puts its own stage (the one its headline answers for) first."""
    shown = [s for s in SECTIONS if s[0] in stages]
    own = [s for s, _ in headline_stages(stages)]
    if "constellation" in stages or not own:
        return shown
    first = [s for s in shown if s[0] == own[-1] or (own[-1] == "cost" and s[0] == "delivery")]
    return first + [s for s in shown if s not in first]


def _all_metrics(metrics: Mapping[str, Any]) -> str:
    """Every metric of the run, grouped by metric group, folded in one ``<details>``."""
    groups = {k: v for k, v in metrics.items() if isinstance(v, Mapping) and v}
    scalars = {k: v for k, v in metrics.items() if k not in groups}
    parts, count = [], 0
    for key, value in groups.items():
        flat = flatten(value, key)
        count += len(flat)
        parts.append(f"<h3>{html.escape(key.replace('_', ' ').capitalize())}</h3>")
        parts.append(metrics_table(flat))
    if scalars:
        count += len(scalars)
        parts.append("<h3>Other</h3>" + metrics_table(scalars))
    return (
        f"<details><summary>All metrics ({count})</summary>{''.join(parts)}</details>"
        if count
        else ""
    )


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
        The stages whose outputs the result shows: the headline block answers for them, each
        has its section (:data:`SECTIONS`); every metric is in the folded list at the end.
    title, version, generated_utc
        Page title, skydc version and generation time shown in the header.
    """
    sections = []
    answer = headline_html(metrics, stages)
    if answer:
        sections.append(Section(headline_title(stages), answer))
    for stage, heading, render in _in_order(stages):
        body = render(metrics, tables)
        if not body.strip():  # no empty sections: say in one line why there is nothing
            body = note(f"The {stage} stage produced no metrics or tables to show here.")
        sections.append(Section(heading, body))
    folded = _all_metrics(metrics)
    if folded:
        sections.append(Section("All metrics", folded))
    return render_page(title, sections, generated_utc=generated_utc, version=version)
