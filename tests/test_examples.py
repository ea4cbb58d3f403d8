"""Every bundled example scenario runs (a short window), and the million-satellite one at scale."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import skydc
from skydc.scenario.load import list_examples
from skydc.schema import NO_VALUE, flatten, undeclared

SMALL = [name for name in list_examples() if name != "spacex-1m"]


@pytest.mark.parametrize("name", SMALL)
def test_example_runs_short_window(name: str, tmp_path: Path) -> None:
    result = skydc.run(
        skydc.load_scenario(name, ["duration_s=1200", "seasons.days=60"]),
        output_dir=tmp_path / name,
    )
    m = result.metrics
    assert m["constellation"]["satellites"] > 0
    assert 0.0 <= m["sunlight"]["satellite_sunlit_fraction_min"] <= 1.0
    assert (tmp_path / name / "report.html").stat().st_size > 1000
    assert result.tables["sunlight"].num_rows == m["constellation"]["shells"] * 21
    # every metric is declared in the schema, and none is written without a value or a reason
    assert undeclared(m) == []
    written = json.loads((tmp_path / name / "metrics.json").read_text())
    values = flatten({k: v for k, v in written.items() if k != "units"})
    assert [k for k, v in values.items() if v is None or v == NO_VALUE] == []
    # the headline: USD per delivered accelerator-hour, space and ground, the binding losses
    delivered = m["cost"]["delivered"]
    for side in ("space", "ground"):
        assert delivered[side]["usd_per_accelerator_hour"] > 0
        assert delivered[side]["binding_loss"] in {
            s["step"] for s in result.tables["delivery_waterfall"].to_pylist()
        } | {"none"}


@pytest.mark.parametrize("name", list_examples())
def test_cost_prints_delivered_cost_for_every_example(name: str) -> None:
    """``skydc cost`` on each bundled example (spacex-1m included: network off, so the
    downlink bound is said to be not computed)."""
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "cost", name, "--no-output",
         "--set", "duration_s=1200", "--set", "economics.monte_carlo_samples=200"],
        capture_output=True, text=True, check=False, timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "USD per delivered accelerator-hour" in res.stdout
    assert "largest loss" in res.stdout
    assert "Monte Carlo P50" in res.stdout


@pytest.mark.slow
def test_spacex_1m_one_hour_at_60s_under_4_gb(tmp_path: Path) -> None:
    """Issue #2 scale requirement: 1,000,000 satellites, one hour at 60 s, peak memory < 4 GB."""
    four_gb = 4 * 1024**3
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "run", "spacex-1m", "-o", str(tmp_path / "r"), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert res.returncode == 0, res.stderr
    peak_bytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KiB
    assert before * 1024 < four_gb
    assert peak_bytes < four_gb, f"peak RSS {peak_bytes / 1e9:.2f} GB"
    metrics = json.loads(res.stdout)
    assert metrics["constellation"]["satellites"] == 1_000_000
    assert metrics["scenario"]["time_steps"] == 61
    assert undeclared({k: v for k, v in metrics.items() if k not in ("units", "run_dir")}) == []
