"""Metric tables grouped by subsystem: one row per quantity, one column per shell or side.

These replace the flattened ``sizing.per_satellite.<shell>.…`` rows of the reports: a table reads
one subsystem (mass, power, thermal, launch) across the design satellites, the fleet and the
centralized station. Units come from the metric schema (the row's first metric that has one) and
are shown in a readable unit (``W`` as ``kW``/``MW``, ``kg`` as ``t``) through
:func:`skydc.schema.convert`. A metric without a value shows the first words of the schema's reason
(``never``, ``unknown``, ``unreachable``); the full sentence is in the folded list of all metrics.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from skydc import schema
from skydc.report.headline import DISPLAY_AT_LEAST, DISPLAY_LADDER
from skydc.report.html import format_value, split_unit

__all__ = ["by_column", "by_row", "leaves", "subsection"]

Columns = Sequence[tuple[str, Sequence[str]]]  # (column title, metric prefixes tried in order)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def leaves(flat: Mapping[str, Any], prefix: str, *, skip: Sequence[str] = ()) -> list[str]:
    """The keys under ``prefix.`` relative to it, in order, without those starting with ``skip``."""
    head = prefix + "."
    return [
        k[len(head) :]
        for k in flat
        if k.startswith(head) and not any(k[len(head) :].startswith(s) for s in skip)
    ]


def _display_unit(values: list[float], key: str) -> tuple[float, str]:
    """The factor and unit to show a row (or column) of values of metric ``key`` in."""
    stored = schema.unit(key)
    finite = [abs(v) for v in values if math.isfinite(v) and v != 0]
    if finite:
        # the smallest value still reads at least 1 in the unit; money reads in millions when
        # most lines are (a few small lines then read 0.03 M USD)
        typical = float(np.median(finite)) if stored == "USD" else min(finite)
        for shown in DISPLAY_LADDER.get(stored, ()):
            factor = schema.convert(1.0, key, shown)[0]
            if typical * factor >= DISPLAY_AT_LEAST.get(shown, 1.0):
                return factor, shown
    return 1.0, stored


def _reason(key: str) -> str:
    """The first words of why ``key`` has no value ("never", "unknown", ...)."""
    return schema.why_missing(key).split(":", 1)[0]


def _cell(value: object, key: str, factor: float, unit: str) -> str:
    if value is None or (_number(value) and not math.isfinite(float(value))):  # type: ignore[arg-type]
        return f'<td title="{_e(schema.why_missing(key))}">{_e(_reason(key))}</td>'
    if _number(value):
        x = value if factor == 1.0 else float(value) * factor  # type: ignore[arg-type]
        return f'<td class="num">{_e(format_value(x, unit))}</td>'
    if isinstance(value, str) and value.startswith(("never:", "unknown:", "unreachable:",
                                                    "not computed:", "n/a:")):  # fmt: skip
        return f'<td title="{_e(value)}">{_e(value.split(":", 1)[0])}</td>'
    if isinstance(value, list | tuple) and not value:
        return "<td>none</td>"
    return f"<td>{_e(format_value(value))}</td>"


def _label(leaf: str, strip_group: bool, has_unit: bool) -> str:
    """``mass_breakdown_kg.compute`` -> "compute" (or "mass breakdown: compute"), ``it_power_w``
    -> "it power": the unit is in its own column. A suffix is cut only from a metric that has a
    unit in the schema (``delivered_pflop_days`` is a count, not days)."""
    first, dot, rest = leaf.partition(".")
    group, unit = split_unit(first)
    if dot and unit:
        name = (split_unit(rest)[0] if has_unit else rest).replace(".", " ").replace("_", " ")
        return name if strip_group else f"{group.replace('_', ' ')}: {name}"
    name = split_unit(leaf)[0] if has_unit else leaf
    if name.endswith("_per"):  # events_per_s: the rate's unit is "/s"; keep "per s" in words
        name = leaf
    return name.replace(".", " ").replace("_", " ")


def _find(flat: Mapping[str, Any], prefixes: Sequence[str], leaf: str) -> str | None:
    return next((f"{p}.{leaf}" for p in prefixes if f"{p}.{leaf}" in flat), None)


def by_row(
    flat: Mapping[str, Any],
    rows: Sequence[str],
    columns: Columns,
    *,
    first: str = "quantity",
    strip_group: bool = True,
) -> str:
    """A table with one row per leaf in ``rows`` (its unit in the second column) and one column per
    ``columns`` entry (the leaf under the first prefix that has it); rows and columns without any
    metric are left out; "" when nothing is left."""
    keys = [[_find(flat, prefixes, leaf) for _, prefixes in columns] for leaf in rows]
    used_rows = [i for i, r in enumerate(keys) if any(r)]
    used_cols = [j for j in range(len(columns)) if any(keys[i][j] for i in used_rows)]
    if not used_rows or not used_cols:
        return ""
    # one display unit per stored unit over the whole table, so that rows compare
    unit_keys = {i: next((k for k in keys[i] if k and schema.unit(k)), None) for i in used_rows}
    values: dict[str, list[float]] = {}
    for i in used_rows:
        if (uk := unit_keys[i]) is not None:
            values.setdefault(schema.unit(uk), []).extend(
                float(flat[k]) for k in keys[i] if k and _number(flat[k])
            )
    body = []
    for i in used_rows:
        uk = unit_keys[i]
        factor, unit = _display_unit(values[schema.unit(uk)], uk) if uk else (1.0, "")
        cells = "".join(
            _cell(flat[k], k, factor, unit) if (k := keys[i][j]) else "<td></td>"
            for j in used_cols
        )
        label = _label(rows[i], strip_group, bool(unit))
        body.append(f"<tr><td>{_e(label)}</td><td>{_e(unit)}</td>{cells}</tr>")
    head = f"<th>{_e(first)}</th><th>unit</th>" + "".join(
        f"<th>{_e(columns[j][0])}</th>" for j in used_cols
    )
    return (
        f'<table class="data grouped by-row"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def by_column(
    flat: Mapping[str, Any], rows: Sequence[tuple[str, str]], columns: Sequence[tuple[str, str]],
    *, first: str = "",
) -> str:
    """A table with one row per (label, prefix) and one column per (title, leaf), the unit in
    each column's header; "" when no cell has a metric."""
    keys = [[f"{p}.{leaf}" if f"{p}.{leaf}" in flat else None for _, leaf in columns]
            for _, p in rows]  # fmt: skip
    used_rows = [i for i, r in enumerate(keys) if any(r)]
    used_cols = [j for j in range(len(columns)) if any(keys[i][j] for i in used_rows)]
    if not used_rows or not used_cols:
        return ""
    shown: dict[int, tuple[float, str]] = {}
    for j in used_cols:
        col = [k for i in used_rows if (k := keys[i][j])]
        shown[j] = _display_unit([float(flat[k]) for k in col if _number(flat[k])], col[0])
    head = f"<th>{_e(first)}</th>" + "".join(
        f"<th>{_e(columns[j][0])}{f' [{_e(shown[j][1])}]' if shown[j][1] else ''}</th>"
        for j in used_cols
    )
    body = "".join(
        f"<tr><td>{_e(rows[i][0])}</td>" + "".join(
            _cell(flat[k], k, *shown[j]) if (k := keys[i][j]) else "<td></td>" for j in used_cols
        ) + "</tr>"
        for i in used_rows
    )  # fmt: skip
    return (
        f'<table class="data grouped"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def subsection(title: str, body: str, caption: str = "") -> str:
    """An ``<h3>`` subsection; "" when ``body`` is empty (no empty sections)."""
    if not body:
        return ""
    cap = f'<p class="note">{_e(caption)}</p>' if caption else ""
    return f'<h3>{_e(title)}</h3>{cap}<div class="wide">{body}</div>'
