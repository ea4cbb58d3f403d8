"""Results of an operations run, the ground reference, and distributed vs centralized.

Definitions (all over the run ``[t_s[0], t_s[-1]]``):

* *available* FLOPs: nameplate peak of every node times the run time;
* *issued* FLOPs: everything the accelerators executed (re-executions included);
* *useful* FLOPs: committed training steps, correct inference answers, processed imagery;
* *lost* FLOPs: rolled back, interrupted, or corrupt; *pending*: executed, not yet committed
  at the end. ``issued == useful + lost + pending`` exactly (integers);
* goodput = useful / available; utilization = issued / available; availability = satellite
  time up (not stopped for power, not failed) over satellite time.

The result records are defined in :mod:`skydc.operations._result_types` and
:func:`ground_completion_s` (which runs the event engine, and which the engine calls for its
ground reference) in :mod:`skydc.operations.engine`; both are public here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike

from skydc.operations._result_types import (
    EarthObservationResult,
    InferenceResult,
    SimulationResult,
    TrainingResult,
    WorkLedger,
)
from skydc.operations.engine import ground_completion_s, simulate
from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.scheduler import Policy
from skydc.operations.workloads import Workload

__all__ = [
    "CENTRALIZED_MODELS",
    "ArchitectureComparison",
    "EarthObservationResult",
    "InferenceResult",
    "SimulationResult",
    "TrainingResult",
    "WorkLedger",
    "centralized_node",
    "compare_architectures",
    "constant_power_state",
    "ground_completion_s",
]


def centralized_node(
    nodes: Sequence[NodeSpec], internal_bandwidth_bps: float, name: str = "centralized"
) -> NodeSpec:
    """One node with the same totals as ``nodes`` (IT power, FLOPs, memory, array, battery).

    Thermal limit and state-of-charge limits are IT-power-weighted means.
    """
    sats = np.array([n.satellites for n in nodes], np.float64)
    it = np.array([n.it_power_w for n in nodes]) * sats
    total = {
        key: float(np.sum(np.array([getattr(n, key) for n in nodes]) * sats))
        for key in ("peak_flops", "it_power_w", "battery_wh", "array_power_w", "bus_power_w")
    }
    memory = float(np.sum(np.array([n.memory_bytes for n in nodes]) * sats))
    bandwidth = float(np.sum(np.array([n.memory_bandwidth_bytes_s for n in nodes]) * sats))
    weights = it / it.sum()
    return NodeSpec(
        name=name,
        satellites=1,
        accelerators=int(sum(n.total_accelerators for n in nodes)),
        memory_bytes=memory,
        # weighted means of values in [0, 1]: clip the round-off (400 x 1.0 can sum past 1)
        thermal_limit_fraction=min(1.0, float(weights @ [n.thermal_limit_fraction for n in nodes])),
        min_state_of_charge=min(1.0, float(weights @ [n.min_state_of_charge for n in nodes])),
        initial_state_of_charge=min(
            1.0, float(weights @ [n.initial_state_of_charge for n in nodes])
        ),
        internal_bandwidth_bps=internal_bandwidth_bps,
        memory_bandwidth_bytes_s=bandwidth,
        idle_power_fraction=min(1.0, float(weights @ [n.idle_power_fraction for n in nodes])),
        **total,
    )


@dataclass(frozen=True)
class ArchitectureComparison:
    """The same workloads on a distributed constellation and on one centralized node."""

    distributed: SimulationResult
    centralized: SimulationResult
    centralized_node: NodeSpec

    def table(self) -> pa.Table:
        """Side by side: ``metric``, ``distributed``, ``centralized``."""
        d, c = self.distributed.summary(), self.centralized.summary()
        metrics, left, right = [], [], []
        for key in sorted(set(d) | set(c)):
            a, b = d.get(key), c.get(key)
            if isinstance(a, int | float) and isinstance(b, int | float):
                metrics.append(key)
                left.append(float(a))
                right.append(float(b))
        return pa.table({"metric": metrics, "distributed": left, "centralized": right})


CENTRALIZED_MODELS = ("derived", "simulated")
"""How :func:`compare_architectures` runs the centralized node (see there)."""

_POWER_MARGIN = 1e-9  # relative margin of the constant-power-state test [-]


def constant_power_state(station: NodeSpec, sunlit_fraction: ArrayLike) -> bool:
    """Whether ``station``'s power state is the same at every instant of ``sunlit_fraction``.

    True when its array carries the full load of every accelerator at full power plus the bus
    at the darkest sample (``min(s) x array >= bus + thermal x IT``, with a margin of 1e-9)
    and its battery starts full (to 1e-9). Then, under any policy, the node runs at its
    thermal limit with a full battery throughout: the engine's power event at each change of
    the sunlit fraction (:meth:`skydc.operations._fleet.Fleet.on_power`) recomputes the same
    throttle, the same load and a battery clamped at full, and changes nothing. The
    centralized node of a constellation with its eclipses spread around the orbit is such a
    node: its sunlit fraction is the fleet's mean, nearly constant (0.80003-0.80008 in the
    default scenario, with an array sized for eclipse).
    """
    s = np.asarray(sunlit_fraction, np.float64)
    if s.size == 0 or station.satellites != 1:
        return False
    full_load = station.bus_power_w + station.thermal_limit_fraction * station.it_power_w
    carried = float(np.min(s)) * station.array_power_w >= full_load * (1.0 + _POWER_MARGIN)
    return bool(carried and station.initial_state_of_charge >= 1.0 - _POWER_MARGIN)


def compare_architectures(
    nodes: Sequence[NodeSpec],
    environment: Environment,
    workloads: Sequence[Workload],
    *,
    centralized_bandwidth_bps: float,
    centralized_sunlit_fraction: ArrayLike | None = None,
    policy: str | Policy = "power-aware",
    faults: FaultModel | None = None,
    seed: int = 0,
    progress: Callable[[float, float], None] | None = None,
    inference_model: str = "event",
    centralized_model: str = "derived",
) -> ArchitectureComparison:
    """Run ``workloads`` on ``nodes`` and on one node of the same IT power.

    The centralized node (:func:`centralized_node`) has the constellation's totals and
    ``centralized_bandwidth_bps`` inside. Its sunlit fraction is
    ``centralized_sunlit_fraction`` (n_time,), by default the satellite-weighted mean of the
    nodes' (the same orbit-average energy); its round-trip time per region is the
    satellite-weighted mean of the nodes'; it is always reachable from the ground.
    ``inference_model`` is passed to :func:`skydc.operations.engine.simulate` for both runs.

    ``centralized_model``: ``"simulated"`` runs the centralized node through the engine with
    its sunlit fraction as given, one power event per change (every grid step: the mean of
    the fleet changes at each). ``"derived"`` (the default) does the same where its power
    state cannot vary (:func:`constant_power_state`): it derives that state (thermal limit,
    full battery) instead of simulating it, by running the engine on the darkest sample's
    sunlit fraction held constant, so no power event is drawn, and falls back to
    ``"simulated"`` otherwise. The workloads, faults and draws are the same; results agree
    with ``"simulated"`` to float rounding (the IT energy and Earth-observation integrals are
    summed over fewer pieces), except the event count (no power events) and the time series
    of utilization, whose Earth-observation work is binned where each longer piece ends
    (``tests/operations/test_ops_centralized.py``).
    """
    if centralized_model not in CENTRALIZED_MODELS:
        raise ValueError(
            f"unknown centralized_model {centralized_model!r}; allowed: "
            f"{', '.join(CENTRALIZED_MODELS)}"
        )
    distributed = simulate(
        nodes, environment, workloads, policy=policy, faults=faults, seed=seed,
        progress=progress, inference_model=inference_model,
    )  # fmt: skip
    station = centralized_node(nodes, centralized_bandwidth_bps)
    sats = np.array([n.satellites for n in nodes], np.float64)
    weights = sats / sats.sum()
    if centralized_sunlit_fraction is None:
        sun = weights @ environment.sunlit_fraction
    else:
        sun = np.asarray(centralized_sunlit_fraction, np.float64).reshape(-1)
    sun = np.clip(sun, 0.0, 1.0)
    if centralized_model == "derived" and constant_power_state(station, sun):
        sun = np.full(sun.shape, float(np.min(sun)))
    rtt = None if environment.ground_rtt_s is None else environment.ground_rtt_s @ weights
    env = Environment(
        environment.t_s,
        sun.reshape(1, -1),
        ground_rtt_s=None if rtt is None else rtt.reshape(-1, 1),
    )
    centralized = simulate(
        [station], env, workloads, policy=policy, faults=faults, seed=seed,
        inference_model=inference_model,
    )  # fmt: skip
    return ArchitectureComparison(distributed, centralized, station)
