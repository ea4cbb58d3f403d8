"""Tests of the trade-study report and its charts on small synthetic studies.

Four studies: a 5 x 4 grid with a break-even contour, a 64-point LHS with a Pareto set and a
tornado, a Sobol study with indices, and a study with failed points and why-texts. The numbers are
made up (simple closed forms), they only need to exercise every section.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from skydc.report.charts import tornado_chart
from skydc.report.study_plots import (
    contour_chart,
    heatmap,
    parallel_coordinates,
    scatter_chart,
    strip_chart,
)
from skydc.report.study_report import MAX_TABLE_ROWS, render_study_report
from skydc.report.text import fit_label, fmt_sig, plotted_mask, wide_range

SVG = "{http://www.w3.org/2000/svg}"
LAUNCH, POWER, WACC, VEHICLE = (
    "economics.launch_usd_per_kg", "spacecraft.it_power_kw", "economics.wacc", "launch.vehicle",
)  # fmt: skip
RATIO, TOTAL, SPECIFIC, BREAKEVEN = (
    "cost.ratio_space_to_ground", "cost.space.total_usd", "sizing.it_power_per_mass_w_kg",
    "cost.breakeven_launch_usd_per_kg",
)  # fmt: skip
VOID = {"meta", "br", "wbr", "hr", "img", "input", "link", "col", "area", "base", "source"}
ANALYSIS_TITLES = ["Sobol indices", "Tornado", "Pareto front", "Break-even"]


# --- synthetic studies ------------------------------------------------------------------------


def manifest(
    name: str, design: str, varied: list[str], keep: list[str], total: int
) -> dict[str, Any]:
    return {
        "name": name, "design": design, "varied": varied, "keep": keep,
        "stages": ["constellation", "sizing", "cost"], "points_total": total,
        "scenario": "starcloud-whitepaper-40mw",
    }  # fmt: skip


def points_table(inputs: dict[str, Any], metrics: dict[str, Any], **extra: Any) -> pa.Table:
    n = len(next(iter(inputs.values())))
    cols: dict[str, Any] = {"index": pa.array(np.arange(n), pa.int64())}
    cols["key"] = [f"p{i:05d}" for i in range(n)]
    cols.update(inputs)
    for k, v in metrics.items():
        cols[k] = pa.array(np.asarray(v, dtype=np.float64))
    cols.update({k: v for k, v in extra.items() if "#" in k})
    cols["status"] = extra.get("status", ["ok"] * n)
    cols["error"] = extra.get("error", [""] * n)
    cols["wall_s"] = extra.get("wall_s", np.linspace(1.0, 3.0, n))
    return pa.table(cols)


def grid_study() -> tuple[dict[str, Any], pa.Table, dict[str, Any]]:
    """5 launch prices x 4 IT powers; space equals the ground where launch = 4 x power."""
    xs = np.array([30.0, 100.0, 300.0, 1000.0, 10000.0])
    ys = np.array([50.0, 100.0, 200.0, 6000.0])
    x, y = (a.ravel() for a in np.meshgrid(xs, ys))
    ratio = 0.5 + x / (8.0 * y)
    table = points_table({LAUNCH: x, POWER: y}, {RATIO: ratio, TOTAL: 1e9 * ratio * y / 100})
    yc = np.geomspace(50.0, 2500.0, 15)
    analysis = {
        "breakeven": {
            "x": LAUNCH, "y": POWER, "metric": RATIO, "level": 1.0,
            "contour": [np.column_stack([4 * yc, yc]).tolist()],
            "along_x": {"y_values": ys.tolist(), "x_at_level": [200.0, 400.0, 800.0, math.nan]},
        }
    }  # fmt: skip
    return manifest("grid <5x4>", "grid", [LAUNCH, POWER], [RATIO, TOTAL], 20), table, analysis


def _pareto_front(f1: np.ndarray, f2: np.ndarray) -> list[int]:
    """Indices not dominated when minimising f1 and maximising f2."""
    a, b = f1[None, :], f2[None, :]
    weakly = (a <= f1[:, None]) & (b >= f2[:, None])
    dominated = (weakly & ((a < f1[:, None]) | (b > f2[:, None]))).any(axis=1)
    return np.flatnonzero(~dominated).tolist()


def lhs_study(n: int = 64) -> tuple[dict[str, Any], pa.Table, dict[str, Any]]:
    rng = np.random.default_rng(7)
    launch = 10 ** rng.uniform(np.log10(20.0), np.log10(20000.0), n)  # three decades: log axis
    power = rng.uniform(50.0, 500.0, n)
    wacc = rng.uniform(0.05, 0.12, n)
    vehicle = rng.choice(["falcon9", "starship", "new-glenn"], n)
    mass = power * 10.0 * np.where(vehicle == "falcon9", 1.3, 1.0)
    total = launch * mass * 2.0 + power * 1e6 * (1 + 10 * wacc)
    ratio = total / (power * 3e6)
    specific = 100.0 * (power / 500.0) ** 0.3 * rng.uniform(0.8, 1.2, n) * 1000 / (mass / power)
    table = points_table(
        {LAUNCH: launch, POWER: power, WACC: wacc, VEHICLE: vehicle.tolist()},
        {TOTAL: total, RATIO: ratio, SPECIFIC: specific},
    )
    analysis = {
        "tornado": {RATIO: {LAUNCH: 1.8, POWER: -0.4, WACC: 0.6, VEHICLE: 0.2}},
        "pareto": {
            "objectives": [{"metric": TOTAL, "sense": "min"}, {"metric": SPECIFIC, "sense": "max"}],
            "front": _pareto_front(total, specific),
        },
    }
    m = manifest("lhs", "lhs", [LAUNCH, POWER, WACC, VEHICLE], [TOTAL, RATIO, SPECIFIC], n)
    return m, table, analysis


def sobol_study() -> tuple[dict[str, Any], pa.Table, dict[str, Any]]:
    rng = np.random.default_rng(3)
    n = 96
    launch, power, wacc = (
        rng.uniform(100, 3000, n),
        rng.uniform(50, 500, n),
        rng.uniform(0.05, 0.1, n),
    )
    ratio = 0.4 + launch / 2000 + 0.1 * power / 500 + wacc
    table = points_table({LAUNCH: launch, POWER: power, WACC: wacc}, {RATIO: ratio})
    idx = {
        LAUNCH: {"S1": 0.81, "S1_conf": 0.05, "ST": 0.86, "ST_conf": 0.06},
        POWER: {"S1": 0.11, "S1_conf": 0.03, "ST": 0.13, "ST_conf": 0.02},
        WACC: {"S1": 0.02, "S1_conf": None, "ST": 0.03, "ST_conf": math.nan},
    }
    analysis = {"sobol": {RATIO: idx}}
    return manifest("sobol", "sobol", [LAUNCH, POWER, WACC], [RATIO], n), table, analysis


ATTACK = "<script>alert('x')</script> solver diverged & stopped"
NEVER = "never: no launch price makes space cheaper"


def failed_study() -> tuple[dict[str, Any], pa.Table, dict[str, Any]]:
    """12 rows of 15 points: 9 ok (two without a break-even price), 3 failed."""
    n = 12
    launch = np.linspace(100.0, 1200.0, n)
    status = ["ok"] * n
    errors = [""] * n
    for i in (2, 5, 9):
        status[i], errors[i] = "error", ATTACK
    ratio = 0.6 + launch / 1000
    breakeven = np.full(n, 450.0)
    why = [""] * n
    for i in (2, 5, 9):
        ratio[i], breakeven[i], why[i] = math.nan, math.nan, ""
    for i in (3, 7):
        breakeven[i], why[i] = math.nan, NEVER
    table = points_table(
        {LAUNCH: launch}, {RATIO: ratio, BREAKEVEN: breakeven},
        status=status, error=errors, **{f"{BREAKEVEN}#why": why},
    )  # fmt: skip
    return manifest("failures", "monte-carlo", [LAUNCH], [RATIO, BREAKEVEN], 15), table, {}


def render(study: tuple[dict[str, Any], pa.Table, dict[str, Any]]) -> str:
    m, table, analysis = study
    return render_study_report(
        m, table, analysis, title="Study <x> & y", version="0.1.0",
        generated_utc="2025-03-21T12:00:00Z",
    )  # fmt: skip


# --- page checks ------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Checks that every tag is closed in order; collects the text and the URL attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(page: str) -> ET.Element:
    tags = _Tags()
    tags.feed(page)
    tags.close()
    assert not tags.errors, tags.errors[:5]
    assert not tags.stack, f"unclosed: {tags.stack}"
    assert all(u.startswith("#") for u in tags.urls), tags.urls
    assert "<script" not in page.lower()
    assert "https://" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))  # also well-formed XML
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)  # the study charts never nest an svg
    for svg in svgs:
        assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert len(svgs) == len([e for e in root.iter(f"{SVG}svg")])
    text = " ".join(tags.text)
    for bad, flags in ((r"\bnan\b", re.I), (r"\bNone\b", 0), (r"\binf\b", re.I)):
        assert not re.search(bad, text, flags=flags), re.search(f".{{60}}{bad}.{{60}}", text)
        assert not re.search(bad, page, flags=flags), bad
    return root


def titles(root: ET.Element) -> list[str]:
    return ["".join(h.itertext()) for h in root.iter("h2")]


def section(root: ET.Element, title: str) -> ET.Element:
    for s in root.iter("section"):
        h2 = s.find("h2")
        if h2 is not None and "".join(h2.itertext()) == title:
            return s
    raise AssertionError(f"no section {title!r}")


def charts(el: ET.Element) -> list[ET.Element]:
    return list(el.iter(f"{SVG}svg"))


def chart(el: ET.Element, label: str) -> ET.Element:
    found = [s for s in charts(el) if s.get("aria-label") == label]
    assert found, [s.get("aria-label") for s in charts(el)]
    return found[0]


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def body_rows(table: ET.Element) -> list[ET.Element]:
    tbody = table.find("tbody")
    assert tbody is not None
    return list(tbody.iter("tr"))


def groups(el: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in el.iter(f"{SVG}g") if g.get("class") == cls]


def path_xy(d: str) -> np.ndarray:
    """All vertices of SVG path data, an (n, 2) array."""
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return np.array(nums).reshape(-1, 2)


def polyline_points(el: ET.Element, cls: str = "contour") -> np.ndarray:
    """The vertices of every line drawn with class ``cls`` (contours)."""
    paths = [p.get("d", "") for g in groups(el, cls) for p in g.iter(f"{SVG}path")]
    assert paths
    return np.concatenate([path_xy(d) for d in paths])


def plot_area(svg: ET.Element) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of the plot area."""
    (g,) = groups(svg, "plot-area")
    xy = path_xy(next(g.iter(f"{SVG}path")).get("d", ""))
    return xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max()


def ticks(svg: ET.Element, axis: str) -> dict[str, float]:
    """Tick label -> position of its tick mark, for the x or the y axis (labelled ticks)."""
    out = {}
    for g in groups(svg, f"{axis}tick"):
        label = " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text")).strip()
        mark = next(g.iter(f"{SVG}use"), None)
        if label and mark is not None:
            out[label] = float(mark.get(axis, "nan"))
    return out


def dots(el: ET.Element) -> int:
    """Points drawn by the scatter and strip plots (one marker each)."""
    return sum(len(list(g.iter(f"{SVG}use"))) for g in groups(el, "points"))


# --- the four studies -------------------------------------------------------------------------


def test_grid_study_with_break_even_contour_and_heat_map() -> None:
    page = render(grid_study())
    root = check_page(page)
    assert titles(root) == ["Summary", "Points", "Inputs vs outputs", "Break-even"]
    summary = text_of(section(root, "Summary"))
    assert "20 ok, 0 error, 0 pending of 20" in summary
    assert "grid <5x4>" in summary and "&lt;5x4&gt;" in page  # escaped study name
    assert "30, 100, 300, 1,000, 10,000" in summary  # a grid input lists its values
    be = section(root, "Break-even")
    text = text_of(be)
    assert (
        "at spacecraft.it_power_kw = 100 kW, space equals the ground at "
        "economics.launch_usd_per_kg ≈ 400 USD/kg" in text
    )
    assert "at spacecraft.it_power_kw = 6,000 kW: never within the range of" in text
    # contour chart: both inputs span more than two decades, so both axes are logarithmic
    svg = chart(be, "Where ratio_space_to_ground = 1")
    assert svg.get("data-x-scale") == "log" and svg.get("data-y-scale") == "log"
    x0, x1, y0, y1 = plot_area(svg)
    pts = polyline_points(svg)
    assert len(pts) == 15
    assert np.all((pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1))
    # ...and each vertex sits where the tick labels say its value is (log scale on both axes)
    xt, yt = ticks(svg, "x"), ticks(svg, "y")
    per_decade_x = xt["1,000"] - xt["100"]
    per_decade_y = yt["1,000"] - yt["100"]
    yc = np.geomspace(50.0, 2500.0, 15)
    np.testing.assert_allclose(
        pts[:, 0], xt["100"] + np.log10(4 * yc / 100) * per_decade_x, atol=0.05
    )
    np.testing.assert_allclose(pts[:, 1], yt["100"] + np.log10(yc / 100) * per_decade_y, atol=0.05)
    # the points form a full grid: a heat map with one cell per point and the line over it
    hm = chart(be, "ratio_space_to_ground over the grid")
    assert len(groups(hm, "cell")) == 20
    assert len(polyline_points(hm)) == 15
    # no Sobol, tornado or Pareto data: no such sections
    assert not set(ANALYSIS_TITLES[:3]) & set(titles(root))


def test_break_even_without_a_full_grid_or_a_line_says_why() -> None:
    m, table, analysis = grid_study()
    table = table.slice(1)  # one grid point missing: not a full grid
    analysis["breakeven"]["contour"] = []
    root = check_page(render((m, table, analysis)))
    be = text_of(section(root, "Break-even"))
    assert "does not reach 1 within the sampled ranges" in be
    assert "do not form a full grid" in be
    assert not charts(section(root, "Break-even"))  # never an empty chart


def test_lhs_study_with_pareto_front_tornado_and_log_axis() -> None:
    study = lhs_study()
    page = render(study)
    root = check_page(page)
    assert titles(root) == ["Summary", "Points", "Inputs vs outputs", "Tornado", "Pareto front"]
    assert "64 ok, 0 error, 0 pending of 64" in text_of(section(root, "Summary"))
    io = section(root, "Inputs vs outputs")
    # one panel per varied input for each of the three kept metrics, plus parallel coordinates
    assert len(charts(io)) == 3 * 4 + 1
    launch = [s for s in charts(io) if s.get("aria-label") == LAUNCH]
    wacc = [s for s in charts(io) if s.get("aria-label") == WACC]
    assert len(launch) == 3 and all(s.get("data-x-scale") == "log" for s in launch)
    assert all(s.get("data-x-scale") == "linear" for s in wacc)
    x_ticks = ticks(launch[0], "x")
    assert len(x_ticks) >= 3
    decades = np.log10([float(k.replace(",", "")) for k in x_ticks])
    np.testing.assert_allclose(decades, np.round(decades))  # every x tick a power of ten
    positions = np.array(list(x_ticks.values()))
    per_decade = np.diff(positions) / np.diff(decades)  # equal spacing per decade
    np.testing.assert_allclose(per_decade, per_decade[0], atol=0.2)
    vehicle = [s for s in charts(io) if s.get("aria-label") == VEHICLE]
    assert all(s.get("data-x-scale") == "category" for s in vehicle)
    assert {"falcon9", "new-glenn", "starship"} <= {
        "".join(t.itertext()) for t in vehicle[0].iter(f"{SVG}text")
    }
    pc = chart(io, f"All numeric inputs and {TOTAL.rsplit('.', 1)[-1]}")
    assert "colour: cost.space.total_usd" in text_of(pc)
    # Pareto: highlighted front joined by a line; a table of exactly the front points
    front = study[2]["pareto"]["front"]
    par = section(root, "Pareto front")
    svg = chart(par, "Pareto front")
    assert groups(svg, "front")
    table = next(par.iter("table"))
    rows = body_rows(table)
    assert len(rows) == len(front)
    assert sorted(int("".join(r[0].itertext())) for r in rows) == sorted(front)
    # tornado: bars sorted by the size of the swing
    tor = chart(section(root, "Tornado"), "Swing of ratio_space_to_ground per input")
    bars = groups(tor, "bar")
    assert len(bars) == 4
    assert "".join(bars[0].itertext()).strip().startswith(LAUNCH)
    assert "swing of ratio_space_to_ground [–]" in text_of(tor)  # a numeric axis with its unit
    assert "Largest: economics.launch_usd_per_kg" in text_of(section(root, "Tornado"))


def test_sobol_study_bars_and_whiskers() -> None:
    root = check_page(render(sobol_study()))
    assert titles(root) == ["Summary", "Points", "Inputs vs outputs", "Sobol indices"]
    svg = chart(section(root, "Sobol indices"), "Sobol indices of ratio_space_to_ground")
    bars = groups(svg, "bar")
    assert len(bars) == 6  # S1 and ST for three inputs
    whiskers = groups(svg, "whisker")
    assert len(whiskers) == 4  # the wacc indices have no confidence interval
    assert "".join(bars[0].itertext()).strip() == f"{LAUNCH}: S1 first order = 0.81 ± 0.05"
    assert "Sum of S1 = 0.94" in text_of(section(root, "Sobol indices"))


def test_failed_points_counts_escaping_and_why_texts() -> None:
    page = render(failed_study())
    root = check_page(page)
    assert titles(root) == ["Summary", "Points", "Inputs vs outputs"]
    assert "9 ok, 3 error, 3 pending of 15" in text_of(section(root, "Summary"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; solver diverged &amp; stopped" in page
    pts = section(root, "Points")
    rows = body_rows(next(pts.iter("table")))
    assert len(rows) == 12
    failed = ["".join(r[-1].itertext()) for r in rows if "".join(r[-2].itertext()) == "error"]
    assert failed == [ATTACK] * 3
    # a missing value is a dash, its reason a tooltip and a line under the table
    cells = [c for r in rows for c in r if c.get("title") == NEVER]
    assert len(cells) == 2 and all("".join(c.itertext()) == "—" for c in cells)
    assert f"{BREAKEVEN}: {NEVER} (2 points)" in text_of(pts)
    # charts leave out the points without a value and say how many
    io = text_of(section(root, "Inputs vs outputs"))
    assert "9 of 12 points drawn; 3 without a value of cost.ratio_space_to_ground left out" in io
    assert "7 of 12 points drawn; 5 without a value of cost.breakeven_launch_usd_per_kg" in io


def test_points_table_truncates_with_a_note() -> None:
    page = render(lhs_study(250))
    root = check_page(page)
    pts = section(root, "Points")
    assert len(body_rows(next(pts.iter("table")))) == MAX_TABLE_ROWS
    assert "all 250 rows are in points/ — skydc query DIR 'SELECT ...'" in text_of(pts)
    small = check_page(render(lhs_study(64)))
    assert "rows are in points/" not in text_of(section(small, "Points"))


def test_sections_only_when_their_data_exists() -> None:
    m, table, _ = lhs_study()
    empty = {"sobol": {}, "tornado": {}, "pareto": {}, "breakeven": {}}
    root = check_page(render((m, table, empty)))
    assert titles(root) == ["Summary", "Points", "Inputs vs outputs"]
    # a part that exists without usable data: the section says why in one line, no chart
    odd = {"sobol": {RATIO: {}}, "tornado": {RATIO: {LAUNCH: None}}, "pareto": {"front": []}}
    root = check_page(render((m, table, odd)))
    assert titles(root)[3:] == ["Sobol indices", "Tornado", "Pareto front"]
    for name, why in [("Sobol indices", "No Sobol indices for"), ("Tornado", "No tornado swings"),
                      ("Pareto front", "no non-dominated point")]:  # fmt: skip
        sec = section(root, name)
        assert why in text_of(sec) and not charts(sec)
    # no points yet: only the summary, which says so
    root = check_page(render((m, table.slice(0, 0), {})))
    assert titles(root) == ["Summary"]
    assert "0 ok, 0 error, 64 pending of 64" in text_of(section(root, "Summary"))
    assert "No point has run yet" in text_of(section(root, "Summary"))


def test_all_nan_metric_and_missing_column() -> None:
    m, table, _ = failed_study()
    m["keep"] = [*m["keep"], "cost.not_there"]
    table = table.set_column(
        table.column_names.index(RATIO), RATIO, pa.array([None] * table.num_rows, pa.float64())
    )
    root = check_page(render((m, table, {})))
    io = section(root, "Inputs vs outputs")
    assert "No point has a value of cost.ratio_space_to_ground" in text_of(io)
    assert "Not in the points table, not shown: cost.not_there." in text_of(
        section(root, "Summary")
    )


# --- charts on their own ----------------------------------------------------------------------


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not re.search(r"\bnan\b", svg, flags=re.I) and "None" not in svg
    return root


def test_scatter_drops_non_finite_points_and_escapes() -> None:
    x = np.array([1.0, 2.0, np.nan, 4.0, 5.0, np.inf])
    y = np.array([1.0, np.nan, 3.0, 4.0, 5.0, 6.0])
    root = _parse(scatter_chart(x, y, title="a <b> & c", x_label="x & y", y_label="<y>"))
    assert dots(root) == 3
    assert plotted_mask(x, y).sum() == 3
    assert root.get("aria-label") == "a <b> & c"
    root = _parse(scatter_chart([np.nan], [1.0], title="t", x_label="", y_label="y"))
    assert "no data" in text_of(root)


def test_log_axis_rule_and_ticks() -> None:
    assert wide_range([20.0, 20000.0]) and not wide_range([100.0, 10000.0])
    assert not wide_range([-1.0, 1000.0]) and not wide_range([5.0])
    root = _parse(scatter_chart([20.0, 200.0, 20000.0], [1.0, 2.0, 3.0], title="t",
                                x_label="x [m]", y_label="y [m]"))  # fmt: skip
    assert root.get("data-x-scale") == "log"
    xt = ticks(root, "x")
    assert {"100", "1,000", "10,000"} <= set(xt)
    per_decade = np.diff([xt["100"], xt["1,000"], xt["10,000"]])
    np.testing.assert_allclose(per_decade, per_decade[0], atol=0.02)
    root = _parse(scatter_chart([0.5, 5e4, 1e9], [1.0, 2.0, 3.0], title="t", x_label="x [m]",
                                y_label="y [m]"))  # fmt: skip
    assert {"1", "1e6"} <= set(ticks(root, "x"))  # plain decades, exponents from 1e6


def test_fmt_sig_never_writes_nan() -> None:
    cases = [(1234567.89, "1.235e6"), (123456.7, "123,500"), (0.0123456, "0.01235"),
             (2.5e10, "2.5e10"), (1e-5, "1e-5"), (math.nan, "—"), (None, "—"), (7, "7"),
             (0.0, "0"), ("x", "x"), (-3.14159, "-3.142"), (math.inf, "∞")]  # fmt: skip
    for value, text in cases:
        assert fmt_sig(value) == text, value
    assert fit_label("economics.launch_usd_per_kg", 130) == "…launch_usd_per_kg"


def test_strip_parallel_bars_contour_heatmap_parse() -> None:
    cats = ["a", "b", None, "a", "<c>"]
    y = [1.0, 2.0, 3.0, np.nan, 5.0]
    root = _parse(strip_chart(cats, y, title="s", x_label="", y_label="m [m]"))
    assert dots(root) == 4
    assert {"a", "b", "—", "<c>"} <= {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    axes = {"a.x_km": [1.0, 2.0, 3.0, np.nan], "b.y": [10.0, 1e4, 30.0, 40.0], "m": [1, 2, 3, 4]}
    root = _parse(parallel_coordinates(axes, color_by="m", title="pc", log_axes={"b.y"}))
    (lines,) = groups(root, "pc-line")
    assert len(list(lines.iter(f"{SVG}path"))) == 3  # the NaN row is left out
    with pytest.raises(ValueError, match="color_by"):
        parallel_coordinates(axes, color_by="zz", title="pc")
    root = _parse(tornado_chart(
        ["in.a", "in.b"], {"g1": ([0.5, np.nan], [0.1, np.nan]), "g2": ([-0.2, 0.3], None)},
        title="bars", x_label="v [–]",
    ))  # fmt: skip
    assert "no value" in text_of(root)
    root = _parse(contour_chart([[[1, 1], [np.nan, np.nan], [2, 2], [3, 3]]], title="c",
                                x_label="x [m]", y_label="y [m]"))  # fmt: skip
    (line,) = groups(root, "contour")
    assert next(line.iter(f"{SVG}path")).get("d", "").count("M") == 2  # broken at the NaN
    z = np.array([[1.0, 2.0, np.nan], [4.0, 5.0, 6.0]])
    root = _parse(heatmap([1, 2, 3], [10, 20], z, title="h", x_label="x [m]", y_label="y [m]",
                          color_label="z [–]"))  # fmt: skip
    cells = groups(root, "cell")
    grey = [c for c in cells if "fill: #dddddd" in next(c.iter(f"{SVG}path")).get("style", "")]
    assert len(cells) == 6 and len(grey) == 1
