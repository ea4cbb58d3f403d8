"""Kernels of the nodes and workloads modules, against hand arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.operations.nodes import (
    Environment,
    NodeSpec,
    cumulative_sunlit_s,
    next_sustainable_index,
    sunlit_change_points,
)
from skydc.operations.workloads import (
    InferenceService,
    TrainingJob,
    fluid_fifo_delay_s,
    ring_allreduce_time_s,
    training_time_s,
)


def test_cumulative_sunlit_zero_order_hold() -> None:
    t = [0.0, 10.0, 30.0, 40.0]
    s = [[1.0, 0.5, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]
    np.testing.assert_allclose(cumulative_sunlit_s(t, s), [[0, 10, 20, 20], [0, 0, 0, 10]])


def test_next_sustainable_index() -> None:
    s = [[1.0, 0.0, 0.4, 0.9, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
    np.testing.assert_array_equal(
        next_sustainable_index(s, [0.5, 0.5]), [[0, 3, 3, 3, 5], [5, 5, 5, 5, 5]]
    )


def test_sunlit_change_points() -> None:
    node, k = sunlit_change_points([[1.0, 1.0, 0.0, 0.0, 1.0], [0.5, 0.5, 0.5, 0.5, 0.5]])
    np.testing.assert_array_equal(node, [0, 0])
    np.testing.assert_array_equal(k, [2, 4])


def test_node_per_accelerator_figures() -> None:
    node = NodeSpec(
        "n",
        peak_flops=8e15,
        it_power_w=10e3,
        battery_wh=2.0,
        array_power_w=1.0,
        bus_power_w=1.0,
        satellites=3,
        accelerators=8,
        memory_bytes=640e9,
    )
    assert node.total_accelerators == 24
    assert node.accelerator_peak_flops == 1e15
    assert node.accelerator_it_power_w == 1250.0
    assert node.accelerator_memory_bytes == 80e9
    assert node.battery_j == 7200.0


def test_environment_freezes_arrays_and_links() -> None:
    env = Environment([0.0, 1.0], [[1.0, 1.0], [0.0, 1.0]], isl_capacity_bps=[10.0, 4.0])
    assert env.link_bps(0, 1) == 4.0
    with pytest.raises(ValueError):
        env.t_s[0] = 5.0
    assert Environment([0.0, 1.0], [[1.0, 1.0]]).link_bps(0, 0) == 0.0


def test_ring_allreduce_patarasuk_yuan() -> None:
    """2 (n-1)/n x S: 8 members, 1 GB over 100 Gbit/s = 2 x 7/8 x 8e9 / 1e11 = 0.14 s."""
    assert float(ring_allreduce_time_s(1e9, 8, 100e9)) == pytest.approx(0.14, rel=1e-15)
    assert float(ring_allreduce_time_s(1e9, 1, 100e9)) == 0.0
    assert float(ring_allreduce_time_s(1e9, 8, math.inf)) == 0.0
    with pytest.raises(ValueError):
        ring_allreduce_time_s(1e9, 0, 1.0)


def test_training_job_flops_kaplan_6n() -> None:
    """6 N per token: 1e9 params x 2.5e6 tokens = 1.5e16 FLOP, in 3 steps of 1e6 (last 0.5e6)."""
    job = TrainingJob("t", parameters=1e9, tokens=2.5e6, global_batch_tokens=1e6)
    assert job.n_steps == 3
    assert [job.step_flops(k) for k in range(3)] == [6 * 10**15, 6 * 10**15, 3 * 10**15]
    assert job.total_flops == 15 * 10**15
    assert job.state_bytes == 16e9  # ZeRO: 16 B per parameter
    assert job.allreduce_bytes == 2e9


def test_training_time_by_hand() -> None:
    """4 steps of 6e15 FLOP on 2 replicas of 3e15 FLOP/s at 50 %: 2 s each; all-reduce of
    2e9 B over 8e10 bit/s among 2: 2 x 1/2 x 16e9 / 8e10 = 0.2 s; checkpoint every >= 4 s
    (after steps 2 and 4), 1 s each: 4 x 2.2 + 2 x 1 = 10.8 s."""
    job = TrainingJob(
        "t",
        parameters=1e9,
        tokens=4e6,
        global_batch_tokens=1e6,
        data_parallel=2,
        compute_efficiency=0.5,
        checkpoint_interval_s=4.0,
        checkpoint_write_s=1.0,
    )
    assert training_time_s(job, 3e15, 8e10) == pytest.approx(10.8, rel=1e-14)


def test_inference_request_flops_kaplan_2n() -> None:
    svc = InferenceService(
        "s", parameters=7e9, arrival_rate_per_s=2.0, tokens_in=500, tokens_out=200
    )
    assert svc.request_flops == 2 * 7 * 10**9 * 700
    assert svc.rates == (2.0,)
    assert svc.replica_memory_bytes == 14e9


def test_fluid_fifo_delay_by_hand() -> None:
    """Inflow 2, capacity 1, 100 s: bytes made before 50 s leave by 100 s, mean delay 25 s."""
    np.testing.assert_allclose(fluid_fifo_delay_s([2.0, 1.0, 0.5], 1.0, 100.0), [25.0, 0, 0])
