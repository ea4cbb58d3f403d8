"""Results of an operations run, the ground reference, and distributed vs centralized.

Definitions (all over the run ``[t_s[0], t_s[-1]]``):

* *available* FLOPs: nameplate peak of every node times the run time;
* *issued* FLOPs: everything the accelerators executed (re-executions included);
* *useful* FLOPs: committed training steps, correct inference answers, processed imagery;
* *lost* FLOPs: rolled back, interrupted, or corrupt; *pending*: executed, not yet committed
  at the end. ``issued == useful + lost + pending`` exactly (integers);
* goodput = useful / available; utilization = issued / available; availability = satellite
  time up (not stopped for power, not failed) over satellite time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray

from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.scheduler import Policy
from skydc.operations.workloads import TrainingJob, Workload, training_time_s

__all__ = [
    "ArchitectureComparison",
    "EarthObservationResult",
    "InferenceResult",
    "SimulationResult",
    "TrainingResult",
    "WorkLedger",
    "centralized_node",
    "compare_architectures",
    "ground_completion_s",
]


@dataclass(frozen=True)
class WorkLedger:
    """FLOPs by fate; ``issued == useful + lost + pending`` (integers, exact)."""

    issued_flops: int = 0
    useful_flops: int = 0
    lost_flops: int = 0
    pending_flops: int = 0

    @property
    def balanced(self) -> bool:
        """Whether every issued FLOP is accounted for."""
        return self.issued_flops == self.useful_flops + self.lost_flops + self.pending_flops

    def __add__(self, other: WorkLedger) -> WorkLedger:
        return WorkLedger(
            self.issued_flops + other.issued_flops,
            self.useful_flops + other.useful_flops,
            self.lost_flops + other.lost_flops,
            self.pending_flops + other.pending_flops,
        )


@dataclass(frozen=True)
class TrainingResult:
    """One training job: completion, its ground reference, and what happened on the way."""

    name: str
    feasible: bool
    reason: str = ""
    completed: bool = False
    completion_s: float = math.nan
    ground_completion_s: float = math.nan
    steps_committed: int = 0
    n_steps: int = 0
    ledger: WorkLedger = WorkLedger()
    checkpoints: int = 0
    rollbacks: int = 0
    crashes: int = 0
    migrations: int = 0
    sdc_detected: int = 0
    it_energy_j: float = 0.0
    replicas_per_node: tuple[int, ...] = ()

    @property
    def slowdown_vs_ground(self) -> float:
        """Completion time over the ground data center's [-] (NaN if either is missing)."""
        return self.completion_s / self.ground_completion_s


@dataclass(frozen=True)
class InferenceResult:
    """One inference service: request counts, latency percentiles, energy per token.

    ``energy_per_token_j`` is the IT energy of the replicas while serving (service time x
    replica IT power, per token in and out); ``allocated_energy_per_token_j`` charges all the
    IT energy its allocated accelerators drew, idle time included (the simulator's power
    model draws allocated accelerators at their throttle whether busy or not).
    """

    name: str
    feasible: bool
    reason: str = ""
    arrivals: int = 0
    completed: int = 0
    rejected: int = 0
    reissued: int = 0
    in_system: int = 0
    corrupted: int = 0
    latency_p50_s: float = math.nan
    latency_p90_s: float = math.nan
    latency_p99_s: float = math.nan
    latency_mean_s: float = math.nan
    energy_per_token_j: float = math.nan
    allocated_energy_per_token_j: float = math.nan
    replicas: int = 0
    ledger: WorkLedger = WorkLedger()
    latency_s: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), compare=False)


@dataclass(frozen=True)
class EarthObservationResult:
    """One Earth-observation job: data volumes and latency to insight, in orbit vs raw."""

    name: str
    feasible: bool
    reason: str = ""
    produced_bytes: float = 0.0
    processed_bytes: float = 0.0
    backlog_bytes: float = 0.0
    product_bytes: float = 0.0
    downlink_capacity_bytes: float = 0.0
    raw_downlinked_bytes: float = 0.0
    product_downlinked_bytes: float = 0.0
    volume_saved_fraction: float = math.nan
    processing_delay_s: float = math.nan
    contact_wait_s: float = 0.0
    latency_in_orbit_s: float = math.nan
    latency_raw_s: float = math.nan
    ledger: WorkLedger = WorkLedger()


@dataclass(frozen=True)
class SimulationResult:
    """Everything an operations run measured (see the module docstring for definitions).

    ``timeseries`` has one row per grid interval ``[t_k, t_{k+1})``: ``t_s``,
    ``utilization``, ``nodes_up``, ``throttle_mean``, ``soc_mean``, ``soc_min``,
    ``requests_completed``, ``latency_mean_s`` and ``training_progress`` (committed fraction,
    first training job). ``timeline`` has the notable events: ``t_s``, ``event``, ``node``,
    ``workload``, ``detail``.
    """

    policy: str
    seed: int
    horizon_s: float
    n_node: int
    events: int
    wall_s: float
    events_per_s: float
    ledger: WorkLedger
    available_flops: float
    goodput: float
    utilization: float
    availability: float
    it_energy_j: float
    training: tuple[TrainingResult, ...]
    inference: tuple[InferenceResult, ...]
    earth_observation: tuple[EarthObservationResult, ...]
    faults_drawn: dict[str, int]
    faults_effective: dict[str, int]
    infeasible: tuple[str, ...]
    timeseries: pa.Table = field(compare=False)
    timeline: pa.Table = field(compare=False)

    @property
    def feasible(self) -> bool:
        """Whether every workload could be placed."""
        return not self.infeasible

    def summary(self) -> dict[str, Any]:
        """Headline metrics as a JSON-friendly dict."""
        out: dict[str, Any] = {
            "policy": self.policy,
            "goodput": self.goodput,
            "utilization": self.utilization,
            "availability": self.availability,
            "events": self.events,
            "events_per_s": self.events_per_s,
            "infeasible": list(self.infeasible),
        }
        for job in self.training:
            out[f"training.{job.name}.completion_s"] = job.completion_s
            out[f"training.{job.name}.ground_completion_s"] = job.ground_completion_s
        for svc in self.inference:
            for key in ("latency_p50_s", "latency_p90_s", "latency_p99_s", "energy_per_token_j"):
                out[f"inference.{svc.name}.{key}"] = getattr(svc, key)
        for eo in self.earth_observation:
            out[f"earth_observation.{eo.name}.volume_saved_fraction"] = eo.volume_saved_fraction
        return out


def ground_completion_s(
    job: TrainingJob,
    node: NodeSpec,
    *,
    bandwidth_bps: float,
    faults: FaultModel | None = None,
    seed: int = 0,
    horizon_s: float | None = None,
) -> float:
    """Completion time of ``job`` in a ground data center with ``node``'s accelerators [s].

    No eclipse, grid power, an ideal network of ``bandwidth_bps`` between replicas. Without
    ``faults`` (or with all-zero rates) this is :func:`training_time_s`; with ground fault
    rates the same event engine runs on a ground node (NaN if the job does not finish within
    ``horizon_s``, default ten times the fault-free time plus a day).
    """
    replica_peak = node.accelerator_peak_flops * job.replica_accelerators
    ideal = training_time_s(job, replica_peak, bandwidth_bps) + job.start_s
    if faults is None or faults == FaultModel():
        return ideal
    from skydc.operations.engine import simulate

    servers = math.ceil(job.data_parallel * job.replica_accelerators / node.accelerators)
    ground = replace(
        node,
        name="ground",
        satellites=servers,
        array_power_w=node.it_power_w + node.bus_power_w,
        internal_bandwidth_bps=bandwidth_bps,
        thermal_limit_fraction=1.0,
    )
    horizon = horizon_s if horizon_s is not None else 10.0 * ideal + 86400.0
    env = Environment.always_sunlit(1, horizon)
    result = simulate([ground], env, [job], policy="greedy", faults=faults, seed=seed)
    return result.training[0].completion_s


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
) -> ArchitectureComparison:
    """Run ``workloads`` on ``nodes`` and on one node of the same IT power.

    The centralized node (:func:`centralized_node`) has the constellation's totals and
    ``centralized_bandwidth_bps`` inside. Its sunlit fraction is
    ``centralized_sunlit_fraction`` (n_time,), by default the satellite-weighted mean of the
    nodes' (the same orbit-average energy); its round-trip time per region is the
    satellite-weighted mean of the nodes'; it is always reachable from the ground.
    """
    from skydc.operations.engine import simulate

    distributed = simulate(
        nodes, environment, workloads, policy=policy, faults=faults, seed=seed, progress=progress
    )
    station = centralized_node(nodes, centralized_bandwidth_bps)
    sats = np.array([n.satellites for n in nodes], np.float64)
    weights = sats / sats.sum()
    if centralized_sunlit_fraction is None:
        sun = weights @ environment.sunlit_fraction
    else:
        sun = np.asarray(centralized_sunlit_fraction, np.float64).reshape(-1)
    rtt = None if environment.ground_rtt_s is None else environment.ground_rtt_s @ weights
    env = Environment(
        environment.t_s,
        np.clip(sun, 0.0, 1.0).reshape(1, -1),
        ground_rtt_s=None if rtt is None else rtt.reshape(-1, 1),
    )
    centralized = simulate([station], env, workloads, policy=policy, faults=faults, seed=seed)
    return ArchitectureComparison(distributed, centralized, station)
