"""The trade-study report: one self-contained ``report.html`` for a ``skydc sweep`` folder.

Inputs are the study's manifest (what was varied and kept), its table of points (one row per
point: the varied inputs, the kept metrics, ``status``, ``error``, ``wall_s``) and the analysis of
the points (every part optional: Sobol indices, tornado swings, a Pareto front, a break-even
contour). Sections, each shown only when its data exists:

1. Summary: the study, the point counts (ok / error / pending), the varied inputs and their ranges.
2. Points: the first rows of the table (missing values "—", with the reason as a tooltip).
3. Inputs vs outputs: per kept metric (up to four) one scatter (or strip) plot per varied input,
   then a parallel-coordinates plot of the numeric inputs and the first kept metric.
4. Sobol indices, 5. Tornado, 6. Pareto front, 7. Break-even ("what would have to be true").

Charts live in :mod:`skydc.report.study_plots` and :mod:`skydc.report.charts`; where a chart
would be empty the section says why in one line instead. Missing values are never written
"nan" or "None".
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc import schema
from skydc.report.charts import tornado_chart
from skydc.report.html import Section, bullet_list, figure, note, paragraph, render_page, split_unit
from skydc.report.study_plots import (
    contour_chart,
    heatmap,
    parallel_coordinates,
    scatter_chart,
    strip_chart,
)
from skydc.report.text import DASH, fmt_sig, plotted_mask, wide_range

__all__ = ["MAX_METRIC_PLOTS", "MAX_TABLE_ROWS", "render_study_report"]

MAX_TABLE_ROWS = 200  # rows of the points table written into the page
MAX_METRIC_PLOTS = 4  # kept metrics with a set of small multiples
_MAX_LISTED = 8  # a numeric input with at most this many distinct values lists them
_ERROR_CHARS = 300  # error text shown in a table cell (the full text is its tooltip)
_PANEL_H = 250  # height of one small-multiple panel [px]
_FLEX = '<div style="display:flex;flex-wrap:wrap;gap:6px 10px">'
_SCROLL = '<div style="overflow-x:auto">'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- the points table as arrays ----------------------------------------------------------------


@dataclass
class _Input:
    path: str
    numeric: bool
    values: NDArray[Any]  # float64 (numeric) or object (str | None)


@dataclass
class _Study:
    n: int
    index: NDArray[np.int64]
    status: list[str]
    error: list[str]
    wall: NDArray[np.float64]
    inputs: list[_Input]
    metrics: dict[str, NDArray[np.float64]]
    why: dict[str, list[str]]
    absent: list[str] = field(default_factory=list)

    def input(self, path: str) -> _Input | None:
        return next((i for i in self.inputs if i.path == path), None)

    def values(self, path: str) -> NDArray[np.float64] | None:
        """A numeric column (a kept metric or a numeric input) by path."""
        if path in self.metrics:
            return self.metrics[path]
        inp = self.input(path)
        return inp.values if inp is not None and inp.numeric else None


def _is_numeric(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))


def _floats(table: pa.Table, name: str) -> NDArray[np.float64]:
    col = table.column(name)
    if _is_numeric(col.type) or pa.types.is_null(col.type):
        arr = col.cast(pa.float64()).to_numpy()
        return np.asarray(arr, dtype=np.float64)
    return np.full(table.num_rows, np.nan)


def _strings(table: pa.Table, name: str) -> list[str | None]:
    return [None if v is None else str(v) for v in table.column(name).to_pylist()]


def _load(manifest: Mapping[str, Any], points: pa.Table) -> _Study:
    if "index" in points.column_names:
        order = np.argsort(_floats(points, "index"), kind="stable")
        points = points.take(pa.array(order))
    n = points.num_rows
    cols = set(points.column_names)
    absent: list[str] = []
    idx = _floats(points, "index") if "index" in cols else np.arange(n, dtype=np.float64)
    index = np.nan_to_num(idx, nan=-1).astype(np.int64)
    status = [s or "ok" for s in _strings(points, "status")] if "status" in cols else ["ok"] * n
    error = [s or "" for s in _strings(points, "error")] if "error" in cols else [""] * n
    wall = _floats(points, "wall_s") if "wall_s" in cols else np.full(n, np.nan)
    inputs = []
    for path in manifest.get("varied") or []:
        if path not in cols:
            absent.append(str(path))
            continue
        t = points.column(path).type
        if _is_numeric(t):
            inputs.append(_Input(str(path), True, _floats(points, path)))
        else:
            inputs.append(_Input(str(path), False, np.array(_strings(points, path), dtype=object)))
    metrics, why = {}, {}
    for path in manifest.get("keep") or []:
        if path not in cols:
            absent.append(str(path))
            continue
        metrics[str(path)] = _floats(points, path)
        w = f"{path}#why"
        why[str(path)] = [s or "" for s in _strings(points, w)] if w in cols else [""] * n
    return _Study(n, index, status, error, wall, inputs, metrics, why, absent)


# --- labels ------------------------------------------------------------------------------------


def _unit(path: str) -> str:
    """A metric's unit from the schema; an input's (or an undeclared metric's) from its name."""
    return schema.unit(path) or split_unit(path)[1]


def _label(path: str) -> str:
    u = _unit(path)
    return f"{path} [{u}]" if u else path


def _axis_label(path: str) -> str:
    """An axis label with its unit; a quantity without one is dimensionless ("[–]")."""
    u = _unit(path)
    return f"{path} [{u or '–'}]"


def _with_unit(value: object, path: str) -> str:
    text = fmt_sig(value)
    u = _unit(path)
    return f"{text} {u}" if u and text != DASH else text


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _h3(text: str) -> str:
    return f"<h3>{_e(text)}</h3>"


def _desc(v: float) -> float:
    """Sort key: largest first, non-finite last."""
    return -v if math.isfinite(v) else math.inf


def _num(v: object) -> float:
    """A float from an analysis value (``None``, a string or anything else: NaN)."""
    if isinstance(v, bool):
        return math.nan
    if isinstance(v, int | float | np.integer | np.floating):
        return float(v)
    return math.nan


def _wbr(path: str) -> str:
    """An escaped dotted path that may wrap after its dots (for narrow table headers)."""
    *head, last = path.split(".")
    return "".join(f"{_e(p)}.<wbr/>" for p in head) + _e(last)


def _kv_table(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="metrics"><tbody>{body}</tbody></table>'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table of already-escaped header and cell HTML (cells are full ``<td>`` elements)."""
    h = "".join(f"<th>{c}</th>" for c in head)
    b = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    return (
        f'{_SCROLL}<table class="data"><thead><tr>{h}</tr></thead><tbody>{b}</tbody></table></div>'
    )


def _num_td(value: object, tip: str = "") -> str:
    t = f' title="{_e(tip)}"' if tip else ""
    return f'<td class="num"{t}>{_e(fmt_sig(value))}</td>'


def _txt_td(value: object, tip: str = "") -> str:
    t = f' title="{_e(tip)}"' if tip else ""
    return f'<td style="white-space:nowrap"{t}>{_e(fmt_sig(value))}</td>'


def _input_td(inp: _Input, i: int) -> str:
    return _num_td(float(inp.values[i])) if inp.numeric else _txt_td(inp.values[i])


# --- 1. summary --------------------------------------------------------------------------------


def _counts(study: _Study, total: int) -> tuple[int, int, int]:
    ok = sum(s == "ok" for s in study.status)
    err = sum(s == "error" for s in study.status)
    return ok, err, max(0, total - ok - err)


def _range_text(inp: _Input) -> str:
    if not inp.numeric:
        vals = sorted({DASH if v is None else str(v) for v in inp.values})
        return ", ".join(vals) if vals else DASH
    v = inp.values[np.isfinite(inp.values)]
    if v.size == 0:
        return DASH
    distinct = np.unique(v)
    if distinct.size <= _MAX_LISTED:
        return ", ".join(fmt_sig(float(x)) for x in distinct)
    text = f"{fmt_sig(float(v.min()))} – {fmt_sig(float(v.max()))} ({distinct.size:,} values"
    return text + (", log scale)" if wide_range(v) else ")")


def _span(v: NDArray[np.float64]) -> str:
    """The range of finite values as "min – max", one value if all are equal, "—" if none."""
    if v.size == 0:
        return DASH
    lo, hi = fmt_sig(float(v.min())), fmt_sig(float(v.max()))
    return lo if lo == hi else f"{lo} – {hi}"


def _summary(manifest: Mapping[str, Any], study: _Study, total: int) -> str:
    ok, err, pending = _counts(study, total)
    finite_wall = study.wall[np.isfinite(study.wall)]
    wall = f"{fmt_sig(float(np.median(finite_wall)), 3)} s" if finite_wall.size else DASH
    stages = manifest.get("stages") or []
    rows = [
        ("Study", str(manifest.get("name") or DASH)),
        ("Scenario", str(manifest.get("scenario") or DASH)),
        ("Design", str(manifest.get("design") or DASH)),
        ("Points", f"{ok:,} ok, {err:,} error, {pending:,} pending of {total:,}"),
        ("Median wall time per point", wall),
    ]
    if stages:
        rows.append(("Stages", ", ".join(str(s) for s in stages)))
    parts = [_kv_table(rows)]
    if study.inputs:
        head = ["Varied input", "Unit", "Kind", "Range or values"]
        body = [
            [
                f'<td class="key">{_e(i.path)}</td>',
                f"<td>{_e(_unit(i.path) or DASH)}</td>",
                f"<td>{'numeric' if i.numeric else 'categorical'}</td>",
                f"<td>{_e(_range_text(i))}</td>",
            ]
            for i in study.inputs
        ]
        parts.append(_table(head, body))
    if study.metrics:
        head = ["Kept metric", "Unit", "Points with a value", "Range"]
        body = []
        for path, v in study.metrics.items():
            fin = v[np.isfinite(v)]
            rng = _span(fin)
            body.append([
                f'<td class="key">{_e(path)}</td>',
                f"<td>{_e(_unit(path) or DASH)}</td>",
                f'<td class="num">{fin.size:,} of {study.n:,}</td>',
                f'<td class="num">{_e(rng)}</td>',
            ])  # fmt: skip
        parts.append(_table(head, body))
    if study.absent:
        parts.append(
            note(f"Not in the points table, not shown: {', '.join(study.absent)}.", warning=True)
        )
    if study.n == 0:
        parts.append(note("No point has run yet: there is nothing to tabulate or plot."))
    return "\n".join(parts)


# --- 2. points table ---------------------------------------------------------------------------


def _points(study: _Study) -> str:
    n_show = min(study.n, MAX_TABLE_ROWS)
    head = ["index", *(_wbr(i.path) for i in study.inputs)]
    head += [_wbr(m) for m in study.metrics] + ["status", "error"]
    rows = []
    for r in range(n_show):
        cells = [f'<td class="num">{study.index[r]}</td>']
        cells += [_input_td(i, r) for i in study.inputs]
        for m, v in study.metrics.items():
            cells.append(_num_td(float(v[r]), study.why[m][r] if not np.isfinite(v[r]) else ""))
        cells.append(f"<td>{_e(study.status[r])}</td>")
        err = study.error[r]
        short = err if len(err) <= _ERROR_CHARS else err[: _ERROR_CHARS - 1] + "…"
        tip = f' title="{_e(err)}"' if short != err else ""
        cells.append(f'<td class="err"{tip}>{_e(short)}</td>')
        rows.append(cells)
    parts = [f'<div class="wide">{_table(head, rows)}</div>']  # scrolls when many columns
    if study.n > n_show:
        parts.append(
            f'<p class="note">Showing the first {n_show:,} of {study.n:,} rows: all '
            f"{study.n:,} rows are in <code>points/</code> — "
            "<code>skydc query DIR 'SELECT ...'</code>.</p>"
        )
    reasons: Counter[tuple[str, str]] = Counter()
    for m, v in study.metrics.items():
        for r in np.flatnonzero(~np.isfinite(v)).tolist():
            if study.status[r] == "ok":
                reasons[(m, study.why[m][r] or schema.why_missing(m))] += 1
    if reasons:
        items = [f"{m}: {why} ({k:,} point{'s' if k != 1 else ''})"
                 for (m, why), k in sorted(reasons.items())]  # fmt: skip
        parts.append(paragraph("Why some values are missing (“—” in the table):"))
        parts.append(bullet_list(items))
    return "\n".join(parts)


# --- 3. inputs vs outputs ----------------------------------------------------------------------


def _log_inputs(study: _Study) -> set[str]:
    return {i.path for i in study.inputs if i.numeric and wide_range(i.values)}


def _drop_text(study: _Study, drawn: int, what: str) -> str:
    left_out = study.n - drawn
    text = f"{drawn:,} of {study.n:,} points drawn"
    if left_out:
        text += f"; {left_out:,} without a value of {what} left out"
    return text + "."


def _inputs_vs_outputs(study: _Study) -> str:
    parts = []
    logs = _log_inputs(study)
    kept = list(study.metrics)
    for m in kept[:MAX_METRIC_PLOTS]:
        y = study.metrics[m]
        parts.append(f"<h3>{_e(_label(m))}</h3>")
        if not np.isfinite(y).any():
            parts.append(note(f"No point has a value of {m}: nothing to plot."))
            continue
        panels = []
        log_y = wide_range(y)
        # the panel's y label: the metric's last segment and unit, or the segment alone
        y_label = f"{_last(m)} [{_unit(m) or '–'}]"
        empty = []
        for inp in study.inputs:
            x_label = _unit(inp.path)
            if (
                inp.numeric
                and not plotted_mask(inp.values, y, log_x=inp.path in logs, log_y=log_y).any()
            ):
                empty.append(inp.path)
            elif inp.numeric:
                panels.append(scatter_chart(
                    inp.values, y, title=inp.path, x_label=f"[{x_label or '–'}]",
                    y_label=y_label, log_x=inp.path in logs, log_y=log_y, height=_PANEL_H,
                ))  # fmt: skip
            else:
                panels.append(strip_chart(
                    list(inp.values), y, title=inp.path, x_label="", y_label=y_label,
                    log_y=log_y, height=_PANEL_H,
                ))  # fmt: skip
        drawn = int(plotted_mask(y, log_x=log_y).sum())
        caption = f"{m} against each varied input. " + _drop_text(study, drawn, m)
        if logs & {i.path for i in study.inputs}:
            caption += " Log x axis for inputs spanning more than two decades."
        if log_y:
            caption += f" Log y axis: {m} spans more than two decades."
        if panels:
            parts.append(figure(_FLEX + "".join(panels) + "</div>", caption))
        if empty:
            parts.append(note(f"No point has both a value of {m} and of {', '.join(empty)}."))
    if len(kept) > MAX_METRIC_PLOTS:
        parts.append(note(f"Plots for the first {MAX_METRIC_PLOTS} of {len(kept)} kept metrics."))
    numeric = [i for i in study.inputs if i.numeric]
    if not numeric:
        parts.append(note("No numeric varied input: no parallel-coordinates plot."))
    elif kept and np.isfinite(study.metrics[kept[0]]).any():
        m = kept[0]
        axes = {i.path: i.values for i in numeric}
        axes[m] = study.metrics[m]
        log_axes = logs | ({m} if wide_range(study.metrics[m]) else set())
        ok = np.ones(study.n, dtype=bool)
        for k, v in axes.items():
            ok &= plotted_mask(v, log_x=k in log_axes)
        if not ok.any():
            parts.append(note("No point has a value on every axis: no parallel-coordinates plot."))
            return "\n".join(parts)
        svg = parallel_coordinates(
            axes, color_by=m, title=f"All numeric inputs and {_last(m)}", log_axes=log_axes
        )
        caption = (
            f"One line per point through its numeric inputs and {m}, coloured by {m}. Each axis "
            f"spans its own range. {int(ok.sum()):,} of {study.n:,} points drawn"
            + (f"; {study.n - int(ok.sum()):,} without a value left out." if not ok.all() else ".")
        )
        parts.append(_h3("Parallel coordinates") + figure(svg, caption))
    if not study.inputs:
        parts.append(note("No varied input in the points table: nothing to plot against."))
    return "\n".join(parts)


# --- 4. Sobol indices --------------------------------------------------------------------------


def _ordered(keys: Sequence[str], study: _Study) -> list[str]:
    """Metrics of an analysis in the study's ``keep`` order first, then the others."""
    kept = [m for m in study.metrics if m in keys]
    return kept + [k for k in keys if k not in kept]


def _sobol(sobol: Mapping[str, Any], study: _Study,
           warnings: Mapping[str, Any] | None = None) -> str:  # fmt: skip
    parts = []
    for m, lines in (warnings or {}).items():
        text = "; ".join(str(x) for x in lines) if isinstance(lines, list) else str(lines)
        parts.append(note(f"Not converged: the indices of {m} are not to be trusted yet: {text}."))
    parts += [
        paragraph(
            "S1 (first order): the share of the variance of the metric that the input explains "
            "alone. ST (total): including its interactions with the other inputs. Whiskers: the "
            "confidence interval given with each index (±)."
        )
    ]
    for m in _ordered(list(sobol), study):
        per = sobol[m] if isinstance(sobol[m], Mapping) else {}
        parts.append(_h3(_label(m)))
        if not per:
            parts.append(note(f"No Sobol indices for {m}."))
            continue
        d = {k: v if isinstance(v, Mapping) else {} for k, v in per.items()}
        names = sorted(d, key=lambda k: _desc(_num(d[k].get("ST"))))
        cols = {s: np.array([_num(d[k].get(s)) for k in names])
                for s in ("S1", "S1_conf", "ST", "ST_conf")}  # fmt: skip
        if not (np.isfinite(cols["S1"]).any() or np.isfinite(cols["ST"]).any()):
            parts.append(note(f"The Sobol indices of {m} have no values."))
            continue

        svg = tornado_chart(
            names,
            {
                "S1 first order": (cols["S1"], cols["S1_conf"]),
                "ST total": (cols["ST"], cols["ST_conf"]),
            },
            title=f"Sobol indices of {_last(m)}", x_label="Sobol index [–]", x_range=(0.0, 1.0),
        )  # fmt: skip
        s1 = cols["S1"]
        caption = f"Sobol indices of {m}, inputs by total index."
        if np.isfinite(s1).all():
            caption += f" Sum of S1 = {fmt_sig(float(s1.sum()), 3)}"
            caption += (
                ": interactions explain the rest." if s1.sum() < 0.95 else ": nearly additive."
            )
        parts.append(figure(svg, caption))
    return "\n".join(parts)


# --- 5. tornado --------------------------------------------------------------------------------


def _tornado(tornado: Mapping[str, Any], study: _Study) -> str:
    parts = []
    for m in _ordered(list(tornado), study):
        per = tornado[m] if isinstance(tornado[m], Mapping) else {}
        parts.append(_h3(_label(m)))
        swings = {str(k): _num(v) for k, v in per.items()}
        if not any(math.isfinite(v) for v in swings.values()):
            parts.append(note(f"No tornado swings for {m}."))
            continue
        names = sorted(swings, key=lambda k: _desc(abs(swings[k])))
        u = _unit(m)
        svg = tornado_chart(
            names, {"swing": (np.array([swings[k] for k in names]), None)},
            title=f"Swing of {_last(m)} per input", x_label=f"swing of {_last(m)} [{u or '–'}]",
        )  # fmt: skip
        top = names[0]
        caption = (
            f"Change of {m} as each input goes from the low to the high end of its range, the "
            f"others at their baseline. Largest: {top} ({_with_unit(swings[top], m)})."
        )
        parts.append(figure(svg, caption))
    return "\n".join(parts)


# --- 6. Pareto front ---------------------------------------------------------------------------


def _better(sense: str) -> str:
    return "higher" if sense.startswith("max") else "lower"


def _is_index(v: object) -> bool:
    return isinstance(v, int | np.integer) or (isinstance(v, float) and v.is_integer())


def _pareto(pareto: Mapping[str, Any], study: _Study) -> str:
    objectives = [o for o in pareto.get("objectives") or [] if isinstance(o, Mapping)]
    front_idx = {int(i) for i in pareto.get("front") or [] if _is_index(i)}
    on_front = np.isin(study.index, list(front_idx))
    obj = [(str(o.get("metric", "")), str(o.get("sense", "min"))) for o in objectives]
    known = [(m, s) for m, s in obj if study.values(m) is not None]
    parts = []
    if obj:
        parts.append(bullet_list([
            f"{m}: {'maximise' if _better(s) == 'higher' else 'minimise'}"
            + ("" if study.values(m) is not None else " (not in the points table)")
            for m, s in obj
        ]))  # fmt: skip
    if not front_idx:
        return "\n".join([*parts, note("The analysis found no non-dominated point.")])
    if len(known) < 2:
        parts.append(note("A Pareto plot needs two objectives in the points table; "
                          f"{len(known)} given."))  # fmt: skip
    else:
        (mx, sx), (my, sy) = known[0], known[1]
        xv, yv = study.values(mx), study.values(my)
        assert xv is not None and yv is not None
        log_x, log_y = wide_range(xv), wide_range(yv)
        drawn = int(plotted_mask(xv, yv, log_x=log_x, log_y=log_y).sum())
        if drawn:
            svg = scatter_chart(
                xv, yv, title="Pareto front", x_label=_axis_label(mx), y_label=_axis_label(my),
                log_x=log_x, log_y=log_y, highlight=on_front, connect=True,
                legend=("non-dominated", "dominated"), width=720, height=440,
            )  # fmt: skip
            caption = (
                f"{mx} ({_better(sx)} is better) against {my} ({_better(sy)} is better); the "
                "non-dominated points are joined. " + _drop_text(study, drawn, "both objectives")
            )
            parts.append(figure(svg, caption))
        else:
            parts.append(note(f"No point has values of both {mx} and {my}: no Pareto plot."))
    rows_i = np.flatnonzero(on_front)
    if known:
        first = study.values(known[0][0])
        assert first is not None
        rows_i = rows_i[np.argsort(first[rows_i], kind="stable")]
    head = ["index", *(_wbr(i.path) for i in study.inputs), *(_wbr(m) for m, _ in known)]
    rows = []
    for r in rows_i.tolist():
        cells = [f'<td class="num">{study.index[r]}</td>']
        cells += [_input_td(i, r) for i in study.inputs]
        cells += [_num_td(float(v[r])) for m, _ in known if (v := study.values(m)) is not None]
        rows.append(cells)
    parts.append(paragraph(f"The {len(rows):,} non-dominated points:"))
    parts.append(_table(head, rows))
    missing = len(front_idx) - len(rows)
    if missing > 0:
        parts.append(note(f"{missing:,} front point(s) are not in the points table."))
    return "\n".join(parts)


# --- 7. break-even -----------------------------------------------------------------------------


def _full_grid(
    x: NDArray[np.float64], y: NDArray[np.float64], z: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None:
    """(x values, y values, z of shape (ny, nx)) when the points are exactly one per grid cell."""
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.all() or x.size < 4:
        return None
    xu, xi = np.unique(x, return_inverse=True)
    yu, yi = np.unique(y, return_inverse=True)
    if xu.size < 2 or yu.size < 2 or xu.size * yu.size != x.size:
        return None
    cell = yi.ravel() * xu.size + xi.ravel()
    if np.unique(cell).size != cell.size:
        return None
    grid = np.full(yu.size * xu.size, np.nan)
    grid[cell] = z
    return xu, yu, grid.reshape(yu.size, xu.size)


def _breakeven(be: Mapping[str, Any], study: _Study) -> str:
    xp, yp, mp = str(be.get("x", "")), str(be.get("y", "")), str(be.get("metric", ""))
    level = _num(be.get("level"))
    contours = [np.asarray(c, dtype=np.float64).reshape(-1, 2)
                for c in be.get("contour") or [] if len(c)]  # fmt: skip
    lvl = fmt_sig(level)
    parts = [
        paragraph(
            f"What would have to be true for space to equal the ground: the line where {mp} = "
            f"{lvl} on the plane of {xp} and {yp}."
        )
    ]
    xv, yv, zv = study.values(xp), study.values(yp), study.values(mp)
    log_x = wide_range(xv) if xv is not None else wide_range(_cx(contours, 0))
    log_y = wide_range(yv) if yv is not None else wide_range(_cx(contours, 1))
    has_line = any(plotted_mask(c[:, 0], c[:, 1], log_x=log_x, log_y=log_y).any() for c in contours)
    if has_line:
        pts = None
        if xv is not None and yv is not None and zv is not None:
            below, above = zv < level, zv >= level
            pts = {f"{_last(mp)} < {lvl}": (xv[below], yv[below]),
                   f"{_last(mp)} ≥ {lvl}": (xv[above], yv[above])}  # fmt: skip
        svg = contour_chart(
            contours, title=f"Where {_last(mp)} = {lvl}", x_label=_axis_label(xp),
            y_label=_axis_label(yp),
            x_range=_finite_range(xv), y_range=_finite_range(yv), log_x=log_x, log_y=log_y,
            line_label=f"{mp} = {lvl}", points=pts,
        )  # fmt: skip
        caption = f"The break-even line of {mp} = {lvl}"
        caption += ", over the sampled points on either side of it." if pts else "."
        parts.append(figure(svg, caption))
    else:
        parts.append(note(f"{mp} does not reach {lvl} within the sampled ranges: no line to draw."))
    if xv is not None and yv is not None and zv is not None:
        grid = _full_grid(xv, yv, zv)
        if grid is not None and not np.isfinite(grid[2]).any():
            parts.append(note(f"No grid point has a value of {mp}: no heat map."))
        elif grid is not None:
            gx, gy, gz = grid
            svg = heatmap(
                gx, gy, gz, title=f"{_last(mp)} over the grid", x_label=_axis_label(xp),
                y_label=_axis_label(yp), color_label=_axis_label(mp), log_x=log_x, log_y=log_y,
                contours=contours, center=level,
            )  # fmt: skip
            n_nan = int((~np.isfinite(gz)).sum())
            caption = (
                f"{mp} at each of the {gz.size:,} grid points, with the break-even line: blue "
                f"below {lvl}, vermillion above."
            )
            if n_nan:
                caption += f" {n_nan:,} cell(s) without a value are grey (—)."
            parts.append(figure(svg, caption))
        else:
            parts.append(note(f"The points do not form a full grid of {xp} and {yp}: no heat map."))
    along = be.get("along_x")
    if isinstance(along, Mapping):
        ys = list(along.get("y_values") or [])
        xs = list(along.get("x_at_level") or [])
        rng = _finite_range(xv)
        within = f" ({fmt_sig(rng[0])} – {fmt_sig(rng[1])})" if rng else ""
        items = []
        for yv_i, xv_i in zip(ys, xs, strict=False):
            x_at = _num(xv_i)
            head = f"at {yp} = {_with_unit(yv_i, yp)}"
            if math.isfinite(x_at):
                items.append(f"{head}, space equals the ground at {xp} ≈ {_with_unit(x_at, xp)}")
            else:
                items.append(f"{head}: never within the range of {xp}{within}")
        if items:
            parts.append(bullet_list(items))
    return "\n".join(parts)


def _cx(contours: list[NDArray[np.float64]], k: int) -> NDArray[np.float64]:
    return np.concatenate([c[:, k] for c in contours]) if contours else np.zeros(0)


def _finite_range(v: NDArray[np.float64] | None) -> tuple[float, float] | None:
    if v is None:
        return None
    fin = v[np.isfinite(v)]
    return (float(fin.min()), float(fin.max())) if fin.size else None


# --- the page ----------------------------------------------------------------------------------


def render_study_report(
    manifest: Mapping[str, Any],
    points: pa.Table,
    analysis: Mapping[str, Any] | None = None,
    *,
    title: str,
    version: str = "",
    generated_utc: str = "",
) -> str:
    """The study report page (self-contained HTML) from a study's manifest, points and analysis.

    ``manifest``: ``name``, ``design``, ``varied`` (input paths), ``keep`` (metric paths),
    ``stages``, ``points_total``, ``scenario``. ``points``: one row per point (``index``, ``key``,
    one column per varied input and per kept metric, ``<metric>#why``, ``status``, ``error``,
    ``wall_s``). ``analysis`` (every key optional): ``sobol``, ``tornado``, ``pareto``,
    ``breakeven`` (see the module docstring of :mod:`skydc.report.study_report`).
    """
    analysis = analysis or {}
    study = _load(manifest, points)
    total_raw = manifest.get("points_total")
    total = int(total_raw) if isinstance(total_raw, int | np.integer) else study.n
    sections = [Section("Summary", _summary(manifest, study, total))]
    if study.n:
        sections.append(Section("Points", _points(study)))
        sections.append(Section("Inputs vs outputs", _inputs_vs_outputs(study)))
    parts: list[tuple[str, str, Any]] = [
        ("sobol", "Sobol indices", _sobol),
        ("tornado", "Tornado", _tornado),
        ("pareto", "Pareto front", _pareto),
        ("breakeven", "Break-even", _breakeven),
    ]
    for key, name, fn in parts:
        data = analysis.get(key)
        if isinstance(data, Mapping) and data:
            body = (fn(data, study, analysis.get("sobol_warnings")) if key == "sobol"
                    else fn(data, study))  # fmt: skip
            sections.append(Section(name, body))
    return render_page(title, sections, generated_utc=generated_utc, version=version)
