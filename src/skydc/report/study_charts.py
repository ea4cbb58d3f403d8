"""Hand-written SVG charts for the trade-study report (``skydc sweep``).

The same rules as :mod:`skydc.report.svg`, whose helpers and style these reuse: every function is
pure (arrays in, an SVG string out), all geometry is done on NumPy arrays, all text is escaped, and
nothing is loaded from outside. Non-finite values are never drawn (and never written): a chart
drops those points, and :func:`plotted_mask` says which points a chart draws so that a caption can
say how many it left out. Numbers are written with :func:`fmt_sig` ("—" for a missing value).

Axes are linear, or logarithmic (decades) where asked; :func:`wide_range` is the rule the report
uses to ask for one (positive values spanning more than two decades).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.report.svg import (
    _CHAR_W,
    _GRID,
    _INK,
    _MUTED,
    PALETTE,
    _dots,
    _e,
    _f,
    _legend,
    _line,
    _open,
    _path_d,
    _rect,
    _text,
    _tick_labels,
    nice_ticks,
    sunlit_color,
)

__all__ = [
    "DASH",
    "Axis",
    "contour_chart",
    "fit_label",
    "fmt_sig",
    "grouped_bars_with_whiskers",
    "heatmap",
    "make_axis",
    "parallel_coordinates",
    "plotted_mask",
    "scatter_chart",
    "strip_chart",
    "wide_range",
]

DASH = "—"  # a missing value, in tables and on charts
_HALO = {"stroke": "#ffffff", "stroke_width": "3", "paint_order": "stroke"}
_FADED = "#9a9a9a"
_N_BINS = 16  # colour steps of the parallel-coordinates lines


# --- numbers and labels -----------------------------------------------------------------------


def fmt_sig(value: object, sig: int = 4) -> str:
    """Plain text for a value: floats to ``sig`` significant figures (grouped; scientific below
    1e-3 and from 1e6), integers grouped, strings as they are; ``None`` and NaN give "—"."""
    if value is None:
        return DASH
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        x = float(value)
        if math.isnan(x):
            return DASH
        if math.isinf(x):
            return "∞" if x > 0 else "−∞"
        if x == 0:
            return "0"
        a = abs(x)
        if a < 1e-3 or a >= 1e6:
            mant, exp = f"{x:.{sig - 1}e}".split("e")
            mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
            return f"{mant}e{int(exp)}"
        digits = sig - 1 - math.floor(math.log10(a))
        dec = max(0, digits)
        text = f"{round(x, digits):,.{dec}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    text = str(value)
    return text if text else DASH


def _text_w(text: str) -> float:
    """Rough width [px] of a 12 px label: digits and letters ~6.6 px, separators half that."""
    return sum(_CHAR_W / 2 if ch in ",.:;'il| " else _CHAR_W for ch in text)


def _lin_labels(ticks: NDArray[np.float64]) -> list[str]:
    """Linear tick labels: :func:`~skydc.report.svg._tick_labels`, except that where it would
    write exponents all labels share the largest one ("0", "0.5e9", "1e9", "1.5e9")."""
    labels = _tick_labels(ticks)
    if not any("e" in s for s in labels):
        return labels
    step = abs(float(ticks[1] - ticks[0])) if ticks.size > 1 else 0.0
    big = float(np.max(np.abs(ticks)))
    exp = math.floor(math.log10(big))
    dec = max(0, exp - math.floor(math.log10(step))) if step > 0 else 3
    out = []
    for v in ticks.tolist():
        m = f"{v / 10.0**exp:.{dec}f}"
        m = m.rstrip("0").rstrip(".") if "." in m else m
        out.append("0" if v == 0 else f"{m}e{exp}")
    return out


def fit_label(text: str, max_px: float, char_w: float = _CHAR_W) -> str:
    """``text`` shortened to about ``max_px`` pixels: leading dotted segments are dropped first
    ("…launch_usd_per_kg"), then the end is cut with "…"."""
    max_chars = max(3, int(max_px / char_w))
    if len(text) <= max_chars:
        return text
    parts = text.split(".")
    while len(parts) > 1:
        parts = parts[1:]
        short = "…" + ".".join(parts)
        if len(short) <= max_chars:
            return short
    return text[: max_chars - 1] + "…"


def _wrap_path(text: str, max_chars: int, max_lines: int = 3) -> list[str]:
    """Greedy wrap of a dotted path, breaking after ".", "_", "/" or a space."""
    max_chars = max(4, max_chars)
    lines: list[str] = []
    cur = ""
    for tok in re.findall(r"[^._/\s]*[._/\s]+|[^._/\s]+", text):
        if cur and len(cur) + len(tok.rstrip()) > max_chars:
            lines.append(cur.rstrip())
            cur = ""
        while len(tok) > max_chars:
            lines.append(tok[:max_chars])
            tok = tok[max_chars:]
        cur += tok
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], last[: max_chars - 1] + "…"]
    return lines


def plotted_mask(
    x: ArrayLike, y: ArrayLike | None = None, *, log_x: bool = False, log_y: bool = False
) -> NDArray[np.bool_]:
    """Which points a chart draws: finite (and positive on a log axis) in ``x`` and ``y``."""
    xs = np.asarray(x, dtype=np.float64).ravel()
    ok = np.isfinite(xs) & ((xs > 0) if log_x else True)
    if y is not None:
        ys = np.asarray(y, dtype=np.float64).ravel()
        ok &= np.isfinite(ys) & ((ys > 0) if log_y else True)
    return np.asarray(ok, dtype=bool)


def wide_range(values: ArrayLike) -> bool:
    """Whether an axis for ``values`` should be logarithmic: all finite values positive, spanning
    more than two decades (max / min > 100)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size < 2 or bool(np.any(v <= 0)):
        return False
    return float(v.max()) / float(v.min()) > 100.0


# --- axes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """A linear or logarithmic axis: data range ``[lo, hi]`` drawn from pixel ``p0`` to ``p1``."""

    lo: float
    hi: float
    log: bool
    ticks: NDArray[np.float64]
    labels: tuple[str, ...]
    p0: float = 0.0
    p1: float = 1.0

    def placed(self, p0: float, p1: float) -> Axis:
        return dataclasses.replace(self, p0=p0, p1=p1)

    def map(self, values: ArrayLike) -> NDArray[np.float64]:
        """Pixel positions of data values (NaN where a log axis gets a value <= 0)."""
        v = np.asarray(values, dtype=np.float64)
        lo, hi = self.lo, self.hi
        if self.log:
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.log10(np.where(v > 0, v, np.nan))
            lo, hi = math.log10(lo), math.log10(hi)
        return np.asarray(self.p0 + (v - lo) / (hi - lo) * (self.p1 - self.p0))


def _decade_label(k: int) -> str:
    return f"{10.0**k:,.{max(0, -k)}f}" if -3 <= k < 6 else f"1e{k}"


def make_axis(
    values: ArrayLike, *, log: bool = False, max_ticks: int = 6, tight: bool = False
) -> Axis:
    """An axis covering the finite ``values``: "nice" ticks (:func:`~skydc.report.svg.nice_ticks`)
    or whole decades on a log axis. ``tight`` keeps the data range and the ticks inside it (else
    the range grows to the outer ticks)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v) & ((v > 0) if log else True)]
    max_ticks = max(3, max_ticks)
    if log:
        lo, hi = (float(v.min()), float(v.max())) if v.size else (1.0, 10.0)
        if hi / lo < 1.0 + 1e-9:
            lo, hi = lo / 2.0, hi * 2.0
        k0 = math.floor(math.log10(lo) + 1e-9)
        k1 = math.ceil(math.log10(hi) - 1e-9)
        k1 = max(k1, k0 + 1)
        step = max(1, math.ceil((k1 - k0) / (max_ticks - 1)))
        k1 = k0 + step * math.ceil((k1 - k0) / step)
        ks = np.arange(k0, k1 + 1, step)
        if tight:
            ks = ks[(10.0**ks >= lo * (1 - 1e-9)) & (10.0**ks <= hi * (1 + 1e-9))]
        else:
            lo, hi = 10.0**k0, 10.0**k1
        return Axis(
            lo, hi, True, 10.0 ** ks.astype(np.float64), tuple(_decade_label(int(k)) for k in ks)
        )
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    t = nice_ticks(lo, hi, max_ticks)
    labels = _lin_labels(t)
    if not tight or hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
        return Axis(float(t[0]), float(t[-1]), False, t, tuple(labels))
    span = hi - lo
    keep = (t >= lo - 1e-9 * span) & (t <= hi + 1e-9 * span)
    return Axis(
        lo, hi, False, t[keep], tuple(lab for lab, k in zip(labels, keep, strict=True) if k)
    )


def _fitting_axis(
    values: ArrayLike, length_px: float, *, log: bool, horizontal: bool, tight: bool = False
) -> Axis:
    """The axis with the most ticks (one per ~55 px across, ~36 px up) whose labels fit."""
    best = make_axis(values, log=log, max_ticks=3, tight=tight)
    for m in range(max(3, int(length_px // (55 if horizontal else 36)) + 1), 2, -1):
        ax = make_axis(values, log=log, max_ticks=m, tight=tight)
        n = max(len(ax.ticks) - 1, 1)
        room = length_px / n
        need = (max(_text_w(s) for s in ax.labels) + 8) if horizontal else 16.0
        if need <= room:
            return ax
    return best


def _x_axis(values: ArrayLike, room: float, right: float, *, log: bool) -> tuple[Axis, float]:
    """An x axis for a plot ``room`` px wide from its left edge, and the plot width: at least
    ``right`` px stay free on the right, and half the last tick label always fits."""
    ax = _fitting_axis(values, room - right, log=log, horizontal=True)
    pad = max(right, _text_w(ax.labels[-1]) / 2 + 4) if ax.labels else right
    if pad > right:
        ax = _fitting_axis(values, room - pad, log=log, horizontal=True)
        pad = max(right, _text_w(ax.labels[-1]) / 2 + 4) if ax.labels else right
    return ax, room - pad


def _frame(
    xa: Axis, ya: Axis, left: float, top: float, pw: float, ph: float, *, grid: bool = True
) -> list[str]:
    """Grid lines, tick labels and the two axis lines of a plot area."""
    out = []
    for py, lab in zip(ya.map(ya.ticks).tolist(), ya.labels, strict=True):
        if grid:
            out.append(_line(left, py, left + pw, py, _GRID))
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    for px, lab in zip(xa.map(xa.ticks).tolist(), xa.labels, strict=True):
        if grid:
            out.append(_line(px, top, px, top + ph, _GRID))
        out.append(_text(px, top + ph + 16, lab, "middle", fill=_MUTED))
    axes = f"M{_f(left)},{_f(top)}V{_f(top + ph)}H{_f(left + pw)}"
    out.append(f'<path d="{axes}" fill="none" stroke="{_MUTED}"/>')
    return out


def _y_title(text: str, x: float, top: float, ph: float) -> str:
    yc = top + ph / 2
    label = fit_label(text, ph)
    return _text(x, yc, label, "middle", transform=f"rotate(-90 {_f(x)} {_f(yc)})")


def _label_w(ax: Axis) -> float:
    return max((_text_w(s) for s in ax.labels), default=_CHAR_W)


def _svg_open(width: float, height: float, title: str, **data: str) -> str:
    """:func:`~skydc.report.svg._open` with ``data-*`` attributes on the root element."""
    head = _open(width, height, title)
    attrs = "".join(f' data-{k.replace("_", "-")}="{_e(v)}"' for k, v in data.items())
    return head.replace("<svg ", f"<svg{attrs} ", 1)


def _no_data(out: list[str], width: float, y: float, text: str = "no data") -> str:
    out.append(_text(width / 2, y, text, "middle", fill=_MUTED))
    return "".join(out) + "</svg>"


# --- scatter and strip plots ------------------------------------------------------------------


def scatter_chart(
    x: ArrayLike,
    y: ArrayLike,
    *,
    title: str,
    x_label: str,
    y_label: str,
    log_x: bool | None = None,
    log_y: bool = False,
    highlight: ArrayLike | None = None,
    legend: tuple[str, str] = ("highlighted", "others"),
    connect: bool = False,
    width: int = 296,
    height: int = 240,
) -> str:
    """Scatter plot of ``y`` against ``x``; points that are not finite are not drawn.

    ``log_x=None`` picks a log x axis when :func:`wide_range` says so. With ``highlight`` (a
    boolean mask) those points are drawn large and on top, the others faded, with a ``legend``
    (highlighted, others); ``connect`` joins the highlighted points in order of x (a Pareto
    front). The root element carries ``data-x-scale`` and ``data-y-scale`` ("log" or "linear").
    """
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.shape != ys.shape:
        raise ValueError(f"scatter_chart got {xs.size} x values but {ys.size} y values")
    if log_x is None:
        log_x = wide_range(xs)
    ok = plotted_mask(xs, ys, log_x=log_x, log_y=log_y)
    hi_mask = None
    if highlight is not None:
        hi_mask = np.asarray(highlight, dtype=bool).ravel()
        if hi_mask.shape != xs.shape:
            raise ValueError(f"highlight has {hi_mask.size} entries, expected {xs.size}")
    out = [
        _svg_open(
            width, height, title, x_scale="log" if log_x else "linear",
            y_scale="log" if log_y else "linear",
        )
    ]  # fmt: skip
    top = 34.0
    if hi_mask is not None:
        items = [(legend[0], PALETTE[5], "box"), (legend[1], _FADED, "box")]
        leg, leg_h = _legend(items, 56, 40, width - 12)
        out.append(leg)
        top += leg_h + 4
    bottom = 44.0 if x_label else 28.0
    ph = height - top - bottom
    if not ok.any():
        return _no_data(out, width, top + ph / 2)
    ya = _fitting_axis(ys[ok], ph, log=log_y, horizontal=False)
    left = 30.0 + _label_w(ya) + 8.0
    xa, pw = _x_axis(xs[ok], width - left, 12.0, log=log_x)
    xa, ya = xa.placed(left, left + pw), ya.placed(top + ph, top)
    out.append(
        f'<rect class="plot-area" x="{_f(left)}" y="{_f(top)}" width="{_f(pw)}" '
        f'height="{_f(ph)}" fill="none"/>'
    )
    out += _frame(xa, ya, left, top, pw, ph)
    if x_label:
        out.append(_text(left + pw / 2, height - 10, fit_label(x_label, pw), "middle"))
    out.append(_y_title(y_label, 14, top, ph))
    px, py = xa.map(xs), ya.map(ys)
    n = int(ok.sum())
    size = 5.0 if n <= 200 else 3.5
    if hi_mask is None:
        out.append(_dots(px[ok], py[ok], PALETTE[0], size, 0.75 if n > 50 else 0.9))
        return "".join(out) + "</svg>"
    front, rest = ok & hi_mask, ok & ~hi_mask
    if rest.any():
        out.append(_dots(px[rest], py[rest], _FADED, size, 0.45))
    if front.any():
        if connect and front.sum() > 1:
            order = np.flatnonzero(front)[np.argsort(xs[front], kind="stable")]
            d = _path_d(px[order], py[order])
            out.append(
                f'<path class="front" d="{d}" fill="none" stroke="{PALETTE[5]}" '
                f'stroke-width="1.6" stroke-linejoin="round"/>'
            )
        out.append(_dots(px[front], py[front], PALETTE[5], size + 2.0, 1.0))
    return "".join(out) + "</svg>"


def strip_chart(
    categories: Sequence[object],
    y: ArrayLike,
    *,
    title: str,
    x_label: str,
    y_label: str,
    log_y: bool = False,
    width: int = 296,
    height: int = 240,
) -> str:
    """Strip plot: the ``y`` values of each category (in sorted order) as jittered dots, with the
    median as a dark bar. Missing categories are shown as "—"; non-finite ``y`` are not drawn."""
    cats = [DASH if c is None else str(c) for c in categories]
    ys = np.asarray(y, dtype=np.float64).ravel()
    if len(cats) != ys.size:
        raise ValueError(f"strip_chart got {len(cats)} categories but {ys.size} values")
    ok = plotted_mask(ys, log_x=log_y)
    names = sorted(set(cats))
    cat_i = np.array([names.index(c) for c in cats], dtype=np.intp)
    out = [_svg_open(width, height, title, x_scale="category")]
    top, bottom = 34.0, 44.0 if x_label else 28.0
    ph = height - top - bottom
    if not ok.any():
        return _no_data(out, width, top + ph / 2)
    ya = _fitting_axis(ys[ok], ph, log=log_y, horizontal=False)
    left = 30.0 + _label_w(ya) + 8.0
    pw = width - left - 12.0
    ya = ya.placed(top + ph, top)
    for py, lab in zip(ya.map(ya.ticks).tolist(), ya.labels, strict=True):
        out.append(_line(left, py, left + pw, py, _GRID))
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    slot = pw / len(names)
    centre = left + slot * (np.arange(len(names)) + 0.5)
    for k, name in enumerate(names):
        out.append(
            _text(float(centre[k]), top + ph + 16, fit_label(name, slot - 4), "middle", fill=_MUTED)
        )
    axes = f"M{_f(left)},{_f(top)}V{_f(top + ph)}H{_f(left + pw)}"
    out.append(f'<path d="{axes}" fill="none" stroke="{_MUTED}"/>')
    if x_label:
        out.append(_text(left + pw / 2, height - 10, fit_label(x_label, pw), "middle"))
    out.append(_y_title(y_label, 14, top, ph))
    # deterministic jitter: the golden-ratio sequence, within 60 % of the slot
    jitter = ((np.arange(ys.size) * 0.6180339887498949) % 1.0 - 0.5) * 0.6 * min(slot, 80.0)
    px, py = centre[cat_i] + jitter, ya.map(ys)
    n = int(ok.sum())
    out.append(_dots(px[ok], py[ok], PALETTE[0], 5.0 if n <= 200 else 3.5, 0.7))
    for k in range(len(names)):
        sel = ok & (cat_i == k)
        if sel.any():
            med = float(ya.map(np.median(ys[sel])))
            half = 0.35 * min(slot, 80.0)
            out.append(
                f'<line x1="{_f(centre[k] - half)}" y1="{_f(med)}" x2="{_f(centre[k] + half)}" '
                f'y2="{_f(med)}" stroke="{_INK}" stroke-width="2.5"><title>median</title></line>'
            )
    return "".join(out) + "</svg>"


# --- parallel coordinates ---------------------------------------------------------------------


def _colour_bar_h(
    x0: float, y0: float, w: float, lo: float, hi: float, label: str, *, log: bool = False
) -> list[str]:
    """A horizontal colour bar (the cividis-like ramp of :func:`sunlit_color`)."""
    steps = sunlit_color((np.arange(_N_BINS) + 0.5) / _N_BINS).tolist()
    sw = w / _N_BINS
    out = [_rect(x0 + k * sw, y0, sw + 0.3, 10, fill=c) for k, c in enumerate(steps)]
    out.append(_rect(x0, y0, w, 10, fill="none", stroke=_MUTED))
    out.append(_text(x0 - 6, y0 + 9, fmt_sig(lo, 3), "end", font_size="11"))
    out.append(_text(x0 + w + 6, y0 + 9, fmt_sig(hi, 3), font_size="11"))
    scale = " (log scale)" if log else ""
    out.append(_text(x0 + w / 2, y0 + 26, f"colour: {label}{scale}", "middle", fill=_MUTED))
    return out


def parallel_coordinates(
    axes: Mapping[str, ArrayLike],
    *,
    color_by: str,
    title: str,
    log_axes: Collection[str] = (),
    width: int = 880,
    height: int = 420,
) -> str:
    """Parallel-coordinates plot: one vertical axis per entry of ``axes`` (name -> values, all
    of one length), each spanning its own data range (log for names in ``log_axes``), one line per
    row, coloured by the values of axis ``color_by`` with a colour bar. Rows with a non-finite
    value (or one <= 0 on a log axis) are not drawn."""
    names = list(axes)
    if color_by not in axes:
        raise ValueError(f"color_by {color_by!r} is not one of the axes {names}")
    data = np.stack([np.asarray(axes[k], dtype=np.float64).ravel() for k in names])
    logs = [k in log_axes for k in names]
    ok = np.ones(data.shape[1], dtype=bool)
    for row, lg in zip(data, logs, strict=True):
        ok &= plotted_mask(row, log_x=lg)
    n_ax = len(names)
    left, right = 84.0, 84.0
    gap = (width - left - right) / max(n_ax - 1, 1)
    wrapped = [_wrap_path(k, int(min(gap - 8, 2 * left - 8, 240.0) / _CHAR_W)) for k in names]
    n_lines = max((len(w) for w in wrapped), default=1)
    top = 34.0 + 14.4 * n_lines + 10.0
    bottom = 74.0
    ph = height - top - bottom
    out = [_svg_open(width, height, title)]
    if n_ax < 2 or not ok.any():
        return _no_data(out, width, top + ph / 2)
    xs = left + gap * np.arange(n_ax) if n_ax > 1 else np.array([width / 2])
    axs = [
        _fitting_axis(row[ok], ph, log=lg, horizontal=False, tight=True).placed(top + ph, top)
        for row, lg in zip(data, logs, strict=True)
    ]
    py = np.stack([ax.map(row[ok]) for ax, row in zip(axs, data, strict=True)], axis=1)
    px = np.broadcast_to(xs, py.shape)
    ci = names.index(color_by)
    cv = data[ci, ok]
    c_ax = axs[ci]
    span = c_ax.p0 - c_ax.p1
    norm = np.clip((c_ax.p0 - py[:, ci]) / span, 0.0, 1.0) if span > 0 else np.zeros(cv.size)
    bins = np.minimum((norm * _N_BINS).astype(np.intp), _N_BINS - 1)
    colours = sunlit_color((np.arange(_N_BINS) + 0.5) / _N_BINS).tolist()
    n = int(ok.sum())
    sw, op = ("1.4", "0.75") if n <= 200 else ("1", "0.45")
    for b in np.unique(bins).tolist():
        sel = bins == b
        brk = np.zeros((int(sel.sum()), n_ax), dtype=bool)
        brk[:, 0] = True
        d = _path_d(px[sel].ravel(), py[sel].ravel(), brk.ravel())
        out.append(
            f'<path d="{d}" fill="none" stroke="{colours[b]}" stroke-width="{sw}" '
            f'opacity="{op}" stroke-linejoin="round"/>'
        )
    for k, (ax, x0) in enumerate(zip(axs, xs.tolist(), strict=True)):
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(top)}" x2="{_f(x0)}" y2="{_f(top + ph)}" '
            f'stroke="{_INK}" stroke-width="1.2"/>'
        )
        for tp, lab in zip(ax.map(ax.ticks).tolist(), ax.labels, strict=True):
            out.append(_line(x0 - 4, tp, x0, tp, _INK))
            out.append(_text(x0 - 6, tp + 4, lab, "end", font_size="11", **_HALO))
        lines = wrapped[k]
        y0 = top - 10.0 - 14.4 * (len(lines) - 1)
        out.append(_text(x0, y0, "\n".join(lines), "middle", font_weight="600"))
        lo_s, hi_s = fmt_sig(ax.lo, 3), fmt_sig(ax.hi, 3)
        out.append(
            _text(x0, top + ph + 15, f"{lo_s} – {hi_s}", "middle", fill=_MUTED, font_size="10")
        )
    bar_w = min(280.0, width - 200.0)
    out += _colour_bar_h(
        width / 2 - bar_w / 2, height - 44, bar_w, c_ax.lo, c_ax.hi, color_by, log=c_ax.log
    )
    return "".join(out) + "</svg>"


# --- horizontal grouped bars ------------------------------------------------------------------


def grouped_bars_with_whiskers(
    labels: Sequence[str],
    groups: Mapping[str, tuple[ArrayLike, ArrayLike | None]],
    *,
    title: str,
    x_label: str,
    x_range: tuple[float, float] | None = None,
    width: int = 720,
) -> str:
    """Horizontal bars, one row per label and within it one bar per group (name -> (values,
    half-widths of the confidence interval or ``None``)), from zero, with whiskers at value ±
    half-width and the value written past the end. ``x_range`` is always inside the x axis (e.g.
    (0, 1) for Sobol indices). A non-finite value is written "no value"; a non-finite half-width
    draws no whisker."""
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
    k = len(gnames)
    col_w = min(0.36 * width, 250.0)
    wrapped = [_wrap_path(str(s), int((col_w - 8) / _CHAR_W), 3) for s in labels]
    bar_h = 12.0 if k > 1 else 16.0
    row_h = np.array([max(k * (bar_h + 2) + 12.0, 14.4 * len(w) + 10.0) for w in wrapped])
    colours = [PALETTE[i % len(PALETTE)] for i in range(k)]
    out_leg, leg_h = "", 0.0
    if k > 1:
        out_leg, leg_h = _legend(
            [(g, c, "box") for g, c in zip(gnames, colours, strict=True)], col_w + 12, 40, width
        )
    top = 40.0 + leg_h + (6.0 if k > 1 else 0.0)
    rows_h = float(row_h.sum())
    height = top + rows_h + 48.0
    out = [_svg_open(width, height, title), out_leg]
    v_all = np.concatenate(vals) if vals else np.zeros(0)
    c_all = np.nan_to_num(np.concatenate(confs), nan=0.0) if confs else np.zeros(0)
    fin = np.isfinite(v_all)
    if n == 0 or not fin.any():
        return _no_data(out, width, top + 20)
    ends = np.concatenate([[0.0], (v_all - c_all)[fin], (v_all + c_all)[fin]])
    ends = ends[np.isfinite(ends)]
    if x_range is not None:
        ends = np.concatenate([ends, np.asarray(x_range, dtype=np.float64)])
    x_lo = col_w + 12 + (54.0 if np.any(v_all[fin] < 0) else 6.0)
    x_hi = width - 60.0
    xa = _fitting_axis(ends, x_hi - x_lo, log=False, horizontal=True).placed(x_lo, x_hi)
    y_end = top + rows_h
    for px, lab in zip(xa.map(xa.ticks).tolist(), xa.labels, strict=True):
        out.append(_line(px, top, px, y_end, _GRID))
        out.append(_text(px, y_end + 16, lab, "middle", fill=_MUTED))
    y_row = top + np.concatenate([[0.0], np.cumsum(row_h)[:-1]])
    zero = float(xa.map(0.0))
    for j in range(n):
        lines = wrapped[j]
        yc = float(y_row[j] + row_h[j] / 2)
        out.append(_text(col_w, yc + 4 - 7.2 * (len(lines) - 1), "\n".join(lines), "end"))
        y0 = yc - k * (bar_h + 2) / 2 + 1
        for gi in range(k):
            val, cf = float(vals[gi][j]), float(confs[gi][j])
            yb = y0 + gi * (bar_h + 2)
            if not math.isfinite(val):
                out.append(_text(zero + 4, yb + bar_h - 2, "no value", fill=_MUTED, font_size="11"))
                continue
            xv = float(xa.map(val))
            xa_, xb_ = min(zero, xv), max(zero, xv)
            tip = f"{labels[j]}: {gnames[gi]} = {fmt_sig(val, 3)}"
            if math.isfinite(cf) and cf > 0:
                tip += f" ± {fmt_sig(cf, 3)}"
            out.append(
                f'<rect class="bar" x="{_f(xa_)}" y="{_f(yb)}" width="{_f(max(xb_ - xa_, 1.0))}" '
                f'height="{_f(bar_h)}" fill="{colours[gi]}"><title>{_e(tip)}</title></rect>'
            )
            end_hi, end_lo = xb_, xa_
            if math.isfinite(cf) and cf > 0:
                w0, w1 = (float(t) for t in xa.map(np.array([val - cf, val + cf])))
                ym = yb + bar_h / 2
                out.append(
                    f'<path class="whisker" d="M{_f(w0)},{_f(ym)}H{_f(w1)}'
                    f'M{_f(w0)},{_f(ym - 4)}V{_f(ym + 4)}M{_f(w1)},{_f(ym - 4)}V{_f(ym + 4)}" '
                    f'fill="none" stroke="{_INK}" stroke-width="1.2"/>'
                )
                end_hi, end_lo = max(end_hi, w1), min(end_lo, w0)
            if val >= 0:
                out.append(_text(end_hi + 4, yb + bar_h - 2, fmt_sig(val, 3), font_size="11"))
            else:
                out.append(
                    _text(end_lo - 4, yb + bar_h - 2, fmt_sig(val, 3), "end", font_size="11")
                )
    out.append(
        f'<line x1="{_f(zero)}" y1="{_f(top - 4)}" x2="{_f(zero)}" y2="{_f(y_end)}" '
        f'stroke="{_INK}" stroke-width="1.2"/>'
    )
    out.append(_text((x_lo + x_hi) / 2, y_end + 36, fit_label(x_label, x_hi - x_lo), "middle"))
    return "".join(out) + "</svg>"


# --- break-even: contour lines and heat map ---------------------------------------------------


def _polylines(
    contours: Sequence[ArrayLike], xa: Axis, ya: Axis, cls: str, style: str
) -> list[str]:
    """One ``<polyline>`` per finite run of each contour (a NaN vertex splits it)."""
    out = []
    for line in contours:
        pts = np.asarray(line, dtype=np.float64).reshape(-1, 2)
        px, py = xa.map(pts[:, 0]), ya.map(pts[:, 1])
        ok = np.isfinite(px) & np.isfinite(py)
        runs = np.split(np.arange(ok.size), np.flatnonzero(np.diff(ok.astype(np.int8))) + 1)
        for run in runs:
            if run.size < 2 or not ok[run[0]]:
                continue
            coords = " ".join(
                f"{a:.1f},{b:.1f}"
                for a, b in zip(np.round(px[run], 1).tolist(), np.round(py[run], 1).tolist(),
                                strict=True)
            )  # fmt: skip
            out.append(f'<polyline class="{cls}" points="{coords}" {style}/>')
    return out


def _contour_values(contours: Sequence[ArrayLike]) -> tuple[NDArray[np.float64], ...]:
    pts = [np.asarray(c, dtype=np.float64).reshape(-1, 2) for c in contours]
    allp = np.concatenate(pts) if pts else np.zeros((0, 2))
    return allp[:, 0], allp[:, 1]


def contour_chart(
    contours: Sequence[ArrayLike],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    log_x: bool = False,
    log_y: bool = False,
    line_label: str = "break-even",
    points: Mapping[str, tuple[ArrayLike, ArrayLike]] | None = None,
    width: int = 720,
    height: int = 440,
) -> str:
    """Contour lines (each an ``(n, 2)`` array of x, y vertices) on the x–y plane, over optional
    ``points`` (legend label -> (x, y), e.g. the sampled points on either side of the line).

    The axes cover ``x_range``/``y_range``, the contours and the points. The plot area is the
    ``<rect class="plot-area">``; each contour is a ``<polyline class="contour">``.
    """
    cx, cy = _contour_values(contours)
    pts = {k: (np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel())
           for k, (a, b) in (points or {}).items()}  # fmt: skip
    xv = [cx, *(p[0] for p in pts.values()), np.asarray(x_range or (), dtype=np.float64)]
    yv = [cy, *(p[1] for p in pts.values()), np.asarray(y_range or (), dtype=np.float64)]
    x_all, y_all = np.concatenate(xv), np.concatenate(yv)
    ok = plotted_mask(cx, cy, log_x=log_x, log_y=log_y)
    colours = [PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[3]]
    items = [(line_label, _INK, "line")]
    items += [(k, colours[i % 4], "box") for i, k in enumerate(pts)]
    out = [
        _svg_open(
            width, height, title, x_scale="log" if log_x else "linear",
            y_scale="log" if log_y else "linear",
        )
    ]  # fmt: skip
    leg, leg_h = _legend(items, 72, 40, width - 16)
    out.append(leg)
    top, bottom = 44.0 + leg_h, 48.0
    ph = height - top - bottom
    if not (ok.any() or plotted_mask(x_all, y_all, log_x=log_x, log_y=log_y).any()):
        return _no_data(out, width, top + ph / 2)
    ya = _fitting_axis(y_all, ph, log=log_y, horizontal=False)
    left = 30.0 + _label_w(ya) + 8.0
    xa, pw = _x_axis(x_all, width - left, 16.0, log=log_x)
    xa, ya = xa.placed(left, left + pw), ya.placed(top + ph, top)
    out.append(
        f'<rect class="plot-area" x="{_f(left)}" y="{_f(top)}" width="{_f(pw)}" '
        f'height="{_f(ph)}" fill="#fbfbfb"/>'
    )
    out += _frame(xa, ya, left, top, pw, ph)
    out.append(_text(left + pw / 2, height - 10, fit_label(x_label, pw), "middle"))
    out.append(_y_title(y_label, 14, top, ph))
    for i, (px_, py_) in enumerate(pts.values()):
        m = plotted_mask(px_, py_, log_x=log_x, log_y=log_y)
        if m.any():
            out.append(_dots(xa.map(px_[m]), ya.map(py_[m]), colours[i % 4], 6.0, 0.75))
    style = (
        f'fill="none" stroke="{_INK}" stroke-width="2.5" stroke-linejoin="round" '
        f'stroke-linecap="round"'
    )
    out += _polylines(contours, xa, ya, "contour", style)
    return "".join(out) + "</svg>"


def _cell_edges(v: NDArray[np.float64], log: bool) -> NDArray[np.float64]:
    """Edges between sorted grid values (midpoints; the ends half a step out), in data units."""
    t = np.log10(v) if log else v
    if t.size == 1:
        half = 0.5 if log else (0.1 * abs(float(t[0])) or 0.5)
        edges = np.array([t[0] - half, t[0] + half])
    else:
        mid = (t[1:] + t[:-1]) / 2
        edges = np.concatenate([[t[0] - (mid[0] - t[0])], mid, [t[-1] + (t[-1] - mid[-1])]])
    return np.asarray(10.0**edges if log else edges, dtype=np.float64)


def _grid_axis(v: NDArray[np.float64], log: bool, length_px: float, horizontal: bool) -> Axis:
    """An axis from the first to the last cell edge, ticks at the grid values (thinned to fit)."""
    edges = _cell_edges(v, log)
    labels = [fmt_sig(float(s), 3) for s in v]
    per = length_px / max(v.size, 1)
    need = (max(len(s) for s in labels) * _CHAR_W + 8) if horizontal else 16.0
    every = max(1, math.ceil(need / per))
    keep = np.arange(v.size) % every == 0
    return Axis(
        float(edges[0]), float(edges[-1]), log, v[keep],
        tuple(s for s, k in zip(labels, keep, strict=True) if k),
    )  # fmt: skip


_BLUE, _WHITE, _VERMILLION = (np.array(c, dtype=np.float64) for c in
                               ([0, 114, 178], [247, 247, 247], [213, 94, 0]))  # fmt: skip


def _diverging_colour(t: ArrayLike) -> NDArray[np.str_]:
    """Hex colours for ``t`` in [-1, 1]: blue (-1), white (0), vermillion (1); Okabe & Ito."""
    tt = np.clip(np.nan_to_num(np.asarray(t, dtype=np.float64)), -1.0, 1.0)
    end = np.where((tt < 0)[..., None], _BLUE, _VERMILLION)
    rgb = _WHITE + (end - _WHITE) * np.abs(tt)[..., None]
    code = rgb.round().astype(np.int64) @ np.array([65536, 256, 1])
    return np.asarray(np.char.add("#", np.char.zfill(np.char.mod("%x", code), 6)))


def _heat_colours(
    zz: NDArray[np.float64], fin: NDArray[np.bool_], center: float | None
) -> tuple[NDArray[np.float64], NDArray[np.str_], list[tuple[float, str]], bool]:
    """Cell colour positions ``t``, the colours (grey where not finite), the colour-bar ticks
    as (t, label) from the lowest to the highest t, and whether the scale diverges."""
    z_lo, z_hi = float(zz[fin].min()), float(zz[fin].max())
    grey = "#dddddd"
    if center is None or not math.isfinite(center):
        tn = (zz - z_lo) / (z_hi - z_lo) if z_hi > z_lo else np.full(zz.shape, 0.5)
        colour = np.where(fin, sunlit_color(np.where(fin, tn, 0.0)), grey)
        if z_hi <= z_lo:
            return tn, colour, [(0.0, fmt_sig(z_lo, 3)), (1.0, "")], False
        za = make_axis([z_lo, z_hi], max_ticks=5, tight=True)
        ticks = [(float((v - z_lo) / (z_hi - z_lo)), lab)
                 for v, lab in zip(za.ticks.tolist(), za.labels, strict=True)]  # fmt: skip
        return tn, colour, [(0.0, ""), *ticks, (1.0, "")], False
    log = z_lo > 0 and center > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        sv = np.log10(zz / center) if log else zz - center
    s_lo, s_hi = float(sv[fin].min()), float(sv[fin].max())
    neg, pos = (-s_lo if s_lo < 0 else 1.0), (s_hi if s_hi > 0 else 1.0)
    tn = np.where(sv < 0, sv / neg, sv / pos)
    colour = np.where(fin, _diverging_colour(np.where(fin, tn, 0.0)), grey)
    t_lo, t_hi = min(0.0, s_lo / neg), max(0.0, s_hi / pos)
    ticks = [(t_lo, fmt_sig(z_lo, 3)), (0.0, f"{fmt_sig(center, 3)} (level)"),
             (t_hi, fmt_sig(z_hi, 3))]  # fmt: skip
    if t_lo == 0.0:
        ticks[0] = (0.0, "")
    if t_hi == 0.0:
        ticks[2] = (0.0, "")
    return tn, colour, ticks, True


def heatmap(
    x_values: ArrayLike,
    y_values: ArrayLike,
    z: ArrayLike,
    *,
    title: str,
    x_label: str,
    y_label: str,
    color_label: str,
    log_x: bool = False,
    log_y: bool = False,
    contours: Sequence[ArrayLike] = (),
    center: float | None = None,
    width: int = 720,
    height: int = 440,
) -> str:
    """Heat map of ``z`` (shape ``(len(y_values), len(x_values))``) on the grid of x and y
    values, one cell per grid point, with a colour bar and the value written in each cell where
    it fits; a non-finite cell is grey, written "—". ``contours`` are drawn over the cells.

    Colours run dark blue to yellow (low to high); with ``center`` (a break-even level) they
    diverge instead: blue below it, white at it, vermillion above, each side scaled to its
    extreme (logarithmically where ``z`` and ``center`` are all positive, e.g. a ratio)."""
    xv = np.asarray(x_values, dtype=np.float64).ravel()
    yv = np.asarray(y_values, dtype=np.float64).ravel()
    zz = np.asarray(z, dtype=np.float64)
    if zz.shape != (yv.size, xv.size):
        raise ValueError(f"z has shape {zz.shape}, expected {(yv.size, xv.size)}")
    ox, oy = np.argsort(xv), np.argsort(yv)
    xv, yv, zz = xv[ox], yv[oy], zz[np.ix_(oy, ox)]
    out = [
        _svg_open(
            width, height, title, x_scale="log" if log_x else "linear",
            y_scale="log" if log_y else "linear",
        )
    ]  # fmt: skip
    top, bottom, right = 40.0, 48.0, 130.0
    ph = height - top - bottom
    fin = np.isfinite(zz)
    if xv.size == 0 or yv.size == 0 or not fin.any():
        return _no_data(out, width, top + ph / 2)
    ya = _grid_axis(yv, log_y, ph, horizontal=False)
    left = 30.0 + _label_w(ya) + 8.0
    pw = width - left - right
    xa = _grid_axis(xv, log_x, pw, horizontal=True)
    xa, ya = xa.placed(left, left + pw), ya.placed(top + ph, top)
    tn, colour, bar_ticks, diverging = _heat_colours(zz, fin, center)
    ex, ey = xa.map(_cell_edges(xv, log_x)), ya.map(_cell_edges(yv, log_y))
    for i in range(yv.size):
        y0, y1 = float(ey[i + 1]), float(ey[i])
        for j in range(xv.size):
            x0, x1 = float(ex[j]), float(ex[j + 1])
            text = fmt_sig(float(zz[i, j]), 3)
            tip = (
                f"{x_label} = {fmt_sig(float(xv[j]))}, {y_label} = {fmt_sig(float(yv[i]))}: {text}"
            )
            out.append(
                f'<rect class="cell" x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" '
                f'height="{_f(y1 - y0)}" fill="{colour[i, j]}" stroke="#ffffff" '
                f'stroke-width="0.5"><title>{_e(tip)}</title></rect>'
            )
            if x1 - x0 >= len(text) * _CHAR_W * 11 / 12 + 6 and y1 - y0 >= 15:
                dark = abs(tn[i, j]) > 0.6 if diverging else tn[i, j] < 0.55
                ink = "#ffffff" if fin[i, j] and dark else _INK
                cy = (y0 + y1) / 2 + 4
                out.append(_text((x0 + x1) / 2, cy, text, "middle", fill=ink, font_size="11"))
    for py, lab in zip(ya.map(ya.ticks).tolist(), ya.labels, strict=True):
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    for px, lab in zip(xa.map(xa.ticks).tolist(), xa.labels, strict=True):
        out.append(_line(px, top + ph, px, top + ph + 4, _MUTED))
        out.append(_text(px, top + ph + 16, lab, "middle", fill=_MUTED))
    out.append(_text(left + pw / 2, height - 10, fit_label(x_label, pw), "middle"))
    out.append(_y_title(y_label, 14, top, ph))
    halo = 'fill="none" stroke="#ffffff" stroke-width="5" stroke-linejoin="round"'
    out += _polylines(contours, xa, ya, "contour-halo", halo)
    ink_style = f'fill="none" stroke="{_INK}" stroke-width="2" stroke-linejoin="round"'
    out += _polylines(contours, xa, ya, "contour", ink_style)
    # vertical colour bar at the right
    bx, bh = left + pw + 18.0, ph
    t0, t1 = bar_ticks[0][0], bar_ticks[-1][0]
    mids = t0 + (t1 - t0) * (np.arange(_N_BINS) + 0.5) / _N_BINS
    steps = (_diverging_colour(mids) if diverging else sunlit_color(mids)).tolist()
    sh = bh / _N_BINS
    for k, c in enumerate(steps):
        out.append(_rect(bx, top + bh - (k + 1) * sh, 12, sh + 0.3, fill=c))
    out.append(_rect(bx, top, 12, bh, fill="none", stroke=_MUTED))
    for t, lab in bar_ticks:
        if not lab:
            continue
        tp = top + bh - (t - t0) / (t1 - t0) * bh if t1 > t0 else top + bh / 2
        out.append(_line(bx + 12, tp, bx + 16, tp, _MUTED))
        out.append(_text(bx + 18, tp + 4, lab, fill=_MUTED, font_size="11"))
    lx = width - 10.0
    out.append(
        _text(lx, top + bh / 2, fit_label(color_label, bh), "middle",
              transform=f"rotate(-90 {_f(lx)} {_f(top + bh / 2)})")
    )  # fmt: skip
    return "".join(out) + "</svg>"
