"""Faults at chosen times (the fault schedule is fixed by monkeypatching) against hand
arithmetic; and power-aware never stopping for power when the battery can carry the bus."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.operations import engine
from skydc.operations.engine import simulate
from skydc.operations.faults import LINK, SATELLITE, SDC, UE, FaultModel, FaultSchedule
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import InferenceService, TrainingJob

one_microsecond = 1e-6
NODE = NodeSpec(
    "n",
    peak_flops=1e15,
    it_power_w=1e3,
    battery_wh=1.0,
    array_power_w=2e3,
    bus_power_w=0.0,
    memory_bytes=80e9,
)
# 50 steps of 10 s, checkpoint every 30 s, restart 20 s
JOB = TrainingJob(
    "job",
    parameters=1.0,
    tokens=50.0,
    global_batch_tokens=1.0,
    flops_per_token=1e16,
    compute_efficiency=1.0,
    checkpoint_interval_s=30.0,
    restart_s=20.0,
)


def _fix_faults(monkeypatch: pytest.MonkeyPatch, *events: tuple[float, int, int, float]) -> None:
    t, kind, node, pick = (np.array(x) for x in zip(*events, strict=True))
    schedule = FaultSchedule(
        t.astype(float), kind.astype(np.int64), node.astype(np.int64), pick.astype(float)
    )
    monkeypatch.setattr(engine, "sample_faults", lambda *args: schedule)


def test_satellite_failure_moves_the_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """Node 0 fails at 100 s (last checkpoint 90 s, 9 steps): 1 step (1e16 FLOP) lost; the
    replica goes to node 1, restarts by 120 s and runs the other 41 steps: done at 530 s."""
    _fix_faults(monkeypatch, (100.0, SATELLITE, 0, 0.0))
    env = Environment.always_sunlit(2, 1000.0)
    result = simulate([NODE, NODE], env, [JOB], policy="greedy", faults=FaultModel())
    job = result.training[0]
    assert job.completion_s == pytest.approx(530.0, abs=one_microsecond)
    assert job.ledger.lost_flops == 10**16
    assert job.crashes == 1
    assert result.faults_effective["satellite"] == 1
    assert result.availability == pytest.approx(1.0 - 900.0 / 2000.0)


def test_replacement_brings_the_node_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """One node: fails at 100 s, replaced 200 s later; restart 20 s: 320 s + 41 steps = 730 s."""
    _fix_faults(monkeypatch, (100.0, SATELLITE, 0, 0.0))
    env = Environment.always_sunlit(1, 1000.0)
    result = simulate([NODE], env, [JOB], policy="greedy", faults=FaultModel(replacement_s=200.0))
    assert result.training[0].completion_s == pytest.approx(730.0, abs=one_microsecond)
    events = result.timeline.to_pydict()["event"]
    assert events.index("satellite_failure") < events.index("satellite_replaced")


def test_silent_corruption_rolls_back_at_the_next_checkpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SDC at 15 s; found by the checkpoint at 30 s: 3 steps lost, restart 20 s, so the run
    ends 30 + 20 s late, at 550 s."""
    _fix_faults(monkeypatch, (15.0, SDC, 0, 0.0))
    env = Environment.always_sunlit(1, 1000.0)
    result = simulate([NODE], env, [JOB], faults=FaultModel())
    job = result.training[0]
    assert job.completion_s == pytest.approx(550.0, abs=one_microsecond)
    assert job.ledger.lost_flops == 3 * 10**16
    assert (job.rollbacks, job.sdc_detected, job.crashes) == (1, 1, 0)


def test_memory_error_crashes_mid_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """UE at 35 s, mid-step: the half step (5e15) and the step since 30 s (1e16) are lost;
    restart 20 s: 550 + 5 + 20 - 30 ... = 35 + 20 + (50 - 3) x 10 = 525 s."""
    _fix_faults(monkeypatch, (35.0, UE, 0, 0.0))
    env = Environment.always_sunlit(1, 1000.0)
    result = simulate([NODE], env, [JOB], faults=FaultModel())
    job = result.training[0]
    assert job.completion_s == pytest.approx(525.0, abs=one_microsecond)
    assert job.ledger.lost_flops == 5 * 10**15
    assert job.ledger.issued_flops == job.ledger.useful_flops + 5 * 10**15


def test_link_outage_stalls_the_all_reduce(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two nodes, dp 2, steps of 10 s compute + 1 s all-reduce (2 x 1/2 x 8e9 bit / 8e9 bit/s).
    An outage from 10.5 s to 20.5 s halts the first all-reduce: everything 10 s late."""
    _fix_faults(monkeypatch, (10.5, LINK, 1, 0.0))
    job = TrainingJob(
        "dp",
        parameters=5e8,
        tokens=20.0,
        global_batch_tokens=1.0,
        flops_per_token=2e16,
        data_parallel=2,
        compute_efficiency=1.0,
        checkpoint_interval_s=1e9,
    )
    env = Environment.always_sunlit(2, 1000.0, isl_capacity_bps=[8e9, 8e9])
    faults = FaultModel(link_outage_s=10.0)
    result = simulate([NODE, NODE], env, [job], policy="greedy", faults=faults)
    assert result.training[0].completion_s == pytest.approx(20 * 11.0 + 10.0, abs=one_microsecond)


def test_inference_faults_reissue_and_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A UE kills the request in service (re-issued, its executed part lost); an SDC marks
    one answer corrupt. Every arrival still ends completed, rejected or in the system."""
    _fix_faults(monkeypatch, *[(100.0 + 10 * k, UE if k % 2 else SDC, 0, 0.0) for k in range(20)])
    # 4e14 FLOP per request: 0.4 s on 1 PFLOP/s; 2 req/s keep the replica 80 % busy
    svc = InferenceService(
        "s",
        parameters=1e9,
        arrival_rate_per_s=2.0,
        tokens_in=100_000,
        tokens_out=100_000,
        replicas=1,
        compute_efficiency=1.0,
    )
    env = Environment.always_sunlit(1, 400.0)
    result = simulate([NODE], env, [svc], faults=FaultModel(), seed=4)
    out = result.inference[0]
    assert out.reissued > 0 and out.corrupted > 0
    assert out.ledger.lost_flops > 0 and out.ledger.balanced
    assert out.arrivals == out.completed + out.rejected + out.in_system


@settings(max_examples=30, deadline=None)
@given(
    eclipse=st.lists(st.floats(0.0, 1.0), min_size=24, max_size=24),
    battery_wh=st.floats(1.0, 20.0),
)
def test_power_aware_never_stops_when_the_battery_carries_the_bus(
    eclipse: list[float], battery_wh: float
) -> None:
    """Random sunlit profiles (penumbra values anywhere in [0, 1]); the battery holds the bus
    (50 W) for the whole 24 x 600 s run, so power-aware can always hold at its minimum."""
    t = np.arange(25) * 600.0
    sun = np.array([[*eclipse, eclipse[-1]]])
    env = Environment(t, sun)
    bus_wh = 50.0 * t[-1] / 3600.0
    node = NodeSpec(
        "n",
        peak_flops=1e15,
        it_power_w=1e3,
        battery_wh=bus_wh + battery_wh,
        array_power_w=1200.0,
        bus_power_w=50.0,
        min_state_of_charge=0.0,
    )
    long_job = TrainingJob(
        "long",
        parameters=1.0,
        tokens=1e9,
        global_batch_tokens=1.0,
        flops_per_token=1e15,
        compute_efficiency=1.0,
    )
    result = simulate([node], env, [long_job], policy="power-aware")
    assert result.availability == 1.0
    assert "node_down" not in result.timeline.to_pydict()["event"]
    assert result.training[0].crashes == 0


@pytest.mark.parametrize("policy", ["greedy", "power-aware"])
@pytest.mark.parametrize(("battery_wh", "min_soc"), [(0.0, 0.0), (10.0, 1.0)])
def test_no_usable_battery_in_penumbra(policy: str, battery_wh: float, min_soc: float) -> None:
    """No usable battery, array short of the full load in penumbra: the node runs on the
    array where it can (power-aware) or stops until the array carries it (greedy); the run
    ends (a node that stops with a full battery waits for sunlight, not for a recharge)."""
    t = np.arange(7) * 600.0
    env = Environment(t, [[1.0, 0.6, 0.3, 0.0, 0.5, 1.0, 1.0]])
    node = NodeSpec(
        "n",
        peak_flops=1e15,
        it_power_w=1e3,
        battery_wh=battery_wh,
        array_power_w=1200.0,
        bus_power_w=100.0,
        min_state_of_charge=min_soc,
        initial_state_of_charge=1.0,
    )
    job = TrainingJob(
        "j",
        parameters=1.0,
        tokens=1e9,
        global_batch_tokens=1.0,
        flops_per_token=1e15,
        compute_efficiency=1.0,
    )
    result = simulate([node], env, [job], policy=policy)
    assert result.ledger.balanced
    if policy == "greedy":
        assert result.availability < 1.0
    else:
        # 0.6 x 1200 - 100 = 620 W of 1000 W: throttle 0.62; at 0.3 x 1200: 0.26
        series = result.timeseries.to_pydict()
        assert series["throttle_mean"][1:3] == pytest.approx([0.62, 0.26])


def test_aggregated_node_absorbs_a_failure_in_its_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4-satellite node (2 accelerators each): training on 4 (dp 2 x tp 2), inference on 2,
    2 spare. Satellite 0 fails at 100 s, taking one training replica: the job rolls back to
    90 s, the replica moves to the spare pair, and the run ends at 530 s as on one node;
    the node keeps 3 of 4 satellites up."""
    _fix_faults(monkeypatch, (100.0, SATELLITE, 0, 0.0))
    node = NodeSpec(
        "shell",
        peak_flops=2e15,
        it_power_w=2e3,
        battery_wh=1.0,
        array_power_w=4e3,
        bus_power_w=0.0,
        satellites=4,
        accelerators=2,
    )
    job = TrainingJob(
        "job",
        parameters=1.0,
        tokens=50.0,
        global_batch_tokens=1.0,
        flops_per_token=4e16,
        data_parallel=2,
        tensor_parallel=2,
        compute_efficiency=1.0,
        checkpoint_interval_s=30.0,
        restart_s=20.0,
    )
    svc = InferenceService(
        "s", parameters=1e9, arrival_rate_per_s=0.5, tokens_in=10, tokens_out=10, replicas=2
    )
    env = Environment.always_sunlit(1, 1000.0)
    result = simulate([node], env, [job, svc], policy="greedy", faults=FaultModel(), seed=1)
    out = result.training[0]
    assert out.completion_s == pytest.approx(530.0, abs=one_microsecond)
    assert out.ledger.lost_flops == 4 * 10**16
    assert result.availability == pytest.approx((4 * 1000.0 - 900.0) / 4000.0)
    served = result.inference[0]
    assert served.arrivals == served.completed + served.in_system + served.rejected
    assert served.rejected == 0
