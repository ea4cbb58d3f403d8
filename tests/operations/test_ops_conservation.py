"""Invariants over random seeds and fault rates: nothing silently dropped, seeded runs repeat.

* Work: issued FLOPs = useful + lost + pending, exactly (integers), for every workload and in
  total; a job that completes has exactly its FLOPs useful.
* Requests: every arrival ends completed, rejected or still in the system.
* The same seed gives the same result; another seed another.
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ops_cases import mixed_workloads, orbiting_fleet

from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel

NODES, ENV = orbiting_fleet()

rates = st.floats(min_value=0.0, max_value=50.0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    sdc=rates,
    ue=rates,
    sefi=rates,
    sat=st.floats(min_value=0.0, max_value=0.99),
    link=rates,
    policy=st.sampled_from(["greedy", "power-aware"]),
    replace=st.sampled_from([600.0, 3600.0, float("inf")]),
)
def test_work_and_requests_are_conserved(
    seed: int,
    sdc: float,
    ue: float,
    sefi: float,
    sat: float,
    link: float,
    policy: str,
    replace: float,
) -> None:
    faults = FaultModel(
        sdc_per_device_day=sdc,
        ue_per_device_day=ue,
        sefi_per_device_day=sefi,
        satellite_failure_per_year=sat,
        replacement_s=replace,
        link_outage_per_node_day=link * 10,
        link_outage_s=120.0,
    )
    result = simulate(NODES, ENV, mixed_workloads(), policy=policy, faults=faults, seed=seed)
    assert result.feasible
    for part in (*result.training, *result.inference, *result.earth_observation):
        assert part.ledger.balanced, part
        assert min(part.ledger.__dict__.values()) >= 0
    assert result.ledger.balanced
    job = result.training[0]
    if job.completed:
        assert job.ledger.useful_flops == mixed_workloads()[1].total_flops
    svc = result.inference[0]
    assert svc.arrivals == svc.completed + svc.rejected + svc.in_system
    assert svc.corrupted <= svc.completed
    assert 0.0 <= result.availability <= 1.0
    assert result.goodput <= result.utilization


def test_same_seed_same_result() -> None:
    faults = FaultModel(
        sdc_per_device_day=5.0,
        ue_per_device_day=5.0,
        sefi_per_device_day=5.0,
        satellite_failure_per_year=0.5,
        replacement_s=1800.0,
        link_outage_per_node_day=20.0,
        link_outage_s=60.0,
    )
    runs = [simulate(NODES, ENV, mixed_workloads(), faults=faults, seed=s) for s in (7, 7, 8)]
    a, b, c = runs
    same = {"events_per_s": 0}
    assert json.dumps(a.summary() | same) == json.dumps(b.summary() | same)
    assert repr(a.training) == repr(b.training)
    assert repr(a.inference) == repr(b.inference)
    assert repr(a.earth_observation) == repr(b.earth_observation)
    assert a.ledger == b.ledger
    np.testing.assert_array_equal(a.inference[0].latency_s, b.inference[0].latency_s)
    assert a.timeline.equals(b.timeline)
    assert a.faults_drawn == b.faults_drawn
    assert a.faults_drawn != c.faults_drawn or a.inference[0].arrivals != c.inference[0].arrivals


def test_faults_cost_work() -> None:
    """Heavy faults lose FLOPs and crash the job; without faults nothing is lost."""
    clean = simulate(NODES, ENV, mixed_workloads(), seed=3)
    assert clean.ledger.lost_flops == 0
    assert clean.training[0].crashes == 0
    faults = FaultModel(ue_per_device_day=200.0, sdc_per_device_day=200.0)
    hit = simulate(NODES, ENV, mixed_workloads(), faults=faults, seed=3)
    assert hit.ledger.lost_flops > 0
    assert hit.training[0].crashes + hit.training[0].rollbacks > 0
    assert hit.faults_effective["ue"] > 0
