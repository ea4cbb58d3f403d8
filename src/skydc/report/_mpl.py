"""Matplotlib, set up once for the reports: a figure, and that figure as an inline SVG string.

Every chart is a :class:`matplotlib.figure.Figure` drawn by the SVG backend (``FigureCanvasSVG``;
no pyplot, so no global figure state), inside :func:`style` (``matplotlib.rc_context``), which
fixes what makes the output byte-stable: ``svg.hashsalt`` (the ids of clip paths and markers),
``svg.fonttype = "none"`` (text stays text: searchable, scalable, no glyph paths) and no date or
creator in the metadata. :func:`to_svg` then makes the file an element that inlines in HTML: no
XML prolog or DOCTYPE, no ``<metadata>``, no page-wide ``<style>``, ``href`` instead of
``xlink:href``, a ``<title>`` and ``aria-label``; matplotlib's structural ids become classes
(``xtick``, ``ytick``, ``axes``, ``legend``), axis titles get ``x-label`` / ``y-label``, and an
artist's gid ``skydc-<class>`` (or
``skydc-<class>-<k>`` with tooltip ``k``) becomes ``class="<class>"`` (with a ``<title>``), the
ids that something refers to get a prefix unique to the chart, the others are dropped. Same data
in, same bytes out.

Drawing is what a report costs, so each figure is drawn once (:meth:`print_svg`, not
``savefig``, which draws twice), by a renderer that keeps text metrics for the whole process
(matplotlib keeps them per renderer, i.e. per figure) and writes path coordinates to 0.01 user
units directly; nothing is rasterised. The layout is matplotlib's constrained layout, unchanged.

matplotlib is imported only inside these functions, so ``skydc --help`` and the stages never
import it.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from skydc.report.text import MINUS, fmt_sig

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "ValueRange",
    "check_unit",
    "new_figure",
    "style",
    "tick_labels",
    "to_svg",
    "use_nice_ticks",
    "value_range",
]

# Okabe & Ito (2008), "Color Universal Design", https://jfly.uni-koeln.de/color/ : distinguishable
# with the common colour-vision deficiencies. Yellow (#F0E442) is last: it is weak on white.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
)  # fmt: skip
INK, MUTED, GRID, FADED = "#222222", "#666666", "#e3e3e3", "#9a9a9a"
PX_PER_IN = 72.0  # the SVG backend's user unit is the point: 72 per inch

_RC: dict[str, Any] = {
    "svg.hashsalt": "skydc",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "figure.titlesize": 10.5,
    "figure.titleweight": "bold",
    "axes.labelsize": 9.0,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
    "axes.unicode_minus": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "lines.linewidth": 1.5,
    "lines.solid_capstyle": "round",
    "path.simplify": True,
    "path.simplify_threshold": 0.3,
    "svg.id": None,
}
# The first palette colour by value: matplotlib's defaults name it "C0", which to_rgba resolves
# through the property cycle on every call (never cached), ~0.9 ms for each of ~180 patches.
_RC.update({"patch.facecolor": PALETTE[0], "lines.color": PALETTE[0]})
_UNIT = re.compile(r"\[[^\]]+\]")


@contextmanager
def style() -> Iterator[None]:
    """The reports' matplotlib settings (``rc_context``: nothing leaks into the caller's)."""
    import matplotlib
    from cycler import cycler

    rc: dict[str, Any] = {**_RC, "axes.prop_cycle": cycler(color=list(PALETTE))}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        yield


@lru_cache(maxsize=1 << 14)
def _text_metrics(
    text: str, prop: Any, ismath: Any, fonts: tuple[Any, ...]
) -> tuple[float, float, float]:
    """Width, height and descent [pt] of ``text`` in font ``prop`` as the SVG backend measures
    it (at 72 dpi, so they do not depend on the figure). ``fonts``: the rc font lists that
    resolve ``prop``'s family (part of the key only)."""
    from matplotlib.textpath import text_to_path

    w, h, d = text_to_path.get_text_width_height_descent(text, prop, ismath)
    return float(w), float(h), float(d)


def _font_lists(rc: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(rc[k]) for k in ("font.family", "font.sans-serif"))


@lru_cache(maxsize=256)
def _font_height_metrics(
    prop: Any, fonts: tuple[Any, ...]
) -> tuple[float, float, float] | tuple[None, None, None]:
    """Ascent, descent and line gap [pt] of ``prop``'s font from its OS/2 or hhea table, as
    matplotlib 3.11 computes them in ``Text._get_layout`` (at 72 dpi, the SVG backend's);
    ``None`` each (matplotlib measures instead) for a font without those tables."""
    from matplotlib.font_manager import findfont, get_font

    font: Any = get_font(findfont(prop))  # the family list's first font, as matplotlib's
    head: Any = font.get_sfnt_table("head")
    size_pt = prop.get_size_in_points()
    for table_name, gap, asc, desc in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                       ("hhea", "lineGap", "ascent", "descent")):  # fmt: skip
        table: Any = font.get_sfnt_table(table_name)
        if table is not None and head is not None:
            scale = size_pt / head["unitsPerEm"]
            return table[asc] * scale, -table[desc] * scale, table[gap] * scale
    return None, None, None


@lru_cache(maxsize=1)
def _canvas_class() -> type:
    """``FigureCanvasSVG`` whose renderer measures text through :func:`_text_metrics`.

    Why: matplotlib caches text metrics per renderer, and every figure is drawn by a new one
    (constrained layout by one more), so each tick label was shaped again (FreeType + raqm,
    ~0.2 ms a string) for every figure and pass: a third of the report's CPU. The measures are
    a pure function of the string and font, so one cache serves the whole process.
    """
    import codecs

    from matplotlib import cbook, rcParams
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

    class _Renderer(RendererSVG):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._fonts = _font_lists(rcParams)  # the rc that resolves font families now

        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
            return _text_metrics(s, prop.copy(), ismath, self._fonts)

        def _convert_path(
            self,
            path: Any,
            transform: Any = None,
            clip: Any = None,
            simplify: Any = None,
            sketch: Any = None,
        ) -> str:
            # RendererSVG._convert_path writing 2 decimals instead of 6: paths to 0.01 user
            # units (1/7,200 inch), a third of the bytes, no visible change; rounding the
            # written text afterwards cost 6 µs a number
            from matplotlib import _path

            box = (0.0, 0.0, self.width, self.height) if clip else None
            data = _path.convert_to_string(  # type: ignore[attr-defined]
                path, transform, box, simplify, sketch, 2, [b"M", b"L", b"Q", b"C", b"z"], False
            )
            return str(data.decode("ascii"))

        def _get_font_height_metrics(self, prop: Any) -> Any:
            # matplotlib >= 3.11 asks a renderer for a font's line metrics before reading the
            # font's tables itself (text.Text._get_layout), for every text at every draw
            return _font_height_metrics(prop.copy(), self._fonts)

    class _Canvas(FigureCanvasSVG):
        def print_svg(
            self, filename: Any, *, bbox_inches_restore: Any = None, metadata: Any = None
        ) -> None:
            # FigureCanvasSVG.print_svg (matplotlib 3.8-3.11) with the renderer above
            with cbook.open_file_cm(filename, "w", encoding="utf-8") as opened:
                fh: Any = opened
                if not cbook.file_requires_unicode(fh):
                    fh = codecs.getwriter("utf-8")(fh)
                dpi = self.figure.dpi
                self.figure.dpi = 72
                width, height = self.figure.get_size_inches()
                w, h = width * 72, height * 72
                renderer: Any = _Renderer(w, h, fh, image_dpi=dpi, metadata=metadata)
                if bbox_inches_restore is not None:  # savefig(bbox_inches=...) only
                    renderer = MixedModeRenderer(
                        self.figure, width, height, dpi, renderer,
                        bbox_inches_restore=bbox_inches_restore,
                    )  # fmt: skip
                # Without MixedModeRenderer, nothing is rasterised: an artist marked rasterized
                # is drawn as vectors too (RendererBase.start_rasterizing does nothing), so the
                # charts never hold a PNG.
                self.figure.draw(renderer)
                renderer.finalize()

    return _Canvas


def new_figure(width_px: float, height_px: float, **subplots: Any) -> tuple[Figure, Any]:
    """A figure ``width_px`` x ``height_px`` (SVG user units) with constrained layout, and its
    axes (``subplots`` go to :meth:`Figure.subplots`). Call inside :func:`style`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / PX_PER_IN, height_px / PX_PER_IN), layout="constrained")
    _canvas_class()(fig)
    fig.get_layout_engine().set(h_pad=4 / PX_PER_IN, w_pad=4 / PX_PER_IN)  # type: ignore[union-attr,call-arg]
    axes = fig.subplots(**subplots)
    return fig, axes


def _one_line_path(m: re.Match[str]) -> str:
    """Path data on one line (matplotlib breaks it before each command)."""
    return f' d="{" ".join(m.group(1).split())}"'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def to_svg(
    fig: Figure,
    title: str,
    *,
    tooltips: Sequence[str] = (),
    data: Mapping[str, str] | None = None,
) -> str:
    """The figure as an inline ``<svg>`` element (see the module docstring)."""
    for ax in fig.axes:  # axis titles are findable: class x-label / y-label
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if axis.label.get_text():
                axis.label.set_gid(f"skydc-{name}-label")
    buf = io.StringIO()
    # print_svg, not savefig: savefig lays out and draws once with drawing disabled, then draws
    # again; print_svg draws once (the layout engine runs inside that draw). Same bytes.
    fig.canvas.print_svg(  # type: ignore[attr-defined]
        buf, metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
    )
    s = buf.getvalue()
    s = s[s.index("<svg") :]
    s = s.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "").replace("xlink:href", "href")
    s = re.sub(r"<metadata>.*?</metadata>\s*", "", s, flags=re.S)
    s = re.sub(r'\s*<style type="text/css">.*?</style>', "", s, flags=re.S)
    s = re.sub(r"<defs>\s*</defs>\s*", "", s)
    s = re.sub(r' d="([^"]*)"', _one_line_path, s)
    refs = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', s))
    prefix = "c" + hashlib.sha1(s.encode(), usedforsecurity=False).hexdigest()[:8] + "-"

    def fix_id(m: re.Match[str]) -> str:
        ident = m.group(1)
        sem = re.fullmatch(r"skydc-([a-z-]+?)(?:-(\d+))?", ident)
        if sem:
            tip = ""
            if sem.group(2) is not None and int(sem.group(2)) < len(tooltips):
                tip = f"\x00{_e(tooltips[int(sem.group(2))])}\x00"
            return f' class="{sem.group(1)}"{tip}'
        struct = re.fullmatch(r"(xtick|ytick|axes|legend)_\d+", ident)
        if struct:
            return f' class="{struct.group(1)}"'
        return f' id="{prefix}{ident}"' if ident in refs else ""

    s = re.sub(r' id="([^"]+)"', fix_id, s)
    s = re.sub(r'(url\(#|href="#)([^)"]+)', lambda m: m.group(1) + prefix + m.group(2), s)
    s = re.sub(r"\x00([^\x00]*)\x00>", lambda m: f"><title>{m.group(1)}</title>", s)
    attrs = "".join(f' data-{k.replace("_", "-")}="{_e(v)}"' for k, v in (data or {}).items())
    head = f'<svg role="img" aria-label="{_e(title)}"{attrs} '
    s = head + s[len("<svg ") :]
    close = s.index(">") + 1
    s = s[:close] + f"\n <title>{_e(title)}</title>" + s[close:]
    return s.strip() + "\n"


# --- axes ---------------------------------------------------------------------------------------


def check_unit(label: str) -> str:
    """``label`` when it names a unit in brackets ("power [MW]", "share [%]", "ratio [–]");
    a ValueError otherwise (every quantitative axis says its unit)."""
    if not _UNIT.search(label):
        raise ValueError(f"axis label {label!r} needs a unit in brackets, e.g. 'power [W]'")
    return label


@dataclass(frozen=True)
class ValueRange:
    """An axis range ``[lo, hi]``; ``constant`` is the value when the data do not vary."""

    lo: float
    hi: float
    constant: float | None = None

    def note(self, unit: str = "") -> str:
        """ "constant at X unit" for a constant series, else ""."""
        if self.constant is None:
            return ""
        return f"constant at {fmt_sig(self.constant)}{' ' + unit if unit else ''}".replace(
            "-", MINUS
        )


def value_range(
    values: ArrayLike, *, resolution: float = 0.0, rel: float = 1e-6, margin: float = 0.05
) -> ValueRange:
    """An axis range for ``values`` that never zooms into float noise.

    When the finite values vary by less than ``max(rel * |mean|, resolution)`` (``resolution``:
    the smallest change that means something, e.g. 0.01 K for a temperature), the series is
    constant: the range is the mean ± 5 % (± 1 at zero, at least ± 5 resolutions) and
    ``constant`` is the mean. Otherwise the data range plus ``margin`` of it on each side.
    No finite value: (0, 1).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        return ValueRange(0.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    mean = float(np.mean(v))
    if hi - lo <= max(rel * abs(mean), resolution, 1e-300):
        half = 0.05 * abs(mean) if mean != 0 else 1.0
        half = max(half, 5.0 * resolution)
        return ValueRange(mean - half, mean + half, mean)
    pad = margin * (hi - lo)
    return ValueRange(lo - pad, hi + pad)


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """Labels for evenly spaced ticks: as many decimals as the step needs, grouped thousands, a
    shared exponent from 1e6 (or below 1e-3), a true minus sign."""
    t = np.asarray(ticks, dtype=np.float64)
    if t.size == 0:
        return []
    steps = np.abs(np.diff(t))
    step = float(np.min(steps[steps > 0])) if np.any(steps > 0) else abs(float(t[0])) or 1.0
    big = float(np.max(np.abs(t)))
    if big >= 1e6 or 0 < big < 1e-3:
        exp = math.floor(math.log10(big))
        dec = max(0, exp - math.floor(math.log10(step) + 1e-9))
        out = []
        for v in t.tolist():
            m = f"{v / 10.0**exp:.{dec}f}"
            out.append("0" if v == 0 else f"{m}e{exp}")
        return [s.replace("-", MINUS) for s in out]
    dec = max(0, -math.floor(math.log10(step) + 1e-9))
    labels = [f"{0.0 if v == 0 else v:,.{dec}f}" for v in t.tolist()]
    return [s.replace("-", MINUS) for s in labels]


def use_nice_ticks(axis: Any, max_ticks: int = 7) -> None:
    """A linear axis with at most ``max_ticks`` ticks on steps 1, 2, 2.5, 5 x 10^k, labelled
    with :func:`tick_labels` (never "1.772.092.41")."""
    from matplotlib.ticker import Formatter, MaxNLocator

    class _Nice(Formatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return fmt_sig(float(x))

        def format_ticks(self, values: Any) -> list[str]:
            return tick_labels(list(values))

    axis.set_major_locator(MaxNLocator(nbins=max_ticks - 1, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(_Nice())


def log_ticks(axis: Any) -> None:
    """Decade ticks on a log axis labelled as plain numbers (10, 100, 1,000, 1e6)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(base=10.0, numticks=8))
    axis.set_major_formatter(FuncFormatter(lambda v, _: _decade(v)))
    axis.set_minor_formatter(NullFormatter())


def _decade(v: float) -> str:
    if v <= 0:
        return ""
    k = round(math.log10(v))
    if abs(math.log10(v) - k) > 1e-6:
        return fmt_sig(v, 2)
    return f"{10.0**k:,.{max(0, -k)}f}" if -3 <= k < 6 else f"1e{k}"


def no_data(ax: Axes, text: str = "no data") -> None:
    """An empty plot area that says why."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=MUTED)


def wrap_title(title: str, width_px: float) -> str:
    """A title wrapped to the figure width (about 6.5 px per character at 10.5 pt)."""
    import textwrap

    return "\n".join(textwrap.wrap(title, max(20, int(width_px / 6.8)))) or title
