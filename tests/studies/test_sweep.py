"""Trade studies end to end: Dask, the results store, resume after a kill, a remote scheduler."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skydc.studies.design import study_from_cli
from skydc.studies.report_files import finish_study
from skydc.studies.store import ResultsStore, query
from skydc.studies.sweep import _chunks, resolve_points, run_study

FAST = {"duration_s": 1800.0, "economics.monte_carlo_samples": 50, "seasons.step_days": 10.0}


def _study(*vary: str, design: str = "grid", stages: tuple[str, ...] = ("cost",)) -> object:
    return study_from_cli(
        list(vary), design=design, stages=list(stages),
        keep=["cost.delivered.ratio_space_to_ground", "cost.ratio_space_to_ground"],
    )  # fmt: skip


def test_points_that_vary_only_economics_share_their_upstream_stages() -> None:
    study = _study("economics.launch_usd_per_kg=100:1000:6", "spacecraft.it_power_kw=50,100")
    from skydc.studies.design import design_points

    points = resolve_points("dawn-dusk-40mw", FAST, design_points(study).inputs, ["cost"], [])
    assert len(points) == 12 and len({p.key for p in points}) == 12
    assert len({p.group for p in points}) == 2  # one per satellite power
    chunks = _chunks(points, workers=2)
    assert all(len({p.group for p in c}) == 1 for c in chunks)
    assert sum(len(c) for c in chunks) == 12


def test_a_sweep_keeps_one_row_per_point_and_resumes_without_recomputing(tmp_path: Path) -> None:
    study = _study("economics.launch_usd_per_kg=100:1000:3:log", "economics.ground_build_yr=1,12")
    first = run_study("dawn-dusk-40mw", study, tmp_path, base_overrides=FAST, workers=2)
    assert (first.points, first.computed, first.skipped) == (6, 6, 0)
    # a ground build of 12 years does not fit a 10-year study: the delivery stage refuses those
    # points, each failure is recorded with its message, and the study goes on
    assert first.failed == 3
    table = ResultsStore(tmp_path).table()
    assert table.num_rows == 6
    rows = table.to_pylist()
    bad = [r for r in rows if r["status"] == "error"]
    assert len(bad) == 3 and all("ground_build_yr" in r["error"] for r in bad)
    ok = [r for r in rows if r["status"] == "ok"]
    assert all(r["cost.delivered.ratio_space_to_ground"] > 0 for r in ok)
    # the launch price moves the ratio the right way
    ratios = sorted((r["economics.launch_usd_per_kg"], r["cost.ratio_space_to_ground"]) for r in ok)
    assert [x[1] for x in ratios] == sorted(x[1] for x in ratios)
    again = run_study("dawn-dusk-40mw", study, tmp_path, base_overrides=FAST, workers=2)
    assert (again.computed, again.skipped) == (0, 6)
    summary = finish_study(tmp_path, study)
    assert summary["points"] == 6 and summary["ok"] == 3
    assert (tmp_path / "report.html").stat().st_size > 1000
    analysis = json.loads((tmp_path / "analysis.json").read_text())
    assert "tornado" in analysis
    got = query(tmp_path, "SELECT count(*) AS n FROM points WHERE status = 'ok'").to_pylist()
    assert got == [{"n": 3}]


def test_a_study_runs_on_a_separately_started_scheduler(tmp_path: Path) -> None:
    """A scheduler and a worker started by hand (``dask scheduler``, ``dask worker``, as
    docs/studies.md tells), and ``skydc sweep --scheduler`` pointed at them."""
    sched_file = tmp_path / "scheduler.json"
    scheduler_cmd = [
        sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
        "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file),
    ]  # fmt: skip
    null = subprocess.DEVNULL
    procs = [subprocess.Popen(scheduler_cmd, stdout=null, stderr=null, start_new_session=True)]
    try:
        deadline = time.monotonic() + 120
        while not sched_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        worker_cmd = [
            sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
            "--nthreads", "1", "--no-dashboard",
        ]  # fmt: skip
        procs.append(
            subprocess.Popen(worker_cmd, stdout=null, stderr=null, start_new_session=True)
        )
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=120)
        sweep_cmd = [
            sys.executable, "-m", "skydc", "sweep", "dawn-dusk-40mw", "--vary",
            "economics.launch_usd_per_kg=200,400", "--scheduler", address, "--json",
            "-o", str(tmp_path / "s"), *[a for k, v in FAST.items() for a in ("--set", f"{k}={v}")],
        ]  # fmt: skip
        res = subprocess.run(sweep_cmd, capture_output=True, text=True, timeout=600, check=False)
        assert res.returncode == 0, res.stderr
        doc = json.loads(res.stdout)
        assert (doc["points"], doc["ok"]) == (2, 2)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=60)


def _sweep_cmd(folder: Path) -> list[str]:
    return [
        sys.executable, "-m", "skydc", "sweep", "dawn-dusk-40mw",
        # points that re-size (an economics-only study is one batch evaluated in this process)
        "--vary", "spacecraft.it_power_kw=40:150:12", "--stages", "cost",
        "--keep", "cost.ratio_space_to_ground", "--workers", "2", "-o", str(folder),
        *[a for k, v in FAST.items() for a in ("--set", f"{k}={v}")],
    ]  # fmt: skip


def test_a_killed_study_continues_where_it_stopped(tmp_path: Path) -> None:
    """SIGKILL to the whole study (client, scheduler and workers) once some points are stored;
    the rerun computes only the rest and the store ends with exactly one row per point."""
    folder = tmp_path / "study"
    proc = subprocess.Popen(
        _sweep_cmd(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    points = folder / "points"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if points.is_dir() and len(list(points.glob("part-*.parquet"))) >= 2:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    before = {p.name for p in points.glob("part-*.parquet")}
    mtimes = {p.name: p.stat().st_mtime_ns for p in points.glob("part-*.parquet")}
    assert 0 < len(before) <= 12
    res = subprocess.run(
        [*_sweep_cmd(folder), "--json"], capture_output=True, text=True, timeout=900,
        check=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    table = ResultsStore(folder).table()
    keys = table.column("key").to_pylist()
    assert table.num_rows == 12 and len(set(keys)) == 12
    assert sorted(table.column("index").to_pylist()) == list(range(12))
    # no point stored before the kill was written again
    for name, mtime in mtimes.items():
        assert (points / name).stat().st_mtime_ns == mtime
    assert json.loads(res.stdout)["points"] == 12


def test_sweep_cli_errors_are_one_line(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "sweep", "dawn-dusk-40mw", "--vary", "economics.nope=1,2",
         "-o", str(tmp_path / "s")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "economics.nope" in res.stderr
    assert not (tmp_path / "s" / "points").exists()


@pytest.mark.parametrize(
    "name", ["breakeven-launch-x-power", "preset-x-altitude", "sobol-cost-ratio"]
)
def test_bundled_studies_load(name: str) -> None:
    from importlib.resources import files

    from skydc.studies.design import design_points, load_study

    path = Path(str(files("skydc") / "examples" / "studies" / f"{name}.toml"))
    study = load_study(path)
    assert len(design_points(study)) > 1


def test_optimize_finds_a_pareto_set_through_the_store(tmp_path: Path) -> None:
    """NSGA-II (pymoo) over two ranges: every evaluated design is a row of the store, and the
    returned set is non-dominated among what was evaluated."""
    import numpy as np

    from skydc.studies.analysis import pareto_front
    from skydc.studies.design import load_study
    from skydc.studies.optimize import optimize_study

    f = tmp_path / "opt.toml"
    f.write_text(
        """
[study]
name = "opt"
design = "lhs"  # ranges without steps: what optimize searches
stages = ["sizing", "cost"]
objectives = [
    {metric = "cost.delivered.space.usd_per_accelerator_hour", sense = "min"},
    {metric = "sizing.total_mass_kg", sense = "min"},
]
[[study.vary]]
path = "spacecraft.it_power_kw"
low = 25.0
high = 400.0
scale = "log"
[[study.vary]]
path = "economics.launch_usd_per_kg"
low = 50.0
high = 2000.0
""",
        encoding="utf-8",
    )
    study = load_study(f)
    res = optimize_study("dawn-dusk-40mw", study, tmp_path / "out", base_overrides=FAST,
                         population=4, generations=2, seed=1, workers=2)  # fmt: skip
    table = ResultsStore(tmp_path / "out").table()
    assert res.evaluations == 8 and table.num_rows == len(set(table.column("key").to_pylist()))
    assert len(res.front_inputs) >= 1
    metrics = [o.metric for o in study.objectives]
    ok = [r for r in table.to_pylist() if r["status"] == "ok"]
    values = np.array([[r[m] for m in metrics] for r in ok])
    front = values[pareto_front(values, ["min", "min"])]
    for point in res.front_objectives:  # each returned design is on the evaluated front
        assert any(np.allclose(point, row, rtol=1e-9) for row in front)


@pytest.mark.parametrize(
    ("name", "samples"),
    [("breakeven-launch-x-power", None), ("preset-x-altitude", None), ("sobol-cost-ratio", 8)],
)
def test_bundled_studies_run_and_report(name: str, samples: int | None, tmp_path: Path) -> None:
    """Each bundled study runs to the end with its analysis (the Sobol one on fewer samples)."""
    from importlib.resources import files

    from skydc.studies.design import design_points, load_study

    study = load_study(Path(str(files("skydc") / "examples" / "studies" / f"{name}.toml")))
    if samples is not None:
        study = study.model_copy(update={"samples": samples})
    run = run_study("dawn-dusk-40mw", study, tmp_path, base_overrides=FAST, workers=2)
    assert run.points == len(design_points(study)) and run.failed == 0
    summary = finish_study(tmp_path, study)
    analysis = summary["analysis"]
    if study.design == "sobol":
        indices = analysis["sobol"]["cost.delivered.ratio_space_to_ground"]
        assert set(indices) == {v.path for v in study.vary}
        # a total index holds the first-order one (within their confidence intervals), and the
        # first-order indices of a model explain at most all of its variance
        for v in indices.values():
            assert v["ST"] + v["ST_conf"] + v["S1_conf"] >= v["S1"]
        assert sum(max(v["S1"], 0.0) for v in indices.values()) <= 1.0 + sum(
            v["S1_conf"] for v in indices.values()
        )
    if study.breakeven is not None:
        assert "breakeven" in analysis
    assert (tmp_path / "report.html").stat().st_size > 2000


def test_a_big_point_runs_on_as_many_workers_as_memory_allows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 10^6-satellite point's estimated peak memory bounds the embedded cluster's workers."""
    from skydc.pipeline import resources
    from skydc.studies.sweep import local_workers

    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(resources, "physical_memory_b", lambda: 24e9)
    import skydc

    small = local_workers("dawn-dusk-40mw", {}, ["cost"])
    big = local_workers("spacex-1m", {}, ["sunlight"])
    assert small >= 60  # a 40 MW point: the cores (and ~0.3 GB a point) bound it
    estimate = resources.estimate(
        skydc.load_scenario("spacex-1m"), {"constellation", "sunlight"}
    ).peak_memory_b
    assert estimate > 1e9
    assert big == max(1, int(0.8 * 24e9 // estimate)) < small
    assert local_workers("spacex-1m", {}, ["sunlight"], requested=1) == 1


def test_a_monte_carlo_over_the_scenarios_uncertainty_table() -> None:
    """Declared distributions are drawn as declared; undeclared ones take the cost stage's
    data-file spans; cost-model inputs that are no scenario field are named, not dropped
    silently."""
    from skydc.studies.design import design_points
    from skydc.studies.sweep import UNCERTAINTY_PATHS, uncertainty_study

    declared = {'economics.uncertainty."space.launch_usd_per_kg"':
                {"kind": "uniform", "params": [100.0, 500.0]}}  # fmt: skip
    study, left = uncertainty_study(
        "dawn-dusk-40mw", {**FAST, **declared}, samples=32, seed=3, stages=["cost"], keep=[]
    )
    assert [v.path for v in study.vary] == ["economics.launch_usd_per_kg"] and left == []
    x = design_points(study).column("economics.launch_usd_per_kg")
    assert x.size == 32 and x.min() >= 100.0 and x.max() <= 500.0
    study, left = uncertainty_study(
        "dawn-dusk-40mw", FAST, samples=8, seed=0, stages=["cost"], keep=[]
    )
    paths = {v.path for v in study.vary}
    assert "economics.launch_usd_per_kg" in paths and paths <= set(UNCERTAINTY_PATHS.values())
    assert "space.bus_price_scale" in left
