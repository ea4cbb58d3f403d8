"""Points evaluated together (``skydc.studies.batch``) give what each point gives on its own."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import skydc
from skydc.pipeline.runner import StageCache
from skydc.studies.batch import _one, evaluate_points, late_paths

FAST = {"duration_s": 1800.0, "economics.monte_carlo_samples": 50, "seasons.step_days": 10.0,
        "shells[0].sats_per_plane": 20}  # fmt: skip
KEEP = [
    "cost.ratio_space_to_ground",
    "cost.delivered.ratio_space_to_ground",
    "cost.space.total_usd",
    "cost.ground.total_usd",
    "cost.space.lines_usd.launch",
    "cost.ground.lines_usd.energy_it",
    "cost.breakeven_launch_usd_per_kg",
    "cost.breakeven_note",
    "cost.launched_power_usd_per_kw_yr",
    "cost.delivered.space.usd_per_pflop_day",
    "cost.delivered.ground.usd_per_accelerator_hour",
    "sizing.total_mass_kg",
]


def _same(a: dict[str, Any], b: dict[str, Any], keep: list[str]) -> None:
    assert a["status"] == b["status"], (a["error"], b["error"])
    assert a["error"] == b["error"]
    if a["status"] != "ok":
        return
    for path in keep:
        x, y = a[path], b[path]
        if isinstance(x, float) and isinstance(y, float):
            assert math.isclose(x, y, rel_tol=1e-12, abs_tol=0.0), (path, x, y)
        else:
            assert x == y, (path, x, y)


def _points() -> list[dict[str, Any]]:
    """Every numeric cost-only input, each at a few values (a scrambled design: no two points
    alike), plus two the scenario loader refuses."""
    rng = np.random.default_rng(7)
    n = 24
    cols = {
        "economics.launch_usd_per_kg": rng.uniform(20.0, 3000.0, n),
        "economics.wacc_space": rng.uniform(0.03, 0.15, n),
        "economics.wacc_ground": rng.uniform(0.03, 0.12, n),
        "economics.electricity_usd_per_kwh": rng.uniform(0.02, 0.2, n),
        "economics.pue": rng.uniform(1.05, 1.6, n),
        "economics.accelerator_price_usd": rng.uniform(1e4, 6e4, n),
        "economics.hardware_life_yr": rng.uniform(3.0, 7.0, n),
        "economics.facility_life_yr": rng.uniform(15.0, 30.0, n),
        "economics.satellite_mass_kg": rng.uniform(1500.0, 6000.0, n),
    }
    points = [{k: float(v[i]) for k, v in cols.items()} for i in range(n)]
    points[5]["economics.pue"] = 0.7  # below 1: refused by the scenario model
    points[11]["economics.wacc_space"] = 1.5  # a cost of capital of 150 %: refused
    return points


def test_points_evaluated_together_equal_points_evaluated_one_by_one() -> None:
    points = _points()
    together = evaluate_points("dawn-dusk-40mw", FAST, points, ["sizing", "cost"], KEEP)
    cache = StageCache()
    alone = [_one("dawn-dusk-40mw", FAST, i, p, ["sizing", "cost"], KEEP, cache) for i, p in
             enumerate(points)]  # fmt: skip
    assert all(isinstance(r["sizing.total_mass_kg"], float) for r in together if not r["error"])
    assert [r["index"] for r in together] == list(range(len(points)))
    for a, b in zip(together, alone, strict=True):
        _same(a, b, KEEP)
    refused = [r for r in together if r["status"] == "error"]
    assert [r["index"] for r in refused] == [5, 11]
    assert "economics.pue" in refused[0]["error"] and "economics.wacc_space" in refused[1]["error"]
    # the satellite mass the points state moves the launch line and the totals
    ok = [r for r in together if r["status"] == "ok"]
    assert len({r["cost.space.lines_usd.launch"] for r in ok}) == len(ok)


def test_text_inputs_split_groups_and_still_agree() -> None:
    points = [
        {"economics.region": region, "economics.launch_usd_per_kg": price}
        for region in ("us-average-industrial", "germany")
        for price in (100.0, 500.0, 1500.0)
    ]
    together = evaluate_points("dawn-dusk-40mw", FAST, points, ["cost"], KEEP)
    cache = StageCache()
    for i, (a, p) in enumerate(zip(together, points, strict=True)):
        _same(a, _one("dawn-dusk-40mw", FAST, i, p, ["cost"], KEEP, cache), KEEP)
    electricity = {r["economics.region"]: r["cost.ground.lines_usd.energy_it"] for r in together}
    assert electricity["germany"] != electricity["us-average-industrial"]


def test_a_kept_monte_carlo_is_computed_per_point_and_matches_a_plain_run() -> None:
    keep = ["cost.monte_carlo.ratio_p50", "cost.ratio_space_to_ground"]
    points = [{"economics.launch_usd_per_kg": p} for p in (100.0, 1000.0)]
    rows = evaluate_points("dawn-dusk-40mw", FAST, points, ["cost"], keep)
    for row, p in zip(rows, points, strict=True):
        plain = skydc.run(skydc.load_scenario("dawn-dusk-40mw", {**FAST, **p}), stages=["cost"])
        assert row["cost.monte_carlo.ratio_p50"] == plain.metrics["cost"]["monte_carlo"][
            "ratio_p50"
        ]


def test_points_that_re_size_share_the_constellation_and_agree() -> None:
    points = [{"spacecraft.it_power_kw": kw, "economics.launch_usd_per_kg": 300.0}
              for kw in (60.0, 90.0, 120.0)]  # fmt: skip
    cache = StageCache()
    stages = ["sizing", "cost"]
    rows = evaluate_points("dawn-dusk-40mw", FAST, points, stages, KEEP, cache=cache)
    for i, (a, p) in enumerate(zip(rows, points, strict=True)):
        _same(a, _one("dawn-dusk-40mw", FAST, i, p, stages, KEEP, StageCache()), KEEP)
    masses = [r["sizing.total_mass_kg"] for r in rows]
    assert masses == sorted(masses) and len(set(masses)) == 3
    assert cache.hits >= 4  # the constellation and seasons of points 2 and 3 came from the cache


def test_late_paths_are_the_inputs_only_the_cost_reads() -> None:
    stage, late = late_paths(
        ["cost"], ["economics.launch_usd_per_kg", "economics.years", "economics.utilization",
                   "spacecraft.it_power_kw"],
    )  # fmt: skip
    assert stage is not None and stage.name == "cost"
    # the delivery stage reads the period and the utilisation: those points re-run it
    assert late == ["economics.launch_usd_per_kg"]
    assert late_paths(["sizing"], ["economics.launch_usd_per_kg"]) == (None, [])


def test_public_sweep_takes_columns_and_returns_a_table() -> None:
    prices = np.linspace(100.0, 2000.0, 50)
    table = skydc.sweep(
        "dawn-dusk-40mw", {"economics.launch_usd_per_kg": prices}, overrides=FAST,
        keep=["cost.delivered.ratio_space_to_ground"],
    )  # fmt: skip
    assert table.num_rows == 50
    assert table.column("index").to_pylist() == list(range(50))
    ratio = table.column("cost.delivered.ratio_space_to_ground").to_numpy()
    assert np.all(np.diff(ratio) > 0)  # dearer launches, dearer orbit
    assert set(table.column("status").to_pylist()) == {"ok"}
    with pytest.raises(ValueError, match="same length"):
        skydc.sweep("dawn-dusk-40mw", {"economics.pue": [1.1], "economics.wacc": [0.1, 0.2]})


def test_re_sized_points_sized_together_equal_each_point_sized_alone(monkeypatch) -> None:
    """A sweep over the spacecraft's power, shielding and life sizes its points in one array
    pass (``Stage.run_many``, primed into the cache); every kept number equals the point run on
    its own, and a point the models refuse (no whole unit in 100 W) gets its own message."""
    from skydc.pipeline import sizing

    calls: list[int] = []
    many = sizing.size_fleets

    def counted(points: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(points))
        return many(points, *args, **kwargs)

    monkeypatch.setattr(sizing, "size_fleets", counted)
    points = [{"spacecraft.it_power_kw": kw, "spacecraft.shield_mm_al": mm,
               "spacecraft.lifetime_yr": yr}
              for kw, mm, yr in ((60.0, 5.0, 4.0), (90.0, 10.0, 5.0), (0.1, 10.0, 5.0),
                                 (150.0, 20.0, 7.0), (120.0, 2.0, 5.0))]  # fmt: skip
    keep = [*KEEP, "sizing.launches", "sizing.centralized.total_mass_kg",
            "sizing.power.array_area_m2", "sizing.thermal.radiator_area_m2"]
    stages = ["sizing", "cost"]
    rows = evaluate_points("dawn-dusk-40mw", FAST, points, stages, keep)
    assert max(calls) > 1  # the refused point made the pass fail: sized again one by one
    calls.clear()
    ok_points = [p for p in points if p["spacecraft.it_power_kw"] != 0.1]
    evaluate_points("dawn-dusk-40mw", FAST, ok_points, stages, keep)
    assert calls[0] == len(ok_points)  # all four in one pass
    for i, (a, p) in enumerate(zip(rows, points, strict=True)):
        _same(a, _one("dawn-dusk-40mw", FAST, i, p, stages, keep, StageCache()), keep)
    assert [r["status"] for r in rows] == ["ok", "ok", "error", "ok", "ok"]
    assert "spacecraft.it_power_kw" in rows[2]["error"] and "whole" in rows[2]["error"]
    masses = [r["sizing.total_mass_kg"] for r in rows if r["status"] == "ok"]
    assert len(set(masses)) == 4
