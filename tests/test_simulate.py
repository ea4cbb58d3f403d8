"""`skydc simulate` and the operations stage of a run, on the sized constellation."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import skydc

SHORT = ["duration_s=7200", "seasons.step_days=5"]
EIGHT_HOURS = ["duration_s=28800", "seasons.step_days=5"]  # the default training job finishes


def test_simulate_default_reports_goodput_jobs_latency_and_both_architectures() -> None:
    ops = skydc.simulate("dawn-dusk-40mw", EIGHT_HOURS).metrics["operations"]
    assert 0.0 < ops["goodput"] <= 1.0
    assert 0.0 <= ops["availability"] <= 1.0
    assert ops["work_balanced"] is True
    assert ops["work_issued_flops"] == pytest.approx(
        ops["work_useful_flops"] + ops["work_lost_flops"] + ops["work_pending_flops"]
    )
    assert ops["nodes"] == 400 and ops["node_granularity"] == "satellite"
    ground = ops["training.llm-8b.ground_completion_s"]
    assert math.isfinite(ground) and ground > 0
    space = ops["training.llm-8b.completion_s"]
    assert math.isfinite(space)
    assert space >= ground  # eclipses and 100 Gbit/s laser links never make it faster
    assert ops["inference.chat-70b.latency_p50_s"] > 0
    assert ops["inference.chat-70b.energy_per_token_j"] > 0
    assert "goodput" in ops["centralized"]


def test_simulation_is_seeded() -> None:
    def run() -> str:
        ops = skydc.simulate("dawn-dusk-40mw", [*SHORT, "operations.seed=3"]).metrics
        ops = ops["operations"]
        for side in (ops, ops["centralized"]):
            side.pop("events_per_s")  # wall-clock rate, the one thing that may differ
        return json.dumps(ops, sort_keys=True, default=str)

    assert run() == run()


def test_workload_too_large_is_reported_infeasible() -> None:
    ops = skydc.simulate(
        "dawn-dusk-40mw", [*SHORT, "operations.training[0].data_parallel=100000"]
    ).metrics["operations"]
    assert "llm-8b" in " ".join(ops["infeasible"])


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ('operations.policy="random"', "operations.policy"),
        ("operations.training[0].colour=1", "operations.training[0].colour"),
        ("operations.inference[0].arrival_rate_per_s=-1", "operations.inference[0]"),
    ],
)
def test_bad_operations_input(override: str, field: str) -> None:
    with pytest.raises(skydc.ScenarioError) as info:
        skydc.simulate("dawn-dusk-40mw", [*SHORT, override])
    assert info.value.field == field


def test_cli_simulate(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "simulate", "-o", "s",
         *[a for o in SHORT for a in ("--set", o)]],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "goodput" in res.stdout and "centralized" in res.stdout
    metrics = json.loads((tmp_path / "s" / "metrics.json").read_text())
    assert metrics["operations"]["goodput"] > 0
    assert "Operations: AI workloads" in (tmp_path / "s" / "report.html").read_text()
