"""Training steps on a ring of known links: step time = compute + 2 (n-1)/n x bytes / bandwidth.

Four always-sunlit nodes, one 1 PFLOP/s accelerator each, one data-parallel replica per node,
placed in node order (greedy), so the ring is 0-1-2-3-0. The gradient message of a 1e9
parameter model in 2-byte precision is 2e9 B. Each step is 4e15 FLOP: 1 s of compute on
the four replicas together.
"""

from __future__ import annotations

import numpy as np
import pytest

from skydc.operations.engine import simulate
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import TrainingJob, ring_allreduce_time_s, training_time_s

one_microsecond = 1e-6
GBPS = 1e9

NODE = NodeSpec(
    "n",
    peak_flops=1e15,
    it_power_w=1e3,
    battery_wh=1.0,
    array_power_w=2e3,
    bus_power_w=0.0,
    internal_bandwidth_bps=400 * GBPS,
)


def _ring_links(capacities_gbps: list[float]) -> np.ndarray:
    """Symmetric (4, 4) capacities with link k between nodes k and k+1 (mod 4); others 0."""
    isl = np.zeros((4, 4))
    for k, c in enumerate(capacities_gbps):
        isl[k, (k + 1) % 4] = isl[(k + 1) % 4, k] = c * GBPS
    return isl


def _job(dp: int = 4, steps: int = 100) -> TrainingJob:
    return TrainingJob(
        "ring",
        parameters=1e9,
        tokens=steps * 4e6,
        global_batch_tokens=4e6,
        flops_per_token=1e9,
        data_parallel=dp,
        compute_efficiency=1.0,
        checkpoint_interval_s=1e9,
    )


def test_ring_step_time_by_hand() -> None:
    """Slowest link 40 Gbps: all-reduce 2 x 3/4 x 2e9 B x 8 / 40e9 = 0.6 s; step 1.6 s."""
    env = Environment.always_sunlit(4, 1000.0, isl_capacity_bps=_ring_links([100, 40, 80, 100]))
    result = simulate([NODE] * 4, env, [_job()], policy="greedy")
    job = result.training[0]
    assert job.replicas_per_node == (1, 1, 1, 1)
    assert job.completion_s == pytest.approx(100 * 1.6, abs=one_microsecond)
    assert float(ring_allreduce_time_s(2e9, 4, 40 * GBPS)) == pytest.approx(0.6, rel=1e-15)


def test_ring_bottleneck_moves_with_the_slowest_link() -> None:
    """Slowest link 25 Gbps: all-reduce 2 x 3/4 x 16e9 bit / 25e9 = 0.96 s; step 1.96 s."""
    env = Environment.always_sunlit(4, 1000.0, isl_capacity_bps=_ring_links([25, 100, 100, 100]))
    result = simulate([NODE] * 4, env, [_job()], policy="greedy")
    assert result.training[0].completion_s == pytest.approx(196.0, abs=one_microsecond)


def test_ring_inside_one_node_uses_internal_bandwidth() -> None:
    """Two replicas on one node of two accelerators: 2 x 1/2 x 16e9 bit / 400e9 = 0.04 s.

    Compute: 4e15 FLOP over 2 x 1 PFLOP/s = 2 s; step 2.04 s; 100 steps 204 s.
    """
    node = NodeSpec(
        "n2",
        peak_flops=2e15,
        it_power_w=2e3,
        battery_wh=1.0,
        array_power_w=4e3,
        bus_power_w=0.0,
        accelerators=2,
        internal_bandwidth_bps=400 * GBPS,
    )
    env = Environment.always_sunlit(1, 1000.0)
    result = simulate([node], env, [_job(dp=2)], policy="greedy")
    assert result.training[0].completion_s == pytest.approx(204.0, abs=one_microsecond)


def test_engine_matches_training_time_s() -> None:
    """The event engine and the closed form agree, checkpoints included."""
    job = TrainingJob(
        "ck",
        parameters=1e9,
        tokens=1e9 + 5e5,
        global_batch_tokens=4e6,
        data_parallel=4,
        compute_efficiency=0.5,
        checkpoint_interval_s=30.0,
        checkpoint_write_s=2.5,
    )
    env = Environment.always_sunlit(4, 1e5, isl_capacity_bps=_ring_links([100, 40, 80, 100]))
    result = simulate([NODE] * 4, env, [job], policy="power-aware")
    expected = training_time_s(job, 1e15, 40 * GBPS)
    assert result.training[0].completion_s == pytest.approx(expected, rel=1e-12)
    assert result.training[0].ledger.useful_flops == job.total_flops


def test_missing_link_is_infeasible() -> None:
    """A ring through a pair of nodes with no link cannot run."""
    env = Environment.always_sunlit(4, 1000.0, isl_capacity_bps=_ring_links([100, 0, 80, 100]))
    result = simulate([NODE] * 4, env, [_job()], policy="greedy")
    assert not result.feasible
    assert "no link" in result.training[0].reason
