"""Bad input: infeasible workloads are reported in the result; bad arguments raise ValueError."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ops_cases import ECLIPSE_ENV, ECLIPSE_JOB, ECLIPSE_NODE, orbiting_fleet

from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import EarthObservationJob, InferenceService, TrainingJob

NODES, ENV = orbiting_fleet()  # 6 satellites x 8 accelerators of 80 GB


def test_training_state_larger_than_any_replica_memory() -> None:
    """70B parameters x 16 B = 1120 GB of state; a replica of 8 x 80 GB holds 640 GB."""
    job = TrainingJob(
        "big", parameters=70e9, tokens=1e9, global_batch_tokens=1e6, tensor_parallel=8
    )
    result = simulate(NODES, ENV, [job])
    assert not result.feasible
    assert not result.training[0].feasible
    assert "1120.0 GB does not fit" in result.training[0].reason
    assert result.infeasible == (result.training[0].reason,)


def test_more_replicas_than_accelerators() -> None:
    job = TrainingJob(
        "wide",
        parameters=1e9,
        tokens=1e9,
        global_batch_tokens=1e6,
        data_parallel=7,
        tensor_parallel=8,
    )
    result = simulate(NODES, ENV, [job])
    assert "needs 7 replicas of 8 accelerators (56 in all); room for 6" in result.infeasible[0]


def test_replica_larger_than_a_node() -> None:
    job = TrainingJob(
        "tall",
        parameters=1e9,
        tokens=1e9,
        global_batch_tokens=1e6,
        pipeline_parallel=2,
        tensor_parallel=8,
    )
    result = simulate(NODES, ENV, [job])
    assert "does not fit in one node (largest: 8)" in result.infeasible[0]


def test_inference_load_beyond_capacity() -> None:
    """A 7B model, 700 tokens: 9.8e12 FLOP per request; one 1 PFLOP/s accelerator at 40 %
    serves 40.8 req/s."""
    svc = InferenceService(
        "flood",
        parameters=7e9,
        arrival_rate_per_s=(30.0, 30.0),
        tokens_in=500,
        tokens_out=200,
        replicas=1,
    )
    result = simulate(NODES, ENV, [svc])
    assert "offered load 60 req/s reaches the capacity" in result.inference[0].reason


def test_infeasible_workload_does_not_stop_the_others() -> None:
    node = replace(ECLIPSE_NODE, memory_bytes=80e9)
    big = TrainingJob("big", parameters=70e9, tokens=1e9, global_batch_tokens=1e6)
    result = simulate([node], ECLIPSE_ENV, [big, ECLIPSE_JOB])
    assert [j.feasible for j in result.training] == [False, True]
    assert result.training[1].completed


def test_eo_needs_accelerators_on_every_satellite() -> None:
    eo = EarthObservationJob("eo", 1e9, 1e3, 1e9, 0.1, accelerators_per_satellite=9)
    result = simulate(NODES, ENV, [eo])
    assert "needs 9 accelerators per satellite" in result.earth_observation[0].reason


def test_unknown_policy_lists_the_names() -> None:
    with pytest.raises(ValueError, match="allowed: greedy, power-aware"):
        simulate(NODES, ENV, [], policy="round-robin")


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: InferenceService("s", 7e9, (-1.0,), 10, 10), "arrival_rate_per_s must be >= 0"),
        (lambda: FaultModel(ue_per_device_day=-1.0), "ue_per_device_day must be >= 0"),
        (lambda: FaultModel(satellite_failure_per_year=1.0), r"in \[0, 1\)"),
        (lambda: TrainingJob("t", 1e9, 1e9, 1e6, data_parallel=0), "data_parallel"),
        (lambda: TrainingJob("t", 1e9, 1e9, 1e6, compute_efficiency=1.5), r"\(0, 1\]"),
        (lambda: NodeSpec("n", -1.0, 1.0, 1.0, 1.0, 1.0), "peak_flops must be > 0"),
        (
            lambda: NodeSpec("n", 1.0, 1.0, 1.0, 1.0, 1.0, thermal_limit_fraction=0.0),
            "thermal_limit_fraction",
        ),
        (lambda: EarthObservationJob("e", 1.0, 1.0, 1.0, 0.0), "product_fraction"),
    ],
)
def test_bad_arguments_raise(make, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        make()


def test_environment_shape_checks() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        Environment([0.0, 0.0], [[1.0, 1.0]])
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        Environment([0.0, 1.0], [[1.0, 1.5]])
    with pytest.raises(ValueError, match="ground_rtt_s"):
        Environment([0.0, 1.0], [[1.0, 1.0]], ground_rtt_s=[[0.1, 0.2]])
    with pytest.raises(ValueError, match="one NodeSpec per row"):
        simulate(NODES[:2], ENV, [])


def test_regions_must_match_the_environment() -> None:
    svc = InferenceService("s", 7e9, (1.0, 1.0, 1.0), 10, 10)  # 3 regions; ENV has 2
    with pytest.raises(ValueError, match="one rate per region"):
        simulate(NODES, ENV, [svc])


def test_duplicate_names_and_unknown_workloads() -> None:
    with pytest.raises(ValueError, match="unique"):
        simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB, ECLIPSE_JOB])
    with pytest.raises(ValueError, match="unknown workload"):
        simulate([ECLIPSE_NODE], ECLIPSE_ENV, ["train"])  # type: ignore[list-item]
