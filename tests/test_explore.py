"""`skydc explore` without a browser: the data the page embeds, thinning, errors, the CLI.

The browser tests (tests/test_explore_browser.py) open the same pages in headless Chromium.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import skydc
from skydc.constants import EARTH_RADIUS_M, SPEED_OF_LIGHT_M_S
from skydc.explore import folder_kind, write_explorer
from skydc.explore.run_data import (
    MAX_DRAWN,
    MAX_FRAMES,
    SAT_FRAME_BUDGET,
    build_run_view,
    frame_steps,
    thinning,
)
from skydc.explore.study_data import build_study_view, front_rows

# A small network run: Starlink's first shell (72 x 22 at 550 km, 53 deg) over 20 minutes.
RUN_OVERRIDES = ["network.samples=2", "duration_s=1200", "seasons.days=5", "seasons.step_days=5"]
STUDY_TOML = """
[study]
name = "explore-tiny"
design = "grid"
stages = ["sizing", "cost"]
keep = ["cost.ratio_space_to_ground", "sizing.total_mass_kg"]

[[study.objectives]]
metric = "cost.ratio_space_to_ground"
sense = "min"

[[study.objectives]]
metric = "sizing.total_mass_kg"
sense = "min"

[study.breakeven]
x = "economics.launch_usd_per_kg"
y = "spacecraft.it_power_kw"
metric = "cost.ratio_space_to_ground"
level = 8.0

[[study.vary]]
path = "economics.launch_usd_per_kg"
low = 10.0
high = 2000.0
steps = 3
scale = "log"

[[study.vary]]
path = "spacecraft.it_power_kw"
low = 25.0
high = 400.0
steps = 2
scale = "log"
"""
twenty_km = 20e3  # J2 mean elements vs the instantaneous radius, plus the ellipsoid [m]
one_microsecond_ms = 1e-3


def make_run_folder(folder: Path) -> Path:
    """The small Starlink network run folder the explorer tests read."""
    skydc.route("starlink-shell1", RUN_OVERRIDES, output_dir=folder)
    return folder


def make_study_folder(folder: Path) -> Path:
    """A six-point grid study (sizing and cost of the three-body plane), one worker."""
    study = folder.parent / "explore-tiny.toml"
    study.write_text(STUDY_TOML)
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "sweep", "three-body-12", str(study), "-o", str(folder),
         "--workers", "1", "--set", "economics.monte_carlo_samples=200",
         "--set", "seasons.days=5"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return folder


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run_folder(tmp_path_factory.mktemp("explore") / "run")


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_study_folder(tmp_path_factory.mktemp("explore") / "study")


def _decode(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def test_thinning_is_every_kth_satellite_and_at_most_the_limit() -> None:
    k, ids = thinning(1_000_000)
    assert k == 10 and ids.size == MAX_DRAWN
    assert np.array_equal(ids, np.arange(0, 1_000_000, 10))
    k, ids = thinning(250_001)
    assert k == 3 and ids.size <= MAX_DRAWN and ids[1] == 3
    assert thinning(1584)[0] == 1 and thinning(1584)[1].size == 1584
    # frames: at most MAX_FRAMES, both ends of the run, and within the satellite-frame budget
    steps = frame_steps(1441, 1584)
    assert steps.size == MAX_FRAMES and steps[0] == 0 and steps[-1] == 1440
    assert frame_steps(1441, MAX_DRAWN).size * MAX_DRAWN <= SAT_FRAME_BUDGET
    assert frame_steps(5, 12).tolist() == [0, 1, 2, 3, 4]


def test_run_view_positions_colours_and_routes(run_dir: Path) -> None:
    view = build_run_view(run_dir)
    assert view.n_sat == 72 * 22 and view.thin_k == 1 and view.notes == []
    assert view.frame_t_s.size == 21  # 20 minutes at 60 s: every time step is a frame
    # Starlink shell 1 flies at 550 km (FCC filing SAT-MOD-20200417-00037)
    altitude_m = np.linalg.norm(view.positions_km.astype(float), axis=2) * 1e3 - EARTH_RADIUS_M
    assert np.all(np.abs(altitude_m - 550e3) < twenty_km)
    # satellites move between frames: at 7.6 km/s, ~456 km in one 60 s step
    step_km = np.linalg.norm(np.diff(view.positions_km, axis=0), axis=2)
    assert np.all((step_km > 400) & (step_km < 500))
    assert np.all((view.sunlit >= 0) & (view.sunlit <= 1)) and 0 < view.sunlit.mean() < 1
    # +Grid: 4 laser links per satellite, each counted once
    assert view.links_total[0] == 72 * 22 * 2
    pairs = pq.read_table(run_dir / "network_pairs.parquet").to_pandas()
    names = view.stations["names"]
    station_xyz_m = np.array(view.stations["xyz_km"]) * 1e3
    for route in view.routes:
        assert len(route.rtt_ms) == view.frame_t_s.size
        a, b = names.index(route.label.split(" - ")[0]), names.index(route.label.split(" - ")[1])
        for f, rtt in enumerate(route.rtt_ms):
            if rtt is None:
                continue
            # no route is quicker than light along the straight chord between the stations
            chord_m = float(np.linalg.norm(station_xyz_m[a] - station_xyz_m[b]))
            assert rtt > 2.0 * chord_m / SPEED_OF_LIGHT_M_S * 1e3
            assert route.hops[f] == len(route.path_km[f]) - 1 >= 2
        # at the network stage's instants (0 s and 1200 s) the RTT is the stage's own
        t0 = pairs[(pairs.src == a) & (pairs.dst == b)].sort_values("time_utc")
        for f, stage_rtt in ((0, t0.rtt_ms.iloc[0]), (-1, t0.rtt_ms.iloc[-1])):
            if np.isfinite(stage_rtt):
                assert route.rtt_ms[f] == pytest.approx(stage_rtt, abs=one_microsecond_ms)
    labels = [r.label for r in view.routes]
    assert labels[:3] == ["Tokyo - Delhi", "Tokyo - Shanghai", "Delhi - Shanghai"]
    assert len(labels) == len(set(labels)) == 6  # plus the pairs among the four largest cities


def test_page_is_self_contained_and_embeds_the_frames(run_dir: Path) -> None:
    page = write_explorer(run_dir)
    assert page == run_dir / "explore.html"
    text = page.read_text()
    assert not re.search(r"<script[^>]+src=", text) and "<link " not in text
    assert "cdn.plot.ly/plotly" not in text
    raw = re.search(r'<script type="application/json" id="skydc-data">(.*?)</script>', text, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    assert data["n_drawn"] == 1584 and len(data["t_s"]) == 21
    pos = _decode(data["positions_km"], "<f4")
    assert pos.size == 21 * 1584 * 3
    assert _decode(data["sunlit_u8"], "u1").size == 21 * 1584
    assert not list(run_dir.glob("*.tmp*"))  # written atomically


def test_study_view_front_and_breakeven(study_dir: Path) -> None:
    view = build_study_view(study_dir)
    analysis = json.loads((study_dir / "analysis.json").read_text())
    assert view.inputs == ["economics.launch_usd_per_kg", "spacecraft.it_power_kw"]
    assert view.outputs == ["cost.ratio_space_to_ground", "sizing.total_mass_kg"]
    assert len(view.index) == 6
    rows = front_rows(view)
    assert sorted(view.index[r] for r in rows) == sorted(analysis["pareto"]["front"])
    assert view.breakeven is not None and view.breakeven["level"] == 8.0
    page = write_explorer(study_dir, study_dir / "other.html")
    assert "parcoords" in page.read_text() and page.name == "other.html"


def test_folder_kind_refuses_other_folders(tmp_path: Path) -> None:
    with pytest.raises(skydc.SkydcError, match="not a run folder"):
        folder_kind(tmp_path)
    with pytest.raises(skydc.SkydcError, match="no such folder"):
        folder_kind(tmp_path / "missing")


@pytest.mark.parametrize("name", ["empty", "missing"])
def test_cli_explore_bad_folder_one_line_exit_2(tmp_path: Path, name: str) -> None:
    (tmp_path / "empty").mkdir()
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "explore", str(tmp_path / name)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert list((tmp_path / "empty").iterdir()) == []


def test_cli_explore_writes_the_page(run_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "explore", str(run_dir), "-o", str(target)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert target.is_file() and str(target) in res.stdout.replace("\n", "")
