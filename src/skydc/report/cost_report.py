"""The cost section of the report.

It leads with the headline: USD per delivered accelerator-hour in space and on the ground, and the
Monte Carlo P50 (P10-P90) of the space/ground cost ratio next to the base case. Then one waterfall
per side from installed to delivered accelerator-hours (table ``delivery_waterfall``), one bridge
per published calculator from its total to skydc's (table ``cost_bridge``), the cost lines, the
tornado and the Monte Carlo histogram. A chart whose table is absent or empty is left out; a
metric that holds a sentence instead of a number (why it has no value) is shown as that sentence.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from skydc import schema
from skydc.report.charts import (
    bar_chart,
    bridge_chart,
    histogram_chart,
    tornado_chart,
    waterfall_chart,
)
from skydc.report.grouped import by_row, leaves, subsection
from skydc.report.html import data_table, figure, format_value, note, paragraph
from skydc.schema import flatten

# Cost lines grouped for the stacked bars (the full list is in the metrics table).
_GROUPS = {
    "compute hardware": ("compute_hardware", "hardware_refresh"),
    "satellites and replacement": ("satellite.", "replacement_end_of_life", "replacement_failures"),
    "launch": ("launch",),
    "energy": ("energy_it", "chiller_energy", "other_overhead_energy"),
    "facility": (
        "construction",
        "land",
        "grid_connection",
        "backup_power",
        "facility_refresh",
        "water",
    ),
    "operations, insurance, ground segment": (
        "operations",
        "insurance",
        "ground_segment",
        "disposal",
    ),
    "cost of capital": ("cost_of_capital",),
}


def _group_of(line: str) -> str:
    for group, members in _GROUPS.items():
        if any(line == m or (m.endswith(".") and line.startswith(m)) for m in members):
            return group
    return "other"


def _get(m: Any, key: str) -> Any:
    """The value at dotted ``key`` of nested mappings ``m`` (None where a level is missing)."""
    for part in key.split("."):
        if not isinstance(m, Mapping):
            return None
        m = m.get(part)
    return m


def _num(value: Any, key: str, spec: str = "") -> str:
    """A metric as text: a finite number formatted (``spec``, else :func:`format_value`), a
    sentence as itself, and no value as the schema's reason (never a bare nan or None)."""
    if isinstance(value, bool | np.bool_):
        return format_value(value)
    if isinstance(value, int | float | np.integer | np.floating):
        if np.isfinite(value):
            return format(value, spec) if spec else format_value(value, schema.unit(key))
        value = None
    if value is None or (isinstance(value, str) and not value.strip()):
        return schema.why_missing(key)
    return str(value)


def _words(v: float) -> str:
    """A large number to 3 significant figures in words: ``3.05e8`` -> "305 million"."""
    for size, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(v) >= size:
            return f"{v / size:.3g} {name}"
    return f"{v:.3g}"


def _is_value(value: Any) -> bool:
    """Whether a metric is present: a finite number or a non-empty sentence."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float | np.integer | np.floating) and bool(np.isfinite(value))


def _mc_line(
    mc: Mapping[str, Any], stem: str, cheaper_key: str, base: Any, base_key: str, label: str
) -> tuple[str, str]:
    """One Monte Carlo line: P50 (P10-P90) over the samples, P(space cheaper), the base case."""
    p10, p50, p90 = (
        _num(mc.get(f"{stem}_p{p}"), f"cost.monte_carlo.{stem}_p{p}", ".2f") for p in (10, 50, 90)
    )
    text = f"{p50} (P10–P90 {p10}–{p90})"
    if _is_value(mc.get("samples")):
        text += f" over {_num(mc.get('samples'), 'cost.monte_carlo.samples')} samples"
    cheaper = mc.get(cheaper_key)
    if _is_value(cheaper):
        share = _num(cheaper, f"cost.monte_carlo.{cheaper_key}", ".1%")
        text += f"; space cheaper in {share} of them" if _is_number(cheaper) else f"; {share}"
    return label, f"{text}; base case {_num(base, base_key, '.2f')}."


def _headline(c: Mapping[str, Any]) -> str:
    """The section's lead: delivered cost per accelerator-hour, then the cost ratio's spread."""
    lines: list[tuple[str, str]] = []
    d = "cost.delivered"
    space, ground = (_get(c, f"delivered.{s}.usd_per_accelerator_hour") for s in _SIDES)
    if _is_value(space) or _is_value(ground):
        ratio = _get(c, "delivered.ratio_space_to_ground")
        text = (
            f"space {_num(space, f'{d}.space.usd_per_accelerator_hour')}, "
            f"ground {_num(ground, f'{d}.ground.usd_per_accelerator_hour')} "
            f"(ratio {_num(ratio, f'{d}.ratio_space_to_ground', '.2f')})"
        )
        lines.append(("$/delivered accelerator-hour:", text))
    mc = c.get("monte_carlo")
    if isinstance(mc, Mapping) and _is_value(mc.get("delivered_ratio_p50")):
        lines.append(_mc_line(
            mc, "delivered_ratio", "delivered_probability_space_cheaper",
            _get(c, "delivered.ratio_space_to_ground"), "cost.delivered.ratio_space_to_ground",
            "Monte Carlo P50 space/ground cost per delivered accelerator-hour:",
        ))  # fmt: skip
    base = c.get("ratio_space_to_ground")
    if isinstance(mc, Mapping) and any(_is_value(mc.get(f"ratio_p{p}")) for p in (10, 50, 90)):
        lines.append(_mc_line(
            mc, "ratio", "probability_space_cheaper", base, "cost.ratio_space_to_ground",
            "Monte Carlo P50 space/ground total cost:",
        ))  # fmt: skip
    elif base is not None:
        base_text = f"base case {_num(base, 'cost.ratio_space_to_ground', '.2f')}"
        lines.append(("Space/ground cost ratio:", f"{base_text} (no Monte Carlo in this run)."))
    space, ground = (_get(c, f"delivered.{s}.usd_per_pflop_day") for s in _SIDES)
    if _is_value(space) or _is_value(ground):
        precision = _get(c, "delivered.precision")
        at = f" ({precision})" if isinstance(precision, str) and precision.strip() else ""
        text = (
            f"space {_num(space, f'{d}.space.usd_per_pflop_day')}, "
            f"ground {_num(ground, f'{d}.ground.usd_per_pflop_day')}"
        )
        lines.append((f"$/delivered PFLOP-day{at}:", text))
    losses = [
        f"{s}: {_num(v, f'{d}.{s}.binding_loss')}"
        for s in _SIDES
        if _is_value(v := _get(c, f"delivered.{s}.binding_loss"))
    ]
    if losses:
        lines.append(("Largest loss from installed to delivered:", "; ".join(losses)))
    years = _get(c, "delivered.space.years_to_full_capacity")
    if _is_value(years):
        text = _num(years, f"{d}.space.years_to_full_capacity", ",.1f")
        lines.append(
            ("Space fleet at full capacity:", f"after {text} years" if _is_number(years) else text)
        )
    return "".join(
        f"<p><strong>{html.escape(label)}</strong> {html.escape(text)}</p>" for label, text in lines
    )


def _is_number(value: Any) -> bool:
    return _is_value(value) and not isinstance(value, str | bool | np.bool_)


def _usable(tables: Mapping[str, pa.Table], name: str, columns: tuple[str, ...]) -> pa.Table | str:
    """The table if present and complete; "" (say nothing) when absent or empty; a warning note
    when it lacks a column."""
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return ""
    missing = [col for col in columns if col not in table.column_names]
    if missing:
        return note(
            f"Table {name!r} lacks column(s) {', '.join(missing)}; not shown.", warning=True
        )
    return table


def _in_order(values: list[Any], first: tuple[str, ...] = ()) -> list[str]:
    """Distinct values as text, those in ``first`` first, then in order of appearance."""
    seen = list(dict.fromkeys(str(v) for v in values))
    return [v for v in first if v in seen] + [v for v in seen if v not in first]


_WATERFALL = ("side", "step", "factor", "accelerator_hours", "source")


def _waterfalls(tables: Mapping[str, pa.Table], c: Mapping[str, Any]) -> list[str]:
    """One waterfall of installed -> delivered accelerator-hours per side, with its sources."""
    table = _usable(tables, "delivery_waterfall", _WATERFALL)
    if not isinstance(table, pa.Table):
        return [table] if table else []
    data = table.to_pydict()
    side_of = [str(s) for s in data["side"]]
    parts = []
    for side in _in_order(side_of, _SIDES):
        rows = [i for i, s in enumerate(side_of) if s == side]
        steps = [str(data["step"][i]) for i in rows]
        hours = np.array([data["accelerator_hours"][i] for i in rows], dtype=float)
        factors = np.array([data["factor"][i] for i in rows], dtype=float)
        svg = waterfall_chart(
            steps,
            hours,
            factors=factors,
            title=f"{side.capitalize()}: installed → delivered accelerator-hours",
            unit="accelerator-hours",
            quantity="left after each step",
        )
        caption = f"{side.capitalize()}: "
        if np.isfinite(hours[[0, -1]]).all() and hours[0] > 0:
            caption += (
                f"{_words(hours[-1])} of {_words(hours[0])} installed accelerator-hours "
                f"delivered over the study period ({hours[-1] / hours[0]:.1%}). "
            )
        binding = _get(c, f"delivered.{side}.binding_loss")
        if _is_value(binding):
            caption += f"Largest loss: {_num(binding, f'cost.delivered.{side}.binding_loss')}. "
        caption += "Each bar after the first multiplies what is left by its factor (×)."
        cells = [
            [data["step"][i], data["factor"][i], data["accelerator_hours"][i], data["source"][i]]
            for i in rows
        ]
        sources = data_table(["step", "factor", "accelerator_hours", "source"], cells)
        parts.append(
            figure(svg, caption)
            + f"<details><summary>{html.escape(side)}: steps, factors and where each factor "
            f"comes from</summary>{sources}</details>"
        )
    return parts


_BRIDGE = ("calculator", "step", "from_value", "to_value", "total_usd", "delta_usd")


def _bridge_label(step: Any, a: Any, b: Any) -> str:
    a, b = ("" if v is None else str(v).strip() for v in (a, b))
    return f"{step}: {a or '?'} → {b or '?'}" if a or b else str(step)


def _bridges(tables: Mapping[str, pa.Table]) -> list[str]:
    """One bridge per published calculator, from its published total to skydc's."""
    table = _usable(tables, "cost_bridge", _BRIDGE)
    if not isinstance(table, pa.Table):
        return [table] if table else []
    data = table.to_pydict()
    calc_of = [str(s) for s in data["calculator"]]
    parts = []
    for calc in _in_order(calc_of):
        rows = [i for i, s in enumerate(calc_of) if s == calc]
        labels = [f"{calc}: {data['step'][rows[0]]}"] + [
            _bridge_label(data["step"][i], data["from_value"][i], data["to_value"][i])
            for i in rows[1:]
        ]
        totals = np.array([data["total_usd"][i] for i in rows], dtype=float)
        deltas = np.array([data["delta_usd"][i] for i in rows], dtype=float)
        svg = bridge_chart(
            labels, totals, deltas, title=f"Bridge: {calc} (published) → skydc", unit="USD",
            quantity="total cost",
        )
        caption = (
            f"From {calc}'s published total, each row changes one assumption from the published "
            "value to skydc's (in this order; a change's size depends on those before it)."
        )
        if np.isfinite(totals[[0, -1]]).all():
            caption += f" Published {_words(totals[0])} USD, skydc {_words(totals[-1])} USD."
        parts.append(figure(svg, caption))
    return parts


def _stacked(table: pa.Table) -> str:
    data = table.to_pydict()
    sides = ["space", "ground"]
    groups = [*_GROUPS, "other"]
    values = {g: np.zeros(2) for g in groups}
    net = np.zeros(2)
    for side, line, usd in zip(data["side"], data["line"], data["usd"], strict=True):
        i = sides.index(side)
        net[i] += usd / 1e6
        if usd > 0:
            values[_group_of(line)][i] += usd / 1e6
    stacked = {g: v for g, v in values.items() if v.any()}
    # bar totals are the gross positive lines; residual values are credited in the metrics table
    totals = np.sum(list(stacked.values()), axis=0)
    return figure(
        bar_chart(
            sides,
            totals,
            title="Cost over the period by line",
            y_label="cost over the period [million USD]",
            stacked=stacked,
        ),
        f"Net totals after residual-value credits: space {net[0]:,.0f}, ground {net[1]:,.0f} "
        "million USD.",
    )


def _tornado(table: pa.Table) -> str:
    """Bars of the space/ground ratio from the base case to each input's low and high value."""
    data = table.to_pydict()
    names = [str(n) for n in data["input"][:10]]
    lo = np.array(data["ratio_low"][:10], dtype=float)
    hi = np.array(data["ratio_high"][:10], dtype=float)
    base = float(data["base_ratio"][0]) if names else 1.0
    svg = tornado_chart(
        names, {"input at its low value": (lo, None), "input at its high value": (hi, None)},
        title="Tornado: space/ground cost ratio at each input's low and high value",
        x_label="space / ground cost ratio [–]", base=base, references={"parity": 1.0},
    )  # fmt: skip
    return figure(svg, "Each input alone at the low and the high end of its range, the others "
                  "at the base case; below 1 space is cheaper.")  # fmt: skip


def _monte_carlo(table: pa.Table, metrics: Mapping[str, Any]) -> str:
    """Histograms of the Monte Carlo ratios: per delivered accelerator-hour (when the table has
    it), then of the total cost."""
    mc = metrics.get("monte_carlo", {})
    mc = mc if isinstance(mc, Mapping) else {}
    d = metrics.get("delivered")
    d = d if isinstance(d, Mapping) else {}
    parts = []
    for column, stem, cheaper, base, base_key, title in (
        ("delivered_ratio", "delivered_ratio", "delivered_probability_space_cheaper",
         d.get("ratio_space_to_ground"), "cost.delivered.ratio_space_to_ground",
         "Monte Carlo: space/ground cost per delivered accelerator-hour"),
        ("ratio", "ratio", "probability_space_cheaper", metrics.get("ratio_space_to_ground"),
         "cost.ratio_space_to_ground", "Monte Carlo: space/ground total cost"),
    ):  # fmt: skip
        if column not in table.column_names:
            continue
        ratio = np.asarray(table.column(column).to_numpy(), dtype=float)
        ratio = ratio[np.isfinite(ratio)]
        if ratio.size == 0:
            continue
        k = "cost.monte_carlo"
        base_x = float(base) if isinstance(base, int | float) and _is_number(base) else math.nan
        parts.append(figure(
            histogram_chart(ratio, title=title, x_label="space / ground cost ratio [–]",
                            markers={"base case": base_x, "parity": 1.0}),
            f"{ratio.size:,} samples (seed {_num(mc.get('seed'), f'{k}.seed')}, ranges: "
            f"{_num(mc.get('ranges'), f'{k}.ranges')}); "
            f"P10 {_num(mc.get(f'{stem}_p10'), f'{k}.{stem}_p10', '.2f')}, "
            f"P50 {_num(mc.get(f'{stem}_p50'), f'{k}.{stem}_p50', '.2f')}, "
            f"P90 {_num(mc.get(f'{stem}_p90'), f'{k}.{stem}_p90', '.2f')}; base case "
            f"{_num(base, base_key, '.2f')}; P(space cheaper) "
            f"{_num(mc.get(cheaper), f'{k}.{cheaper}', '.1%')}.",
        ))  # fmt: skip
    return "".join(parts)


_SIDES = ("space", "ground")


def _totals(c: Mapping[str, Any]) -> str:
    """The base case in one sentence: totals of both sides, ratio, launch price, break-even."""
    be = c.get("breakeven_launch_usd_per_kg")
    if _is_number(be):
        be_text = f"break-even launch price {be:,.0f} USD/kg"
    elif isinstance(be, str) and be.strip():
        be_text = f"break-even launch price: {be}"
    else:
        be_text = str(c.get("breakeven_note") or "no break-even launch price")
    power_key = "launched_power_usd_per_kw_yr"
    power = c.get(power_key)
    musd = [
        _num(t / 1e6 if _is_number(t) else t, f"cost.{s}.total_usd", ",.0f")
        for s in _SIDES
        for t in [_get(c, f"{s}.total_usd")]
    ]
    return paragraph(
        f"Base case, {_num(c.get('years'), 'cost.years')} years, "
        f"{_num(c.get('currency'), 'cost.currency')}: space {musd[0]} vs ground {musd[1]} "
        "million USD (base-case ratio "
        f"{_num(c.get('ratio_space_to_ground'), 'cost.ratio_space_to_ground', '.2f')}) at "
        f"{_num(c.get('launch_usd_per_kg'), 'cost.launch_usd_per_kg', ',.0f')} USD/kg; "
        f"{be_text}; launched power {_num(power, f'cost.{power_key}', ',.0f')} USD/kW/yr."
    )


def cost_tables_html(metrics: Mapping[str, Any]) -> str:
    """The cost numbers by subject: cost lines (space vs ground), delivered compute, Monte Carlo,
    launch; units from the metric schema."""
    c = metrics.get("cost")
    if not isinstance(c, Mapping):
        return ""
    flat = flatten({"cost": c})
    sides = [(s, [f"cost.{s}"]) for s in _SIDES]
    lines = list(dict.fromkeys(
        leaf for s in _SIDES for leaf in leaves(flat, f"cost.{s}") if leaf.startswith("lines_usd.")
    ))  # fmt: skip
    delivered = [(s, [f"cost.delivered.{s}", f"cost.{s}"]) for s in _SIDES]
    parts = [
        subsection("Cost over the period by line", by_row(
            flat, [*lines, "total_usd", "levelized_usd_per_kwh", "it_energy_kwh"], sides,
            first="line"), "Residual values are credits (negative)."),
        subsection("Delivered compute", by_row(flat, [
            "usd_per_accelerator_hour", "usd_per_pflop_day", "delivered_accelerator_hours",
            "delivered_fraction", "binding_loss", "years_to_full_capacity"], delivered)),
        subsection("Launch and break-even", by_row(flat, [
            "launch_usd_per_kg", "breakeven_launch_usd_per_kg", "breakeven_note",
            "launched_power_usd_per_kw_yr", "ratio_space_to_ground", "tornado_top_input",
            "years", "currency", "region"], [("value", ["cost"])])),
        subsection("Monte Carlo", _mc_table(flat)),
    ]  # fmt: skip
    return "\n".join(p for p in parts if p)


def _mc_table(flat: Mapping[str, Any]) -> str:
    """P10/P50/P90 of the space/ground ratios, one row per percentile."""
    k = "cost.monte_carlo"
    rows = [
        (f"P{p}", [flat.get(f"{k}.delivered_ratio_p{p}"), flat.get(f"{k}.ratio_p{p}")])
        for p in (10, 50, 90)
    ]
    if not any(v is not None for _, vals in rows for v in vals):
        return ""
    cells = [
        [label, *(_num(v, f"{k}.{stem}_p{label[1:]}", ".2f") for v, stem in
                  zip(vals, ("delivered_ratio", "ratio"), strict=True))]
        for label, vals in rows
    ]  # fmt: skip
    cheaper = [
        "P(space cheaper)",
        _num(flat.get(f"{k}.delivered_probability_space_cheaper"),
             f"{k}.delivered_probability_space_cheaper", ".1%"),
        _num(flat.get(f"{k}.probability_space_cheaper"), f"{k}.probability_space_cheaper", ".1%"),
    ]  # fmt: skip
    return data_table(
        ["percentile", "space/ground per delivered accelerator-hour", "space/ground total cost"],
        [*cells, cheaper],
    ) + paragraph(
        f"{_num(flat.get(f'{k}.samples'), f'{k}.samples')} samples, seed "
        f"{_num(flat.get(f'{k}.seed'), f'{k}.seed')}; ranges: "
        f"{_num(flat.get(f'{k}.ranges'), f'{k}.ranges')}."
    )


def delivery_tables_html(metrics: Mapping[str, Any]) -> str:
    """Installed to delivered accelerator-hours, factor by factor, space vs ground."""
    d = metrics.get("delivery")
    if not isinstance(d, Mapping):
        return ""
    flat = flatten({"delivery": d})
    rows = list(dict.fromkeys(
        leaf for s in _SIDES for leaf in leaves(flat, f"delivery.{s}")
    ))  # fmt: skip
    sides = [(s, [f"delivery.{s}"]) for s in _SIDES]
    other = [k.removeprefix("delivery.") for k in flat
             if not k.startswith(("delivery.space.", "delivery.ground."))]  # fmt: skip
    return "\n".join(p for p in (
        subsection("Installed to delivered", by_row(flat, rows, sides, first="step")),
        subsection("Probe and downlink", by_row(flat, other, [("value", ["delivery"])])),
    ) if p)  # fmt: skip


def render_cost(
    metrics: Mapping[str, Any], tables: Mapping[str, pa.Table], *, tables_html: str = ""
) -> str:
    """HTML of the cost section (empty when the run has no cost).

    Order: headline (delivered cost, Monte Carlo ratio and base case), the waterfalls, the bridges,
    the base-case totals, the cost lines, the tornado, the Monte Carlo histogram.
    """
    c = metrics.get("cost")
    if not isinstance(c, Mapping):
        return ""
    parts = [_headline(c), tables_html, *_waterfalls(tables, c), *_bridges(tables)]
    if all(isinstance(c.get(k), Mapping) for k in _SIDES):
        parts.append(_totals(c))
    for name, render in (("cost_lines", _stacked), ("tornado", _tornado)):
        table = tables.get(name)
        if table is not None and table.num_rows:
            parts.append(render(table))
    mc = tables.get("monte_carlo")
    if mc is not None and mc.num_rows:
        parts.append(_monte_carlo(mc, c))
    return "\n".join(p for p in parts if p)
