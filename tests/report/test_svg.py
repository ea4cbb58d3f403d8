"""Tests of the hand-written SVG charts: well-formed XML, escaping, gaps, ticks, downsampling."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.constants import EARTH_RADIUS_M
from skydc.report.svg import (
    bar_chart,
    downsample_minmax,
    globe_view,
    ground_track_map,
    line_chart,
    nice_ticks,
    sunlit_color,
    time_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
one_part_in_1e9 = 1e-9  # relative float slack when comparing tick positions
seconds_per_day = 86400.0


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def paths(root: ET.Element) -> list[str]:
    return [p.get("d", "") for p in root.iter(f"{SVG}path")]


def subpaths(d: str) -> int:
    return d.count("M")


# --- nice_ticks -------------------------------------------------------------------------------

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(lo=finite, hi=finite, max_ticks=st.integers(3, 12))
def test_nice_ticks_cover_the_range_with_1_2_5_steps(lo: float, hi: float, max_ticks: int) -> None:
    t = nice_ticks(lo, hi, max_ticks)
    assert 2 <= t.size <= max_ticks
    assert t[0] <= min(lo, hi) and t[-1] >= max(lo, hi)
    step = np.diff(t)
    assert np.allclose(step, step[0], rtol=1e-6, atol=0)
    mantissa = step[0] / 10.0 ** math.floor(math.log10(step[0]))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1.0, 2.0, 5.0, 10.0))


def test_nice_ticks_examples() -> None:
    np.testing.assert_allclose(nice_ticks(0.0, 1.0), [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(nice_ticks(-3.2, 17.1), [-5, 0, 5, 10, 15, 20])
    assert nice_ticks(5.0, 5.0).size >= 2  # degenerate range is widened
    assert nice_ticks(0.0, 0.0).size >= 2


@pytest.mark.parametrize("bad", [(math.nan, 1.0), (0.0, math.inf)])
def test_nice_ticks_rejects_non_finite_range(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(*bad)


# --- time_ticks -------------------------------------------------------------------------------

t_2025 = float(np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64))


@settings(max_examples=200, deadline=None)
@given(
    start=st.floats(min_value=0.0, max_value=5 * 365 * seconds_per_day),
    span=st.floats(min_value=10.0, max_value=30 * 365 * seconds_per_day),
)
def test_time_ticks_inside_range_on_round_utc_times(start: float, span: float) -> None:
    t0, t1 = t_2025 + start, t_2025 + start + span
    ticks, labels = time_ticks(t0, t1, 7)
    assert 2 <= ticks.size <= 7 and len(labels) == ticks.size
    assert ticks[0] >= t0 and ticks[-1] <= t1
    assert np.all(np.diff(ticks) > 0)
    dt = ticks.astype("datetime64[s]")
    month_start = dt.astype("datetime64[M]").astype("datetime64[s]") == dt
    on_step = np.isclose(ticks % np.diff(ticks).min(), 0.0) if ticks.size > 1 else True
    assert np.all(month_start) or np.all(on_step)


def test_time_ticks_labels_name_the_date_once_per_day() -> None:
    _, labels = time_ticks(t_2025, t_2025 + 1.5 * seconds_per_day, 7)
    assert labels[0] == "00:00\n2025-01-01"
    assert sum("\n" in s for s in labels) == 2  # first tick and the next midnight
    _, year_labels = time_ticks(t_2025, t_2025 + 365 * seconds_per_day, 7)
    assert year_labels[0].startswith("Jan\n2025")


# --- downsample_minmax --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    y=st.lists(
        st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(math.nan)),
        min_size=1,
        max_size=3000,
    ),
    max_points=st.integers(5, 500),
)
def test_downsample_keeps_min_max_ends_and_gaps(y: list[float], max_points: int) -> None:
    arr = np.array(y)
    idx = downsample_minmax(arr, max_points)
    assert idx.size <= max_points
    assert np.all(np.diff(idx) > 0)
    assert idx[0] == 0 and idx[-1] == arr.size - 1
    if np.isfinite(arr).any():
        assert np.nanmin(arr[idx]) == np.nanmin(arr)
        assert np.nanmax(arr[idx]) == np.nanmax(arr)
    assert np.isnan(arr[idx]).any() == np.isnan(arr).any()


# --- line_chart ---------------------------------------------------------------------------------


def test_line_chart_nan_gap_breaks_the_line_without_nan_in_path_data() -> None:
    x = np.arange(100.0)
    y = np.sin(x / 10)
    y[40:45] = np.nan
    root = parse(line_chart(x, {"a": y}, title="t", x_label="x", y_label="y"))
    (d,) = [d for d in paths(root) if "L" in d]
    assert "nan" not in d.lower()
    assert subpaths(d) == 2


def test_line_chart_escapes_text_and_is_well_formed() -> None:
    svg = line_chart([0, 1, 2], {"<b>&": [1, 2, 3]}, title="T <i>", x_label="x & y", y_label="'y'")
    parse(svg)
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "T &lt;i&gt;" in svg


def test_line_chart_time_axis_from_datetime64_labels_utc() -> None:
    t = np.datetime64("2025-03-21T00:00", "s") + np.arange(0, 86400, 600).astype("timedelta64[s]")
    svg = line_chart(t, {"s": np.linspace(0, 1, t.size)}, title="t", x_label="time", y_label="y")
    texts = ["".join(e.itertext()) for e in parse(svg).iter(f"{SVG}text")]
    assert "time (UTC)" in texts
    assert any(s.startswith("00:00") and "2025-03-21" in s for s in texts)


def test_line_chart_long_series_is_downsampled() -> None:
    x = np.arange(200_000.0)
    y = np.sin(x / 500.0)
    y[123_456] = 7.0  # a spike that must survive
    root = parse(line_chart(x, {"s": y}, title="t", x_label="x", y_label="y"))
    (d,) = [d for d in paths(root) if "L" in d]
    n_points = len(re.findall(r"[ML]", d))
    assert n_points <= 2000
    ys = [float(v) for v in re.findall(r"[ML][-\d.]+,([-\d.]+)", d)]
    top, second = sorted(ys)[:2]
    assert second - top > 50.0  # the spike (7) stands far above the sine's peaks (1) [px]


def test_line_chart_y_range_and_empty_series() -> None:
    parse(
        line_chart([0, 1], {"a": [0.2, 0.4]}, title="t", x_label="x", y_label="y", y_range=(0, 1))
    )
    svg = line_chart([], {}, title="t", x_label="x", y_label="y")
    assert "no data" in svg
    parse(svg)
    parse(line_chart([0, 1], {"a": [np.nan, np.nan]}, title="t", x_label="x", y_label="y"))


def test_line_chart_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="series 'a'"):
        line_chart([0, 1, 2], {"a": [1, 2]}, title="t", x_label="x", y_label="y")


# --- bar_chart ----------------------------------------------------------------------------------


def test_bar_chart_stacked_shows_remainder_as_other() -> None:
    svg = bar_chart(
        ["launch", "<ops>"],
        [10.0, 5.0],
        title="Cost",
        y_label="USD",
        stacked={"hardware": [4.0, 2.0], "fuel": [3.0, 3.0]},
    )
    root = parse(svg)
    texts = {"".join(e.itertext()) for e in root.iter(f"{SVG}text")}
    assert {"hardware", "fuel", "other", "&lt;ops&gt;"} & texts == {"hardware", "fuel", "other"}
    assert "<ops>" in texts  # the parser unescapes: the source was escaped
    with pytest.raises(ValueError, match="non-negative"):
        bar_chart(["a"], [1.0], title="t", y_label="y", stacked={"x": [-1.0]})
    parse(bar_chart([], [], title="empty", y_label="y"))


# --- ground_track_map ---------------------------------------------------------------------------


def test_ground_track_splits_lines_at_the_antimeridian() -> None:
    lon = np.array([[150.0, 170.0, -170.0, -150.0]])
    lat = np.array([[0.0, 5.0, 10.0, 15.0]])
    root = parse(ground_track_map(lat, lon, ["shell <1>"], title="tracks"))
    (d,) = [d for d in paths(root) if "L" in d]
    assert subpaths(d) == 2
    xs = [float(v) for v in re.findall(r"[ML]([-\d.]+),", d)]
    assert max(abs(np.diff(xs[:2]))) < 100 and max(abs(np.diff(xs[2:]))) < 100
    text = "".join(root.itertext())
    assert "No coastlines" in text and "shell <1>" in text


def test_ground_track_points_mode_and_group_count_check() -> None:
    parse(ground_track_map([0.0, 10.0], [0.0, 20.0], ["a", "b"], title="points"))
    with pytest.raises(ValueError, match="groups"):
        ground_track_map([0.0, 10.0], [0.0, 20.0], ["a"], title="points")


# --- globe_view ---------------------------------------------------------------------------------


def _dot_count(root: ET.Element, opacity: str) -> int:
    """Dots drawn in the halo path of the given layer (one 'M' per dot)."""
    halos = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == "#222222"]
    return sum(subpaths(p.get("d", "")) for p in halos if p.get("opacity") == opacity)


def test_globe_hides_points_behind_the_earth() -> None:
    r = EARTH_RADIUS_M + 550e3
    # seen from (0 N, 0 E): +x faces the viewer
    x = np.array([r, -r, -r * 0.3])
    y = np.array([0.0, 0.0, 0.0])
    z = np.array([0.0, 0.0, 2.0 * r])  # third: behind the Earth's plane but above the disc
    root = parse(globe_view(x, y, z, [1.0, 0.0, 0.5], title="g", view_lat_deg=0, view_lon_deg=0))
    assert _dot_count(root, "1") == 1  # in front
    assert _dot_count(root, "0.45") == 1  # behind, outside the disc: faint
    # the one straight behind the Earth is not drawn at all


def test_globe_subsamples_deterministically() -> None:
    rng = np.random.default_rng(7)
    p = rng.normal(size=(3, 20_000))
    p *= (EARTH_RADIUS_M + 550e3) / np.linalg.norm(p, axis=0)
    values = rng.uniform(size=20_000)
    a = globe_view(*p, values, title="g")
    assert a == globe_view(*p, values, title="g")
    root = parse(a)
    assert _dot_count(root, "1") + _dot_count(root, "0.45") <= 5000
    assert "5,000 of 20,000 satellites" in "".join(root.itertext())


def test_sunlit_colors_run_from_dark_blue_to_yellow() -> None:
    c = sunlit_color([0.0, 1.0, np.nan, 2.0])
    assert list(c) == ["#00224e", "#fee838", "#999999", "#fee838"]


def test_globe_with_every_point_hidden_or_none() -> None:
    """A single satellite behind the Earth, and no satellite at all, both render."""
    import xml.etree.ElementTree as ET

    from skydc.report.svg import globe_view, sunlit_color

    assert sunlit_color([]).shape == (0,)
    behind = globe_view([-7.0e6], [0.0], [0.0], [1.0], title="one", view_lat_deg=0.0)
    ET.fromstring(behind)
    empty = globe_view([], [], [], [], title="none")
    ET.fromstring(empty)
