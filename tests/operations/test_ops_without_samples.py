"""A run that records no samples (the delivery stage's capacity probe) skips the sample events
and gives the same answer as the run that records them: the event loop takes each event's step
index from its time, the index the sample before it would have set."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from ops_cases import orbiting_fleet

from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel
from skydc.operations.workloads import EarthObservationJob

EO = EarthObservationJob(
    "eo", bytes_per_satellite_day=5e13, flops_per_byte=2e3, downlink_bytes_per_satellite_day=1e9,
    product_fraction=0.01, accelerators_per_satellite=8, compute_efficiency=0.6,
)  # fmt: skip


FAULTS = FaultModel(sefi_per_device_day=2.0, satellite_failure_per_year=0.5, replacement_s=3600.0)


@pytest.mark.parametrize("policy", ["greedy", "power-aware"])
@pytest.mark.parametrize("faults", [None, FAULTS])
def test_probe_run_equals_the_run_with_samples(policy: str, faults: FaultModel | None) -> None:
    nodes, env = orbiting_fleet(n_node=4, horizon_s=4 * 5700.0)
    # batteries too small for the eclipse: brownouts, recoveries and throttles happen
    nodes = [dataclasses.replace(n, battery_wh=1.5e3) for n in nodes]
    kw = {"policy": policy, "seed": 3, "faults": faults}
    full = simulate(nodes, env, [EO], **kw)
    probe = simulate(nodes, env, [EO], record_samples=False, **kw)
    assert probe.ledger.useful_flops == full.ledger.useful_flops > 0
    if policy == "greedy":  # the greedy policy runs the batteries down: brownouts happen
        assert "node_down" in full.timeline.column("event").to_pylist()
    for f in dataclasses.fields(full):
        if f.name in ("events", "wall_s", "events_per_s", "timeseries"):
            continue
        assert getattr(probe, f.name) == getattr(full, f.name), f.name
    sampled = {"nodes_up", "throttle_mean", "soc_mean", "soc_min", "training_progress"}
    for name in full.timeseries.column_names:
        a = full.timeseries.column(name).to_numpy(zero_copy_only=False)
        b = probe.timeseries.column(name).to_numpy(zero_copy_only=False)
        if name in sampled:
            assert np.all(np.isnan(b)), name
        else:
            assert np.array_equal(a, b, equal_nan=True), name
    # the sample instants are not processed as events
    assert probe.events == full.events - env.t_s.size
