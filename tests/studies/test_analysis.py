"""Study analyses against independent references: Sobol indices of the Ishigami function
(analytic), Pareto fronts (a known front and a brute-force O(n²) loop), break-even contours
(y = 1/x for z = x*y, a circle, contourpy's crossing points), tornado swings (a known additive
model and a linear regression's analytic standardised coefficients)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.studies import analysis
from skydc.studies.analysis import (
    SOBOL_CONF_TOLERANCE,
    breakeven_along_x,
    breakeven_contour,
    grid_surface,
    pareto_front,
    sobol_convergence,
    sobol_indices,
    tornado_from_sweep,
)
from skydc.studies.design import DesignPoints, Study, design_points

# --- Sobol: the Ishigami function ----------------------------------------------------------------

A, B = 7.0, 0.1
# Three inputs on [-pi, pi]: scenario fields whose range admits it (RAAN offsets, degrees).
ISHIGAMI_PATHS = [f"shells[{i}].raan0_deg" for i in range(3)]


def _ishigami_analytic() -> tuple[list[float], list[float]]:
    """Ishigami & Homma (1990); Saltelli et al. (2008), *Global Sensitivity Analysis: The
    Primer*, ch. 4: V = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2, V1 = (1 + b π⁴/5)²/2, V2 = a²/8,
    V3 = 0, V13 = b² π⁸ (1/18 - 1/50); ST1 = (V1 + V13)/V, ST2 = V2/V, ST3 = V13/V."""
    pi = math.pi
    v = A**2 / 8 + B * pi**4 / 5 + B**2 * pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def _ishigami(x1: np.ndarray, x2: np.ndarray, x3: np.ndarray) -> np.ndarray:
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def _ishigami_design(n: int, seed: int = 0) -> DesignPoints:
    study = Study.model_validate(
        {
            "name": "ishigami",
            "design": "sobol",
            "samples": n,
            "seed": seed,
            "vary": [{"path": p, "low": -math.pi, "high": math.pi} for p in ISHIGAMI_PATHS],
        }
    )
    return design_points(study)


def test_ishigami_analytic_reference_values() -> None:
    s1, st_ = _ishigami_analytic()
    assert s1 == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert st_ == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_sobol_indices_recover_ishigami() -> None:
    points = _ishigami_design(2048)
    assert len(points) == 2048 * (3 + 2)
    y = _ishigami(*(points.column(p) for p in ISHIGAMI_PATHS))
    got = sobol_indices(points, y)
    assert list(got) == ISHIGAMI_PATHS
    s1, st_ = _ishigami_analytic()
    for j, path in enumerate(ISHIGAMI_PATHS):
        assert got[path]["S1"] == pytest.approx(s1[j], abs=0.05), (path, got[path])
        assert got[path]["ST"] == pytest.approx(st_[j], abs=0.05), (path, got[path])
        assert 0.0 < got[path]["S1_conf"] < 0.1 and 0.0 < got[path]["ST_conf"] < 0.1
    # seeded: the bootstrap intervals reproduce
    assert sobol_indices(points, y) == got


def test_sobol_convergence_flags_a_small_sample_and_names_the_size_that_converges() -> None:
    """At 32 base samples the Ishigami indices' bootstrap intervals are wider than +-0.05: the
    check says so and asks for a base sample that, run, gives intervals within it and
    indices within them of the analytic values (Saltelli et al. 2008)."""
    small = _ishigami_design(32)
    got = sobol_indices(small, _ishigami(*(small.column(p) for p in ISHIGAMI_PATHS)))
    warnings = sobol_convergence(got, 32)
    assert warnings and "confidence half-width" in warnings[0]
    needed = int(warnings[-1].split("samples = ")[1].rstrip(")"))
    assert needed > 32 and needed & (needed - 1) == 0  # a power of two
    big = _ishigami_design(needed)
    converged = sobol_indices(big, _ishigami(*(big.column(p) for p in ISHIGAMI_PATHS)))
    assert sobol_convergence(converged, needed) == []
    s1, st_ = _ishigami_analytic()
    for j, path in enumerate(ISHIGAMI_PATHS):
        assert abs(converged[path]["S1"] - s1[j]) < 2 * SOBOL_CONF_TOLERANCE
        assert abs(converged[path]["ST"] - st_[j]) < 2 * SOBOL_CONF_TOLERANCE


def test_a_study_analysis_carries_the_convergence_warning() -> None:
    """What ``skydc sweep`` writes (analysis.json) for an unconverged Sobol study."""
    import pyarrow as pa

    from skydc.studies.report_files import analyze

    study = Study.model_validate({
        "name": "ishigami", "design": "sobol", "samples": 32, "seed": 0,
        "vary": [{"path": p, "low": -math.pi, "high": math.pi} for p in ISHIGAMI_PATHS],
    })  # fmt: skip
    points = design_points(study)
    y = _ishigami(*(points.column(p) for p in ISHIGAMI_PATHS))
    metric = "cost.ratio_space_to_ground"  # any kept metric's column
    table = pa.table({"index": list(range(len(points))), metric: y,
                      "status": ["ok"] * len(points)})  # fmt: skip
    out = analyze(study, table, [metric])
    assert set(out["sobol"][metric]) == set(ISHIGAMI_PATHS)
    assert "samples = " in out["sobol_warnings"][metric][-1]


def test_sobol_convergence_flags_first_order_above_total() -> None:
    """The fault a peer tool shipped: a total-order index of 3.2 beside a first-order -0.06 is
    caught by its width; S1 > ST beyond both intervals is caught on its own."""
    peer = {"x": {"S1": -0.06, "S1_conf": 0.4, "ST": 3.2, "ST_conf": 2.9}}
    assert sobol_convergence(peer, 64)
    inverted = {"x": {"S1": 0.5, "S1_conf": 0.01, "ST": 0.3, "ST_conf": 0.01}}
    got = sobol_convergence(inverted, 1024)
    assert "first-order 0.5 > total 0.3" in got[0] and "samples = 8192" in got[-1]


def test_sobol_indices_refuse_failed_points() -> None:
    points = _ishigami_design(64)
    y = _ishigami(*(points.column(p) for p in ISHIGAMI_PATHS))
    y[[3, 70, 100]] = np.nan
    with pytest.raises(ValueError, match=r"3 of 320 outputs are not finite \(3 NaN"):
        sobol_indices(points, y)
    with pytest.raises(ValueError, match="one value per point"):
        sobol_indices(points, y[:-1])
    grid = design_points(
        Study.model_validate(
            {"name": "g", "vary": [{"path": "economics.wacc", "low": 0.0, "high": 0.1,
                                    "steps": 3}]}
        )
    )  # fmt: skip
    with pytest.raises(ValueError, match="need a sobol design"):
        sobol_indices(grid, np.zeros(3))


def test_sobol_indices_of_constant_output_are_zero() -> None:
    points = _ishigami_design(16)
    got = sobol_indices(points, np.full(len(points), 2.5))
    assert all(v == 0.0 for idx in got.values() for v in idx.values())


# --- Pareto ---------------------------------------------------------------------------------------


def _brute_force_front(values: np.ndarray, senses: list[str]) -> np.ndarray:
    cost = values * np.array([1.0 if s == "min" else -1.0 for s in senses])
    n = len(cost)
    out = np.zeros(n, dtype=bool)
    for i in range(n):
        if np.isnan(cost[i]).any():
            continue
        dominated = False
        for j in range(n):
            if j == i or np.isnan(cost[j]).any():
                continue
            if np.all(cost[j] <= cost[i]) and np.any(cost[j] < cost[i]):
                dominated = True
                break
        out[i] = not dominated
    return out


def test_pareto_quarter_circle() -> None:
    rng = np.random.default_rng(1)
    theta = np.linspace(0.0, math.pi / 2, 50)
    arc = np.column_stack([np.cos(theta), np.sin(theta)])  # x² + y² = 1: all non-dominated
    r = rng.uniform(0.0, 0.99, 200)
    phi = rng.uniform(0.0, math.pi / 2, 200)
    inside = np.column_stack([r * np.cos(phi), r * np.sin(phi)])  # each below an arc point
    pts = np.vstack([inside[:100], arc, inside[100:]])
    mask = pareto_front(pts, ["max", "max"])
    assert mask.sum() == 50 and np.all(mask[100:150]) and not mask[:100].any()
    # the same set, minimised: the front is the arc of the reflected points
    assert np.array_equal(pareto_front(-pts, ["min", "min"]), mask)
    # mixed senses: maximise x, minimise -y is the same problem
    assert np.array_equal(pareto_front(pts * [1, -1], ["max", "min"]), mask)


def test_pareto_nan_duplicates_and_shapes() -> None:
    pts = np.array([[1.0, 2.0], [1.0, 2.0], [0.5, np.nan], [2.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    mask = pareto_front(pts, ["min", "min"])
    assert mask.tolist() == [True, True, False, True, False, False]
    assert pareto_front(np.array([3.0, 1.0, 1.0, 2.0]), ["min"]).tolist() == [
        False, True, True, False,
    ]  # fmt: skip
    assert pareto_front(np.empty((0, 2)), ["min", "max"]).shape == (0,)
    assert not pareto_front(np.full((3, 2), np.nan), ["min", "min"]).any()
    with pytest.raises(ValueError, match="senses"):
        pareto_front(pts, ["min"])
    with pytest.raises(ValueError, match="senses"):
        pareto_front(pts, ["min", "low"])


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(
    n=st.integers(0, 30),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    senses=st.lists(st.sampled_from(["min", "max"]), min_size=3, max_size=3),
    nan_share=st.sampled_from([0.0, 0.1]),
)
def test_pareto_matches_brute_force(
    n: int, k: int, seed: int, senses: list[str], nan_share: float
) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, size=(n, k)).astype(float)  # small integers: many ties
    values[rng.random((n, k)) < nan_share] = np.nan
    expected = _brute_force_front(values, senses[:k])
    assert np.array_equal(pareto_front(values, senses[:k]), expected)


def test_pareto_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(size=(300, 3))
    whole = pareto_front(values, ["min", "max", "min"])
    monkeypatch.setattr(analysis, "_PARETO_CHUNK_ELEMENTS", 3 * 300 * 7)  # chunks of 7 rows
    assert np.array_equal(pareto_front(values, ["min", "max", "min"]), whole)
    assert np.array_equal(whole, _brute_force_front(values, ["min", "max", "min"]))


# --- break-even -----------------------------------------------------------------------------------


def test_breakeven_contour_of_xy_lies_on_hyperbola() -> None:
    x = np.linspace(0.2, 5.0, 49)
    y = np.geomspace(0.25, 4.0, 37)
    z = y[:, None] * x[None, :]
    lines = breakeven_contour(x, y, z, level=1.0)
    assert len(lines) == 1  # one connected curve across the grid
    pts = lines[0]
    # z is bilinear in each cell and exact on the edges, so the crossings lie on y = 1/x
    assert np.allclose(pts[:, 1], 1.0 / pts[:, 0], rtol=1e-12)
    assert pts[:, 0].min() == pytest.approx(0.25) and pts[:, 0].max() == pytest.approx(4.0)
    assert np.all(np.diff(pts[:, 0]) != 0.0)  # ordered along the curve: x monotonic
    assert np.all(np.diff(pts[:, 0]) > 0) or np.all(np.diff(pts[:, 0]) < 0)


def test_breakeven_contour_circle_within_interpolation_error() -> None:
    h = 0.05
    g = np.arange(-1.5, 1.5 + h / 2, h)
    z = g[None, :] ** 2 + g[:, None] ** 2
    lines = breakeven_contour(g, g, z, level=1.0)
    assert len(lines) == 1
    ring = lines[0]
    assert np.array_equal(ring[0], ring[-1])  # closed
    r = np.hypot(ring[:, 0], ring[:, 1])
    # linear interpolation of x² on an edge of length h errs by at most h²/4 in x² (so in r)
    assert np.max(np.abs(r - 1.0)) < h**2 / 4 + 1e-12


def test_breakeven_contour_skips_nan_cells() -> None:
    x = np.linspace(0.2, 5.0, 40)
    y = np.linspace(0.2, 5.0, 40)
    z = y[:, None] * x[None, :]
    z[:, 10:13] = np.nan  # a band of failed points cuts the curve
    lines = breakeven_contour(x, y, z, 1.0)
    assert len(lines) == 2
    for line in lines:
        assert np.allclose(line[:, 0] * line[:, 1], 1.0, rtol=1e-12)
        assert not np.any((line[:, 0] > x[9]) & (line[:, 0] < x[13]))


def test_breakeven_contour_saddle_and_edge_cases() -> None:
    x = y = np.array([0.0, 1.0])
    z = np.array([[1.0, 0.0], [0.0, 1.0]])  # diagonal corners above 0.5
    lines = breakeven_contour(x, y, z, 0.5)
    assert len(lines) == 2 and all(len(line) == 2 for line in lines)
    # the mean (0.5) is "above": the two high corners connect, the lines cut off the low ones
    ends = sorted(tuple(map(tuple, np.round(line, 12))) for line in lines)
    assert ends == sorted([((0.5, 0.0), (1.0, 0.5)), ((0.5, 1.0), (0.0, 0.5))])
    assert breakeven_contour(x, y, np.zeros((2, 2)), 1.0) == []
    assert breakeven_contour([0.0], [0.0], [[1.0]], 1.0) == []
    with pytest.raises(ValueError, match=r"z \(ny, nx\)"):
        breakeven_contour(x, y, np.zeros((3, 2)), 1.0)


def test_breakeven_contour_matches_contourpy() -> None:
    contourpy = pytest.importorskip("contourpy")
    x = np.linspace(-2.0, 3.0, 41)
    y = np.linspace(-1.0, 2.5, 29)
    z = np.sin(x[None, :]) * np.cos(y[:, None]) + 0.1 * x[None, :]
    mine = np.vstack(breakeven_contour(x, y, z, 0.2))
    gen = contourpy.contour_generator(x, y, z, name="serial", line_type="Separate")
    ref = np.vstack(gen.lines(0.2))
    # the same crossing points (joined segments may differ only at saddles)
    d = np.hypot(mine[:, None, 0] - ref[None, :, 0], mine[:, None, 1] - ref[None, :, 1])
    assert d.min(axis=1).max() < 1e-9 and d.min(axis=0).max() < 1e-9


def test_breakeven_along_x() -> None:
    x = np.linspace(0.5, 4.0, 36)
    y = np.array([0.2, 0.5, 1.0, 2.0, 3.0])
    z = y[:, None] * x[None, :]
    got = breakeven_along_x(x, y, z, 1.0)
    expected = np.where((1.0 / y >= 0.5) & (1.0 / y <= 4.0), 1.0 / y, np.nan)
    assert np.allclose(got, expected, rtol=1e-12, equal_nan=True)
    assert math.isnan(got[0])  # 1/0.2 = 5 is beyond the grid: never breaks even
    assert got[2] == 1.0  # exactly at a grid point
    # x in any order; NaN values skipped
    perm = np.random.default_rng(0).permutation(36)
    assert np.allclose(breakeven_along_x(x[perm], y, z[:, perm], 1.0), got, equal_nan=True)
    z2 = z.copy()
    z2[1, :4] = np.nan
    assert breakeven_along_x(x, y, z2, 1.0)[1] == pytest.approx(2.0)
    # the first crossing in increasing x
    zz = np.array([[0.0, 2.0, 0.0, 2.0]])
    assert breakeven_along_x([0.0, 1.0, 2.0, 3.0], [0.0], zz, 1.0)[0] == pytest.approx(0.5)


def test_grid_surface_for_breakeven() -> None:
    study = Study.model_validate(
        {
            "name": "g",
            "vary": [
                {"path": "spacecraft.it_power_kw", "low": 10.0, "high": 100.0, "steps": 4},
                {"path": "spacecraft.preset", "values": ["advanced", "iss-heritage"]},
                {"path": "economics.launch_usd_per_kg", "low": 100.0, "high": 1000.0,
                 "steps": 5},
            ],
        }
    )  # fmt: skip
    pts = design_points(study)
    power = pts.column("spacecraft.it_power_kw")
    launch = pts.column("economics.launch_usd_per_kg")
    preset = pts.column("spacecraft.preset")
    z = launch * power * np.where(preset == "advanced", 1.0, 2.0)
    xs, ys, surf = grid_surface(
        pts, z, "economics.launch_usd_per_kg", "spacecraft.it_power_kw",
        fixed={"spacecraft.preset": "iss-heritage"},
    )  # fmt: skip
    assert surf.shape == (4, 5)
    assert np.allclose(surf, 2.0 * ys[:, None] * xs[None, :])
    with pytest.raises(ValueError, match="pin it"):
        grid_surface(pts, z, "economics.launch_usd_per_kg", "spacecraft.it_power_kw")


# --- tornado --------------------------------------------------------------------------------------


def test_tornado_on_a_grid_is_the_main_effect() -> None:
    study = Study.model_validate(
        {
            "name": "g",
            "vary": [
                {"path": "economics.wacc", "low": 0.0, "high": 0.1, "steps": 3},
                {"path": "economics.pue", "low": 1.0, "high": 2.0, "steps": 4},
                {"path": "spacecraft.it_power_kw", "low": 10.0, "high": 30.0, "steps": 3},
                {"path": "spacecraft.preset", "values": ["advanced", "iss-heritage"]},
            ],
        }
    )
    pts = design_points(study)
    a, b, c = (pts.column(p) for p in ("economics.wacc", "economics.pue", "spacecraft.it_power_kw"))
    y = 30.0 * a - 2.0 * b + 0.01 * c**2 + 0.5 * a * b
    bars = tornado_from_sweep(pts, y)
    # the preset (text) is skipped
    assert [bar.input for bar in bars] == [
        "spacecraft.it_power_kw",
        "economics.wacc",
        "economics.pue",
    ]
    by = {bar.input: bar for bar in bars}
    # main effects: the other inputs averaged (mean pue 1.5 in the a*b term)
    assert by["economics.wacc"].swing == pytest.approx(30.0 * 0.1 + 0.5 * 0.1 * 1.5)
    assert by["economics.pue"].swing == pytest.approx(-2.0 * 1.0 + 0.5 * 0.05 * 1.0)
    assert by["spacecraft.it_power_kw"].swing == pytest.approx(0.01 * (900 - 100))
    assert by["economics.pue"].low == 1.0 and by["economics.pue"].high == 2.0
    assert all(bar.method == "grid" and math.isnan(bar.src) for bar in bars)
    # a plain table (rows) of the same grid is recognised as a full factorial
    rows = tornado_from_sweep(pts.inputs, y)
    assert [(r.input, r.method) for r in rows] == [(b.input, "grid") for b in bars]
    assert [r.swing for r in rows] == pytest.approx([b.swing for b in bars])
    # failed points are left out
    y2 = y.copy()
    y2[0] = np.nan
    assert tornado_from_sweep(pts, y2)[0].n == len(pts) - 1


def test_tornado_on_random_design_is_a_regression() -> None:
    study = Study.model_validate(
        {
            "name": "l",
            "design": "lhs",
            "samples": 400,
            "vary": [
                {"path": "economics.wacc", "low": 0.0, "high": 0.1},
                {"path": "economics.pue", "low": 1.0, "high": 2.0},
                {"path": "economics.launch_usd_per_kg", "low": 10.0, "high": 1000.0,
                 "scale": "log"},
            ],
        }
    )  # fmt: skip
    pts = design_points(study)
    a, b, c = (pts.column(p) for p in pts.paths)
    y = 20.0 * a - 1.0 * b + 0.3 * np.log(c)
    bars = {bar.input: bar for bar in tornado_from_sweep(pts, y)}
    assert all(bar.method == "regression" for bar in bars.values())
    assert bars["economics.wacc"].r2 == pytest.approx(1.0)
    # standardised coefficients of an exactly linear model: b * sd(x) / sd(y)
    sd_y = y.std()
    assert bars["economics.wacc"].src == pytest.approx(20.0 * a.std() / sd_y)
    assert bars["economics.pue"].src == pytest.approx(-1.0 * b.std() / sd_y)
    assert bars["economics.launch_usd_per_kg"].src == pytest.approx(0.3 * np.log(c).std() / sd_y)
    assert bars["economics.wacc"].swing == pytest.approx(20.0 * (a.max() - a.min()))
    assert bars["economics.launch_usd_per_kg"].swing == pytest.approx(
        0.3 * (np.log(c.max()) - np.log(c.min()))
    )
    # a columns table, regressed on x itself unless told ln x
    table = {p: pts.column(p) for p in pts.paths}
    linear = {bar.input: bar for bar in tornado_from_sweep(table, y)}
    assert linear["economics.launch_usd_per_kg"].r2 < 1.0 - 1e-3
    logged = {
        bar.input: bar for bar in tornado_from_sweep(table, y, log=["economics.launch_usd_per_kg"])
    }
    assert logged["economics.launch_usd_per_kg"].src == pytest.approx(
        bars["economics.launch_usd_per_kg"].src
    )
    with pytest.raises(ValueError, match="at least 5 finite points"):
        tornado_from_sweep({p: v[:4] for p, v in table.items()}, y[:4], method="regression")
