"""The runner: selections resolve by requirement, each stage runs once, a shared cache reuses
what did not change, results keep their types, and run folders are replaced atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import skydc
from skydc.io.atomic import to_json
from skydc.pipeline.registry import resolve
from skydc.pipeline.runner import StageCache, verb_stages
from skydc.pipeline.sizing import SizingOutput
from skydc.spacecraft.budget import SatelliteSizing

FAST = {"seasons.step_days": 10.0, "economics.monte_carlo_samples": 200, "duration_s": 1200.0}


def test_a_selection_runs_what_it_requires_in_order() -> None:
    assert [s.name for s in resolve(["cost"])] == [
        "constellation", "seasons", "sizing", "delivery", "cost"
    ]
    assert [s.name for s in resolve(["power"])] == [
        "constellation", "seasons", "sizing", "sunlight", "power",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown stage 'sizeing'; stages: constellation"):
        resolve(["sizeing"])


def test_verbs_are_selections() -> None:
    scenario = skydc.load_scenario("three-body-12").scenario
    assert verb_stages("size", scenario) == ("sizing",)
    # the downlink budget bounds what the fleet delivers, so cost takes it (network enabled)
    assert verb_stages("cost", scenario) == ("sizing", "downlink", "delivery", "cost")
    assert "operations" not in verb_stages("run", scenario)  # three-body-12 declares no workload
    assert verb_stages("network", scenario, ["czml"]) == ("network", "downlink", "exports")
    no_net = skydc.load_scenario("three-body-12", ["network.enabled=false"]).scenario
    assert verb_stages("cost", no_net) == ("sizing", "delivery", "cost")


def test_result_keeps_typed_outputs_and_views_of_the_selection() -> None:
    result = skydc.size("dawn-dusk-40mw", FAST)
    sizing = result["sizing"]
    assert isinstance(sizing, SizingOutput)
    sat = sizing.satellites["dd650"]
    assert isinstance(sat, SatelliteSizing)
    assert result.metrics["sizing"]["per_satellite"]["dd650"]["radiator_area_m2"] == (
        pytest.approx(sat.radiator_area_m2)
    )
    # dependencies ran and are reachable, but only the selection makes the metrics
    assert {"constellation", "seasons", "sizing"} <= set(result)
    assert "constellation" not in result.metrics and "eclipse_seasons" not in result.metrics
    assert result.metrics["schema_version"] == 2
    assert result.metrics["run"]["stages"] == ["constellation", "seasons", "sizing"]
    assert "dawn-dusk-40mw" in repr(result) and len(repr(result)) < 300


def test_a_shared_cache_reuses_unchanged_stages_and_changes_nothing() -> None:
    cache = StageCache()
    first = skydc.cost("dawn-dusk-40mw", FAST, cache=cache)
    # constellation, seasons, sizing, downlink, delivery, cost
    assert cache.hits == 0 and cache.misses == 6
    cheaper = {**FAST, "economics.launch_usd_per_kg": 100.0}
    second = skydc.cost("dawn-dusk-40mw", cheaper, cache=cache)
    # everything up to the delivery waterfall is reused; only cost reruns
    assert cache.hits == 5 and cache.misses == 7
    assert second["sizing"] is first["sizing"]
    fresh = skydc.cost("dawn-dusk-40mw", cheaper)
    assert to_json(second.metrics["cost"]) == to_json(fresh.metrics["cost"])  # NaN-safe
    # a sizing input invalidates sizing and what follows (delivery, cost), not the
    # constellation, the seasons or the downlink budget
    skydc.cost("dawn-dusk-40mw", {**FAST, "spacecraft.it_power_kw": 50.0}, cache=cache)
    assert cache.hits == 8 and cache.misses == 10


def test_overrides_as_a_mapping_equal_the_strings() -> None:
    a = skydc.load_scenario("starlink-shell1", {"shells[0].altitude_km": 800, "duration_s": 600})
    b = skydc.load_scenario("starlink-shell1", ["shells[0].altitude_km=800", "duration_s=600"])
    assert a.scenario == b.scenario
    assert a.scenario.shells[0].altitude_km == 800.0  # type: ignore[union-attr]


def test_quoted_keys_reach_nested_tables() -> None:
    key = 'economics.uncertainty."space.launch_usd_per_kg"'
    loaded = skydc.load_scenario(
        "dawn-dusk-40mw", [f'{key}={{kind = "uniform", params = [100.0, 500.0]}}']
    )
    spec = loaded.scenario.economics.uncertainty["space.launch_usd_per_kg"]
    assert (spec.kind, spec.params) == ("uniform", [100.0, 500.0])


def test_every_stage_of_a_full_run_writes_declared_metrics(tmp_path: Path) -> None:
    result = skydc.run(
        "dawn-dusk-40mw",
        {**FAST, "network.samples": 2, "operations.training[0].tokens": 2e9},
        output_dir=tmp_path / "run",
    )
    from skydc.schema import undeclared

    assert undeclared(result.metrics) == []
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["schema_version"] == 2
    assert written["units"]["sizing.it_power_w"] == "W"
    assert written["units"]["network.rtt_p50_ms"] == "ms"
    folder = tmp_path / "run"
    parquet = sorted(p.stem for p in folder.glob("*.parquet"))
    assert parquet and sorted(p.stem for p in (folder / "csv").glob("*.csv")) == parquet
    page = (folder / "report.html").read_text(encoding="utf-8")
    # the default's named city pairs have no route: said in words, not an empty chart
    assert "No route between Tokyo - Delhi" in page and "RTT over time" not in page


def test_overwrite_replaces_only_run_folders(tmp_path: Path) -> None:
    target = tmp_path / "size"
    skydc.size("three-body-12", output_dir=target)
    with pytest.raises(skydc.ScenarioError, match="already exists and is not empty"):
        skydc.size("three-body-12", output_dir=target)
    before = (target / "metrics.json").stat().st_mtime_ns
    skydc.size("three-body-12", {"spacecraft.it_power_kw": 50.0}, output_dir=target,
               overwrite=True)  # fmt: skip
    assert (target / "metrics.json").stat().st_mtime_ns != before
    assert json.loads((target / "metrics.json").read_text())["sizing"]["it_power_w"] < 1.2e6
    assert [p.name for p in tmp_path.iterdir()] == ["size"]  # no staging folder left behind
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep")
    with pytest.raises(skydc.ScenarioError, match="not a skydc run folder"):
        skydc.size("three-body-12", output_dir=other, overwrite=True)
    assert (other / "mine.txt").read_text() == "keep"
