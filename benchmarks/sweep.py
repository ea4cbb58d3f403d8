"""Trade-study benchmark: the same size+cost study as a plain serial loop and as ``skydc sweep``.

Two studies of ``--points`` points on the default scenario (``size`` + ``cost`` stages):

(a) **sizing varies** (``spacecraft.it_power_kw`` over 25-400 kW): no two points share their
    upstream stages, so the gain can only come from running points in parallel;
(b) **only economics varies** (``economics.launch_usd_per_kg`` over 50-2,000 USD/kg): every point
    shares its constellation, seasons, sizing, downlink budget and delivery waterfall, which
    ``skydc sweep`` computes once per task and a plain loop recomputes for every point.

Each is run (1) serially in this process, a plain loop over ``skydc.run`` (the way a user would
script it without the study machinery), and (2) through :func:`skydc.studies.sweep.run_study` on
the embedded Dask cluster into a fresh results store (cluster start-up, grouping and atomic
writes included). Prints points per second of each and their ratio, and the engine's overhead per
point (sweep wall time x workers / points minus the mean serial point time).

    python benchmarks/sweep.py [--points 200] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import skydc
from skydc.studies.design import design_points, study_from_cli
from skydc.studies.sweep import run_study

BASE: dict[str, Any] = {"economics.monte_carlo_samples": 200}


def serial(study: Any) -> tuple[float, int]:
    """A plain loop over the API: each point loaded and run on its own."""
    points = design_points(study).inputs
    t0 = time.perf_counter()
    for p in points:
        skydc.run(skydc.load_scenario("dawn-dusk-40mw", {**BASE, **p}), stages=study.stages)
    return time.perf_counter() - t0, len(points)


def swept(study: Any, workers: int | None) -> tuple[float, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run = run_study("dawn-dusk-40mw", study, Path(tmp) / "s", base_overrides=BASE,
                        workers=workers)  # fmt: skip
        return time.perf_counter() - t0, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--case", choices=("sizing", "economics", "both"), default="both")
    args = parser.parse_args()
    n = args.points
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, skydc {skydc.__version__}")  # fmt: skip
    cases = {
        "sizing": ("sizing varies", f"spacecraft.it_power_kw=25:400:{n}"),
        "economics": ("only economics varies", f"economics.launch_usd_per_kg=50:2000:{n}"),
    }
    chosen = list(cases) if args.case == "both" else [args.case]
    for label, vary in (cases[c] for c in chosen):
        study = study_from_cli([vary], stages=["sizing", "cost"], keep=[
            "cost.delivered.ratio_space_to_ground"], name="bench")  # fmt: skip
        t_serial, count = serial(study)
        t_sweep, run = swept(study, args.workers)
        per_point = t_serial / count
        overhead = t_sweep * run.workers / count - per_point
        print(
            f"{label}: serial {count / t_serial:.2f} points/s, sweep {count / t_sweep:.2f} "
            f"points/s on {run.workers} workers ({run.tasks} tasks, {run.groups} distinct "
            f"upstream inputs): ratio {t_serial / t_sweep:.2f}x; engine overhead "
            f"{overhead:+.3f} s per point-worker"
        )


if __name__ == "__main__":
    main()
