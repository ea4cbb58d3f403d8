"""The cost section of the report: space vs ground by line, the tornado, the Monte Carlo spread."""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.report.html import figure, paragraph
from skydc.report.svg import PALETTE, bar_chart

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
            y_label="million USD",
            stacked=stacked,
        ),
        f"Net totals after residual-value credits: space {net[0]:,.0f}, ground {net[1]:,.0f} "
        "million USD.",
    )


def _tornado(table: pa.Table, width: int = 720) -> str:
    """Horizontal bars of the space/ground ratio at each input's low and high value."""
    data = table.to_pydict()
    names = data["input"][:10]
    lo, hi = np.array(data["ratio_low"][:10]), np.array(data["ratio_high"][:10])
    base = float(data["base_ratio"][0]) if names else 1.0
    left, right, row, top = 250.0, width - 30.0, 24.0, 40.0
    height = top + row * len(names) + 40.0
    span = np.concatenate([lo, hi, [base, 1.0]])
    x0, x1 = float(np.nanmin(span)), float(np.nanmax(span))
    pad = 0.05 * (x1 - x0 or 1.0)
    x0, x1 = x0 - pad, x1 + pad

    def sx(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (right - left)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="sans-serif" font-size="12">',
        f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-weight="bold">'
        "Tornado: space/ground cost ratio at each input's low and high value</text>",
    ]
    for k, name in enumerate(names):
        y = top + k * row
        for value, color in ((lo[k], PALETTE[0]), (hi[k], PALETTE[1])):
            a, b = sorted((sx(base), sx(float(value))))
            out.append(f'<rect x="{a:.1f}" y="{y + 3:.1f}" width="{max(b - a, 1.0):.1f}" '
                       f'height="{row - 6:.1f}" fill="{color}" opacity="0.85"/>')  # fmt: skip
        out.append(f'<text x="{left - 6:.0f}" y="{y + row / 2 + 4:.1f}" text-anchor="end">'
                   f"{html.escape(str(name))}</text>")  # fmt: skip
    y_end = top + row * len(names)
    for value, label, dash in ((base, f"base {base:.2f}", ""), (1.0, "parity 1.0", "4 3")):
        x = sx(value)
        out.append(f'<line x1="{x:.1f}" y1="{top - 4:.0f}" x2="{x:.1f}" y2="{y_end:.0f}" '
                   f'stroke="#333" stroke-dasharray="{dash}"/>')  # fmt: skip
        out.append(f'<text x="{x:.1f}" y="{y_end + 16:.0f}" text-anchor="middle">{label}</text>')
    out.append(f'<text x="{left:.0f}" y="{y_end + 32:.0f}" fill="{PALETTE[0]}">low value</text>'
               f'<text x="{left + 90:.0f}" y="{y_end + 32:.0f}" fill="{PALETTE[1]}">'
               "high value</text></svg>")  # fmt: skip
    return figure("".join(out))


def _monte_carlo(table: pa.Table, metrics: Mapping[str, Any]) -> str:
    ratio = np.asarray(table.column("ratio").to_numpy(), dtype=float)
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size == 0:
        return ""
    counts, edges = np.histogram(ratio, bins=24)
    labels = [f"{(a + b) / 2:.2f}" for a, b in itertools.pairwise(edges)]
    mc = metrics.get("monte_carlo", {})
    return figure(
        bar_chart(
            labels,
            counts / ratio.size,
            title="Monte Carlo: space/ground cost ratio",
            y_label="share of samples",
        ),
        f"{ratio.size:,} samples (seed {mc.get('seed')}, ranges: {mc.get('ranges')}); "
        f"P10 {mc.get('ratio_p10', float('nan')):.2f}, "
        f"P50 {mc.get('ratio_p50', float('nan')):.2f}, "
        f"P90 {mc.get('ratio_p90', float('nan')):.2f}; "
        f"P(space cheaper) {mc.get('probability_space_cheaper', float('nan')):.1%}.",
    )


_SIDES = ("space", "ground")


def render_cost(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """HTML of the cost section (empty when the run has no cost)."""
    c = metrics.get("cost")
    if not isinstance(c, Mapping) or not all(isinstance(c.get(k), Mapping) for k in _SIDES):
        return ""
    be = c.get("breakeven_launch_usd_per_kg", float("nan"))
    be_text = (
        f"break-even launch price {be:,.0f} USD/kg"
        if isinstance(be, float) and be == be
        else str(c.get("breakeven_note") or "no break-even launch price")
    )
    parts = [
        paragraph(
            f"{c.get('years')} years, {c.get('currency')}: "
            f"space {c['space']['total_usd'] / 1e6:,.0f} "
            f"vs ground {c['ground']['total_usd'] / 1e6:,.0f} million USD (ratio "
            f"{c.get('ratio_space_to_ground', float('nan')):.2f}) at "
            f"{c.get('launch_usd_per_kg', float('nan')):,.0f} USD/kg; {be_text}; launched power "
            f"{c.get('launched_power_usd_per_kw_yr', float('nan')):,.0f} USD/kW/yr."
        )
    ]
    for name, render in (("cost_lines", _stacked), ("tornado", _tornado)):
        table = tables.get(name)
        if table is not None and table.num_rows:
            parts.append(render(table))
    mc = tables.get("monte_carlo")
    if mc is not None and mc.num_rows:
        parts.append(_monte_carlo(mc, c))
    return "\n".join(parts)
