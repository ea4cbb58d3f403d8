"""A study's analysis and report, from its results store (``analysis.json``, ``report.html``).

Which analyses apply follows from the study: Sobol indices for a ``sobol`` design (every point
must have a value), a tornado for grids and sampled designs, the Pareto front over
``objectives``, and the break-even contour over ``breakeven.x`` and ``breakeven.y``. A metric
that cannot be analysed says why in ``analysis.json`` (``"skipped"``), never a bare NaN.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["analyze", "finish_study"]


def _column(table: pa.Table, name: str) -> np.ndarray:
    if name not in table.column_names:
        return np.full(table.num_rows, np.nan)
    values = table.column(name).to_pylist()
    return np.array([v if isinstance(v, int | float) else np.nan for v in values], dtype=float)


def analyze(study: Any, table: pa.Table, keep: list[str]) -> dict[str, Any]:
    """The analyses that apply to ``study`` over its points ``table`` (sorted by index)."""
    from skydc.studies.analysis import (
        breakeven_along_x,
        breakeven_contour,
        pareto_front,
        sobol_convergence,
        sobol_indices,
        tornado_from_sweep,
    )
    from skydc.studies.design import design_points

    out: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    design = design_points(study)
    n = len(design)
    by_index = {int(i): k for k, i in enumerate(table.column("index").to_pylist())}
    complete = table.num_rows == n and all(i in by_index for i in range(n))
    order = [by_index[i] for i in range(n)] if complete else []
    numeric = [m for m in keep if np.isfinite(_column(table, m)).any()]
    if not complete:
        skipped["all"] = f"{table.num_rows} of {n} points in the store: run the study to the end"
        out["skipped"] = skipped
        return out
    ys = {m: _column(table, m)[order] for m in numeric}
    if design.kind == "sobol":
        sobol = {}
        warnings: dict[str, list[str]] = {}
        for m, y in ys.items():
            if not np.isfinite(y).all():
                skipped[f"sobol.{m}"] = f"{int((~np.isfinite(y)).sum())} points have no value"
                continue
            sobol[m] = sobol_indices(design, y)
            unconverged = sobol_convergence(sobol[m], study.samples)
            if unconverged:
                warnings[m] = unconverged
        out["sobol"] = sobol
        if warnings:
            out["sobol_warnings"] = warnings
    else:
        tornado = {}
        for m, y in ys.items():
            try:
                bars = tornado_from_sweep(design, y)
            except ValueError as exc:
                skipped[f"tornado.{m}"] = str(exc)
                continue
            tornado[m] = {b.input: float(b.swing) for b in bars if math.isfinite(b.swing)}
        out["tornado"] = tornado
    if study.objectives:
        values = np.column_stack([_column(table, o.metric)[order] for o in study.objectives])
        mask = pareto_front(values, [o.sense for o in study.objectives])
        out["pareto"] = {
            "objectives": [{"metric": o.metric, "sense": o.sense} for o in study.objectives],
            "front": [int(i) for i in np.flatnonzero(mask)],
        }
    be = getattr(study, "breakeven", None)
    if be is not None:
        out["breakeven"] = _breakeven(design, ys, be, breakeven_contour, breakeven_along_x,
                                      skipped)  # fmt: skip
    if skipped:
        out["skipped"] = skipped
    return out


def _breakeven(design: Any, ys: dict[str, Any], be: Any, contour: Any, along: Any,
               skipped: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """The break-even contour over the grid of two inputs (others averaged)."""
    if design.levels is None or be.x not in design.levels or be.y not in design.levels:
        skipped["breakeven"] = "the break-even contour needs a grid design over both inputs"
        return {}
    if be.metric not in ys:
        skipped["breakeven"] = f"{be.metric} has no value at any point"
        return {}
    shape = design.shape
    grid = np.reshape(ys[be.metric], shape)
    ix, iy = design.paths.index(be.x), design.paths.index(be.y)
    others = tuple(k for k in range(len(shape)) if k not in (ix, iy))
    with np.errstate(invalid="ignore"):
        surface = np.nanmean(grid, axis=others) if others else grid
    surface = np.asarray(surface)
    if ix < iy:  # axes (x, y) -> z[y, x]
        surface = surface.T
    x = np.asarray(design.levels[be.x], dtype=float)
    y = np.asarray(design.levels[be.y], dtype=float)
    lines = contour(x, y, surface, be.level)
    at = along(x, y, surface, be.level)
    return {
        "x": be.x, "y": be.y, "metric": be.metric, "level": be.level,
        "contour": [line.tolist() for line in lines],
        "along_x": {"y_values": y.tolist(),
                    "x_at_level": [float(v) if math.isfinite(v) else None for v in at]},
        "grid": {"x": x.tolist(), "y": y.tolist(), "z": surface.tolist()},
    }  # fmt: skip


def finish_study(folder: str | Path, study: Any) -> dict[str, Any]:
    """Write ``analysis.json`` and ``report.html`` for the study in ``folder``; a summary."""
    from skydc._version import __version__
    from skydc.io.atomic import write_json_atomic, write_text_atomic
    from skydc.report.study_report import render_study_report
    from skydc.studies.store import ResultsStore

    folder = Path(folder)
    store = ResultsStore(folder)
    manifest = store.manifest
    table = store.table()
    keep = list(manifest.get("keep", []))
    analysis = analyze(study, table, keep) if table.num_rows else {}
    write_json_atomic(folder / "analysis.json", analysis)
    stamp = datetime.now(UTC)
    html = render_study_report(
        manifest, table, analysis, title=f"skydc study: {manifest.get('name', study.name)}",
        version=__version__, generated_utc=f"{stamp:%Y-%m-%d %H:%M:%S UTC}",
    )  # fmt: skip
    write_text_atomic(folder / "report.html", html)
    status = table.column("status").to_pylist() if table.num_rows else []
    lines = []
    for m, indices in analysis.get("sobol", {}).items():
        top = max(indices.items(), key=lambda kv: kv[1].get("ST", 0.0))
        lines.append(f"Sobol, {m}: largest total index {top[0]} (ST {top[1]['ST']:.2f})")
        for warning in analysis.get("sobol_warnings", {}).get(m, []):
            lines.append(f"Sobol, {m}: not converged: {warning}")
    for m, bars in analysis.get("tornado", {}).items():
        if bars:
            top_t = max(bars.items(), key=lambda kv: abs(kv[1]))
            lines.append(f"tornado, {m}: largest swing {top_t[0]} ({top_t[1]:+.3g})")
    if "pareto" in analysis:
        lines.append(f"Pareto front: {len(analysis['pareto']['front'])} non-dominated points")
    be = analysis.get("breakeven")
    if be:
        hits = [(y, x) for y, x in zip(be["along_x"]["y_values"], be["along_x"]["x_at_level"],
                                       strict=True) if x is not None]  # fmt: skip
        lines.append(
            f"break-even of {be['metric']} = {be['level']:g}: "
            + ("; ".join(f"{be['y']} = {y:g} at {be['x']} = {x:.4g}" for y, x in hits)
               if hits else f"never within the ranges of {be['x']} and {be['y']}")
        )  # fmt: skip
    for what, why in analysis.get("skipped", {}).items():
        lines.append(f"{what}: not computed: {why}")
    summary = {
        "folder": str(folder), "points": table.num_rows,
        "ok": status.count("ok"), "error": status.count("error"),
        "analysis": analysis, "lines": lines,
    }  # fmt: skip
    return summary
