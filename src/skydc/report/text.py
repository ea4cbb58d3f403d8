"""Plain-text helpers shared by the reports and their charts: numbers, labels, which points a
chart draws. Nothing here draws; the charts are in :mod:`skydc.report.charts`,
:mod:`skydc.report.study_plots` and :mod:`skydc.report.maps`.
"""

from __future__ import annotations

import math
import re

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DASH",
    "MINUS",
    "fit_label",
    "fmt_sig",
    "plotted_mask",
    "scale_word",
    "sig3",
    "wide_range",
    "wrap_label",
]

DASH = "—"  # a missing value, in tables and on charts
MINUS = "\u2212"
CHAR_W = 6.6  # rough width of one 12 px character, for layout only [px]
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


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


def sig3(v: float, signed: bool = False) -> str:
    """``v`` to 3 significant figures, grouped, without exponent, with a true minus sign."""
    if not math.isfinite(v):
        return "no value"
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    text = f"{round(abs(v), 2 - mag):,.{max(0, 2 - mag)}f}"
    return (MINUS if v < 0 else "+" if signed else "") + text


def scale_word(values: ArrayLike) -> tuple[float, str]:
    """The power of 1,000 that brings the largest finite ``|value|`` below 1,000, and its name
    ("million", ...; "" for 1)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    finite = np.abs(v[np.isfinite(v)])
    big = float(finite.max()) if finite.size else 0.0
    return next(((f, name) for f, name in _SCALES if big >= f), (1.0, ""))


def fit_label(text: str, max_px: float, char_w: float = CHAR_W) -> str:
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


def wrap_label(text: str, max_chars: int, max_lines: int = 3) -> str:
    """``text`` wrapped onto lines of at most ``max_chars`` (greedy, breaking after a space, ".",
    "_", "/" or "-"; a longer word is cut); past ``max_lines`` the last line ends with "…"."""
    max_chars = max(4, max_chars)
    lines: list[str] = []
    cur = ""
    for tok in re.findall(r"[^._/\s-]*[._/\s-]+|[^._/\s-]+", text):
        if cur and len(cur.rstrip()) + len(tok.rstrip()) > max_chars:
            lines.append(cur.rstrip())
            cur = ""
        while len(tok.rstrip()) > max_chars:
            lines.append(tok[:max_chars])
            tok = tok[max_chars:]
        cur += tok
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: max_chars - 1] + "…"]
    return "\n".join(lines)


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
