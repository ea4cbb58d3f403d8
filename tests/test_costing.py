"""`skydc cost` and the run's cost metrics: the scenario's sizing costed against the ground."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import skydc
from skydc.economics.space import space_tco
from skydc.pipeline.cost import cost_fleet, cost_inputs

FAST = ["seasons.step_days=5", "economics.monte_carlo_samples=500"]


def sized(overrides: list[str]):  # type: ignore[no-untyped-def]
    loaded = skydc.load_scenario("dawn-dusk-40mw", [*FAST, *overrides])
    return loaded, skydc.size(loaded)["sizing"]


def test_cost_metrics_and_breakeven_is_where_costs_meet() -> None:
    m = skydc.cost(
        "dawn-dusk-40mw",
        [
            *FAST,
            "economics.annual_failure_probability=0",
            'spacecraft.preset="starcloud-whitepaper"',
        ],
    ).metrics
    c = m["cost"]
    for key in ("total_usd", "lines_usd", "levelized_usd_per_kwh", "usd_per_accelerator_hour"):
        assert key in c["space"] and key in c["ground"]
    assert c["space"]["total_usd"] == pytest.approx(sum(c["space"]["lines_usd"].values()))
    assert c["ground"]["total_usd"] == pytest.approx(sum(c["ground"]["lines_usd"].values()))
    assert c["ratio_space_to_ground"] == pytest.approx(
        c["space"]["total_usd"] / c["ground"]["total_usd"]
    )
    mc = c["monte_carlo"]
    assert mc["ratio_p10"] <= mc["ratio_p50"] <= mc["ratio_p90"]
    be = c["breakeven_launch_usd_per_kg"]
    loaded, fleet = sized(["economics.annual_failure_probability=0",
                           "spacecraft.preset=\"starcloud-whitepaper\""])  # fmt: skip
    space_in, _ = cost_inputs(loaded, fleet)
    if np.isfinite(be):  # at the break-even price the space total equals the ground total
        import dataclasses

        at_be = space_tco(dataclasses.replace(space_in, launch_usd_per_kg=be)).total_usd
        assert float(at_be) == pytest.approx(c["ground"]["total_usd"], rel=1e-9)
    else:
        assert c["breakeven_note"]


def test_launch_price_comes_from_the_launch_plan() -> None:
    loaded, fleet = sized([])
    space_in, ground_in = cost_inputs(loaded, fleet)
    plan = fleet.launch_plans["dd650"]
    paid = float(np.asarray(space_in.launch_usd_per_kg)) * float(space_in.launch_billable_mass_kg)
    assert paid == pytest.approx(plan.cost_usd)
    assert ground_in.it_power_w == space_in.it_power_w == fleet.it_power_w


def test_monte_carlo_is_seeded() -> None:
    loaded, fleet = sized(["economics.seed=7"])
    a = cost_fleet(loaded, fleet).monte_carlo.ratio
    b = cost_fleet(loaded, fleet).monte_carlo.ratio
    np.testing.assert_array_equal(a, b)


def test_declared_uncertainty_is_used(tmp_path: Path) -> None:
    # a quoted key (the input's name) is easiest in a scenario file
    src = Path(skydc.load_scenario("dawn-dusk-40mw").base_dir) / "dawn-dusk-40mw.toml"
    text = src.read_text() + (
        '\n[economics.uncertainty."space.launch_usd_per_kg"]\n'
        'kind = "uniform"\nparams = [10.0, 20.0]\n'
    )
    path = tmp_path / "u.toml"
    path.write_text(text)
    c = skydc.cost(path, FAST).metrics["cost"]
    assert c["monte_carlo"]["ranges"] == "scenario"


def test_cli_cost(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "cost", "--years", "5", "-o", "c", "--set",
         "seasons.step_days=5", "--set", "economics.monte_carlo_samples=200"],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "Monte Carlo" in res.stdout and "total" in res.stdout
    metrics = json.loads((tmp_path / "c" / "metrics.json").read_text())
    assert metrics["cost"]["years"] == 5
    html = (tmp_path / "c" / "report.html").read_text()
    assert "Tornado" in html and "Cost: space vs ground" in html


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ('economics.region="atlantis"', "allowed: "),
        ("economics.years=0", "economics.years"),
        ("economics.launch_usd_per_kg=-5", "economics.launch_usd_per_kg"),
        ("economics.wacc=-0.1", "economics.wacc"),
    ],
)
def test_cli_cost_bad_input(tmp_path: Path, override: str, fragment: str) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "cost", "--set", override],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=300,
    )  # fmt: skip
    assert res.returncode == 2
    assert fragment in res.stderr
    assert list(tmp_path.iterdir()) == []
