"""Analyses of a study's results: Sobol indices, tornado swings, Pareto fronts, break-even curves.

Everything is vectorised NumPy except the Sobol estimators, which are SALib's
(``SALib.analyze.sobol.analyze``, Saltelli 2010 / Jansen estimators with bootstrap confidence
intervals). Failed points are NaN in ``y``; each function says what it does with them.

- :func:`sobol_indices`: first-order (S1) and total (ST) indices of a ``sobol`` design.
- :func:`tornado_from_sweep`: the swing of ``y`` over each numeric input's range, by level means
  on a grid, by a linear regression on sampled designs.
- :func:`pareto_front`: the non-dominated points for any mix of minimised and maximised
  objectives.
- :func:`breakeven_contour`: where a gridded surface crosses a level (marching squares), and
  :func:`breakeven_along_x`: for each ``y``, the ``x`` at which it crosses ("what would have to
  be true").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.studies.design import DesignPoints

__all__ = [
    "TornadoBar",
    "breakeven_along_x",
    "breakeven_contour",
    "grid_surface",
    "pareto_front",
    "sobol_indices",
    "tornado_from_sweep",
]


# --- Sobol ----------------------------------------------------------------------------------------


def _bootstrap_seed(seed: int) -> int:
    """A nonzero seed for SALib's bootstrap (SALib treats 0 as 'unseeded')."""
    return int(np.random.SeedSequence([seed, 0x50B01]).generate_state(1)[0]) or 1


def sobol_indices(
    points: DesignPoints,
    y: ArrayLike,
    *,
    num_resamples: int = 100,
    conf_level: float = 0.95,
) -> dict[str, dict[str, float]]:
    """First-order and total Sobol indices of output ``y`` over a ``sobol`` design.

    ``SALib.analyze.sobol.analyze(problem, y, calc_second_order=False)`` on the design's
    problem; the bootstrap confidence intervals (``*_conf``, half-widths at ``conf_level``) are
    seeded from the study's seed, so a study reproduces its intervals. A constant output has
    all indices 0.

    Returns
    -------
    dict
        ``{path: {"S1", "S1_conf", "ST", "ST_conf"}}`` in the design's path order.

    Raises
    ------
    ValueError
        The design is not ``sobol``, ``y`` does not have one value per point, or some values
        are NaN or infinite (failed points: Saltelli's estimators need every point).
    """
    if points.kind != "sobol" or points.problem is None:
        raise ValueError(f"Sobol indices need a sobol design; got a {points.kind} design")
    out = np.asarray(y, dtype=np.float64)
    if out.ndim != 1 or out.size != len(points):
        raise ValueError(f"y must have one value per point ({len(points)}); got shape {out.shape}")
    bad = ~np.isfinite(out)
    if bad.any():
        n_nan = int(np.isnan(out).sum())
        raise ValueError(
            f"{int(bad.sum())} of {out.size} outputs are not finite ({n_nan} NaN: failed points); "
            "Sobol indices need every point of the Saltelli design: fix or rerun those points"
        )
    names = list(points.paths)
    if np.ptp(out) <= np.finfo(np.float64).eps * max(1.0, float(np.max(np.abs(out)))):
        zero = {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
        return {name: dict(zero) for name in names}
    from SALib.analyze import sobol  # pandas-heavy import: only when indices are asked for

    res = sobol.analyze(
        points.problem,
        out,
        calc_second_order=False,
        num_resamples=num_resamples,
        conf_level=conf_level,
        seed=_bootstrap_seed(points.seed),
    )
    return {
        name: {key: float(res[key][j]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
        for j, name in enumerate(names)
    }


#: Widest acceptable confidence half-width of a Sobol index (an index is a share of variance:
#: +-0.05 tells a 0.3 input from a 0.2 one)
SOBOL_CONF_TOLERANCE = 0.05


def sobol_convergence(
    indices: Mapping[str, Mapping[str, float]], base_samples: int,
    tolerance: float = SOBOL_CONF_TOLERANCE,
) -> list[str]:  # fmt: skip
    """Why these Sobol indices cannot be trusted yet, and the sample size that would fix it
    (an empty list when they can).

    Two symptoms of too few points: a confidence half-width (``*_conf``) wider than
    ``tolerance``, and a first-order index above the total index by more than their intervals
    (S1 <= ST holds for the true indices: the total includes the first-order part; Saltelli et
    al. 2010, Comput. Phys. Commun. 181, 259). The bootstrap half-width falls as 1/sqrt(N), so
    the base sample that reaches ``tolerance`` is about ``N (conf / tolerance)^2``: twice that
    is asked, rounded up to a power of two (Sobol' sequences balance at powers of two).
    """
    problems: list[str] = []
    worst = 0.0
    for name, ix in indices.items():
        s1, st = float(ix["S1"]), float(ix["ST"])
        c1, ct = float(ix["S1_conf"]), float(ix["ST_conf"])
        wide = max(c1, ct)
        worst = max(worst, wide)
        if wide > tolerance:
            problems.append(f"{name}: confidence half-width {wide:.2g} > {tolerance:g}")
        if s1 - st > c1 + ct:
            problems.append(
                f"{name}: first-order {s1:.3g} > total {st:.3g} beyond their intervals"
            )
    if not problems:
        return []
    # one doubling more than 1/sqrt(N) asks: a small sample's bootstrap width is itself noisy
    # (32 -> 4096 still left 0.06 on Ishigami); an S1 > ST alone asks for at least 8x
    factor = 2.0 * max(worst / tolerance, 2.0) ** 2
    needed = 2 ** math.ceil(math.log2(max(base_samples, 1) * factor))
    return [
        *problems,
        f"unconverged at {base_samples} base samples: run about {needed} (samples = {needed})",
    ]


# --- tornado --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoBar:
    """One input's effect on the output over its range.

    ``low``/``high`` are the input's lowest and highest values in the table; ``y_low``/``y_high``
    the output there (grid: the mean over the other inputs; regression: the fitted value with the
    other inputs at their means); ``swing = y_high - y_low``. ``src`` is the standardised
    regression coefficient (regression only, NaN on a grid) and ``r2`` the fit's R².
    """

    input: str
    low: float
    high: float
    y_low: float
    y_high: float
    swing: float
    method: Literal["grid", "regression"]
    src: float = math.nan
    r2: float = math.nan
    n: int = 0  # points used (finite y)


def _numeric(values: Sequence[Any] | NDArray[Any]) -> NDArray[np.float64] | None:
    arr = np.asarray(values)
    if arr.dtype.kind in "iuf":
        return arr.astype(np.float64)
    if arr.dtype.kind == "O" and all(
        isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool | np.bool_)
        for v in arr.tolist()
    ):
        return arr.astype(np.float64)
    return None


def _columns(
    inputs: DesignPoints | Mapping[str, ArrayLike] | Sequence[Mapping[str, Any]],
) -> dict[str, NDArray[Any]]:
    if isinstance(inputs, DesignPoints):
        return {p: inputs.column(p) for p in inputs.paths}
    if isinstance(inputs, Mapping):
        return {str(k): np.asarray(v) for k, v in inputs.items()}
    rows = list(inputs)
    keys = list(rows[0]) if rows else []
    return {k: np.asarray([r[k] for r in rows], dtype=object) for k in keys}


def _is_full_factorial(cols: Mapping[str, NDArray[Any]], n: int) -> bool:
    if not cols or n == 0:
        return False
    levels = [len({_key(v) for v in c.tolist()}) for c in cols.values()]
    if math.prod(levels) != n:
        return False
    rows = {tuple(_key(c[i]) for c in cols.values()) for i in range(n)}
    return len(rows) == n


def _key(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def tornado_from_sweep(
    inputs: DesignPoints | Mapping[str, ArrayLike] | Sequence[Mapping[str, Any]],
    y: ArrayLike,
    *,
    method: Literal["auto", "grid", "regression"] = "auto",
    log: Sequence[str] | None = None,
) -> list[TornadoBar]:
    """The swing of ``y`` over each numeric input's range, largest ``|swing|`` first.

    ``inputs`` is a design (:class:`~skydc.studies.design.DesignPoints`), a table of columns
    (``{path: values}``) or rows (``[{path: value}, ...]``); ``y`` one output per point. Points
    whose ``y`` is NaN or infinite (failed) are left out; text and flag inputs are skipped, as
    are inputs with one value.

    Methods
    -------
    ``grid`` (a grid design, or any full-factorial table when ``method="auto"``)
        ``y_low`` is the mean of ``y`` over the points at the input's lowest level, ``y_high``
        at its highest; on a full factorial both sets hold every combination of the other inputs
        once, so the others are averaged out (a main effect, exact for additive models).
    ``regression`` (lhs, sobol, monte-carlo, any other table)
        Ordinary least squares of ``y`` on all numeric inputs together (on ``ln x`` for inputs in
        ``log``; by default the design's log-scale and lognormal inputs). ``src`` is the
        standardised coefficient ``b * sd(x) / sd(y)`` (Saltelli et al. 2008, §1.2.3); the swing
        is ``b * (x_high - x_low)``, the fitted change across the sampled range with the other
        inputs at their means. ``r2`` says how much of ``y`` the linear model explains: read
        the bars with it.

    Raises
    ------
    ValueError
        ``y`` has not one value per point, or too few finite points to fit the regression.
    """
    cols = _columns(inputs)
    out = np.asarray(y, dtype=np.float64)
    n = out.size
    if out.ndim != 1 or any(len(c) != n for c in cols.values()):
        raise ValueError(
            f"y must have one value per point ({', '.join(str(len(c)) for c in cols.values())}); "
            f"got shape {out.shape}"
        )
    if method == "auto":
        if isinstance(inputs, DesignPoints):
            method = "grid" if inputs.kind == "grid" else "regression"
        else:
            method = "grid" if _is_full_factorial(cols, n) else "regression"
    if log is None:
        log = (
            [p for p, s in inputs.scales.items() if s in ("log", "lognormal")]
            if isinstance(inputs, DesignPoints)
            else []
        )
    ok = np.isfinite(out)
    numeric = {p: x for p, c in cols.items() if (x := _numeric(c)) is not None}
    numeric = {p: x for p, x in numeric.items() if np.nanmax(x) > np.nanmin(x)}
    bars: list[TornadoBar] = []
    if method == "grid":
        for path, x in numeric.items():
            lo, hi = float(x.min()), float(x.max())
            at_lo, at_hi = ok & (x == lo), ok & (x == hi)
            y_lo = float(out[at_lo].mean()) if at_lo.any() else math.nan
            y_hi = float(out[at_hi].mean()) if at_hi.any() else math.nan
            bars.append(TornadoBar(path, lo, hi, y_lo, y_hi, y_hi - y_lo, "grid", n=int(ok.sum())))
    else:
        bars = _regression_bars(numeric, out, ok, set(log))
    return sorted(bars, key=lambda b: -abs(b.swing) if math.isfinite(b.swing) else math.inf)


def _regression_bars(
    numeric: Mapping[str, NDArray[np.float64]],
    out: NDArray[np.float64],
    ok: NDArray[np.bool_],
    log: set[str],
) -> list[TornadoBar]:
    paths = list(numeric)
    if not paths:
        return []
    transformed = {}
    for p in paths:
        x = numeric[p]
        if p in log:
            if np.any(x[ok] <= 0.0):
                raise ValueError(f"{p} has values <= 0: it cannot be regressed on ln x")
            x = np.log(np.where(x > 0.0, x, 1.0))
        transformed[p] = x
    X = np.column_stack([transformed[p] for p in paths])
    ok = ok & np.all(np.isfinite(X), axis=1)
    m = int(ok.sum())
    if m < len(paths) + 2:
        raise ValueError(
            f"a regression on {len(paths)} inputs needs at least {len(paths) + 2} finite points; "
            f"got {m}"
        )
    Xo, yo = X[ok], out[ok]
    mean_x, sd_x = Xo.mean(axis=0), Xo.std(axis=0)
    mean_y, sd_y = float(yo.mean()), float(yo.std())
    sd_x = np.where(sd_x > 0.0, sd_x, 1.0)
    Z = (Xo - mean_x) / sd_x
    if sd_y == 0.0:
        beta_std = np.zeros(len(paths))
        r2 = math.nan
    else:
        beta_std, *_ = np.linalg.lstsq(
            np.column_stack([np.ones(m), Z]), (yo - mean_y) / sd_y, rcond=None
        )
        beta_std = beta_std[1:]
        fitted = Z @ beta_std
        resid = (yo - mean_y) / sd_y - fitted
        r2 = float(1.0 - np.sum(resid**2) / m)  # the standardised y has unit variance
    slope = beta_std * sd_y / sd_x
    bars = []
    for j, p in enumerate(paths):
        raw = numeric[p][ok]
        lo, hi = float(raw.min()), float(raw.max())
        t_lo, t_hi = float(Xo[:, j].min()), float(Xo[:, j].max())
        y_lo = mean_y + float(slope[j]) * (t_lo - float(mean_x[j]))
        y_hi = mean_y + float(slope[j]) * (t_hi - float(mean_x[j]))
        bars.append(
            TornadoBar(p, lo, hi, y_lo, y_hi, y_hi - y_lo, "regression", float(beta_std[j]), r2, m)
        )
    return bars


# --- Pareto ---------------------------------------------------------------------------------------

_PARETO_CHUNK_ELEMENTS = 2**24  # booleans per chunk of the pairwise comparison (~16 MB)


def pareto_front(values: ArrayLike, senses: Sequence[str]) -> NDArray[np.bool_]:
    """Mask of the non-dominated rows of ``values`` (points x objectives).

    Point ``a`` dominates ``b`` when it is at least as good in every objective and better in
    one (``senses[k]`` is ``"min"`` or ``"max"``). Equal points do not dominate each other, so
    duplicates on the front are all kept. Rows with a NaN are never on the front and dominate
    nothing. The pairwise comparison runs in chunks of rows (O(n²) work, bounded memory:
    10⁴ points take well under a second).

    Raises
    ------
    ValueError
        ``values`` is not 2-D (a 1-D array is one objective), or ``senses`` does not give one
        of ``"min"``/``"max"`` per objective.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 1:
        v = v[:, None]
    if v.ndim != 2:
        raise ValueError(f"values must be (points, objectives); got shape {v.shape}")
    if len(senses) != v.shape[1] or any(s not in ("min", "max") for s in senses):
        raise ValueError(
            f"senses must be 'min' or 'max' for each of the {v.shape[1]} objectives; got "
            f"{list(senses)!r}"
        )
    sign = np.array([1.0 if s == "min" else -1.0 for s in senses])
    cost = v * sign  # every objective minimised
    valid = ~np.isnan(cost).any(axis=1)
    front = valid.copy()
    cand = cost[valid]
    m, k = cand.shape
    if m == 0:
        return front
    dominated = np.zeros(m, dtype=bool)
    chunk = max(1, _PARETO_CHUNK_ELEMENTS // max(1, m * k))
    for start in range(0, m, chunk):
        block = cand[start : start + chunk]  # (c, k): is any other point better than these?
        le = np.all(cand[None, :, :] <= block[:, None, :], axis=2)  # (c, m)
        lt = np.any(cand[None, :, :] < block[:, None, :], axis=2)
        dominated[start : start + chunk] = np.any(le & lt, axis=1)
    front[np.flatnonzero(valid)] = ~dominated
    return front


# --- break-even -----------------------------------------------------------------------------------


def _grid_args(
    x: ArrayLike, y: ArrayLike, z: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    zs = np.asarray(z, dtype=np.float64)
    if xs.ndim != 1 or ys.ndim != 1 or zs.shape != (ys.size, xs.size):
        raise ValueError(
            f"x (nx), y (ny) and z (ny, nx) expected; got x {xs.shape}, y {ys.shape}, z {zs.shape}"
        )
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        raise ValueError("x and y must be finite")
    return xs, ys, zs


# Marching squares. Corners of cell (j, i): 0 = (j, i), 1 = (j, i+1), 2 = (j+1, i+1),
# 3 = (j+1, i); a corner is "above" when z >= level; case = sum(above_c << c). Edges: 0 bottom
# (corner 0-1), 1 right (1-2), 2 top (3-2), 3 left (0-3). Each case lists the edge pairs its
# segments join; the saddles 5 and 10 are resolved by the mean of the four corners.
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),), 2: ((0, 1),), 3: ((3, 1),), 4: ((1, 2),), 6: ((0, 2),), 7: ((3, 2),),
    8: ((2, 3),), 9: ((0, 2),), 11: ((1, 2),), 12: ((3, 1),), 13: ((0, 1),), 14: ((3, 0),),
}  # fmt: skip
_SADDLES = {  # case: (segments if the centre is above, segments if below)
    5: (((0, 1), (2, 3)), ((3, 0), (1, 2))),
    10: (((3, 0), (1, 2)), ((0, 1), (2, 3))),
}


def breakeven_contour(
    x: ArrayLike, y: ArrayLike, z: ArrayLike, level: float = 1.0
) -> list[NDArray[np.float64]]:
    """The polylines where the gridded surface ``z`` crosses ``level``.

    ``z[j, i]`` is the value at ``(x[i], y[j])``. Marching squares: on each grid cell whose four
    corners are finite, the crossing points on its edges are linearly interpolated
    (``t = (level - z0) / (z1 - z0)``) and joined, a saddle cell by the mean of its corners;
    cells with a NaN corner are skipped (a line stops at them). The segments are chained into
    polylines through shared edges; a closed curve repeats its first point at the end.

    Returns
    -------
    list of (N, 2) arrays
        Each polyline's ``(x, y)`` points, longest first.
    """
    xs, ys, zs = _grid_args(x, y, z)
    ny, nx = zs.shape
    if nx < 2 or ny < 2:
        return []
    f = zs - float(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        # crossing points on horizontal edges (j, i)-(j, i+1) and vertical edges (j, i)-(j+1, i)
        th = f[:, :-1] / (f[:, :-1] - f[:, 1:])
        tv = f[:-1, :] / (f[:-1, :] - f[1:, :])
    hx = xs[None, :-1] + th * (xs[None, 1:] - xs[None, :-1])
    hy = np.broadcast_to(ys[:, None], th.shape)
    vx = np.broadcast_to(xs[None, :], tv.shape)
    vy = ys[:-1, None] + tv * (ys[1:, None] - ys[:-1, None])
    n_h = ny * (nx - 1)
    px = np.concatenate([hx.ravel(), vx.ravel()])
    py = np.concatenate([hy.ravel(), vy.ravel()])

    c0, c1, c2, c3 = f[:-1, :-1], f[:-1, 1:], f[1:, 1:], f[1:, :-1]
    finite = np.isfinite(c0) & np.isfinite(c1) & np.isfinite(c2) & np.isfinite(c3)
    case = (
        (c0 >= 0).astype(np.int64)
        | ((c1 >= 0).astype(np.int64) << 1)
        | ((c2 >= 0).astype(np.int64) << 2)
        | ((c3 >= 0).astype(np.int64) << 3)
    )
    case = np.where(finite, case, 0)
    centre_above = (c0 + c1 + c2 + c3) >= 0
    jj, ii = np.meshgrid(np.arange(ny - 1), np.arange(nx - 1), indexing="ij")
    edge_ids = np.stack(
        [
            jj * (nx - 1) + ii,  # bottom: horizontal edge (j, i)
            n_h + jj * nx + ii + 1,  # right: vertical edge (j, i+1)
            (jj + 1) * (nx - 1) + ii,  # top: horizontal edge (j+1, i)
            n_h + jj * nx + ii,  # left: vertical edge (j, i)
        ]
    )
    pairs: list[NDArray[np.int64]] = []
    for c, segs in _SEGMENTS.items():
        sel = case == c
        if sel.any():
            pairs += [np.stack([edge_ids[a][sel], edge_ids[b][sel]], axis=1) for a, b in segs]
    for c, (above, below) in _SADDLES.items():
        for segs, centre in ((above, True), (below, False)):
            sel = (case == c) & (centre_above == centre)
            if sel.any():
                pairs += [np.stack([edge_ids[a][sel], edge_ids[b][sel]], axis=1) for a, b in segs]
    if not pairs:
        return []
    return _chain(np.concatenate(pairs), px, py)


def _chain(
    pairs: NDArray[np.int64], px: NDArray[np.float64], py: NDArray[np.float64]
) -> list[NDArray[np.float64]]:
    """Join segments (pairs of edge ids; each edge in at most two) into polylines."""
    neighbours: dict[int, list[int]] = {}
    for a, b in pairs.tolist():
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen: set[int] = set()
    lines: list[list[int]] = []

    def walk(start: int) -> list[int]:
        line = [start]
        seen.add(start)
        prev, cur = -1, start
        while True:
            nxt = [n for n in neighbours[cur] if n != prev and n not in seen]
            if not nxt:
                if len(line) > 2 and start in neighbours[cur] and prev != start:
                    line.append(start)  # closed curve
                return line
            prev, cur = cur, nxt[0]
            line.append(cur)
            seen.add(cur)

    for node in sorted(neighbours, key=lambda e: (len(neighbours[e]) != 1, e)):  # ends first
        if node not in seen:
            lines.append(walk(node))
    out = []
    for line in lines:
        pts = np.column_stack([px[line], py[line]])
        keep = np.ones(len(pts), dtype=bool)  # drop repeats (a crossing exactly at a corner)
        keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
        out.append(pts[keep])
    return sorted(out, key=len, reverse=True)


def breakeven_along_x(
    x: ArrayLike, y: ArrayLike, z: ArrayLike, level: float = 1.0
) -> NDArray[np.float64]:
    """For each ``y[j]``, the ``x`` at which ``z[j, :]`` first reaches ``level`` (NaN if never).

    "What would have to be true": e.g. with ``x`` the launch price and ``z`` the space/ground
    cost ratio, the launch price at which space breaks even for each IT power ``y``. The row is
    read in increasing ``x``; the first pair of neighbouring finite values on either side of the
    level (or a value exactly at it) gives the crossing by linear interpolation. NaN values are
    skipped (their pairs are not used).
    """
    xs, _, zs = _grid_args(x, y, z)
    order = np.argsort(xs, kind="stable")
    xs, f = xs[order], zs[:, order] - float(level)
    ny, nx = f.shape
    result = np.full(ny, np.nan)
    if nx == 0:
        return result
    exact = f == 0.0
    if nx >= 2:
        fa, fb = f[:, :-1], f[:, 1:]
        straddle = np.isfinite(fa) & np.isfinite(fb) & (np.sign(fa) * np.sign(fb) < 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            xc = xs[:-1] + fa / (fa - fb) * (xs[1:] - xs[:-1])
        # candidate crossing per pair: x at a point exactly at the level, else the interpolant
        hit = exact[:, :-1] | straddle
        at = np.where(exact[:, :-1], xs[:-1], xc)
        hit = np.concatenate([hit, exact[:, -1:]], axis=1)
        at = np.concatenate([at, np.broadcast_to(xs[-1], (ny, 1))], axis=1)
    else:
        hit, at = exact, np.broadcast_to(xs, (ny, 1))
    first = np.argmax(hit, axis=1)
    rows = np.flatnonzero(hit.any(axis=1))
    result[rows] = at[rows, first[rows]]
    return result


def grid_surface(
    points: DesignPoints,
    values: ArrayLike,
    x: str,
    y: str,
    fixed: Mapping[str, Any] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """A grid design's results as ``(x levels, y levels, z (ny, nx))`` for the break-even curves.

    Every other varied input must have one level, or be pinned to one of its levels in
    ``fixed`` (``{"spacecraft.preset": "advanced"}``).

    Raises
    ------
    ValueError
        Not a grid, ``x``/``y`` not varied or not numeric, an other input neither single nor
        fixed, a fixed value that is not one of its levels, or ``values`` not one per point.
    """
    if points.kind != "grid" or points.levels is None or points.shape is None:
        raise ValueError(f"a surface needs a grid design; got a {points.kind} design")
    vals = np.asarray(values, dtype=np.float64)
    if vals.shape != (len(points),):
        raise ValueError(f"values must be one per point ({len(points)}); got {vals.shape}")
    for axis in (x, y):
        if axis not in points.paths:
            raise ValueError(f"{axis!r} is not varied; varied: {', '.join(points.paths)}")
    if x == y:
        raise ValueError("x and y must be different inputs")
    fixed = dict(fixed or {})
    cube = vals.reshape(points.shape)
    index: list[Any] = []
    for path in points.paths:
        lv = points.levels[path]
        if path in (x, y):
            index.append(slice(None))
        elif path in fixed:
            matches = [k for k, v in enumerate(lv) if v == fixed[path]]
            if not matches:
                raise ValueError(f"{path} = {fixed[path]!r} is not a level; levels: {list(lv)}")
            index.append(matches[0])
        elif len(lv) == 1:
            index.append(0)
        else:
            raise ValueError(f"{path} has {len(lv)} levels: pin it with fixed={{{path!r}: ...}}")
    surface = cube[tuple(index)]
    if points.paths.index(x) < points.paths.index(y):
        surface = surface.T  # axes were (x, y): make rows y
    xs = _numeric(list(points.levels[x]))
    ys = _numeric(list(points.levels[y]))
    if xs is None or ys is None:
        raise ValueError("x and y must be numeric inputs")
    return xs, ys, np.ascontiguousarray(surface)
