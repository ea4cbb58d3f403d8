"""The sizing section of the report: mass by subsystem, array power, radiator temperature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from skydc.report.html import figure, metrics_table, note, paragraph
from skydc.report.svg import bar_chart, line_chart
from skydc.schema import flatten

# Mass lines grouped for a readable stacked chart (the full breakdown is in the table below it).
_GROUPS = {
    "compute + shielding": ("compute", "shielding"),
    "power": ("solar_array", "battery", "power_conditioning"),
    "thermal": ("radiator", "heat_transport"),
    "bus": ("laser_terminals", "avionics", "propulsion", "harness", "structure"),
    "margin": ("margin",),
    "propellant": ("propellant",),
}


def _mass_chart(table: pa.Table, column: str, title: str, y_label: str, scale: float) -> str:
    data = table.to_pydict()
    units = list(dict.fromkeys(data["shell"]))
    by = {(s, ln): v for s, ln, v in zip(data["shell"], data["line"], data[column], strict=True)}
    stacked = {
        group: np.array([sum(by.get((u, ln), 0.0) for ln in lines) / scale for u in units])
        for group, lines in _GROUPS.items()
    }
    totals = np.sum(list(stacked.values()), axis=0)
    return figure(bar_chart(units, totals, title=title, y_label=y_label, stacked=stacked))


def render_sizing(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """HTML of the sizing section (empty string when the run has no sizing)."""
    sz = metrics.get("sizing")
    if not isinstance(sz, Mapping):
        return ""
    parts = [
        paragraph(
            f"Preset {sz.get('preset')}, accelerator {sz.get('accelerator')}: "
            f"{sz.get('satellites', 0):,} satellites, {sz.get('it_power_w', 0.0) / 1e6:,.1f} MW of "
            f"IT power, {sz.get('total_mass_kg', 0.0) / 1e3:,.1f} t at launch "
            f"({sz.get('it_power_per_mass_w_kg', float('nan')):,.1f} W of IT power per kg); "
            f"{sz.get('launches', 0):,} {sz.get('launch_vehicle')} launches, "
            f"{sz.get('governed_by')} governs."
        )
    ]
    mass = tables.get("mass_breakdown")
    if mass is not None and mass.num_rows:
        per_satellite = mass.filter(pc.not_equal(mass["shell"], "centralized"))
        parts.append(_mass_chart(per_satellite, "mass_kg_per_unit", "Mass per satellite by "
                                 "subsystem", "mass [t]", 1e3))  # fmt: skip
        parts.append(_mass_chart(mass, "mass_kg_total", "System mass: distributed shells vs one "
                                 "centralized station", "mass [t]", 1e3))  # fmt: skip
    power = tables.get("power")
    if power is not None and power.num_rows:
        data = power.to_pydict()
        t = np.asarray(power.column("time_utc").to_numpy())
        shells = list(dict.fromkeys(data["shell"]))
        sel = {s: np.asarray(data["shell"]) == s for s in shells}
        array_w = np.asarray(data["array_power_w"])
        load_w = np.asarray(data["load_w"])
        temp_k = np.asarray(data["radiator_temperature_k"])
        x = t[sel[shells[0]]]
        series = {f"{s} array": array_w[m] / 1e6 for s, m in sel.items()}
        series |= {f"{s} load": load_w[m] / 1e6 for s, m in sel.items()}
        parts.append(figure(line_chart(
            x, series, title="Fleet solar array output and load", x_label="time",
            y_label="power [MW]", x_is_time=True, dashed={f"{s} load" for s in shells},
        ), "Array output at end of life times the shell's sunlit fraction; the load runs on the "
           "battery in eclipse."))  # fmt: skip
        parts.append(figure(line_chart(
            x, {s: temp_k[m] - 273.15 for s, m in sel.items()},
            title="Radiator temperature", x_label="time", y_label="temperature [C]",
            x_is_time=True,
        ), "Quasi-steady radiator temperature rejecting the full heat load; Earth albedo falls "
           "away in eclipse."))  # fmt: skip
    elif mass is None:
        parts.append(note("No sizing tables in this run."))
    return "\n".join(parts)


def sizing_tables_html(metrics: Mapping[str, Any]) -> str:
    """The numbers behind the charts: sizing, power, thermal and radiation metric tables."""
    groups = {k: metrics[k] for k in ("sizing", "power", "thermal", "radiation") if k in metrics}
    return metrics_table(flatten(groups)) if groups else ""
