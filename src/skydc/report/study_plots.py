"""Trade-study charts drawn with matplotlib (inline SVG strings): scatter, strip and
parallel-coordinates plots, break-even contours and heat maps.

Setup as in :mod:`skydc.report.charts`. Non-finite values are never drawn (and never written):
a chart drops those points, and :func:`~skydc.report.text.plotted_mask` says which it draws so a
caption can say how many it left out. Axes are linear, or logarithmic (decades) where asked;
:func:`~skydc.report.text.wide_range` is the rule the report uses to ask for one. The root
element carries ``data-x-scale`` / ``data-y-scale`` ("log", "linear" or "category"); artists
carry classes: ``plot-area``, ``points`` (one group per set of dots), ``front`` (a Pareto
front), ``median``, ``pc-line`` (a parallel-coordinates line), ``contour``, ``cell``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.report._mpl import (
    FADED,
    INK,
    MUTED,
    PALETTE,
    log_ticks,
    new_figure,
    no_data,
    style,
    to_svg,
    use_nice_ticks,
    value_range,
    wrap_title,
)
from skydc.report.text import DASH, fit_label, fmt_sig, plotted_mask, wide_range, wrap_label

__all__ = ["contour_chart", "heatmap", "parallel_coordinates", "scatter_chart", "strip_chart"]

_CMAP = "cividis"  # Nunez, Anderton & Renslow (2018), PLOS ONE 13(7): readable with CVD
_DIVERGING = "RdBu_r"  # blue below the level, red above (ColorBrewer, Harrower & Brewer 2003)


def _scales(log_x: bool, log_y: bool, x: str = "") -> dict[str, str]:
    return {"x_scale": x or ("log" if log_x else "linear"), "y_scale": "log" if log_y else "linear"}


def _axis(ax: Any, which: str, values: NDArray[np.float64], log: bool) -> None:
    """Scale, range and ticks of one axis from the values it shows."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    setter = ax.set_xlim if which == "x" else ax.set_ylim
    v = values[np.isfinite(values) & ((values > 0) if log else True)]
    if log:
        (ax.set_xscale if which == "x" else ax.set_yscale)("log")
        if v.size:
            lo, hi = float(v.min()), float(v.max())
            lo, hi = (lo / 2, hi * 2) if hi <= lo else (lo, hi)
            pad = (hi / lo) ** 0.05
            setter(lo / pad, hi * pad)
        log_ticks(axis)
        return
    rng = value_range(v)
    setter(rng.lo, rng.hi)
    use_nice_ticks(axis, 6)


def _plain_ticks(axis: Any) -> None:
    """Colour-bar ticks as plain numbers ("2", "0.5"; no 10^x mathtext), no minor labels."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt_sig(float(v), 3)))
    axis.set_minor_formatter(NullFormatter())


def _label(text: str, px: float) -> str:
    return wrap_label(fit_label(text, 2.2 * px), max(12, int(px / 6.0)), 2)



def _labelled_figure(width: float, height: float, x_label: str, y_label: str) -> tuple[Any, Any]:
    """A figure whose plot area tests can find, with its axis titles (no x title when
    ``x_label`` is empty)."""
    fig, ax = new_figure(width, height)
    ax.patch.set_gid("skydc-plot-area")
    if x_label:
        ax.set_xlabel(_label(x_label, width))
    ax.set_ylabel(_label(y_label, height))
    return fig, ax


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
    front, class ``front``).
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
    with style():
        fig, ax = _labelled_figure(width, height, x_label, y_label)
        if not ok.any():
            no_data(ax)
        else:
            _axis(ax, "x", xs[ok], log_x)
            _axis(ax, "y", ys[ok], log_y)
            n = int(ok.sum())
            size = 16.0 if n <= 200 else 7.0
            if hi_mask is None:
                ax.scatter(xs[ok], ys[ok], s=size, color=PALETTE[0], alpha=0.8, lw=0,
                           gid="skydc-points")  # fmt: skip
            else:
                front, rest = ok & hi_mask, ok & ~hi_mask
                if rest.any():
                    ax.scatter(xs[rest], ys[rest], s=size, color=FADED, alpha=0.55, lw=0,
                               label=legend[1], gid="skydc-points")  # fmt: skip
                if front.any():
                    if connect and front.sum() > 1:
                        order = np.flatnonzero(front)[np.argsort(xs[front], kind="stable")]
                        ax.plot(xs[order], ys[order], color=PALETTE[5], lw=1.4, gid="skydc-front")
                    ax.scatter(xs[front], ys[front], s=size * 2, color=PALETTE[5], lw=0,
                               label=legend[0], zorder=3, gid="skydc-points")  # fmt: skip
                ax.legend(loc="best", fontsize=8)
        fig.suptitle(wrap_title(fit_label(title, 2.5 * width), width), fontsize=9)
        return to_svg(fig, title, data=_scales(log_x, log_y))


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
    """Strip plot: the ``y`` values of each category (sorted) as jittered dots, with the median
    as a dark bar (class ``median``). Missing categories are shown as "—"."""
    cats = [DASH if c is None else str(c) for c in categories]
    ys = np.asarray(y, dtype=np.float64).ravel()
    if len(cats) != ys.size:
        raise ValueError(f"strip_chart got {len(cats)} categories but {ys.size} values")
    ok = plotted_mask(ys, log_x=log_y)
    names = sorted(set(cats))
    cat_i = np.array([names.index(c) for c in cats], dtype=np.intp)
    with style():
        fig, ax = _labelled_figure(width, height, x_label, y_label)
        if not ok.any():
            no_data(ax)
        else:
            _axis(ax, "y", ys[ok], log_y)
            # deterministic jitter: the golden-ratio sequence, within 60 % of the slot
            jitter = ((np.arange(ys.size) * 0.6180339887498949) % 1.0 - 0.5) * 0.6
            ax.scatter(cat_i[ok] + jitter[ok], ys[ok], s=14, color=PALETTE[0], alpha=0.7, lw=0,
                       gid="skydc-points")  # fmt: skip
            for k in range(len(names)):
                sel = ok & (cat_i == k)
                if sel.any():
                    ax.plot([k - 0.35, k + 0.35], [np.median(ys[sel])] * 2, color=INK, lw=2.5,
                            gid="skydc-median")  # fmt: skip
            ax.set_xticks(range(len(names)), [fit_label(s, width / len(names)) for s in names])
            ax.set_xlim(-0.6, len(names) - 0.4)
            ax.grid(False, axis="x")
        fig.suptitle(wrap_title(fit_label(title, 2.5 * width), width), fontsize=9)
        return to_svg(fig, title, data=_scales(False, log_y, "category"))


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
    of one length), each spanning its own data range (log for names in ``log_axes``), one line
    per row (class ``pc-line``), coloured by the values of axis ``color_by`` with a colour bar.
    Rows with a non-finite value (or one <= 0 on a log axis) are not drawn."""
    names = list(axes)
    if color_by not in axes:
        raise ValueError(f"color_by {color_by!r} is not one of the axes {names}")
    data = np.stack([np.asarray(axes[k], dtype=np.float64).ravel() for k in names])
    logs = [k in log_axes for k in names]
    ok = np.ones(data.shape[1], dtype=bool)
    for row, lg in zip(data, logs, strict=True):
        ok &= plotted_mask(row, log_x=lg)
    with style():
        fig, ax = new_figure(width, height)
        n_ax = len(names)
        if n_ax < 2 or not ok.any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title)
        # each axis mapped to [0, 1] over its own range (log10 on a log axis)
        t = np.where(np.asarray(logs)[:, None], np.log10(np.where(data > 0, data, 1.0)), data)
        t = t[:, ok]
        lo, hi = t.min(axis=1), t.max(axis=1)
        span = np.where(hi > lo, hi - lo, 1.0)
        norm = (t - lo[:, None]) / span[:, None]
        ci = names.index(color_by)
        from matplotlib import colormaps
        from matplotlib.cm import ScalarMappable
        from matplotlib.collections import LineCollection
        from matplotlib.colors import LogNorm, Normalize

        xs = np.arange(n_ax, dtype=np.float64)
        segs = np.stack([np.broadcast_to(xs, norm.T.shape), norm.T], axis=-1)
        cv = data[ci, ok]
        c_norm = (LogNorm if logs[ci] else Normalize)(float(cv.min()), float(cv.max()))
        cmap = colormaps[_CMAP]
        n = int(ok.sum())
        lines = LineCollection(list(segs), colors=cmap(c_norm(cv)),
                               linewidths=1.2 if n <= 200 else 0.8,
                               alpha=0.8 if n <= 200 else 0.5, gid="skydc-pc-line")  # fmt: skip
        ax.add_collection(lines)
        ax.set_xlim(-0.05, n_ax - 0.95)
        ax.set_ylim(-0.04, 1.04)
        ax.set_yticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        gap_px = width / n_ax
        ax.set_xticks(xs, [wrap_label(k, max(10, int(gap_px / 6.2)), 3) for k in names])
        ax.xaxis.set_ticks_position("top")
        for k in range(n_ax):
            ax.axvline(k, color=INK, lw=1.0)
            for frac in (0.0, 0.5, 1.0):
                val = lo[k] + frac * (hi[k] - lo[k])
                val = 10.0**val if logs[k] else val
                ax.text(k - 0.02, frac, fmt_sig(float(val), 3), ha="right", va="center",
                        fontsize=7.5, color=INK,
                        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                              "alpha": 0.7})  # fmt: skip
        scale = " (log scale)" if logs[ci] else ""
        bar = fig.colorbar(ScalarMappable(c_norm, cmap.resampled(32)), ax=ax,
                           orientation="horizontal", fraction=0.05, pad=0.04, aspect=40,
                           shrink=0.5)  # fmt: skip
        bar.set_label(f"colour: {color_by}{scale}")
        _plain_ticks(bar.ax.xaxis)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title)


def _contour_values(contours: Sequence[ArrayLike]) -> tuple[NDArray[np.float64], ...]:
    pts = [np.asarray(c, dtype=np.float64).reshape(-1, 2) for c in contours]
    allp = np.concatenate(pts) if pts else np.zeros((0, 2))
    return allp[:, 0], allp[:, 1]


def _draw_contours(ax: Any, contours: Sequence[ArrayLike], label: str, halo: bool) -> None:
    """Each contour one line (class ``contour``), broken where a vertex is NaN."""
    for k, line in enumerate(contours):
        pts = np.asarray(line, dtype=np.float64).reshape(-1, 2)
        if halo:
            ax.plot(pts[:, 0], pts[:, 1], color="white", lw=4.5, solid_joinstyle="round")
        ax.plot(pts[:, 0], pts[:, 1], color=INK, lw=2.2, solid_joinstyle="round",
                label=label if k == 0 else None, gid="skydc-contour")  # fmt: skip


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
    The axes cover ``x_range``/``y_range``, the contours and the points."""
    cx, cy = _contour_values(contours)
    pts = {k: (np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel())
           for k, (a, b) in (points or {}).items()}  # fmt: skip
    xv = [cx, *(p[0] for p in pts.values()), np.asarray(x_range or (), dtype=np.float64)]
    yv = [cy, *(p[1] for p in pts.values()), np.asarray(y_range or (), dtype=np.float64)]
    x_all, y_all = np.concatenate(xv), np.concatenate(yv)
    colours = [PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[3]]
    with style():
        fig, ax = _labelled_figure(width, height, x_label, y_label)
        if not plotted_mask(x_all, y_all, log_x=log_x, log_y=log_y).any():
            no_data(ax)
        else:
            _axis(ax, "x", x_all, log_x)
            _axis(ax, "y", y_all, log_y)
            for i, (name, (px, py)) in enumerate(pts.items()):
                m = plotted_mask(px, py, log_x=log_x, log_y=log_y)
                if m.any():
                    ax.scatter(px[m], py[m], s=22, color=colours[i % 4], alpha=0.75, lw=0,
                               label=name, gid="skydc-points")  # fmt: skip
            _draw_contours(ax, contours, line_label, halo=False)
            ax.legend(loc="best", fontsize=8)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title, data=_scales(log_x, log_y))


def _edges(v: NDArray[np.float64], log: bool) -> NDArray[np.float64]:
    """Cell edges between sorted grid values (midpoints; the ends half a step out)."""
    t = np.log10(v) if log else v
    if t.size == 1:
        half = 0.5 if log else (0.1 * abs(float(t[0])) or 0.5)
        edges = np.array([t[0] - half, t[0] + half])
    else:
        mid = (t[1:] + t[:-1]) / 2
        edges = np.concatenate([[t[0] - (mid[0] - t[0])], mid, [t[-1] + (t[-1] - mid[-1])]])
    return np.asarray(10.0**edges if log else edges, dtype=np.float64)


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
    """Heat map of ``z`` (shape ``(len(y_values), len(x_values))``): one cell per grid point
    (class ``cell``, with its value as tooltip and written in it where it fits), a colour bar,
    grey (#dddddd) where ``z`` is not finite, and ``contours`` over the cells. Colours run
    cividis (low to high); with ``center`` (a break-even level) they diverge instead: blue
    below it, white at it, red above (logarithmically where all ``z`` and ``center`` > 0)."""
    xv = np.asarray(x_values, dtype=np.float64).ravel()
    yv = np.asarray(y_values, dtype=np.float64).ravel()
    zz = np.asarray(z, dtype=np.float64)
    if zz.shape != (yv.size, xv.size):
        raise ValueError(f"z has shape {zz.shape}, expected {(yv.size, xv.size)}")
    ox, oy = np.argsort(xv), np.argsort(yv)
    xv, yv, zz = xv[ox], yv[oy], zz[np.ix_(oy, ox)]
    fin = np.isfinite(zz)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize, TwoSlopeNorm, to_hex

    with style():
        fig, ax = new_figure(width, height)
        ax.set_xlabel(_label(x_label, width))
        ax.set_ylabel(_label(y_label, height))
        if xv.size == 0 or yv.size == 0 or not fin.any():
            no_data(ax)
            fig.suptitle(wrap_title(title, width))
            return to_svg(fig, title, data=_scales(log_x, log_y))
        z_lo, z_hi = float(zz[fin].min()), float(zz[fin].max())
        if center is not None and np.isfinite(center):
            cmap = colormaps[_DIVERGING]
            if z_lo > 0 and center > 0:
                lo_r, hi_r = min(z_lo, center / 1.01), max(z_hi, center * 1.01)
                r = max(np.log10(center / lo_r), np.log10(hi_r / center))
                norm: Any = LogNorm(center / 10**r, center * 10**r)
            else:
                d = max(center - z_lo, z_hi - center, 1e-12)
                norm = TwoSlopeNorm(center, center - d, center + d)
        else:
            cmap = colormaps[_CMAP]
            norm = Normalize(z_lo, z_hi if z_hi > z_lo else z_lo + 1.0)
        ex, ey = _edges(xv, log_x), _edges(yv, log_y)
        if log_x:
            ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        tips = []
        from matplotlib.patches import Rectangle

        for i in range(yv.size):
            for j in range(xv.size):
                val = float(zz[i, j])
                colour = to_hex(cmap(norm(val))) if fin[i, j] else "#dddddd"
                text = fmt_sig(val, 3)
                tips.append(f"{x_label} = {fmt_sig(float(xv[j]))}, {y_label} = "
                            f"{fmt_sig(float(yv[i]))}: {text}")  # fmt: skip
                ax.add_patch(Rectangle((ex[j], ey[i]), ex[j + 1] - ex[j], ey[i + 1] - ey[i],
                                       facecolor=colour, edgecolor="white", lw=0.5,
                                       gid=f"skydc-cell-{len(tips) - 1}"))  # fmt: skip
        cell_w = (width - 160) / xv.size
        cell_h = (height - 110) / yv.size
        if cell_h >= 14:
            for i in range(yv.size):
                for j in range(xv.size):
                    text = fmt_sig(float(zz[i, j]), 3)
                    if len(text) * 5.2 + 4 > cell_w:
                        continue
                    rgb = cmap(norm(float(zz[i, j])))[:3] if fin[i, j] else (0.87, 0.87, 0.87)
                    dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.5
                    xc = np.sqrt(ex[j] * ex[j + 1]) if log_x else (ex[j] + ex[j + 1]) / 2
                    yc = np.sqrt(ey[i] * ey[i + 1]) if log_y else (ey[i] + ey[i + 1]) / 2
                    ax.text(xc, yc, text, ha="center", va="center", fontsize=7.5,
                            color="white" if dark else INK)  # fmt: skip
        ax.set_xlim(ex[0], ex[-1])
        ax.set_ylim(ey[0], ey[-1])
        every_x = max(1, int(np.ceil(xv.size * 40 / (width - 160))))
        ax.set_xticks(xv[::every_x], [fmt_sig(float(v), 3) for v in xv[::every_x]])
        ax.set_yticks(yv, [fmt_sig(float(v), 3) for v in yv])
        ax.minorticks_off()
        ax.grid(False)
        _draw_contours(ax, contours, "", halo=True)
        bar = fig.colorbar(ScalarMappable(norm, cmap.resampled(32)), ax=ax, fraction=0.05,
                           pad=0.02)  # fmt: skip
        bar.set_label(_label(color_label, height))
        _plain_ticks(bar.ax.yaxis)
        if center is not None and np.isfinite(center):
            bar.ax.axhline(center, color=INK, lw=1.2)
        bar.ax.tick_params(labelsize=8, colors=MUTED, labelcolor=INK)
        fig.suptitle(wrap_title(title, width))
        return to_svg(fig, title, tooltips=tips, data=_scales(log_x, log_y))
