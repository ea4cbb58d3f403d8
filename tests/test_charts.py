"""Tests of the matplotlib charts (skydc.report.charts, .study_plots, .maps), the axis-range
rule, the bundled coastlines and the design-orbit profile (skydc.spacecraft.orbit_profile)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from skydc.report._mpl import tick_labels, value_range
from skydc.report.charts import (
    Panel,
    bar_chart,
    bridge_chart,
    histogram_chart,
    line_chart,
    panel_chart,
    tornado_chart,
    waterfall_chart,
)
from skydc.report.maps import coastlines, globe_view, ground_track_map, split_antimeridian
from skydc.report.study_plots import scatter_chart
from skydc.spacecraft.orbit_profile import OrbitProfile, orbit_profile
from skydc.spacecraft.power import battery_capacity_wh, path_efficiencies, smad_array_power_w

SVG = "{http://www.w3.org/2000/svg}"
T0 = np.datetime64("2025-03-21T00:00:00", "us")
DAY = T0 + (np.arange(1441) * 60_000_000).astype("timedelta64[us]")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def path_points(d: str) -> list[np.ndarray]:
    """The subpaths of SVG path data ("M x y L x y ... M ..."), each an (n, 2) array."""
    out = []
    for part in re.split(r"(?=M)", d.strip()):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", part)]
        if nums:
            out.append(np.array(nums).reshape(-1, 2))
    return out


def axis_labels(root: ET.Element) -> list[str]:
    """The axis titles (classes x-label and y-label)."""
    return [" ".join(texts(g)) for c in ("x-label", "y-label") for g in groups(root, c)]


# --- the SVG itself ---------------------------------------------------------------------------


def test_same_data_gives_byte_identical_svg_inlined_without_prolog() -> None:
    y = np.sin(np.arange(DAY.size) / 60.0)
    a = line_chart(DAY, {"a": y}, title="T <1>", x_label="time", y_label="v [W]")
    b = line_chart(DAY, {"a": y.copy()}, title="T <1>", x_label="time", y_label="v [W]")
    assert a == b
    assert a.startswith("<svg ") and "<?xml" not in a and "DOCTYPE" not in a
    assert "<metadata" not in a and "xlink" not in a and "<style" not in a
    root = parse(a)
    assert root.get("role") == "img" and root.get("aria-label") == "T <1>"
    assert root.find(f"{SVG}title") is not None
    assert "T &lt;1&gt;" in a  # text stays text (svg.fonttype = none), escaped
    # every id is referenced and carries the chart's own prefix (many charts on one page)
    ids = re.findall(r' id="([^"]+)"', a)
    assert ids and len({i.split("-")[0] for i in ids}) == 1
    assert all(f"#{i}" in a for i in ids)
    other = line_chart(DAY, {"a": 2 * y}, title="T <1>", x_label="time", y_label="v [W]")
    assert not set(ids) & set(re.findall(r' id="([^"]+)"', other))


def test_svg_is_the_same_in_another_process_with_another_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np, sys\n"
        "from skydc.report.charts import bar_chart\n"
        "sys.stdout.write(bar_chart(['a', 'b <c>'], np.array([1.0, 2.5]), title='t', "
        "y_label='m [kg]', stacked={'x': np.array([0.5, 1.0])}))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True).stdout  # fmt: skip
    here = bar_chart(["a", "b <c>"], np.array([1.0, 2.5]), title="t", y_label="m [kg]",
                     stacked={"x": np.array([0.5, 1.0])})  # fmt: skip
    assert other == here


def test_units_on_every_quantitative_axis_and_refused_without() -> None:
    charts = [
        line_chart(DAY, {"a": np.ones(DAY.size)}, title="t", x_label="time", y_label="P [W]"),
        line_chart(np.arange(5.0), {"a": np.arange(5.0)}, title="t", x_label="t [h]",
                   y_label="share [%]"),
        histogram_chart(np.arange(100.0), title="h", x_label="ratio [–]"),
        bar_chart(["a", "b"], [1.0, 2.0], title="b", y_label="mass [t]"),
        waterfall_chart(["a", "b"], [2.0e6, 1.0e6], title="w", unit="h"),
        bridge_chart(["a", "b"], [1e9, 2e9], [0.0, 1e9], title="br"),
        tornado_chart(["a"], {"g": ([1.0], None)}, title="to", x_label="swing [USD]"),
    ]  # fmt: skip
    for svg in charts:
        labels = axis_labels(parse(svg))
        assert labels, svg[:200]
        for label in labels:
            assert re.search(r"\[[^\]]+\]", label), label
    with pytest.raises(ValueError, match="needs a unit"):
        line_chart([0.0, 1.0], {"a": [1.0, 2.0]}, title="t", x_label="t [s]", y_label="power")


def test_time_axis_ticks_stay_inside_the_figure() -> None:
    svg = line_chart(DAY, {"a": np.arange(DAY.size, dtype=float)}, title="t", x_label="time",
                     y_label="v [W]")  # fmt: skip
    root = parse(svg)
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    xs = [float(t.get("x", "nan")) for g in groups(root, "xtick") for t in g.iter(f"{SVG}text")]
    assert len(xs) >= 3 and all(0 < x < width for x in xs)  # the last label is not cut
    assert "time [UTC]" in axis_labels(root)


# --- axis ranges: never zoom into float noise -------------------------------------------------


def test_value_range_of_a_constant_series_is_a_band_around_it() -> None:
    noisy = 320.0 + np.array([0.0, 8e-5, -3e-5, 5e-5])  # the radiator chart's 0.00008 deg C
    r = value_range(noisy, resolution=0.01)
    assert r.constant is not None and math.isclose(r.constant, float(noisy.mean()))
    assert r.lo < 310.0 and r.hi > 330.0  # +-5 %, not +-0.0001
    assert r.note("K") == "constant at 320 K"
    varying = value_range([1.0, 2.0])
    assert varying.constant is None and varying.lo < 1.0 < 2.0 < varying.hi
    assert value_range([0.0, 0.0]).lo == -1.0 and value_range([]).hi == 1.0


def test_constant_series_chart_says_constant_and_has_sane_ticks() -> None:
    y = 46.93 + 1e-5 * np.sin(np.arange(DAY.size))
    root = parse(line_chart(DAY, {"r": y}, title="t", x_label="time", y_label="T [°C]",
                            resolution=0.01, unit="°C"))  # fmt: skip
    assert "constant at 46.93 °C" in texts(root)
    y_ticks = [float(s.replace("−", "-").replace(",", "")) for g in groups(root, "ytick")
               for s in texts(g)]  # fmt: skip
    assert np.ptp(y_ticks) >= 1.0  # ticks a degree or more apart, not 1e-5


def test_histogram_ticks_are_few_distinct_and_readable() -> None:
    rng = np.random.default_rng(1)
    ratio = rng.lognormal(0.6, 0.2, 4000)
    root = parse(histogram_chart(ratio, title="MC", x_label="ratio [–]",
                                 markers={"base case": 1.8, "parity": 1.0}))  # fmt: skip
    labels = [s for g in groups(root, "xtick") for s in texts(g)]
    assert 3 <= len(labels) <= 8 and len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"[0-9.,−]+", s) and len(s) <= 5 for s in labels), labels
    assert len(groups(root, "marker-line")) == 2
    assert tick_labels([1.5, 2.0, 2.5]) == ["1.5", "2.0", "2.5"]
    assert tick_labels([0.0, 2e9, 4e9]) == ["0", "2e9", "4e9"]


def test_long_bar_labels_wrap_instead_of_running_together() -> None:
    labels = ["deployment ramp and replacement gaps", "accelerator attrition (no repair)", "b"]
    root = parse(bar_chart(labels, [3.0, 2.0, 1.0], title="b", y_label="h [h]", width=720))
    ticks = [texts(g) for g in groups(root, "xtick")]
    assert len(ticks) == 3 and len(ticks[0]) > 1  # one text element per wrapped line
    assert " ".join(ticks[0]) == labels[0]


# --- maps -------------------------------------------------------------------------------------


def test_antimeridian_split_inserts_edge_points_and_one_break() -> None:
    lat, lon = split_antimeridian([0.0, 1.0, 2.0, 3.0], [170.0, 178.0, -176.0, -170.0])
    assert np.isnan(lon).sum() == 1
    i = int(np.flatnonzero(np.isnan(lon))[0])
    assert lon[i - 1] == 180.0 and lon[i + 1] == -180.0
    assert math.isclose(lat[i - 1], 1.0 + 2.0 / 6.0)  # 2 of the 6 deg to the edge
    lat2, lon2 = split_antimeridian([0.0, 1.0, np.nan, 2.0], [10.0, 20.0, 30.0, 40.0])
    assert not np.isnan(lon2).any() and lat2.size == 3


def test_multi_shell_ground_tracks_are_one_line_per_satellite() -> None:
    """Two shells sampled on different time grids (the old defect: the shared time grid left
    each track with every other point NaN, drawn as ~570 dots)."""
    lat, lon, track, shell = [], [], [], []
    for name, n_t, incl in (("walker", 97, 53.0), ("sso", 61, 97.9)):
        u = np.linspace(0.0, 3.0 * np.pi, n_t)
        for k in range(4):
            la = np.degrees(np.arcsin(np.sin(np.radians(incl)) * np.sin(u)))
            lo = (np.degrees(np.arctan2(np.cos(np.radians(incl)) * np.sin(u), np.cos(u)))
                  + 90.0 * k - 8.0 * u + 180.0) % 360.0 - 180.0  # fmt: skip
            lat += la.tolist()
            lon += lo.tolist()
            track += [f"{name}-{k}"] * n_t
            shell += [name] * n_t
    root = parse(ground_track_map(lat, lon, np.array(track), shell, title="Ground tracks"))
    tracks = groups(root, "track")
    assert len(tracks) == 8  # shells x satellites drawn, not hundreds of dots
    for g, name in zip(tracks, [f"{s}-{k}" for s in ("walker", "sso") for k in range(4)],
                       strict=True):  # fmt: skip
        d = next(p.get("d", "") for p in g.iter(f"{SVG}path"))
        mine = np.array([lo for lo, t in zip(lon, track, strict=True) if t == name])
        crossings = int(np.sum(np.abs(np.diff(mine)) > 180.0))
        assert len(path_points(d)) == crossings + 1  # broken only at the antimeridian
    assert len(groups(root, "land")) == 1
    assert any("Natural Earth" in t for t in texts(root))


def test_bundled_coastlines_are_closed_rings_on_the_globe() -> None:
    rings = coastlines()
    assert len(rings) > 100
    allp = np.concatenate(rings)
    assert allp[:, 0].min() >= -180.0 and allp[:, 0].max() <= 180.0
    assert allp[:, 1].min() >= -90.0 and allp[:, 1].max() <= 90.0
    assert all(np.array_equal(r[0], r[-1]) for r in rings)  # closed outlines
    # mainland Australia spans about 113.2-153.6 E and 10.7-39.1 S (Geoscience Australia)
    (aus,) = [r for r in rings if 120 < r[:, 0].mean() < 145 and -30 < r[:, 1].mean() < -20
              and len(r) > 20]  # fmt: skip
    one_degree = 1.0  # the 1:110m outline is generalised
    assert math.isclose(aus[:, 0].min(), 113.2, abs_tol=one_degree)
    assert math.isclose(aus[:, 0].max(), 153.6, abs_tol=one_degree)
    assert math.isclose(aus[:, 1].max(), -10.7, abs_tol=one_degree)
    assert math.isclose(aus[:, 1].min(), -39.1, abs_tol=one_degree)


def test_globe_hides_points_behind_the_earth() -> None:
    r = 6.9e6
    front, back = [r, 0.0, 0.0], [-r, 0.0, 0.0]
    x, y, z = np.array([front, back]).T
    root = parse(globe_view(x, y, z, [1.0, 0.0], title="g", view_lat_deg=0.0, view_lon_deg=0.0))
    pts = groups(root, "points")
    assert len(pts) == 1
    assert len(list(pts[0].iter(f"{SVG}use"))) + len(list(pts[0].iter(f"{SVG}path"))) >= 1


def test_scatter_drops_non_finite_points() -> None:
    x = np.array([1.0, 2.0, np.nan, 4.0, 5.0, np.inf])
    y = np.array([1.0, np.nan, 3.0, 4.0, 5.0, 6.0])
    root = parse(scatter_chart(x, y, title="a <b>", x_label="x [m]", y_label="y [m]"))
    (pts,) = groups(root, "points")
    assert len(list(pts.iter(f"{SVG}use"))) == 3
    assert root.get("data-x-scale") == "linear"


# --- the design orbit: energy balance (SMAD 3rd ed., sec. 11.4) -------------------------------

one_percent = 0.01


def _sized(eclipse_s: float = 2100.0, period_s: float = 5760.0) -> dict[str, float]:
    """A battery and array sized by SMAD eqs. 11-5 and 11-9 for a 10 kW load."""
    xe, xd = path_efficiencies("direct-energy-transfer")
    load, n, dod = 10_000.0, 0.9, 0.4
    return {
        "load": load, "n": n, "dod": dod, "xe": xe, "xd": xd, "te": eclipse_s, "t": period_s,
        "p": float(smad_array_power_w(load, eclipse_s, load, period_s - eclipse_s, xe, xd)),
        "c": float(battery_capacity_wh(load, eclipse_s, dod, n)),
    }  # fmt: skip


def _profile(s: dict[str, float], **kw: float) -> OrbitProfile:
    return orbit_profile(
        period_s=s["t"], eclipse_s=s["te"], array_power_w=s["p"], load_w=s["load"],
        battery_capacity_wh=s["c"], discharge_efficiency=s["n"], path_efficiencies=(s["xe"],
        s["xd"]), radiator_equilibrium_k=(300.0, 310.0), radiating_area_m2=20.0,
        emissivity=0.9, heat_capacity_j_k=kw.get("heat_capacity", 2.7e4),
    )  # fmt: skip


def test_orbit_profile_energy_balance_against_smad_sizing() -> None:
    s = _sized()
    prof = _profile(s)
    # battery energy drawn in eclipse = load x eclipse time / discharge efficiency
    expected_wh = s["load"] * s["te"] / 3600.0 / s["n"]
    assert math.isclose(prof.eclipse_energy_wh, expected_wh, rel_tol=one_percent)
    drawn = (1.0 - prof.battery_soc.min()) * s["c"]
    assert math.isclose(drawn, expected_wh, rel_tol=one_percent)
    # the battery was sized to reach exactly 1 - DoD at eclipse exit
    assert math.isclose(prof.battery_soc.min(), 1.0 - s["dod"], abs_tol=one_percent * s["dod"])
    # an array sized by SMAD eq. 11-5 (no margin) refills it exactly by the end of the orbit
    assert math.isclose(prof.battery_soc[-1], prof.battery_soc[0], abs_tol=one_percent)
    assert prof.battery_soc[0] == 1.0
    assert np.all(prof.array_power_w[~prof.sunlit] == 0.0)
    assert np.all(prof.array_power_w[prof.sunlit] == s["p"])


def test_orbit_profile_radiator_periodic_between_its_equilibria() -> None:
    prof = _profile(_sized())
    temp = prof.radiator_temperature_k
    assert math.isclose(temp[0], temp[-1], abs_tol=1e-3)  # periodic steady state
    assert 300.0 - 1e-6 <= temp.min() and temp.max() <= 310.0 + 1e-6
    assert temp[~prof.sunlit].mean() < temp[prof.sunlit].mean()  # cools in eclipse
    # time constant C / (4 n eps sigma A T^3) ~ 30 s here: close to the eclipse equilibrium at
    # eclipse exit; a plate 1000x heavier hardly moves
    assert temp[prof.sunlit][0] < 301.0
    slow = _profile(_sized(), heat_capacity=2.7e7).radiator_temperature_k
    assert np.ptp(slow) < 1.0


def test_orbit_profile_without_eclipse_is_flat_and_chart_says_constant() -> None:
    s = _sized(eclipse_s=0.0)
    prof = _profile(s)
    assert prof.sunlit.all() and np.all(prof.battery_soc == 1.0)
    assert np.ptp(prof.radiator_temperature_k) == 0.0
    svg = panel_chart(
        prof.t_s / 60.0,
        [Panel("battery state of charge [%]", {"soc": 100 * prof.battery_soc}),
         Panel("radiator temperature [K]", {"r": prof.radiator_temperature_k}, unit="K",
               resolution=0.01)],
        title="orbit", x_label="time since eclipse entry [min]", shade=~prof.sunlit,
    )  # fmt: skip
    assert "constant at 310 K" in texts(parse(svg))
    assert "constant at 100" in " ".join(texts(parse(svg)))
    with pytest.raises(ValueError, match="eclipse_s"):
        _profile({**_sized(), "te": 6000.0})


def test_design_orbit_table_of_the_sized_default_fleet() -> None:
    """The sizing stage's table for the default example: the battery reaches exactly the depth
    of discharge it was sized for in the longest eclipse (SMAD eq. 11-9)."""
    import skydc
    from skydc.pipeline.sizing import SizingOutput

    result = skydc.run(None, stages=["sizing"])
    sizing = result["sizing"]
    assert isinstance(sizing, SizingOutput)
    table = sizing.tables()["design_orbit"].to_pydict()
    shell = np.asarray(table["shell"])
    for name, sat in sizing.satellites.items():
        m = shell == name
        soc = np.asarray(table["battery_soc"])[m]
        dod = float(sat.power.battery_depth_of_discharge)
        orbit = sizing.orbits[name]
        assert math.isclose(soc.min(), 1.0 - dod, abs_tol=one_percent * dod)
        n = sizing.technology.power.battery.discharge_efficiency
        drawn_wh = (1.0 - soc.min()) * sat.battery_capacity_wh
        expected_wh = sat.load_w * orbit.design_eclipse_s / 3600.0 / n
        assert math.isclose(drawn_wh, expected_wh, rel_tol=one_percent)
        t = np.asarray(table["t_s"])[m]
        assert math.isclose(t[-1], orbit.period_s) and soc[0] == 1.0
        temp = np.asarray(table["radiator_temperature_k"])[m]
        assert math.isclose(temp[0], temp[-1], abs_tol=1e-3)


# --- the drawing path: one draw, shared text metrics, same layout as stock matplotlib ----------


def _text_positions(svg: str) -> list[tuple[str, float, float]]:
    """(text, x, y) of every <text> element: its x and y, or its translate(x y)."""
    root = ET.fromstring(svg[svg.index("<svg") :])
    out = []
    for t in root.iter(f"{SVG}text"):
        moved = re.search(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", t.get("transform", ""))
        x, y = moved.groups() if moved else (t.get("x"), t.get("y"))
        out.append(("".join(t.itertext()), float(x or "nan"), float(y or "nan")))
    return sorted(out)


def test_layout_and_text_match_stock_matplotlib_savefig() -> None:
    """The report canvas (one draw, text metrics cached for the process, 2-decimal paths) puts
    every text where matplotlib's own FigureCanvasSVG.savefig puts it: the independent
    reference is matplotlib's unmodified SVG backend."""
    from io import StringIO

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from skydc.report._mpl import new_figure, style, to_svg

    def draw(stock: bool) -> str:
        with style():
            fig, axes = new_figure(520, 380, nrows=2, ncols=1, sharex=True)
            if stock:
                FigureCanvasSVG(fig)
            t = np.linspace(0.0, 5400.0, 200)
            axes[0].plot(t, 1e6 * np.sin(t / 900.0), label="power")
            axes[0].plot(t, 2e5 * np.cos(t / 900.0), label="load", ls="--")
            axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
            axes[0].set_ylabel("power [W]")
            axes[1].bar([1000.0, 3000.0], [3.5, -1.25], width=600.0)
            axes[1].annotate("peak 3.5", (1000.0, 3.5), xytext=(0, 3), textcoords="offset points")
            axes[1].set_ylabel("ratio [–]")
            axes[1].set_xlabel("time since epoch [s]")
            fig.suptitle("Two panels\nwith a two-line title")
            if not stock:
                return to_svg(fig, "t")
            buf = StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None})
            return buf.getvalue()

    ours, stock = _text_positions(draw(False)), _text_positions(draw(True))
    assert [t for t, _, _ in ours] == [t for t, _, _ in stock] and len(ours) > 10
    hundredth_px = 0.011  # the report writes coordinates to 0.01 user units
    for (text, x, y), (_, xs, ys) in zip(ours, stock, strict=True):
        assert abs(x - xs) < hundredth_px and abs(y - ys) < hundredth_px, text
    again = draw(False)  # the metric cache is warm now: same bytes as the first draw
    assert again == draw(False)


def test_rasterized_artists_are_still_drawn_as_vectors() -> None:
    from skydc.report._mpl import new_figure, style, to_svg

    with style():
        fig, ax = new_figure(300, 200)
        ax.plot([0.0, 1.0, 2.0], [0.0, 1.0, 0.5], rasterized=True, gid="skydc-line")
        ax.set_ylabel("v [W]")
        svg = to_svg(fig, "r")
    root = parse(svg)
    assert not list(root.iter(f"{SVG}image")) and "data:image/png" not in svg
    (line,) = groups(root, "line")
    (d,) = [p.get("d", "") for p in line.iter(f"{SVG}path")]
    assert len(path_points(d)[0]) == 3  # the polyline itself, as a vector path


def test_globe_draws_the_visible_coastlines_as_one_line() -> None:
    r = 7.0e6
    svg = globe_view([r, -r], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0], title="g",
                     view_lat_deg=0.0, view_lon_deg=0.0)  # fmt: skip
    root = parse(svg)
    grey = [p for p in root.iter(f"{SVG}path") if "stroke: #8b98a6" in (p.get("style") or "")]
    assert len(grey) == 1  # one artist for all land outlines
    pieces = path_points(grey[0].get("d", ""))
    # each ring seen from above 0°N 0°E is a separate piece (broken at the far side): Africa,
    # Europe and the Americas' Atlantic coasts at least, never one line across the sea
    assert len(pieces) >= 10
    centre = np.array([float(v) for v in root.get("viewBox", "").split()[2:]]) / 2.0
    radius_px = max(float(np.max(np.hypot(*(p - centre).T))) for p in pieces)
    assert radius_px < float(centre[0])  # every visible coastline lies on the Earth's disc
