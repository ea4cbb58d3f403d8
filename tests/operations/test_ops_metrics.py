"""Results: ground reference, distributed vs centralized, Earth observation, time series."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from ops_cases import ECLIPSE_ENV, ECLIPSE_JOB, ECLIPSE_NODE, mixed_workloads, orbiting_fleet

from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel
from skydc.operations.metrics import centralized_node, compare_architectures, ground_completion_s
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import EarthObservationJob

one_microsecond = 1e-6
one_byte = 1.0


def test_ground_reference_no_eclipse_no_faults() -> None:
    """On the ground the 5000 s of work take 5000 s; in orbit power-aware needs 5600 s."""
    result = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], ground_bandwidth_bps=1e11)
    job = result.training[0]
    assert job.ground_completion_s == pytest.approx(5000.0)
    assert job.slowdown_vs_ground == pytest.approx(1.12, rel=1e-9)


def test_ground_reference_with_ground_fault_rates() -> None:
    """Ground fault rates run through the same engine; faults only delay the job."""
    faults = FaultModel(ue_per_device_day=20.0)
    slow = ground_completion_s(ECLIPSE_JOB, ECLIPSE_NODE, bandwidth_bps=1e11, faults=faults, seed=2)
    assert slow > 5000.0
    assert ground_completion_s(
        ECLIPSE_JOB, ECLIPSE_NODE, bandwidth_bps=1e11, faults=FaultModel()
    ) == pytest.approx(5000.0)


def test_centralized_node_keeps_the_totals() -> None:
    nodes, _ = orbiting_fleet()
    station = centralized_node(nodes, 1e13)
    assert station.satellites == 1
    assert station.it_power_w == pytest.approx(sum(n.it_power_w * n.satellites for n in nodes))
    assert station.peak_flops == pytest.approx(6 * 8e15)
    assert station.total_accelerators == 48
    assert station.accelerator_peak_flops == pytest.approx(nodes[0].accelerator_peak_flops)
    assert station.internal_bandwidth_bps == 1e13


def test_compare_architectures_side_by_side() -> None:
    """Same IT power; the station's all-reduce runs on its internal fabric."""
    nodes, env = orbiting_fleet()
    out = compare_architectures(
        nodes, env, mixed_workloads(), centralized_bandwidth_bps=1e13, seed=1
    )
    assert out.centralized.n_node == 1 and out.distributed.n_node == 6
    assert out.centralized.training[0].replicas_per_node == (2,)
    assert out.centralized.available_flops == pytest.approx(out.distributed.available_flops)
    table = out.table().to_pydict()
    assert table["metric"][:1] and "goodput" in table["metric"]
    row = table["metric"].index("goodput")
    assert table["distributed"][row] == out.distributed.goodput
    assert table["centralized"][row] == out.centralized.goodput


def _eo_node(efficiency: float) -> tuple[NodeSpec, EarthObservationJob]:
    node = NodeSpec(
        "eo", peak_flops=1e15, it_power_w=1e3, battery_wh=1.0, array_power_w=2e3, bus_power_w=0.0
    )
    job = EarthObservationJob(
        "eo",
        bytes_per_satellite_day=5e8 * 86400.0,
        flops_per_byte=1e6,
        downlink_bytes_per_satellite_day=1e8 * 86400.0,
        product_fraction=0.1,
        compute_efficiency=efficiency,
    )
    return node, job


def test_earth_observation_keeps_up_by_hand() -> None:
    """Processing 1e15 / 1e6 = 1e9 B/s > 5e8 B/s made: no backlog, no delay. Products
    5e7 B/s fit the 1e8 B/s downlink; raw data (5e8 B/s) wait T (1 - 0.2) / 2 = 400 s."""
    node, job = _eo_node(1.0)
    result = simulate([node], Environment.always_sunlit(1, 1000.0), [job])
    eo = result.earth_observation[0]
    assert eo.produced_bytes == pytest.approx(5e11)
    assert eo.processed_bytes == pytest.approx(5e11)
    assert eo.backlog_bytes == pytest.approx(0.0, abs=one_byte)
    assert eo.volume_saved_fraction == pytest.approx(0.9)
    assert eo.raw_downlinked_bytes == pytest.approx(1e11)
    assert eo.latency_in_orbit_s == pytest.approx(0.0, abs=one_microsecond)
    assert eo.latency_raw_s == pytest.approx(400.0)
    assert eo.ledger == result.ledger
    assert eo.ledger.useful_flops == round(5e11 * 1e6)


def test_earth_observation_backlog_by_hand() -> None:
    """At 25 % efficiency the node processes 2.5e8 B/s of 5e8 B/s: after 1000 s, 2.5e11 B
    done and 2.5e11 B waiting; the backlog grows linearly, its integral 0.5 x 2.5e8 x 1000^2
    = 1.25e14 B s, so the mean processing delay (Little) is 1.25e14 / 2.5e11 = 500 s."""
    node, job = _eo_node(0.25)
    result = simulate([node], Environment.always_sunlit(1, 1000.0), [job])
    eo = result.earth_observation[0]
    assert eo.processed_bytes == pytest.approx(2.5e11)
    assert eo.backlog_bytes == pytest.approx(2.5e11)
    assert eo.processing_delay_s == pytest.approx(500.0)


def test_contact_wait_from_ground_availability() -> None:
    """Contact at samples 0, 3, 4 of a 100 s grid: waits 0, 200, 100, 0 s; mean 75 s."""
    node, job = _eo_node(1.0)
    env = Environment(
        np.arange(5) * 100.0, np.ones((1, 5)), ground_available=[[True, False, False, True, True]]
    )
    eo = simulate([node], env, [job]).earth_observation[0]
    assert eo.contact_wait_s == pytest.approx(75.0)
    assert eo.latency_in_orbit_s == pytest.approx(75.0, abs=one_microsecond)


def test_progress_and_time_series() -> None:
    nodes, env = orbiting_fleet()
    calls: list[tuple[float, float]] = []
    result = simulate(nodes, env, mixed_workloads(), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (7200.0, 7200.0)
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(calls))
    series = result.timeseries
    assert series.num_rows == env.t_s.size - 1
    assert {"utilization", "soc_mean", "latency_mean_s", "requests_completed"} <= set(
        series.column_names
    )
    done = sum(series["requests_completed"].to_pylist())
    assert done == result.inference[0].completed
    util = np.array(series["utilization"].to_pylist())
    assert np.all(util >= 0) and np.all(util <= 1)
    dt = np.diff(env.t_s)
    assert float(util @ dt) / 7200.0 == pytest.approx(result.utilization, rel=1e-9)
    svc = result.inference[0]
    assert svc.latency_p50_s <= svc.latency_p90_s <= svc.latency_p99_s
    assert math.isfinite(svc.energy_per_token_j)
    assert result.events > svc.arrivals
