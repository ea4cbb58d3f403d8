"""Small scenarios shared by the operations tests (hand-checkable numbers)."""

from __future__ import annotations

import numpy as np

from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import EarthObservationJob, InferenceService, TrainingJob

# One satellite, 1 PFLOP/s, IT 1 kW, bus 200 W, array 2 kW in sun, battery 500 Wh (1.8 MJ).
ECLIPSE_NODE = NodeSpec(
    "sat",
    peak_flops=1e15,
    it_power_w=1000.0,
    battery_wh=500.0,
    array_power_w=2000.0,
    bus_power_w=200.0,
)
# Sun until 1000 s, eclipse 1000-3000 s, sun to the end at 10000 s.
ECLIPSE_ENV = Environment(
    np.array([0.0, 1000.0, 3000.0, 10000.0]), np.array([[1.0, 0.0, 1.0, 1.0]])
)
# 500 steps of 1e16 FLOP (10 s each at full rate), checkpoint every 600 s, restart 60 s.
ECLIPSE_JOB = TrainingJob(
    "job",
    parameters=1.0,
    tokens=500.0,
    global_batch_tokens=1.0,
    flops_per_token=1e16,
    compute_efficiency=1.0,
    checkpoint_interval_s=600.0,
    restart_s=60.0,
)


def orbiting_fleet(
    n_node: int = 6, horizon_s: float = 7200.0, step_s: float = 60.0
) -> tuple[list[NodeSpec], Environment]:
    """``n_node`` one-satellite nodes on a 95-minute orbit, eclipses staggered, with links."""
    t = np.arange(0.0, horizon_s + step_s / 2, step_s)
    phase = np.arange(n_node)[:, None] / n_node
    angle = (t[None, :] / 5700.0 + phase) % 1.0
    sun = np.clip((angle - 0.35) / 0.02, 0.0, 1.0)  # eclipse 0-0.35 of the orbit, penumbra
    node = NodeSpec(
        "sat",
        peak_flops=8e15,
        it_power_w=10e3,
        battery_wh=4e3,
        array_power_w=18e3,
        bus_power_w=1e3,
        accelerators=8,
        memory_bytes=640e9,
        min_state_of_charge=0.2,
        internal_bandwidth_bps=900e9 * 8,
    )
    rtt = 0.02 + 0.01 * np.arange(n_node)
    env = Environment(
        t,
        sun,
        isl_capacity_bps=np.full(n_node, 100e9),
        ground_rtt_s=np.vstack([rtt, rtt[::-1]]),
    )
    return [node] * n_node, env


def mixed_workloads(rate_per_s: float = 2.0) -> list:
    """Earth observation, a training job on 2 satellites and an inference service."""
    return [
        EarthObservationJob(
            "eo",
            bytes_per_satellite_day=1e12,
            flops_per_byte=1e4,
            downlink_bytes_per_satellite_day=1e11,
            product_fraction=0.05,
        ),
        TrainingJob(
            "train",
            parameters=1e9,
            tokens=2e9,
            global_batch_tokens=1e6,
            data_parallel=2,
            tensor_parallel=4,
            checkpoint_interval_s=300.0,
            checkpoint_write_s=5.0,
            restart_s=30.0,
        ),
        InferenceService(
            "chat",
            parameters=7e9,
            arrival_rate_per_s=(rate_per_s, rate_per_s / 2),
            tokens_in=500,
            tokens_out=200,
            tensor_parallel=1,
            replicas=12,
        ),
    ]
