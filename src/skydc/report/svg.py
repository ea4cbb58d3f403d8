"""Hand-written SVG charts for the offline HTML run report.

Why hand-written SVG rather than matplotlib or plotly: the report has a few simple charts (lines,
bars, a ground-track map and a globe), the core package must stay lean (no plotting dependency),
and ``report.html`` must work offline with no scripts, fonts or CDN. SVG strings are small, render
in every browser, and can be checked in tests with an XML parser.

Every function is pure: arrays in, an SVG string out. All text is escaped with :func:`html.escape`.
Writing coordinates is serialization, so it loops over the (down-sampled) points in ``str.join``;
all geometry is done on NumPy arrays. The axis helpers :func:`nice_ticks`, :func:`time_ticks` and
:func:`downsample_minmax` are public so that they can be tested on their own.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Collection, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import EARTH_RADIUS_M

__all__ = [
    "PALETTE",
    "bar_chart",
    "bridge_chart",
    "downsample_minmax",
    "globe_view",
    "ground_track_map",
    "line_chart",
    "nice_ticks",
    "sunlit_color",
    "time_ticks",
    "waterfall_chart",
]

# Okabe & Ito (2008), "Color Universal Design", https://jfly.uni-koeln.de/color/ : distinguishable
# with the common colour-vision deficiencies. Yellow (#F0E442) is last: it is weak on white.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
)  # fmt: skip
# Blue -> yellow ramp approximating "cividis" (Nunez, Anderton & Renslow 2018, PLOS ONE 13(7)),
# perceptually ordered and readable with colour-vision deficiencies: eclipsed (0) -> sunlit (1).
_SUNLIT_STOPS = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
_SUNLIT_RGB = np.array(
    [[0, 34, 78], [65, 77, 107], [124, 123, 120], [188, 175, 111], [254, 232, 56]]
)
_FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_INK, _MUTED, _GRID = "#222222", "#666666", "#e3e3e3"
_CHAR_W = 6.6  # rough width of one 12 px character, for layout only [px]
_NO_DATA = "no data"
_TINY = 1e-200  # ranges narrower than this are degenerate (keeps log10 away from subnormals)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _f(v: float) -> str:
    return f"{v:.1f}"


def _open(width: float, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-label="{_e(title)}" '
        f'font-family="{_e(_FONT)}" font-size="12" fill="{_INK}">'
        f"<title>{_e(title)}</title>"
        f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>'
        f'<text x="{width / 2:g}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="600">{_e(title)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{stroke}"/>'


def _rect(x: float, y: float, w: float, h: float, **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items())
    return f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"{extra}/>'


def _text(x: float, y: float, s: str, anchor: str = "start", **attrs: object) -> str:
    """One text element; a newline in ``s`` starts a second line (a tspan)."""
    extra = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items())
    lines = s.split("\n")
    body = _e(lines[0]) + "".join(
        f'<tspan x="{_f(x)}" dy="1.2em">{_e(t)}</tspan>' for t in lines[1:]
    )
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{extra}>{body}</text>'


def _legend(
    items: Sequence[tuple[str, str, str]], x0: float, y0: float, x1: float
) -> tuple[str, float]:
    """Legend row(s) of (label, colour, kind in {"line", "dash", "box"}); returns (svg, height)."""
    parts, x, y = [], x0, y0
    for label, color, kind in items:
        w = 22 + len(label) * _CHAR_W + 14
        if x + w > x1 and x > x0:
            x, y = x0, y + 18
        if kind == "box":
            parts.append(
                f'<rect x="{_f(x + 4)}" y="{_f(y - 9)}" width="12" height="10" fill="{color}"/>'
            )
        else:
            dash = ' stroke-dasharray="5 3"' if kind == "dash" else ""
            parts.append(
                f'<line x1="{_f(x)}" y1="{_f(y - 4)}" x2="{_f(x + 18)}" y2="{_f(y - 4)}" '
                f'stroke="{color}" stroke-width="2.5"{dash}/>'
            )
        parts.append(_text(x + 22, y, label))
        x += w
    return "".join(parts), (y - y0 + 18) if items else 0.0


def _path_d(
    px: NDArray[np.float64], py: NDArray[np.float64], breaks: NDArray[np.bool_] | None = None
) -> str:
    """SVG path data through finite points; non-finite points and ``breaks`` start a new subpath.

    An isolated point becomes a zero-length subpath (drawn as a dot with a round line cap).
    """
    ok = np.isfinite(px) & np.isfinite(py)
    if not ok.any():
        return ""
    prev_ok = np.concatenate([[False], ok[:-1]])
    start = ok & ~prev_ok if breaks is None else ok & (~prev_ok | breaks)
    next_start = np.concatenate([start[1:] | ~ok[1:], [True]])
    cmd = np.where(start, "M", "L")
    tail = np.where(start & next_start, "h0", "")
    xs, ys = np.round(px, 1)[ok].tolist(), np.round(py, 1)[ok].tolist()
    return "".join(
        f"{c}{a:.1f},{b:.1f}{t}" for c, a, b, t in zip(cmd[ok], xs, ys, tail[ok], strict=True)
    )


def _dots(
    px: NDArray[np.float64], py: NDArray[np.float64], color: str, size: float, opacity: float
) -> str:
    """One path drawing a round dot of diameter ``size`` [px] at every point."""
    d = _path_d(px, py, np.ones(px.shape, dtype=bool))
    return (
        f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{size:g}" '
        f'stroke-linecap="round" opacity="{opacity:g}"/>'
    )


def nice_ticks(lo: float, hi: float, max_ticks: int = 7) -> NDArray[np.float64]:
    """Evenly spaced "nice" ticks (step 1, 2 or 5 x 10^k) that cover ``[lo, hi]``.

    Returns ``t`` with ``t[0] <= lo``, ``t[-1] >= hi``, ``2 <= len(t) <= max_ticks`` and the
    smallest such step (Heckbert 1990, "Nice numbers for graph labels", Graphics Gems, 61-63).
    A degenerate range (``hi - lo`` below 1e-9 of the magnitude, or below 1e-200) is widened by
    10 % of the value (or by 1 near zero).
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"tick range must be finite, got [{lo}, {hi}]")
    if max_ticks < 3:  # a range around 0 needs three ticks (-s, 0, s) whatever the step
        raise ValueError(f"max_ticks must be at least 3, got {max_ticks}")
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo <= max(1e-9 * max(abs(lo), abs(hi)), _TINY):
        pad = 0.1 * abs(lo) if abs(lo) > _TINY else 1.0
        lo, hi = lo - pad, hi + pad
    span = hi - lo
    if not math.isfinite(span):
        raise ValueError(f"tick range too wide for float64: [{lo}, {hi}]")
    exp = math.floor(math.log10(span / (max_ticks - 1)))
    while True:
        for m in (1.0, 2.0, 5.0):
            step = m * 10.0**exp
            first, last = math.floor(lo / step), math.ceil(hi / step)
            first -= first * step > lo  # guard against rounding in lo / step
            last += last * step < hi
            if last - first + 1 <= max_ticks:
                return np.arange(first, last + 1, dtype=np.float64) * step
        exp += 1


def _tick_labels(ticks: NDArray[np.float64]) -> list[str]:
    step = float(ticks[1] - ticks[0]) if ticks.size > 1 else 1.0
    big = float(np.max(np.abs(ticks))) if ticks.size else 0.0
    vals = [0.0 if v == 0 else float(v) for v in ticks]
    if big >= 1e6 or 0 < big < 1e-3:
        sig = min(15, max(1, math.floor(math.log10(big)) - math.floor(math.log10(step)) + 1))
        return [f"{v:.{sig}g}" for v in vals]
    dec = max(0, -math.floor(math.log10(step) + 1e-9))
    return [f"{v:,.{dec}f}" for v in vals]


_DAY_S = 86400
_TIME_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
                 _DAY_S, 2 * _DAY_S, 5 * _DAY_S, 10 * _DAY_S)  # fmt: skip
_MONTH_STEPS = (1, 2, 3, 6, *(12 * m * 10**k for k in range(4) for m in (1, 2, 5)))


def time_ticks(
    t0_s: float, t1_s: float, max_ticks: int = 7
) -> tuple[NDArray[np.float64], list[str]]:
    """Round UTC times inside ``[t0_s, t1_s]`` (POSIX seconds) and their labels.

    Steps are 1 s ... 10 days, then 1, 2, 3, 6 months and 1, 2, 5, 10... years, aligned to UTC
    midnight and calendar months. Labels carry a second line (after a newline) with the date or year
    at the first tick and wherever it changes.
    """
    if not (math.isfinite(t0_s) and math.isfinite(t1_s)) or t1_s < t0_s:
        raise ValueError(f"time range must be finite and increasing, got [{t0_s}, {t1_s}]")
    ticks: NDArray[np.float64] = np.empty(0)
    step_s = float(_TIME_STEPS_S[-1])
    for step in _TIME_STEPS_S:
        first, last = math.ceil(t0_s / step), math.floor(t1_s / step)
        if last - first + 1 <= max_ticks:
            ticks, step_s = np.arange(first, last + 1, dtype=np.float64) * step, float(step)
            break
    else:
        s0, s1 = np.datetime64(math.ceil(t0_s), "s"), np.datetime64(math.floor(t1_s), "s")
        m0 = int(s0.astype("datetime64[M]").astype(np.int64))
        m0 += int(np.datetime64(m0, "M").astype("datetime64[s]") < s0)
        m1 = int(s1.astype("datetime64[M]").astype(np.int64))
        for months in _MONTH_STEPS:
            first, last = -(-m0 // months), m1 // months
            if last - first + 1 <= max_ticks:
                idx = np.arange(first, last + 1) * months
                ticks = idx.astype("datetime64[M]").astype("datetime64[s]").astype(np.float64)
                step_s = months * 30.0 * _DAY_S
                break
    fmt, fmt2 = (
        ("%H:%M:%S", "%Y-%m-%d") if step_s < 60
        else ("%H:%M", "%Y-%m-%d") if step_s < _DAY_S
        else ("%b %d", "%Y") if step_s < 28 * _DAY_S
        else ("%b", "%Y") if step_s < 360 * _DAY_S
        else ("%Y", "")
    )  # fmt: skip
    dts = ticks.astype("datetime64[s]").astype(object)
    labels, prev = [], ""
    for d in dts:
        second = d.strftime(fmt2) if fmt2 else ""
        labels.append(d.strftime(fmt) + (f"\n{second}" if second and second != prev else ""))
        prev = second
    return ticks.astype(np.float64), labels


def downsample_minmax(y: ArrayLike, max_points: int = 2000) -> NDArray[np.intp]:
    """Sorted indices of at most ``max_points`` samples of ``y`` that keep its shape.

    The series is cut into equal buckets; each keeps its minimum, its maximum and its first
    non-finite sample (so NaN gaps survive), plus the first and last sample overall.
    """
    y = np.asarray(y, dtype=np.float64).ravel()
    n = y.size
    if max_points < 5:
        raise ValueError(f"max_points must be at least 5, got {max_points}")
    if n <= max_points:
        return np.arange(n)
    size = -(-n // ((max_points - 2) // 3))
    n_buckets = -(-n // size)
    yp = np.concatenate([y, np.full(n_buckets * size - n, np.nan)]).reshape(n_buckets, size)
    finite = np.isfinite(yp)
    base = np.arange(n_buckets) * size
    lo = base + np.where(finite, yp, np.inf).argmin(axis=1)
    hi = base + np.where(finite, yp, -np.inf).argmax(axis=1)
    gap = (base + (~finite).argmax(axis=1))[(~finite).any(axis=1)]
    keep = np.concatenate([[0, n - 1], lo, hi, gap])
    return np.unique(keep[keep < n])


def _as_seconds(x: ArrayLike) -> tuple[NDArray[np.float64], bool]:
    """Float x values and whether x was datetime64 (converted to POSIX seconds, NaT -> NaN)."""
    arr = np.asarray(x)
    if np.issubdtype(arr.dtype, np.datetime64):
        sec = arr.astype("datetime64[us]").astype(np.int64) / 1e6
        return np.where(np.isnat(arr), np.nan, sec), True
    return arr.astype(np.float64), False


def line_chart(
    x: ArrayLike,
    series: Mapping[str, ArrayLike],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 720,
    height: int = 320,
    y_range: tuple[float, float] | None = None,
    x_is_time: bool = False,
    colors: Mapping[str, str] | None = None,
    dashed: Collection[str] = (),
) -> str:
    """Line chart of several series sharing ``x``, with a legend.

    ``x`` may be numpy ``datetime64`` (a UTC time axis) or numbers; with ``x_is_time`` numbers are
    POSIX seconds [s] (since 1970-01-01T00:00 UTC). Non-finite values break the line. Each series
    is down-sampled to at most ~2,000 points with :func:`downsample_minmax`. ``y_range`` fixes the
    y axis (data outside is clipped). ``colors`` overrides the palette per series; series in
    ``dashed`` are drawn dashed.
    """
    xs, is_dt = _as_seconds(x)
    time_axis = is_dt or x_is_time
    ys = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in series.items()}
    for name, v in ys.items():
        if v.shape != xs.shape:
            raise ValueError(f"series {name!r} has {v.size} values but x has {xs.size}")
    colors = dict(colors or {})
    style = {k: (colors.get(k, PALETTE[i % len(PALETTE)]), "dash" if k in dashed else "line")
             for i, k in enumerate(ys)}  # fmt: skip
    legend, leg_h = _legend([(k, c, s) for k, (c, s) in style.items()], 64, 40, width - 16)
    left, right, top, bottom = 64.0, 16.0, 40.0 + leg_h, 56.0
    height += int(max(0.0, leg_h - 18.0))  # more legend rows grow the chart, not shrink the plot
    pw, ph = width - left - right, height - top - bottom
    out = [_open(width, height, title), legend]
    x_ok = np.isfinite(xs)
    has = {k: np.isfinite(v) & x_ok for k, v in ys.items()}
    if not any(m.any() for m in has.values()) and y_range is None:
        out.append(
            f'<rect x="{left}" y="{_f(top)}" width="{_f(pw)}" height="{_f(ph)}" fill="#f7f7f7"/>'
        )
        out.append(_text(left + pw / 2, top + ph / 2, _NO_DATA, "middle", fill=_MUTED))
        return "".join(out) + "</svg>"
    # x axis: tight for time, "nice" for numbers
    x0, x1 = (float(np.min(xs[x_ok])), float(np.max(xs[x_ok]))) if x_ok.any() else (0.0, 1.0)
    n_xt = max(7, int(pw // 90))  # time steps grow by up to 3x: 7 keeps at least 2 ticks
    if time_axis:
        x0, x1 = (x0 - 60.0, x1 + 60.0) if x1 - x0 < 1.0 else (x0, x1)
        xt, xl = time_ticks(x0, x1, n_xt)
        if "UTC" not in x_label:
            x_label = f"{x_label} (UTC)"
    else:
        xt = nice_ticks(x0, x1, n_xt)
        x0, x1, xl = float(xt[0]), float(xt[-1]), _tick_labels(xt)
    if y_range is not None:
        y0, y1 = float(min(y_range)), float(max(y_range))
        yt = nice_ticks(y0, y1)
        yt = yt[(yt >= y0 - 1e-9 * (y1 - y0)) & (yt <= y1 + 1e-9 * (y1 - y0))]
    else:
        finite = np.concatenate([v[m] for v, m in zip(ys.values(), has.values(), strict=True)])
        yt = nice_ticks(float(finite.min()), float(finite.max()))
        y0, y1 = float(yt[0]), float(yt[-1])

    def sx(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return left + (v - x0) / (x1 - x0) * pw

    def sy(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return top + ph - (v - y0) / (y1 - y0) * ph

    for py, lab in zip(sy(yt), _tick_labels(yt), strict=True):
        out.append(_line(left, py, left + pw, py, _GRID))
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    for px, lab in zip(sx(xt), xl, strict=True):
        out.append(_line(px, top, px, top + ph, _GRID))
        out.append(_text(px, top + ph + 16, lab, "middle", fill=_MUTED))
    axes = f"M{left},{_f(top)}V{_f(top + ph)}H{_f(left + pw)}"
    out.append(f'<path d="{axes}" fill="none" stroke="{_MUTED}"/>')
    out.append(_text(left + pw / 2, height - 8, x_label, "middle"))
    out.append(
        _text(16, top + ph / 2, y_label, "middle", transform=f"rotate(-90 16 {_f(top + ph / 2)})")
    )
    # plot area: a nested <svg> clips to its box (3 px slack for the stroke), no ids needed
    out.append(f'<svg x="{left - 3}" y="{_f(top - 3)}" width="{_f(pw + 6)}" height="{_f(ph + 6)}">')
    for name, v in ys.items():
        idx = downsample_minmax(v)
        d = _path_d(sx(xs[idx]) - left + 3, sy(v[idx]) - top + 3)
        color, kind = style[name]
        dash = ' stroke-dasharray="6 4"' if kind == "dash" else ""
        out.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.8" '
            f'stroke-linejoin="round" stroke-linecap="round"{dash}><title>{_e(name)}</title></path>'
        )
    return "".join(out) + "</svg></svg>"


def _fmt3(v: float) -> str:
    if not math.isfinite(v):
        return "–"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


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
    """Bar chart, one bar per label, its value written above it.

    With ``stacked`` (name -> non-negative array, one value per label) each bar is drawn as stacked
    segments with a legend; ``values`` are the bar totals, and any part of a total not covered by
    the segments is drawn as a grey "other" segment.
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
    items = [
        (k, "#bbbbbb" if k == "other" else PALETTE[i % len(PALETTE)], "box")
        for i, k in enumerate(segs)
    ]
    legend, leg_h = _legend(items, 64, 40, width - 16)
    left, right, top, bottom = 64.0, 16.0, 44.0 + leg_h, 40.0
    height += int(max(0.0, leg_h - 18.0))  # more legend rows grow the chart, not shrink the plot
    pw, ph = width - left - right, height - top - bottom
    out = [_open(width, height, title), legend]
    ok = np.isfinite(vals)
    if n == 0 or not ok.any():
        out.append(_text(width / 2, top + ph / 2, _NO_DATA, "middle", fill=_MUTED))
        return "".join(out) + "</svg>"
    yt = nice_ticks(min(0.0, float(vals[ok].min())), max(0.0, float(vals[ok].max())))
    y0, y1 = float(yt[0]), float(yt[-1])

    def sy(v: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return np.asarray(top + ph - (np.asarray(v) - y0) / (y1 - y0) * ph)

    for py, lab in zip(sy(yt), _tick_labels(yt), strict=True):
        out.append(_line(left, py, left + pw, py, _GRID))
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    slot = pw / n
    bw = slot * 0.7
    bx = left + slot * np.arange(n) + (slot - bw) / 2
    zero = float(sy(0.0))
    layers = list(segs.values()) if segs else [vals]
    colors = [c for _, c, _ in items] if segs else [PALETTE[0]]
    base = np.zeros(n)
    for seg, color in zip(layers, colors, strict=True):
        y_a, y_b = sy(base), sy(base + seg)
        for j in np.flatnonzero(np.isfinite(seg)):
            y_lo, y_hi = min(y_a[j], y_b[j]), max(y_a[j], y_b[j])
            out.append(_rect(bx[j], y_lo, bw, y_hi - y_lo, fill=color))
        base = base + np.nan_to_num(seg)
    max_chars = max(3, int(slot / _CHAR_W))
    # many narrow bars (a histogram): label every k-th bar so labels never run together, and
    # write the values above the bars only when each fits its slot
    widest = max((len(lab) for lab in labels), default=0) * _CHAR_W + 6.0
    every = 1 if widest <= slot or n <= 12 else math.ceil(widest / slot)
    texts = [_fmt3(float(v)) for v in vals]
    show_values = max((len(t) for t in texts), default=0) * _CHAR_W * 11 / 12 <= slot
    for i, lab in enumerate(labels):
        cx = bx[i] + bw / 2
        if i % every == 0:
            short = lab if every > 1 or len(lab) <= max_chars else lab[: max_chars - 1] + "…"
            out.append(_text(cx, top + ph + 16, short, "middle", fill=_MUTED))
        if show_values:
            y_val = float(sy(max(float(vals[i]), 0.0))) - 4 if ok[i] else zero - 4
            out.append(_text(cx, y_val, texts[i], "middle", font_size="11"))
    out.append(_line(left, zero, left + pw, zero, _MUTED))
    out.append(
        _text(16, top + ph / 2, y_label, "middle", transform=f"rotate(-90 16 {_f(top + ph / 2)})")
    )
    return "".join(out) + "</svg>"


# --- waterfall and bridge charts ----------------------------------------------------------------

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
_MINUS = "\u2212"
_TOTAL_C, _DOWN_C, _UP_C = PALETTE[0], PALETTE[5], PALETTE[2]
_SMALL_W = _CHAR_W * 11 / 12  # rough width of one 11 px character [px]
_NO_VALUE = "no value"


def _scale(values: NDArray[np.float64]) -> tuple[float, str]:
    """The power of 1,000 that brings the largest finite ``|value|`` below 1,000, and its name."""
    finite = np.abs(values[np.isfinite(values)])
    big = float(finite.max()) if finite.size else 0.0
    return next(((f, name) for f, name in _SCALES if big >= f), (1.0, ""))


def _sig3(v: float, signed: bool = False) -> str:
    """``v`` to 3 significant figures, grouped, without exponent, with a true minus sign."""
    if not math.isfinite(v):
        return _NO_VALUE
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    text = f"{round(abs(v), 2 - mag):,.{max(0, 2 - mag)}f}"
    return (_MINUS if v < 0 else "+" if signed else "") + text


def _wrap(text: str, max_chars: int, max_lines: int = 4) -> list[str]:
    """Greedy wrap into lines of at most ``max_chars`` characters, breaking at spaces and after
    "/" or "-" (longer words are cut); past ``max_lines`` lines the last one ends with "…"."""
    max_chars = max(3, max_chars)
    lines: list[str] = []
    cur, end = "", -1
    for m in re.finditer(r"[^\s/-]*[/-]+|[^\s/-]+", text):
        word, glue = m.group(), ("" if m.start() == end else " ")
        end = m.end()
        if cur and len(cur) + len(glue) + len(word) <= max_chars:
            cur += glue + word
            continue
        if cur:
            lines.append(cur)
        while len(word) > max_chars:
            lines.append(word[:max_chars])
            word = word[max_chars:]
        cur = word
    lines.append(cur)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], last[: max_chars - 1] + "…"]
    return lines


def _bar(x: float, y: float, w: float, h: float, color: str, tip: str) -> str:
    """One chart bar (``class="bar"``) with a tooltip."""
    return (
        f'<rect class="bar" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
        f'fill="{color}"><title>{_e(tip)}</title></rect>'
    )


def _bridge_kinds(start: NDArray[np.float64], end: NDArray[np.float64]) -> NDArray[np.int_]:
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
    factors: ArrayLike | None = None,
    total_label: str = "delivered",
    width: int = 720,
    height: int = 340,
) -> str:
    """Waterfall from a starting quantity, through the change of each step, to what is left.

    ``values[i]`` is what remains after ``steps[i]``; ``values[0]`` (the start, e.g. "installed")
    is a full bar from zero, each later step a bar floating from the previous level to its own
    (vermillion where it loses, green where it gains), and a last full bar ``total_label`` shows
    ``values[-1]``: ``len(steps) + 1`` bars. Labels have 3 significant figures: levels on the full
    bars, signed changes on the others, and the step's multiplier ``factors[i]`` under the change
    when given and when it fits. Values are shown in thousands, millions... of ``unit`` (the y axis
    says which); where the slots are too narrow for them the labels turn upward. Step names wrap
    under their bars, or are slanted (and cut at 24 characters) where a word would not fit; the
    full name is the bar's tooltip. A non-finite value leaves out the bars that need it, labelled
    "no value".
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
    # step names: wrapped under the bars, or slanted (and cut at 24 characters) where a word
    # would not fit its slot
    left = 64.0
    slot = (width - left - 16.0) / max(n, 1)
    max_chars = int((slot - 4) / _SMALL_W)
    slant = any(len(w) > max_chars for s in names for w in re.split(r"[\s/-]+", s))
    if slant:
        shown = [s if len(s) <= 24 else s[:23] + "…" for s in names]
        left = max(left, 0.5 * len(shown[0]) * _SMALL_W + 8.0 - slot / 2)  # cos 60 deg = 0.5
        slot = (width - left - 16.0) / max(n, 1)
        bottom = 24.0 + 0.87 * max(len(t) for t in shown) * _SMALL_W  # sin 60 deg
    else:
        wrapped = [_wrap(s, max_chars) for s in names]
        bottom = 24.0 + 13.2 * max((len(w) for w in wrapped), default=1)
    start = np.concatenate([[0.0], levels[:-1], [0.0]]) if n else np.zeros(0)
    end = np.concatenate([levels, levels[-1:]]) if n else np.zeros(0)
    kind = _bridge_kinds(start, end) if n else np.zeros(0, dtype=int)
    kinds = [("box", f"{names[0]} / {total_label}" if n else "total", _TOTAL_C)]
    if np.any((kind == 1) & (end != start)):
        kinds.append(("box", "loss", _DOWN_C))
    if np.any((kind == 2) & (end > start)):
        kinds.append(("box", "gain", _UP_C))
    legend, leg_h = _legend([(label, c, k) for k, label, c in kinds], 64, 40, width - 16)
    top = 44.0 + leg_h + 14.0
    height += int(max(0.0, leg_h - 18.0) + bottom - 37.2)
    pw, ph = width - left - 16.0, height - top - bottom
    out = [_open(width, height, title), legend]
    ok = np.isfinite(start) & np.isfinite(end)
    if n == 0 or not ok.any():
        out.append(_text(width / 2, top + ph / 2, _NO_DATA, "middle", fill=_MUTED))
        return "".join(out) + "</svg>"
    scale, word = _scale(levels)
    lo_v, hi_v = np.fmin(start, end) / scale, np.fmax(start, end) / scale
    # value labels: the change (the level on full bars) and the factor; upright above the bar,
    # the factor on a second line where it fits, or turned upward where the slots are too narrow
    change = np.where(kind == 0, end, end - start) / scale
    main = [
        _sig3(float(v), signed=bool(k)) if good else _NO_VALUE
        for v, k, good in zip(change, kind, ok, strict=True)
    ]
    f_all = np.full(n, np.nan) if fac is None else np.concatenate([[np.nan], fac[1:], [np.nan]])
    second = [f"×{v:.3g}" if math.isfinite(v) else "" for v in f_all]
    upward = any(len(m) * _SMALL_W > slot - 2 for m in main)
    if upward:
        labels = [f"{m} {t}".rstrip() for m, t in zip(main, second, strict=True)]
        room = max(len(t) for t in labels) * _SMALL_W + 8.0 - 14.0
    else:
        labels = [
            f"{m}\n{t}" if t and len(t) * _SMALL_W <= slot - 2 else m
            for m, t in zip(main, second, strict=True)
        ]
        room = 20.0 if any("\n" in t for t in labels) else 6.0
    # the y range leaves ``room`` [px] above the highest bar (plus the 14 px under the legend)
    top_v, bot_v = max(0.0, float(hi_v[ok].max())), min(0.0, float(lo_v[ok].min()))
    yt = nice_ticks(bot_v, top_v + (top_v - bot_v) * room / max(ph - room, 1.0))
    y0, y1 = float(yt[0]), float(yt[-1])

    def sy(v: ArrayLike) -> NDArray[np.float64]:
        return np.asarray(top + ph - (np.asarray(v, dtype=np.float64) - y0) / (y1 - y0) * ph)

    for py, lab in zip(sy(yt), _tick_labels(yt), strict=True):
        out.append(_line(left, py, left + pw, py, _GRID))
        out.append(_text(left - 6, py + 4, lab, "end", fill=_MUTED))
    bw = slot * 0.62
    bx = left + slot * np.arange(n) + (slot - bw) / 2
    cx = bx + bw / 2
    y_top, y_bot = sy(hi_v), sy(lo_v)
    h = np.maximum(y_bot - y_top, 1.0)  # a step that changes nothing still shows as a line
    zero = float(sy(0.0))
    y_lab = np.where(ok, y_top, zero) - 5.0
    color = np.where(
        (kind > 0) & (end == start), _MUTED, np.array([_TOTAL_C, _DOWN_C, _UP_C])[kind]
    )
    # connectors: from the right edge of each bar to the left edge of the next, at its level
    level = end[:-1] / scale
    for c in np.flatnonzero(np.isfinite(level)).tolist():
        y = float(sy(level[c]))
        out.append(
            f'<line x1="{_f(bx[c] + bw)}" y1="{_f(y)}" x2="{_f(bx[c + 1])}" y2="{_f(y)}" '
            f'stroke="{_MUTED}" stroke-dasharray="3 2"/>'
        )
    y_names = top + ph + (12.0 if slant else 16.0)
    for j in range(n):
        x, y = float(cx[j]), float(y_lab[j])
        if ok[j]:
            tip = f"{names[j]}: {main[j]} {word} {unit}".replace("  ", " ")
            out.append(_bar(float(bx[j]), float(y_top[j]), bw, float(h[j]), str(color[j]), tip))
        if upward:
            turn = f"rotate(-90 {_f(x + 4)} {_f(y)})"
            out.append(_text(x + 4, y, labels[j], font_size="11", transform=turn))
        else:
            y -= 13.2 * labels[j].count("\n")
            out.append(_text(x, y, labels[j], "middle", font_size="11"))
        if slant:
            turn = f"rotate(-60 {_f(x + 3)} {_f(y_names)})"
            out.append(
                _text(x + 3, y_names, shown[j], "end", fill=_MUTED, font_size="11", transform=turn)
            )
        else:
            name = "\n".join(wrapped[j])
            out.append(_text(x, y_names, name, "middle", fill=_MUTED, font_size="11"))
    out.append(_line(left, zero, left + pw, zero, _MUTED))
    y_label = f"{word} {unit}".strip()
    out.append(
        _text(16, top + ph / 2, y_label, "middle", transform=f"rotate(-90 16 {_f(top + ph / 2)})")
    )
    return "".join(out) + "</svg>"


def bridge_chart(
    labels: Sequence[str],
    totals: ArrayLike,
    deltas: ArrayLike,
    *,
    title: str,
    unit: str = "USD",
    total_label: str = "skydc",
    width: int = 720,
) -> str:
    """Horizontal bridge from a published total, one assumption change per row, to skydc's total.

    Row 0 (``labels[0]``) is the published total ``totals[0]``, a full bar from zero; row ``i``
    floats from ``totals[i] - deltas[i]`` to ``totals[i]`` (vermillion for an increase, green for
    a decrease); a last full bar ``total_label`` shows ``totals[-1]``: ``len(labels) + 1`` bars.
    Labels have 3 significant figures (totals on the full bars, signed changes on the others), in
    thousands, millions... of ``unit`` (the x axis says which). The zero line is always drawn, so
    totals that cross zero read correctly. Row labels wrap in the left column; rows grow with them.
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
    col_w = min(0.42 * width, 300.0)
    wrapped = [_wrap(s, int((col_w - 8) / _CHAR_W), max_lines=3) for s in names]
    row_h = np.array([max(26.0, 14.4 * len(w) + 8.0) for w in wrapped])
    start = np.concatenate([[0.0], (tot - dlt)[1:], [0.0]]) if n_rows else np.zeros(0)
    end = np.concatenate([tot, tot[-1:]])
    ok = np.isfinite(start) & np.isfinite(end)
    kind = _bridge_kinds(start, end)
    # increases raise the cost: vermillion; decreases green (the waterfall's loss/gain colours)
    items = [("total", _TOTAL_C, "box")]
    items += [("increase", _DOWN_C, "box")] if np.any((kind == 2) & (end > start)) else []
    items += [("decrease", _UP_C, "box")] if np.any(kind == 1) else []
    legend, leg_h = _legend(items, col_w + 12, 40, width - 16)
    top = 44.0 + leg_h
    rows_h = float(row_h.sum())
    y_row = top + np.concatenate([[0.0], np.cumsum(row_h)[:-1]])
    height = top + rows_h + 48.0
    out = [_open(width, height, title), legend]
    if n == 0 or not ok.any():
        out.append(_text(width / 2, top + 30, _NO_DATA, "middle", fill=_MUTED))
        return "".join(out) + "</svg>"
    scale, word = _scale(np.concatenate([start, end]))
    lo_v, hi_v = np.fmin(start, end) / scale, np.fmax(start, end) / scale
    # value labels go right of each bar, or left of a bar that lies wholly below zero
    left_side = ok & (hi_v < 0)
    x_lo = col_w + 12 + (60.0 if left_side.any() else 8.0)
    x_hi = width - 72.0
    xt = nice_ticks(min(0.0, float(lo_v[ok].min())), max(0.0, float(hi_v[ok].max())))
    v0, v1 = float(xt[0]), float(xt[-1])

    def sx(v: ArrayLike) -> NDArray[np.float64]:
        return np.asarray(x_lo + (np.asarray(v, dtype=np.float64) - v0) / (v1 - v0) * (x_hi - x_lo))

    y_end = top + rows_h
    for px, lab in zip(sx(xt), _tick_labels(xt), strict=True):
        out.append(_line(px, top, px, y_end, _GRID))
        out.append(_text(px, y_end + 16, lab, "middle", fill=_MUTED))
    bh = 16.0
    yc = y_row + row_h / 2
    xa, xb = sx(lo_v), sx(hi_v)
    w = np.maximum(xb - xa, 1.0)  # a change of zero still shows as a line
    color = np.where(
        (kind > 0) & (end == start), _MUTED, np.array([_TOTAL_C, _UP_C, _DOWN_C])[kind]
    )
    change = np.where(kind == 0, end, end - start) / scale
    level = end[:-1] / scale
    for c in np.flatnonzero(np.isfinite(level)).tolist():
        x = float(sx(level[c]))
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(yc[c] + bh / 2)}" x2="{_f(x)}" '
            f'y2="{_f(yc[c + 1] - bh / 2)}" stroke="{_MUTED}" stroke-dasharray="3 2"/>'
        )
    zero = float(sx(0.0))
    for j in range(n):
        label = _sig3(float(change[j]), signed=bool(kind[j]))
        k = len(wrapped[j])
        out.append(_text(col_w, float(yc[j]) + 4 - 7.2 * (k - 1), "\n".join(wrapped[j]), "end"))
        if not ok[j]:
            out.append(_text(zero + 4, float(yc[j]) + 4, _NO_VALUE, fill=_MUTED, font_size="11"))
            continue
        tip = f"{names[j]}: {label} {word} {unit}".replace("  ", " ")
        out.append(_bar(float(xa[j]), float(yc[j]) - bh / 2, float(w[j]), bh, str(color[j]), tip))
        if left_side[j]:
            out.append(_text(float(xa[j]) - 4, float(yc[j]) + 4, label, "end", font_size="11"))
        else:
            out.append(_text(float(xa[j] + w[j]) + 4, float(yc[j]) + 4, label, font_size="11"))
    out.append(
        f'<line x1="{_f(zero)}" y1="{_f(top - 4)}" x2="{_f(zero)}" y2="{_f(y_end)}" '
        f'stroke="{_INK}" stroke-width="1.2"/>'
    )
    x_label = f"{word} {unit}".strip()
    out.append(_text((x_lo + x_hi) / 2, y_end + 36, x_label, "middle"))
    return "".join(out) + "</svg>"


def _groups(groups: Sequence[object], n: int) -> tuple[list[str], NDArray[np.intp]]:
    g = np.asarray([str(v) for v in groups], dtype=object)
    if g.size != n:
        raise ValueError(f"groups has {g.size} entries, expected {n}")
    names, first, inv = np.unique(g, return_index=True, return_inverse=True)
    order = np.argsort(first)  # groups in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return [str(s) for s in names[order]], rank[inv]


def ground_track_map(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    groups: Sequence[object],
    *,
    title: str,
    width: int = 720,
    max_points: int = 20000,
) -> str:
    """Equirectangular map of ground tracks, coloured by group, with a 30 deg graticule.

    2-D ``lat_deg``/``lon_deg`` of shape (n_track, n_point) are drawn as one polyline per row, with
    ``groups`` one label per row; 1-D arrays are drawn as points, ``groups`` one label per point.
    Lines break at NaN and where they wrap across +-180 deg longitude. Rows are subsampled evenly to
    keep at most ``max_points`` points. No coastlines are drawn: skydc ships no map data.
    """
    lat, lon = np.asarray(lat_deg, dtype=np.float64), np.asarray(lon_deg, dtype=np.float64)
    if lat.shape != lon.shape or lat.ndim not in (1, 2):
        raise ValueError(
            f"lat_deg and lon_deg need the same 1-D or 2-D shape, got {lat.shape}, {lon.shape}"
        )
    names, gi = _groups(groups, lat.shape[0])
    n_rows = lat.shape[0]
    if lat.ndim == 2 and lat.size > max_points and n_rows > 1:
        keep = np.unique(
            np.linspace(0, n_rows - 1, max(1, max_points // lat.shape[1])).round().astype(int)
        )
        lat, lon, gi = lat[keep], lon[keep], gi[keep]
    if lat.size > max_points:  # still too long: stride along the track / the points
        stride = -(-lat.size // max_points)
        lat, lon = lat[..., ::stride], lon[..., ::stride]
        gi = gi if lat.ndim == 2 else gi[::stride]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    kind = "line" if lat.ndim == 2 else "box"
    items = [(s, c, kind) for s, c in zip(names, colors, strict=True)]
    legend, leg_h = _legend(items, 48, 40, width - 16)
    left, top = 48.0, 40.0 + leg_h
    mw = width - left - 16.0
    mh = mw / 2
    height = top + mh + 52
    out = [_open(width, height, title), legend]
    out.append(_rect(left, top, mw, mh, fill="#eef3f8"))

    def sx(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return left + (v + 180.0) / 360.0 * mw

    def sy(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return top + (90.0 - v) / 180.0 * mh

    for g_lon in range(-180, 181, 30):
        px = left + (g_lon + 180) / 360 * mw
        out.append(_line(px, top, px, top + mh, "#c9d3de"))
        hemi = "" if g_lon in (0, 180, -180) else ("E" if g_lon > 0 else "W")
        label = f"{abs(g_lon)}°{hemi}"
        out.append(_text(px, top + mh + 14, label, "middle", fill=_MUTED, font_size="10"))
    for g_lat in range(-90, 91, 30):
        py = top + (90 - g_lat) / 180 * mh
        out.append(_line(left, py, left + mw, py, "#9fb0c2" if g_lat == 0 else "#c9d3de"))
        hemi = "" if g_lat == 0 else ("N" if g_lat > 0 else "S")
        label = f"{abs(g_lat)}°{hemi}"
        out.append(_text(left - 4, py + 4, label, "end", fill=_MUTED, font_size="10"))
    for k, color in enumerate(colors):
        rows = gi == k
        if lat.ndim == 2:
            la, lo = lat[rows], lon[rows]
            wrap = np.zeros(la.shape, dtype=bool)
            wrap[:, 1:] = np.abs(np.diff(lo, axis=1)) > 180.0
            wrap[:, 0] = True
            d = _path_d(sx(lo.ravel()), sy(la.ravel()), wrap.ravel())
            width_px = "1.4"
        else:
            la, lo = lat[rows], lon[rows]
            d = _path_d(sx(lo), sy(la), np.ones(la.shape, dtype=bool))
            width_px = "3"
        out.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width_px}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    out.append(_rect(left, top, mw, mh, fill="none", stroke=_MUTED))
    caption = (
        "Equirectangular projection, graticule every 30°. No coastlines: skydc ships no map data."
    )
    out.append(_text(left, height - 12, caption, fill=_MUTED, font_size="11"))
    return "".join(out) + "</svg>"


def sunlit_color(values: ArrayLike) -> NDArray[np.str_]:
    """Hex colours for sunlit fraction in [0, 1]: dark blue (0, eclipsed) to yellow (1); NaN grey"""
    v = np.clip(np.asarray(values, dtype=np.float64), 0.0, 1.0)
    if v.size == 0:
        return np.zeros(v.shape, dtype="<U7")
    rgb = np.stack([np.interp(v, _SUNLIT_STOPS, _SUNLIT_RGB[:, c]) for c in range(3)], axis=-1)
    code = np.nan_to_num(rgb).round().astype(np.int64) @ np.array([65536, 256, 1])
    hexes = np.char.add("#", np.char.zfill(np.char.mod("%x", code), 6))
    return np.where(np.isnan(v), "#999999", hexes)


def globe_view(
    x_m: ArrayLike,
    y_m: ArrayLike,
    z_m: ArrayLike,
    values: ArrayLike,
    *,
    title: str,
    view_lat_deg: float = 20.0,
    view_lon_deg: float = 0.0,
    width: int = 480,
    max_points: int = 5000,
) -> str:
    """Orthographic view of Earth-fixed satellite positions [m] around a shaded Earth disc.

    The viewer looks at the Earth from far above (``view_lat_deg``, ``view_lon_deg``); screen axes
    are the local east and north there. Points behind the Earth disc are hidden; points behind the
    Earth's plane but outside the disc are drawn faint. Colour by ``values`` in [0, 1] (sunlit
    fraction: :func:`sunlit_color`). More than ``max_points`` points are subsampled evenly
    (deterministic).
    """
    p = np.stack([np.asarray(a, dtype=np.float64).ravel() for a in (x_m, y_m, z_m)])
    vals = np.asarray(values, dtype=np.float64).ravel()
    if vals.size != p.shape[1]:
        raise ValueError(f"values has {vals.size} entries but there are {p.shape[1]} positions")
    n = p.shape[1]
    idx = (
        np.unique(np.linspace(0, n - 1, max_points).round().astype(int))
        if n > max_points
        else np.arange(n)
    )
    p, vals = p[:, idx], vals[idx]
    la, lo = np.radians(view_lat_deg), np.radians(view_lon_deg)
    east = np.array([-np.sin(lo), np.cos(lo), 0.0])
    north = np.array([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)])
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    r_max = max(1.05 * EARTH_RADIUS_M, float(np.nanmax(np.linalg.norm(p, axis=0), initial=0.0)))
    legend_h = 48.0
    top, size = 32.0, float(width)
    scale = (size / 2 - 12) / r_max
    cx, cy = size / 2, top + size / 2
    height = top + size + legend_h + 24
    px, py, depth = cx + scale * (east @ p), cy - scale * (north @ p), up @ p
    behind_disc = (depth < 0) & (np.hypot(px - cx, py - cy) < scale * EARTH_RADIUS_M)
    r_e = scale * EARTH_RADIUS_M
    out = [_open(size, height, title)]
    # a gradient needs an id; derive it from the arguments so two globes on a page rarely share one
    gid = (
        "odc-earth-"
        + hashlib.sha1(
            repr((title, view_lat_deg, view_lon_deg, n)).encode(), usedforsecurity=False
        ).hexdigest()[:8]
    )
    out.append(
        f'<defs><radialGradient id="{gid}" cx="0.38" cy="0.35" r="0.75">'
        '<stop offset="0" stop-color="#e4edf5"/><stop offset="1" stop-color="#8ea3b8"/>'
        "</radialGradient></defs>"
    )

    def dots(mask: NDArray[np.bool_], opacity: float) -> str:
        """A dark halo under all points of ``mask``, then one path of dots per colour."""
        if not mask.any():
            return ""
        colors = sunlit_color(np.round(vals[mask] * 10) / 10)
        parts = [_dots(px[mask], py[mask], "#222222", 5.5, opacity)]
        parts += [_dots(px[mask][colors == c], py[mask][colors == c], str(c), 4.0, opacity)
                  for c in np.unique(colors)]  # fmt: skip
        return "".join(parts)

    out.append(dots((depth < 0) & ~behind_disc, 0.45))
    out.append(
        f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r_e)}" fill="url(#{gid})" stroke="#7a8ea3"/>'
    )
    # graticule every 30 deg, front hemisphere only: 5 parallels, 12 meridians, 121 samples each
    t = np.radians(np.linspace(-180.0, 180.0, 121))
    par, mer = np.radians(np.arange(-60.0, 61.0, 30.0)), np.radians(np.arange(-180.0, 180.0, 30.0))
    lat_l = np.concatenate(
        [np.broadcast_to(par[:, None], (5, t.size)), np.broadcast_to(t / 2, (12, t.size))]
    )
    lon_l = np.concatenate(
        [np.broadcast_to(t, (5, t.size)), np.broadcast_to(mer[:, None], (12, t.size))]
    )
    q = r_e * np.stack(
        [np.cos(lat_l) * np.cos(lon_l), np.cos(lat_l) * np.sin(lon_l), np.sin(lat_l)]
    )
    gx, gy = cx + np.tensordot(east, q, axes=1), cy - np.tensordot(north, q, axes=1)
    brk = np.zeros(gx.shape, dtype=bool)
    brk[:, 0] = True
    gx = np.where(np.tensordot(up, q, axes=1) >= 0, gx, np.nan)
    d = _path_d(gx.ravel(), gy.ravel(), brk.ravel())
    out.append(f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="0.8" opacity="0.8"/>')
    out.append(dots(depth >= 0, 1.0))
    # colour legend: 11 swatches from eclipsed to sunlit
    ly = top + size + 8
    lx0 = size / 2 - 11 * 14 / 2
    swatches = sunlit_color(np.linspace(0.0, 1.0, 11))
    for k, c in enumerate(swatches.tolist()):
        out.append(f'<rect x="{_f(lx0 + 14 * k)}" y="{_f(ly)}" width="14" height="10" fill="{c}"/>')
    out.append(_text(lx0 - 6, ly + 9, "eclipsed 0", "end", font_size="11"))
    out.append(_text(lx0 + 154 + 6, ly + 9, "1 sunlit", font_size="11"))
    lat_h, lon_h = "N" if view_lat_deg >= 0 else "S", "E" if view_lon_deg >= 0 else "W"
    caption = (
        f"Orthographic view from {abs(view_lat_deg):g}°{lat_h}, {abs(view_lon_deg):g}°{lon_h}"
        f" (Earth-fixed).\n{idx.size:,} of {n:,} satellites; those behind the Earth are hidden."
    )
    out.append(_text(size / 2, ly + 28, caption, "middle", fill=_MUTED, font_size="11"))
    return "".join(out) + "</svg>"
