"""Report charts drawn with matplotlib, each returned as an inline SVG string.

Lines over time or numbers, stacked panels (the design orbit), bars, histograms, waterfalls,
bridges and tornados. Setup and the SVG clean-up are in :mod:`skydc.report._mpl`: output is
byte-stable for the same data, text stays text, and every quantitative axis names its unit in
brackets (:func:`~skydc.report._mpl.check_unit`; dimensionless as "[–]" or "[%]"). y ranges come
from :func:`~skydc.report._mpl.value_range`, so a constant never looks like an oscillation: the
chart writes "constant at X" instead. Artists that tests and readers look for carry classes:
``line`` (one per series), ``bar``, ``whisker``, ``marker-line``, ``plot-area``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.report._mpl import (
    INK,
    MUTED,
    PALETTE,
    ValueRange,
    check_unit,
    new_figure,
    no_data,
    style,
    to_svg,
    use_nice_ticks,
    value_range,
    wrap_title,
)
from skydc.report.text import fmt_sig, scale_word, sig3, wrap_label

__all__ = [
    "Panel",
    "bar_chart",
    "bridge_chart",
    "histogram_chart",
    "layout_chart",
    "line_chart",
    "panel_chart",
    "tornado_chart",
    "waterfall_chart",
]

_TOTAL_C, _LOSS_C, _GAIN_C = PALETTE[0], PALETTE[5], PALETTE[2]


def _as_x(x: ArrayLike, is_time: bool) -> tuple[NDArray[Any], bool]:
    """x as float, or as datetime64[us] for a time axis (POSIX seconds when ``is_time``)."""
    arr = np.asarray(x)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[us]"), True
    if is_time:
        us = np.round(arr.astype(np.float64) * 1e6)
        return np.where(np.isfinite(us), us, 0).astype("datetime64[us]"), True
    return arr.astype(np.float64), False


def _time_axis(ax: Any) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    loc = AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(loc)
    years = ["%Y"] * 6  # the offset under the axis names the year only (the ticks say the rest)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(loc, offset_formats=["", *years[1:]]))


def _shade(ax: Any, x: NDArray[Any], mask: NDArray[np.bool_] | None, label: str) -> None:
    """Grey bands where ``mask`` is true (eclipse), one legend entry."""
    if mask is None or not mask.any():
        return
    m = np.concatenate([[False], mask.astype(bool), [False]])
    starts = np.flatnonzero(~m[:-1] & m[1:])
    ends = np.flatnonzero(m[:-1] & ~m[1:]) - 1
    for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        ax.axvspan(x[a], x[b], color="#d9dde3", lw=0, zorder=0, label=label if k == 0 else None,
                   gid="skydc-shade")  # fmt: skip


@dataclass(frozen=True)
class Panel:
    """One panel of :func:`panel_chart`: its y label (with unit), series, y range rules."""

    y_label: str
    series: Mapping[str, ArrayLike]
    y_range: tuple[float, float] | None = None
    resolution: float = 0.0
    unit: str = ""
    dashed: Collection[str] = field(default_factory=tuple)
    colors: Mapping[str, str] = field(default_factory=dict)
    include_zero: bool = False
    legend: bool = True  # a legend when the panel has more than one series


def _draw_panel(ax: Any, x: NDArray[Any], p: Panel, *, legend: bool) -> ValueRange:
    ys = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in p.series.items()}
    for name, v in ys.items():
        if v.shape != x.shape:
            raise ValueError(f"series {name!r} has {v.size} values but x has {x.size}")
    ax.set_ylabel(check_unit(p.y_label))
    finite = [v[np.isfinite(v)] for v in ys.values()]
    allv = np.concatenate(finite) if finite else np.zeros(0)
    if allv.size == 0 and p.y_range is None:
        no_data(ax)
        return ValueRange(0.0, 1.0)
    for i, (name, v) in enumerate(ys.items()):
        color = p.colors.get(name, PALETTE[i % len(PALETTE)])
        ax.plot(x, v, color=color, ls="--" if name in p.dashed else "-", label=name,
                gid="skydc-line")  # fmt: skip
    rng = value_range(allv, resolution=p.resolution)
    if p.include_zero:  # from zero up, e.g. power; a constant still says so
        top = value_range(np.append(allv, 0.0), resolution=p.resolution)
        rng = ValueRange(min(top.lo, 0.0), top.hi, rng.constant)
    if p.y_range is not None:
        lo, hi = min(p.y_range), max(p.y_range)
        rng = ValueRange(lo, hi, rng.constant)
    ax.set_ylim(rng.lo, rng.hi)
    use_nice_ticks(ax.yaxis)
    if rng.constant is not None and p.y_range is None:
        ax.text(0.99, 0.95, rng.note(p.unit), transform=ax.transAxes, ha="right", va="top",
                color=MUTED, fontsize=8.5, gid="skydc-constant")  # fmt: skip
    if legend and p.legend and len(ys) > 1:
        ax.legend(loc="best", ncols=min(3, len(ys)))
    return rng


def line_chart(
    x: ArrayLike,
    series: Mapping[str, ArrayLike],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_range: tuple[float, float] | None = None,
    x_is_time: bool = False,
    colors: Mapping[str, str] | None = None,
    dashed: Collection[str] = (),
    resolution: float = 0.0,
    unit: str = "",
    include_zero: bool = False,
    shade: ArrayLike | None = None,
    shade_label: str = "eclipse",
    width: int = 720,
    height: int = 290,
) -> str:
    """Lines of several series sharing ``x``, with a legend below the plot.

    ``x`` may be numpy ``datetime64`` (a UTC time axis, concise date labels) or numbers; with
    ``x_is_time`` numbers are POSIX seconds. Non-finite values break a line. ``y_range`` fixes
    the y axis; without it the range follows :func:`~skydc.report._mpl.value_range` with
    ``resolution`` (a constant series says "constant at X ``unit``"), down to 0 with
    ``include_zero``. ``shade`` (a boolean per x) draws grey bands, e.g. eclipses.
    """
    return panel_chart(
        x,
        [Panel(y_label, series, y_range, resolution, unit, tuple(dashed), dict(colors or {}),
               include_zero)],
        title=title, x_label=x_label, x_is_time=x_is_time, shade=shade, shade_label=shade_label,
        width=width, height=height,
    )  # fmt: skip


def panel_chart(
    x: ArrayLike,
    panels: Sequence[Panel],
    *,
    title: str,
    x_label: str,
    x_is_time: bool = False,
    shade: ArrayLike | None = None,
    shade_label: str = "eclipse",
    width: int = 720,
    height: int | None = None,
) -> str:
    """Stacked panels sharing one x axis (e.g. power, battery charge and radiator temperature
    through an orbit), each with its own y axis, unit and legend; ``shade`` as in
    :func:`line_chart`."""
    xs, is_time = _as_x(x, x_is_time)
    xs = xs.ravel()
    n = len(panels)
    height = height or (290 if n == 1 else 40 + 170 * n)
    mask = None if shade is None else np.asarray(shade, dtype=bool).ravel()
    with style():
        fig, axes = new_figure(width, height, nrows=n, ncols=1, sharex=True, squeeze=False)
        for k, (ax, p) in enumerate(zip(axes[:, 0], panels, strict=True)):
            ax.patch.set_gid("skydc-plot-area")
            _shade(ax, xs, mask, shade_label if k == 0 else "")
            _draw_panel(ax, xs, p, legend=True)
            if k == 0 and mask is not None and mask.any() and len(p.series) <= 1:
                ax.legend(loc="best")
        last = axes[-1, 0]
        if is_time:
            _time_axis(last)
            label = x_label if "UTC" in x_label else f"{x_label} [UTC]"
            ok_t = ~np.isnat(xs)
            if ok_t.any() and xs[ok_t].min() < xs[ok_t].max():
                last.set_xlim(xs[ok_t].min(), xs[ok_t].max())
        else:
            use_nice_ticks(last.xaxis, 9)
            label = check_unit(x_label)
            ok = np.isfinite(xs)
            if ok.any():
                last.set_xlim(float(xs[ok].min()), float(xs[ok].max()))
        last.set_xlabel(label)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


# --- bars ---------------------------------------------------------------------------------------


def _category_labels(ax: Any, labels: Sequence[str], slot_px: float) -> None:
    """Category names under bars: wrapped to the slot, or slanted where a word does not fit."""
    chars = max(4, int(slot_px / 6.2))
    longest_word = max((len(w) for s in labels for w in re.split(r"[\s/_.-]+", str(s))),
                       default=0)  # fmt: skip
    ax.set_xticks(np.arange(len(labels)))
    if longest_word <= chars and all(len(wrap_label(s, chars, 9).split("\n")) <= 4 for s in labels):
        ax.set_xticklabels([wrap_label(str(s), chars, 4) for s in labels])
    else:
        short = [s if len(s) <= 28 else s[:27] + "…" for s in map(str, labels)]
        ax.set_xticklabels(short, rotation=35, ha="right", rotation_mode="anchor")


def bar_chart(
    labels: Sequence[str],
    values: ArrayLike,
    *,
    title: str,
    y_label: str,
    stacked: Mapping[str, ArrayLike] | None = None,
    width: int = 720,
    height: int = 320,
) -> str:
    """One bar per label with its value written above it (3 significant figures, where it fits).

    With ``stacked`` (name -> non-negative array, one value per label) each bar is drawn as
    stacked segments with a legend; ``values`` are the totals, and any part of a total the
    segments do not cover is drawn as a grey "other" segment. Long labels wrap under the bars.
    """
    vals = np.asarray(values, dtype=np.float64).ravel()
    n = len(labels)
    if vals.size != n:
        raise ValueError(f"bar_chart got {n} labels but {vals.size} values")
    segs = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in (stacked or {}).items()}
    for k, v in segs.items():
        if v.size != n or np.any(v < 0):
            raise ValueError(f"stacked segment {k!r} needs {n} non-negative values")
    if segs:
        rest = vals - np.sum(list(segs.values()), axis=0)
        if np.any(rest > 1e-9 * np.nanmax(np.abs(vals))):
            segs["other"] = np.clip(rest, 0.0, None)
    with style():
        fig, ax = new_figure(width, height)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_ylabel(check_unit(y_label))
        ok = np.isfinite(vals)
        if n == 0 or not ok.any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title)
        x = np.arange(n)
        layers = segs or {"": vals}
        base = np.zeros(n)
        for i, (name, seg) in enumerate(layers.items()):
            color = "#bbbbbb" if name == "other" else PALETTE[i % len(PALETTE)]
            ax.bar(x, np.nan_to_num(seg), 0.7, bottom=base, color=color, label=name or None,
                   gid="skydc-bar")  # fmt: skip
            base = base + np.nan_to_num(seg)
        slot_px = (width - 90) / max(n, 1)
        texts = [sig3(float(v)) if math.isfinite(v) else "no value" for v in vals]
        if max(len(t) for t in texts) * 5.6 <= slot_px:
            for xi, vi, t in zip(x.tolist(), vals.tolist(), texts, strict=True):
                ax.annotate(t, (xi, max(vi, 0.0) if math.isfinite(vi) else 0.0), ha="center",
                            va="bottom", xytext=(0, 2), textcoords="offset points",
                            fontsize=8)  # fmt: skip
        top = float(np.nanmax(np.maximum(vals, 0.0)))
        bot = float(np.nanmin(np.minimum(vals, 0.0)))
        ax.set_ylim(bot - 0.02 * (top - bot) * (bot < 0), top + 0.12 * (top - bot or 1.0))
        use_nice_ticks(ax.yaxis)
        ax.axhline(0.0, color=MUTED, lw=0.8)
        ax.grid(False, axis="x")
        _category_labels(ax, [str(s) for s in labels], slot_px)
        if segs:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


def histogram_chart(
    values: ArrayLike,
    *,
    title: str,
    x_label: str,
    y_label: str = "share of samples [%]",
    bins: int = 24,
    markers: Mapping[str, float] | None = None,
    width: int = 720,
    height: int = 300,
) -> str:
    """Histogram of the finite ``values`` (bar heights in % of them), at most 8 readable numeric
    ticks on x, and vertical dashed ``markers`` (label -> x, e.g. the base case, parity)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    with style():
        fig, ax = new_figure(width, height)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_xlabel(check_unit(x_label))
        ax.set_ylabel(check_unit(y_label))
        if v.size == 0:
            no_data(ax)
        else:
            rng = value_range(v)
            edges = np.linspace(rng.lo, rng.hi, bins + 1) if rng.constant is not None else bins
            ax.hist(v, bins=edges, weights=np.full(v.size, 100.0 / v.size), color=PALETTE[0],
                    edgecolor="white", linewidth=0.5, gid="skydc-bar")  # fmt: skip
            colours = [INK, PALETTE[5], PALETTE[2], PALETTE[3]]
            for i, (name, xv) in enumerate((markers or {}).items()):
                if math.isfinite(xv):
                    ax.axvline(xv, color=colours[i % 4], ls=(0, (4, 2)), lw=1.4,
                               label=f"{name} {fmt_sig(xv, 3)}",
                               gid="skydc-marker-line")  # fmt: skip
            use_nice_ticks(ax.xaxis, 8)
            use_nice_ticks(ax.yaxis)
            ax.grid(False, axis="x")
            if markers:
                ax.legend(loc="upper right")
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


# --- waterfall, bridge, tornado -----------------------------------------------------------------


def _steps(
    start: NDArray[np.float64], end: NDArray[np.float64], scale: float,
    colours: tuple[str, str, str],
) -> tuple[NDArray[np.int_], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
           NDArray[np.str_]]:  # fmt: skip
    """The bars of a waterfall or bridge: each step's kind (:func:`_kinds`), its extent and
    change in the axis unit, and its colour (``colours`` by kind; a step that changes nothing
    muted)."""
    kind = _kinds(start, end)
    lo, hi = np.fmin(start, end) / scale, np.fmax(start, end) / scale
    change = np.where(kind == 0, end, end - start) / scale
    colour = np.array(colours)[kind]
    colour = np.where((kind > 0) & (end == start), MUTED, colour)
    return kind, lo, hi, change, colour


def _kinds(start: NDArray[np.float64], end: NDArray[np.float64]) -> NDArray[np.int_]:
    """0 for the first and last bars (totals), 1 for a decrease, 2 for an increase (or none)."""
    kind = np.where(end < start, 1, 2)
    if kind.size:
        kind[[0, -1]] = 0
    return kind


def waterfall_chart(
    steps: Sequence[str],
    values: ArrayLike,
    *,
    title: str,
    unit: str,
    quantity: str = "remaining",
    factors: ArrayLike | None = None,
    total_label: str = "delivered",
    width: int = 720,
    height: int = 360,
) -> str:
    """Waterfall from a starting quantity, through the change of each step, to what is left.

    ``values[i]`` is what remains after ``steps[i]``; ``values[0]`` is a full bar from zero,
    each later step a bar floating from the previous level to its own (vermillion where it
    loses, green where it gains), and a last full bar ``total_label`` shows ``values[-1]``:
    ``len(steps) + 1`` bars (class ``bar``, each with a tooltip). Labels: 3 significant figures,
    levels on the full bars, signed changes on the others, and ``factors[i]`` ("×0.71") under
    the change where given. Values are in thousands, millions... of ``unit``; the y axis says
    which. A non-finite value leaves its bars out, labelled "no value".
    """
    levels = np.asarray(values, dtype=np.float64).ravel()
    n_steps = len(steps)
    if levels.size != n_steps:
        raise ValueError(f"waterfall_chart got {n_steps} steps but {levels.size} values")
    fac = None if factors is None else np.asarray(factors, dtype=np.float64).ravel()
    if fac is not None and fac.size != n_steps:
        raise ValueError(f"waterfall_chart got {n_steps} steps but {fac.size} factors")
    names = [*(str(s) for s in steps), total_label] if n_steps else []
    n = len(names)
    start = np.concatenate([[0.0], levels[:-1], [0.0]]) if n else np.zeros(0)
    end = np.concatenate([levels, levels[-1:]]) if n else np.zeros(0)
    ok = np.isfinite(start) & np.isfinite(end)
    scale, word = scale_word(levels)
    y_label = f"{quantity} [{(word + ' ' + unit).strip()}]"
    with style():
        fig, ax = new_figure(width, height)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_ylabel(y_label)
        if n == 0 or not ok.any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title)
        kind, lo, hi, change, colour = _steps(start, end, scale, (_TOTAL_C, _LOSS_C, _GAIN_C))
        tips, main = [], []
        x = np.arange(n)
        for j in range(n):
            m = sig3(float(change[j]), signed=bool(kind[j])) if ok[j] else "no value"
            main.append(m)
            tips.append(f"{names[j]}: {m} {word} {unit}".replace("  ", " "))
        heights = np.where(ok, np.maximum(hi - lo, 0.0), 0.0)
        bottoms = np.where(ok, lo, 0.0)
        for j in range(n):  # one bar per step: each its own tooltip
            if ok[j]:
                ax.bar(x[j], heights[j], 0.62, bottom=bottoms[j], color=str(colour[j]),
                       gid=f"skydc-bar-{j}")  # fmt: skip
        for c in range(n - 1):  # connectors at each level
            lv = end[c] / scale
            if math.isfinite(lv):
                ax.plot([c + 0.31, c + 0.69], [lv, lv], color=MUTED, ls=(0, (3, 2)), lw=0.8)
        f_all = (np.full(n, np.nan) if fac is None
                 else np.concatenate([[np.nan], fac[1:], [np.nan]]))  # fmt: skip
        slot_px = (width - 90) / n
        turn = max(len(m) for m in main) * 5.4 > slot_px - 2
        for j in range(n):
            second = f"×{f_all[j]:.3g}" if math.isfinite(f_all[j]) else ""
            text = " ".join(filter(None, [main[j], second]))
            text = text if turn else text.replace(" ", "\n", 1) if second else text
            y = hi[j] if ok[j] else 0.0
            ax.annotate(text, (x[j], y), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8,
                        rotation=90 if turn else 0)  # fmt: skip
        top = float(np.nanmax(hi[ok]))
        bot = min(0.0, float(np.nanmin(lo[ok])))
        head = 0.35 if turn else 0.16
        ax.set_ylim(bot, top + head * (top - bot or 1.0))
        use_nice_ticks(ax.yaxis)
        ax.axhline(0.0, color=MUTED, lw=0.8)
        ax.grid(False, axis="x")
        _category_labels(ax, names, slot_px)
        from matplotlib.patches import Patch

        handles = [Patch(color=_TOTAL_C, label=f"{names[0]} / {total_label}")]
        if np.any((kind == 1) & (end != start)):
            handles.append(Patch(color=_LOSS_C, label="loss"))
        if np.any((kind == 2) & (end > start)):
            handles.append(Patch(color=_GAIN_C, label="gain"))
        ax.legend(handles=handles, loc="upper right", ncols=len(handles))
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title, tooltips=tips)


def bridge_chart(
    labels: Sequence[str],
    totals: ArrayLike,
    deltas: ArrayLike,
    *,
    title: str,
    unit: str = "USD",
    quantity: str = "total",
    total_label: str = "skydc",
    width: int = 720,
) -> str:
    """Horizontal bridge from a published total, one assumption change per row, to skydc's total.

    Row 0 is the published total ``totals[0]``, a full bar from zero; row ``i`` floats from
    ``totals[i] - deltas[i]`` to ``totals[i]`` (vermillion for an increase, green for a
    decrease); a last full bar ``total_label`` shows ``totals[-1]``: ``len(labels) + 1`` bars.
    Values have 3 significant figures, in thousands, millions... of ``unit`` (the x axis says
    which). The zero line is always drawn. Row labels wrap.
    """
    tot = np.asarray(totals, dtype=np.float64).ravel()
    dlt = np.asarray(deltas, dtype=np.float64).ravel()
    n_rows = len(labels)
    if tot.size != n_rows or dlt.size != n_rows:
        raise ValueError(
            f"bridge_chart got {n_rows} labels, {tot.size} totals and {dlt.size} deltas"
        )
    names = [*(str(s) for s in labels), total_label] if n_rows else []
    n = len(names)
    start = np.concatenate([[0.0], (tot - dlt)[1:], [0.0]]) if n_rows else np.zeros(0)
    end = np.concatenate([tot, tot[-1:]])
    ok = np.isfinite(start) & np.isfinite(end)
    scale, word = scale_word(np.concatenate([start, end]))
    wrapped = [wrap_label(s, 34) for s in names]
    rows = sum(max(1, w.count("\n") + 1) for w in wrapped)
    height = int(90 + 22 * max(n, 1) + 10 * rows)
    with style():
        fig, ax = new_figure(width, height)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_xlabel(f"{quantity} [{(word + ' ' + unit).strip()}]")
        if n == 0 or not ok.any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title)
        kind, lo, hi, change, colour = _steps(start, end, scale, (_TOTAL_C, _GAIN_C, _LOSS_C))
        y = np.arange(n)
        tips = []
        for j in range(n):
            label = sig3(float(change[j]), signed=bool(kind[j])) if ok[j] else "no value"
            tips.append(f"{names[j]}: {label} {word} {unit}".replace("  ", " "))
            if ok[j]:
                ax.barh(y[j], max(hi[j] - lo[j], 0.0), 0.6, left=lo[j], color=str(colour[j]),
                        gid=f"skydc-bar-{j}")  # fmt: skip
                right = hi[j] >= 0
                ax.annotate(label, (hi[j] if right else lo[j], y[j]),
                            xytext=(4 if right else -4, 0), textcoords="offset points", va="center",
                            ha="left" if right else "right", fontsize=8)  # fmt: skip
            else:
                ax.annotate("no value", (0.0, y[j]), xytext=(4, 0), textcoords="offset points",
                            va="center", color=MUTED, fontsize=8)  # fmt: skip
        for c in range(n - 1):
            lv = end[c] / scale
            if math.isfinite(lv):
                ax.plot([lv, lv], [c + 0.3, c + 0.7], color=MUTED, ls=(0, (3, 2)), lw=0.8)
        span = float(np.nanmax(hi[ok]) - min(0.0, float(np.nanmin(lo[ok])))) or 1.0
        ax.set_xlim(min(0.0, float(np.nanmin(lo[ok]))) - 0.12 * span * bool(np.any(lo[ok] < 0)),
                    float(np.nanmax(hi[ok])) + 0.14 * span)  # fmt: skip
        ax.axvline(0.0, color=INK, lw=1.0)
        use_nice_ticks(ax.xaxis)
        ax.set_yticks(y, wrapped)
        ax.invert_yaxis()
        ax.grid(False, axis="y")
        from matplotlib.patches import Patch

        handles = [Patch(color=_TOTAL_C, label="total")]
        if np.any((kind == 2) & (end > start)):
            handles.append(Patch(color=_LOSS_C, label="increase"))
        if np.any(kind == 1):
            handles.append(Patch(color=_GAIN_C, label="decrease"))
        ax.legend(handles=handles, loc="lower right", ncols=len(handles))
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title, tooltips=tips)


def tornado_chart(
    labels: Sequence[str],
    groups: Mapping[str, tuple[ArrayLike, ArrayLike | None]],
    *,
    title: str,
    x_label: str,
    base: float | None = None,
    references: Mapping[str, float] | None = None,
    x_range: tuple[float, float] | None = None,
    width: int = 720,
) -> str:
    """Horizontal bars on a numeric x axis with its unit: one row per label (largest first as
    given) and within it one bar per group (name -> (values, half-widths of a confidence
    interval or ``None``)), from ``base`` (0 without it) to each value, with whiskers at
    value ± half-width and the value written past the end. ``references`` draws labelled
    vertical lines (e.g. "parity": 1.0); ``x_range`` is always inside the x axis (e.g. (0, 1)
    for Sobol indices). A non-finite value is written "no value" (class ``bar`` for bars,
    ``whisker`` for whiskers; each bar has a tooltip)."""
    n = len(labels)
    gnames = list(groups)
    vals = [np.asarray(groups[g][0], dtype=np.float64).ravel() for g in gnames]
    confs = [
        np.full(n, np.nan) if groups[g][1] is None else np.asarray(groups[g][1], np.float64).ravel()
        for g in gnames
    ]
    for g, v, c in zip(gnames, vals, confs, strict=True):
        if v.size != n or c.size != n:
            raise ValueError(f"group {g!r} needs {n} values and {n} half-widths")
    k = max(len(gnames), 1)
    wrapped = [wrap_label(str(s), 30) for s in labels]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height = int(100 + max(n, 1) * (10 + 13 * k) + 6 * lines)
    b0 = 0.0 if base is None else float(base)
    with style():
        fig, ax = new_figure(width, height)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_xlabel(check_unit(x_label))
        v_all = np.concatenate(vals) if vals else np.zeros(0)
        if n == 0 or not np.isfinite(v_all).any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title)
        bar_h = 0.8 / k
        tips: list[str] = []
        y = np.arange(n)
        ends = [b0]
        for gi, g in enumerate(gnames):
            colour = PALETTE[gi % len(PALETTE)]
            yg = y - 0.4 + bar_h * (gi + 0.5)
            for j in range(n):
                val, cf = float(vals[gi][j]), float(confs[gi][j])
                if not math.isfinite(val):
                    ax.annotate("no value", (b0, yg[j]), xytext=(4, 0), textcoords="offset points",
                                va="center", color=MUTED, fontsize=8)  # fmt: skip
                    continue
                tip = f"{labels[j]}: {g} = {fmt_sig(val, 3)}"
                if math.isfinite(cf) and cf > 0:
                    tip += f" ± {fmt_sig(cf, 3)}"
                ax.barh(yg[j], val - b0, bar_h * 0.9, left=b0, color=colour,
                        label=g if j == 0 else None, gid=f"skydc-bar-{len(tips)}")  # fmt: skip
                tips.append(tip)
                far = val
                if math.isfinite(cf) and cf > 0:
                    w0, w1, yc, cap = val - cf, val + cf, float(yg[j]), bar_h * 0.3
                    ax.plot([w0, w1, np.nan, w0, w0, np.nan, w1, w1],
                            [yc, yc, np.nan, yc - cap, yc + cap, np.nan, yc - cap, yc + cap],
                            color=INK, lw=1.1, gid="skydc-whisker")  # fmt: skip
                    far = val + cf if val >= b0 else val - cf
                ends.append(far)
                right = val >= b0
                ax.annotate(fmt_sig(val, 3), (far, yg[j]), xytext=(3 if right else -3, 0),
                            textcoords="offset points", va="center",
                            ha="left" if right else "right", fontsize=7.5)  # fmt: skip
        for i, (name, xv) in enumerate((references or {}).items()):
            ends.append(xv)
            ax.axvline(xv, color=MUTED if i else INK, ls=(0, (4, 3)), lw=1.0,
                       label=f"{name} {fmt_sig(xv, 3)}", gid="skydc-marker-line")  # fmt: skip
        if base is not None:
            ax.axvline(b0, color=INK, lw=1.2, label=f"base {fmt_sig(b0, 3)}")
        else:
            ax.axvline(0.0, color=INK, lw=1.0)
        if x_range is not None:
            ends += [float(x_range[0]), float(x_range[1])]
        e = np.asarray(ends, dtype=np.float64)
        e = e[np.isfinite(e)]
        span = float(e.max() - e.min()) or 1.0
        ax.set_xlim(float(e.min()) - 0.1 * span, float(e.max()) + 0.14 * span)
        use_nice_ticks(ax.xaxis)
        ax.set_yticks(y, wrapped)
        ax.invert_yaxis()
        ax.grid(False, axis="y")
        if len(gnames) > 1 or references or base is not None:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title, tooltips=tips)




def layout_chart(
    x: ArrayLike, y: ArrayLike, *, title: str, x_label: str, y_label: str, width: int = 460
) -> str:
    """Points at their positions with equal scales on both axes (a formation's layout)."""
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.shape != ys.shape:
        raise ValueError(f"layout_chart got {xs.size} x values but {ys.size} y values")
    with style():
        fig, ax = new_figure(width, width)
        ax.patch.set_gid("skydc-plot-area")
        ax.set_xlabel(check_unit(x_label))
        ax.set_ylabel(check_unit(y_label))
        ok = np.isfinite(xs) & np.isfinite(ys)
        if not ok.any():
            no_data(ax)
        else:
            ax.scatter(xs[ok], ys[ok], s=14, color=PALETTE[0], lw=0, gid="skydc-points")
            ax.set_aspect("equal", adjustable="datalim")
            use_nice_ticks(ax.xaxis)
            use_nice_ticks(ax.yaxis)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)
