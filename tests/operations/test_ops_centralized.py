"""The centralized reference derived instead of simulated, against the full simulation, and the
power-aware reserve tabulated per node against the per-event formula it replaces."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace

import numpy as np
import pytest
from ops_cases import mixed_workloads, orbiting_fleet

from skydc.operations.engine import _EventLoop
from skydc.operations.faults import FaultModel
from skydc.operations.metrics import (
    centralized_node,
    compare_architectures,
    constant_power_state,
)
from skydc.operations.scheduler import get_policy

# float rounding of sums split into fewer pieces (IT energy, Earth-observation integrals)
float_rounding = 1e-9
# the run's events and their rate are the engine's cost, not a result: the derived run has no
# power events by construction
_COST_KEYS = ("events", "events_per_s", "wall_s")


def _numbers(value: object, prefix: str = "") -> dict[str, float]:
    """Every number of a result: dataclass fields, ledgers, per-workload results, recursively."""
    out: dict[str, float] = {}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, tuple | list):
        items = [(str(k), v) for k, v in enumerate(value)]
    else:
        return out
    for key, item in items:
        if isinstance(item, bool):
            out[prefix + key] = float(item)
        elif isinstance(item, int | float):
            out[prefix + key] = float(item)
        elif not isinstance(item, np.ndarray | str):
            out |= _numbers(item, f"{prefix}{key}.")
    return out


def _comparison(model: str, array_w: float, faults: FaultModel | None = None):
    nodes, env = orbiting_fleet(horizon_s=4 * 5700.0)
    nodes = [replace(n, array_power_w=array_w) for n in nodes]
    return compare_architectures(
        nodes, env, mixed_workloads(), centralized_bandwidth_bps=1e13, seed=3, faults=faults,
        inference_model="batched", centralized_model=model,
    )  # fmt: skip


def test_derived_centralized_run_matches_the_full_simulation() -> None:
    """Six staggered nodes: the fleet-mean sunlit fraction changes at 92 steps but never
    drops below what the station's full load needs, so its power state is constant; the
    derived run (no power events) against the simulated one (one per step), with training,
    inference, Earth observation and radiation faults beside."""
    faults = FaultModel(ue_per_device_day=1.0, sdc_per_device_day=2.0)
    derived = _comparison("derived", 24e3, faults)
    full = _comparison("simulated", 24e3, faults)
    station = derived.centralized_node
    _, env = orbiting_fleet(horizon_s=4 * 5700.0)
    sun = env.sunlit_fraction.mean(axis=0)
    assert np.count_nonzero(np.diff(sun)) > 50  # the mean changes at every penumbra step
    assert constant_power_state(station, sun)
    d, f = derived.centralized, full.centralized
    assert d.events < f.events  # the simulated run's power events are gone
    a, b = _numbers(d), _numbers(f)
    assert a.keys() == b.keys()
    compared = 0
    for key in a:
        if key.rsplit(".", 1)[-1] in _COST_KEYS:
            continue
        if math.isnan(b[key]):
            assert math.isnan(a[key]), key
        else:
            assert a[key] == pytest.approx(b[key], rel=float_rounding, abs=1e-12), key
        compared += 1
    assert compared > 60
    assert d.ledger.balanced and f.ledger.balanced
    assert d.ledger.useful_flops == pytest.approx(f.ledger.useful_flops, rel=float_rounding)
    assert d.training[0].completion_s == f.training[0].completion_s
    # utilization per sample: the same total, Earth-observation work of the longer pieces
    # binned where each ends
    u_d = d.timeseries.column("utilization").to_numpy()
    u_f = f.timeseries.column("utilization").to_numpy()
    assert np.nansum(u_d) == pytest.approx(np.nansum(u_f), rel=float_rounding)
    # the distributed run is not touched by the choice
    assert derived.distributed.summary()["goodput"] == full.distributed.summary()["goodput"]


def test_centralized_in_eclipse_is_simulated() -> None:
    """An array too small for the full load at the darkest sample: no constant power state,
    so "derived" runs the full simulation (the same events, the same results)."""
    derived = _comparison("derived", 14e3)
    full = _comparison("simulated", 14e3)
    nodes, env = orbiting_fleet(horizon_s=4 * 5700.0)
    nodes = [replace(n, array_power_w=14e3) for n in nodes]
    station = centralized_node(nodes, 1e13)
    assert not constant_power_state(station, env.sunlit_fraction.mean(axis=0))
    assert derived.centralized.events == full.centralized.events
    assert derived.centralized.goodput == full.centralized.goodput
    assert derived.centralized.ledger == full.centralized.ledger


def test_constant_power_state_needs_a_full_battery() -> None:
    nodes, env = orbiting_fleet()
    nodes = [replace(n, array_power_w=24e3) for n in nodes]
    station = centralized_node(nodes, 1e13)
    sun = env.sunlit_fraction.mean(axis=0)
    assert constant_power_state(station, sun)
    assert not constant_power_state(replace(station, initial_state_of_charge=0.9), sun)


def test_unknown_centralized_model_is_refused() -> None:
    nodes, env = orbiting_fleet()
    with pytest.raises(ValueError, match="allowed: derived, simulated"):
        compare_architectures(
            nodes, env, mixed_workloads(), centralized_bandwidth_bps=1e13,
            centralized_model="closed-form",
        )  # fmt: skip


def test_reserve_table_equals_the_per_event_formula() -> None:
    """Fleet._reserves (every change point of a node at once) against the windowed running
    sum it replaced, computed here one change point at a time: the same floats."""
    nodes, env = orbiting_fleet(horizon_s=3 * 5700.0)
    sim = _EventLoop(nodes, env, get_policy("power-aware"), FaultModel(), 0, None, "batched")
    sim.setup(mixed_workloads())
    fleet = sim.fleet
    n_time = len(fleet.grid)
    lookahead = fleet.policy.lookahead_s
    checked = 0
    for i in range(fleet.n):
        table = fleet._reserves(i)
        for pos, j in enumerate(fleet.changes_list[i]):
            expected = 0.0
            if j < n_time - 1:
                end_deficit = min(int(fleet.next_ok[i][j]), n_time - 1)
                end = int(np.searchsorted(fleet.grid_np, fleet.grid[end_deficit] + lookahead))
                last = max(end_deficit, min(end, n_time - 1))
                if last > j:
                    bus = fleet.sat_bus_w[i] * fleet.alive[i]
                    full_it = fleet.thermal[i] * fleet.capacity_w(i)
                    power = fleet.sun[i, j:last] * (fleet.sat_array_w[i] * fleet.alive[i])
                    off = power < (bus + full_it) * (1 - 1e-9)
                    net = (power - bus - np.where(off, 0.0, full_it)) * fleet.dt_np[j:last]
                    expected = max(0.0, -float(np.cumsum(net).min()))
                    cap = fleet.sat_batt_j[i] * fleet.alive[i] - fleet.e_min(i)
                    expected = min(expected, cap)
                    checked += expected > 0
            assert table[pos] == expected, (i, j)
    assert checked > 10  # windows that needed a reserve were compared, not only zeros
