"""The sizing section of the report: mass by subsystem, array power, radiator temperature, and
one satellite of each shell through its design orbit (power, battery, radiator)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from skydc.report._mpl import PALETTE, value_range
from skydc.report.charts import Panel, bar_chart, line_chart, panel_chart
from skydc.report.grouped import by_row, leaves, subsection
from skydc.report.html import bullet_list, figure, note, paragraph
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


_RESOLUTION_K = 0.01  # temperature changes below this are float noise, not physics [K]


def _sentence(key: str, text: object) -> str:
    """A launch plan's explanation as a sentence naming whose plan it is."""
    parts = key.split(".")
    who = "Centralized station" if "centralized" in parts else f"Shell {parts[-2]}"
    return f"{who}: {str(text).rstrip('.')}."


def _note(values: np.ndarray) -> str:
    """ "constant at X °C" when a series does not vary by ``_RESOLUTION_K``, else ""."""
    return value_range(values, resolution=_RESOLUTION_K).note("°C")


def _eclipse_end_min(t_min: np.ndarray, lit: np.ndarray) -> float:
    """The design orbit's eclipse length: its last shadowed sample [min] (0 when none)."""
    return float(t_min[~lit].max(initial=0.0))


# Above this many shells the design orbits share one chart (one line a shell) instead of one
# chart each: ten stacked three-panel charts are hard to compare, and cost ~0.2 s each to draw.
_PER_SHELL_CHARTS_MAX = 3


def _design_orbits_together(data: dict[str, list[Any]]) -> str:
    """Every shell's design orbit on one chart: array power, state of charge and radiator
    temperature from eclipse entry, each shell on a common time grid up to its own period."""
    shell = np.asarray(data["shell"])
    names = list(dict.fromkeys(data["shell"]))
    t_all = np.asarray(data["t_s"], dtype=float) / 60.0
    grid = np.linspace(0.0, float(t_all.max()), 721)
    power: dict[str, np.ndarray] = {}
    soc: dict[str, np.ndarray] = {}
    temp: dict[str, np.ndarray] = {}
    eclipse, soc_min = [], []
    for name in names:
        m = shell == name
        t = t_all[m]
        lit = np.asarray(data["sunlit"], dtype=bool)[m]
        inside = grid <= t[-1]

        def on_grid(values: np.ndarray, t: np.ndarray = t, inside: np.ndarray = inside) -> Any:
            return np.where(inside, np.interp(grid, t, values), np.nan)

        power[name] = on_grid(np.asarray(data["array_power_w"], float)[m] / 1e3)
        s = 100.0 * np.asarray(data["battery_soc"], dtype=float)[m]
        soc[name] = on_grid(s)
        temp[name] = on_grid(np.asarray(data["radiator_temperature_k"], float)[m] - 273.15)
        eclipse.append(_eclipse_end_min(t, lit))
        soc_min.append(float(s.min()))
    dashed = tuple(names[len(PALETTE) :])  # colours repeat after the palette: dashed then
    panels = [
        Panel("array power [kW]", power, unit="kW", dashed=dashed, include_zero=True),
        Panel("battery state of charge [%]", soc, y_range=(0.0, 100.0), dashed=dashed,
              legend=False),
        Panel("radiator temperature [°C]", temp, resolution=_RESOLUTION_K, unit="°C",
              dashed=dashed, legend=False),
    ]  # fmt: skip
    caption = (
        f"The {len(names)} shells, one satellite each, through their design orbits (each the "
        "orbit with the longest eclipse of its year, from eclipse entry with a full battery; a "
        f"line ends at its orbit's period): eclipses of {min(eclipse):.1f}-{max(eclipse):.1f} "
        f"min, state of charge falling to {min(soc_min):.1f}-{max(soc_min):.1f} % (1 − depth "
        "of discharge). Per shell: design_orbit.parquet. Radiator: one lumped heat capacity "
        "(aluminium, 903 J/(kg·K)) relaxing towards the quasi-steady temperature of the moment."
    )
    title = f"Design orbits of the {len(names)} shells: array power, battery and radiator"
    return figure(panel_chart(
        grid, panels, title=title, x_label="time since eclipse entry [min]",
    ), caption)  # fmt: skip


def _design_orbit(table: pa.Table) -> list[str]:
    """Per shell: array power and load, battery state of charge, radiator temperature through
    the battery's design orbit, eclipse shaded (one chart for all shells above
    ``_PER_SHELL_CHARTS_MAX`` of them)."""
    data = table.to_pydict()
    if len(dict.fromkeys(data["shell"])) > _PER_SHELL_CHARTS_MAX:
        return [_design_orbits_together(data)]
    shell = np.asarray(data["shell"])
    out = []
    for name in dict.fromkeys(data["shell"]):
        m = shell == name
        t_min = np.asarray(data["t_s"], dtype=float)[m] / 60.0
        lit = np.asarray(data["sunlit"], dtype=bool)[m]
        soc = np.asarray(data["battery_soc"], dtype=float)[m]
        temp = np.asarray(data["radiator_temperature_k"], dtype=float)[m] - 273.15
        panels = [
            Panel("power [kW]", {"array": np.asarray(data["array_power_w"], float)[m] / 1e3,
                                 "load": np.asarray(data["load_w"], float)[m] / 1e3},
                  unit="kW", dashed=("load",), include_zero=True),
            Panel("battery state of charge [%]", {"state of charge": 100.0 * soc},
                  y_range=(0.0, 100.0)),
            Panel("radiator temperature [°C]", {"radiator": temp}, resolution=_RESOLUTION_K,
                  unit="°C"),
        ]  # fmt: skip
        eclipse_min = _eclipse_end_min(t_min, lit)
        caption = (
            f"{name}: one satellite through the design orbit ({t_min[-1]:.1f} min, the longest "
            f"eclipse of the year: {eclipse_min:.1f} min, shaded), from eclipse entry with a full "
            f"battery. State of charge falls to {100 * soc.min():.1f} % (1 − depth of "
            "discharge) and recharges in daylight. Radiator: one lumped heat capacity "
            "(aluminium, 903 J/(kg·K)) relaxing towards the quasi-steady temperature of the "
            "moment." + (f" Radiator {_note(temp)}." if _note(temp) else "")
        )
        out.append(figure(panel_chart(
            t_min, panels, title=f"{name}: power, battery and radiator through the design orbit",
            x_label="time since eclipse entry [min]", shade=~lit, shade_label="eclipse",
        ), caption))  # fmt: skip
    return out


def render_sizing(
    metrics: Mapping[str, Any], tables: Mapping[str, pa.Table], *, tables_html: str = ""
) -> str:
    """HTML of the sizing section (empty string when the run has no sizing): a sentence, then
    ``tables_html`` (the numbers by subsystem), then the charts."""
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
        ),
        tables_html,
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
            resolution=1e-6, unit="MW", include_zero=True,
        ), "Array output at end of life times the shell's sunlit fraction; the load runs on the "
           "battery in eclipse."))  # fmt: skip
        temps = {s: temp_k[m] - 273.15 for s, m in sel.items()}
        constant = [f"{s}: {_note(v)}" for s, v in temps.items() if _note(v)]
        parts.append(figure(line_chart(
            x, temps, title="Radiator temperature (fleet time grid)", x_label="time",
            y_label="temperature [°C]", x_is_time=True, resolution=_RESOLUTION_K, unit="°C",
        ), "Quasi-steady radiator temperature rejecting the full heat load; Earth albedo falls "
           "away in eclipse (shell-mean sunlit fraction)." + (
               " " + "; ".join(constant) + " (below 0.01 K of variation)." if constant else ""
           )))  # fmt: skip
    orbit = tables.get("design_orbit")
    if orbit is not None and orbit.num_rows:
        parts.extend(_design_orbit(orbit))
    elif mass is None:
        parts.append(note("No sizing tables in this run."))
    return "\n".join(p for p in parts if p)


def sizing_tables_html(metrics: Mapping[str, Any]) -> str:
    """The numbers behind the charts, by subsystem: one row per quantity, one column per design
    satellite (per shell), the fleet and the centralized station."""
    groups = {k: metrics[k] for k in ("sizing", "power", "thermal", "radiation") if k in metrics}
    if not isinstance(groups.get("sizing"), Mapping):
        return ""
    flat = flatten(groups)
    shells = list(groups["sizing"].get("per_satellite", {}) or {})
    sat: list[tuple[str, list[str]]] = [
        (f"{s}", [f"sizing.per_satellite.{s}"]) for s in shells
    ]
    central = [("centralized station", ["sizing.centralized"])]
    fleet = [("fleet", ["sizing", "power", "thermal"])]
    mass_lines = list(dict.fromkeys(
        leaf for p in ["sizing", *(c[1][0] for c in sat + central)]
        for leaf in leaves(flat, p) if leaf.startswith("mass_breakdown_kg.")
    ))  # fmt: skip
    launch_cols = [(f"{s}", [f"sizing.launch_plans.{s}"]) for s in shells]
    parts = [
        subsection("Mass by subsystem", by_row(
            flat, [*mass_lines, "dry_mass_kg", "total_mass_kg"], sat + fleet + central,
            first="subsystem"), "Launch mass by subsystem: a shell's column is one satellite of "
            "that shell, the fleet column the sum over every satellite."),
        subsection("Power", by_row(flat, ["it_power_w", "accelerators", "load_w",
            "array_area_m2", "array_power_eol_w", "orbit_average_w", "battery_capacity_wh",
            "energy_per_year_wh", "it_power_per_mass_w_kg"], sat + fleet + central)),
        subsection("Thermal", by_row(flat, ["heat_w", "radiator_area_m2",
            "radiator_temperature_k", "chip_temperature_k", "chip_temperature_limit_k"],
            sat + fleet + central)),
        subsection("Launch", by_row(flat, ["launches", "launches_by_mass", "launches_by_volume",
            "governed_by", "satellites_per_launch", "payload_per_launch_kg", "dispenser",
            "dispenser_mass_kg", "cadence_per_yr", "deployment_time_yr",
            "it_power_per_launch_w", "it_power_per_year_w"],
            [*launch_cols, ("fleet", ["sizing"]), *central]),
            " ".join(_sentence(k, v) for k, v in flat.items() if k.endswith(".explanation"))),
        subsection("Volume and Δv", by_row(flat, [
            *dict.fromkeys(leaf for p in [c[1][0] for c in sat + central]
                           for leaf in leaves(flat, p)
                           if leaf.startswith(("volume_breakdown_m3.", "delta_v_m_s."))),
            "stowed_volume_m3"], [*sat, ("fleet", ["sizing"]), *central], strip_group=False)),
        subsection("Design orbit", by_row(
            flat, list(dict.fromkeys(leaf for s in shells
                                     for leaf in leaves(flat, f"sizing.design_orbits.{s}"))),
            [(s, [f"sizing.design_orbits.{s}"]) for s in shells])),
        subsection("Radiation", by_row(
            flat, list(dict.fromkeys(leaf for s in groups.get("radiation", {}) or {}
                                     for leaf in leaves(flat, f"radiation.{s}"))),
            [(str(s), [f"radiation.{s}"]) for s in groups.get("radiation", {}) or {}])),
    ]  # fmt: skip
    sources = groups["sizing"].get("sources")
    if isinstance(sources, Mapping) and sources:
        parts.append(subsection("Sources", bullet_list([f"{k}: {v}" for k, v in sources.items()])))
    return "\n".join(p for p in parts if p)
